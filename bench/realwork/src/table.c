#include <stdlib.h>
#include <string.h>
#include "table.h"

struct entry {
	char *key;
	size_t n;
	struct entry *next;
};

struct table {
	size_t buckets;
	struct entry **e;
};

static size_t hash(const char *s)
{
	size_t h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

struct table *table_new(size_t buckets)
{
	struct table *t = malloc(sizeof(*t));

	if (!t)
		return NULL;
	t->buckets = buckets;
	t->e = calloc(buckets, sizeof(*t->e));
	return t;
}

int table_add(struct table *t, const char *key)
{
	struct entry **p = &t->e[hash(key) % t->buckets];

	for (; *p; p = &(*p)->next) {
		if (!strcmp((*p)->key, key)) {
			(*p)->n++;
			return 0;
		}
	}
	*p = calloc(1, sizeof(**p));
	if (!*p || !((*p)->key = strdup(key)))
		return -1;
	(*p)->n = 1;
	return 0;
}

size_t table_count(const struct table *t, const char *key)
{
	for (struct entry *e = t->e[hash(key) % t->buckets]; e; e = e->next)
		if (!strcmp(e->key, key))
			return e->n;
	return 0;
}

void table_free(struct table *t)
{
	for (size_t i = 0; i < t->buckets; i++) {
		for (struct entry *e = t->e[i], *n; e; e = n) {
			n = e->next;
			free(e->key);
			free(e);
		}
	}
	free(t->e);
	free(t);
}
