#include <ctype.h>
#include "table.h"

size_t words_split(char *text, char **out, size_t max)
{
	size_t n = 0;

	while (*text && n < max) {
		while (*text && !isalnum((unsigned char)*text))
			*text++ = '\0';
		if (*text)
			out[n++] = text;
		while (*text && isalnum((unsigned char)*text))
			text++;
	}
	return n;
}
