#include <stddef.h>
struct table;
struct table *table_new(size_t buckets);
int table_add(struct table *t, const char *key);
size_t table_count(const struct table *t, const char *key);
void table_free(struct table *t);
size_t words_split(char *text, char **out, size_t max);
