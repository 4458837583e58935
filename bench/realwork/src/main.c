#include "config.h"
#include <stdio.h>
#include <string.h>
#include "table.h"

int main(int argc, char **argv)
{
	char text[] = "the quick brown fox jumps over the lazy dog the end";
	char *w[64];
	struct table *t = table_new(64);
	size_t n = words_split(text, w, 64);

	for (size_t i = 0; i < n; i++)
		table_add(t, w[i]);
	printf("%zu words, \"the\" %zu times\n", n, table_count(t, argc > 1 ? argv[1] : "the"));
	table_free(t);
	return 0;
}
