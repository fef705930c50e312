/* names.c — a set of names for finding repeats in one pass (see names.h). */
#include "names.h"

#include <stdlib.h>
#include <string.h>

#include "hash.h"

struct names {
  size_t mask; /* slots - 1, slots a power of two at least twice max */
  size_t probes;
  const char **name; /* NULL: empty slot */
  long *index;
};

dv_status names_alloc(names **out, size_t max, dv_error *err) {
  *out = NULL;
  size_t slots = 16;
  while (slots < 2 * max)
    slots *= 2;
  names *s = calloc(1, sizeof *s);
  if (s != NULL) {
    s->mask = slots - 1;
    s->name = calloc(slots, sizeof *s->name);
    s->index = calloc(slots, sizeof *s->index);
  }
  if (s == NULL || s->name == NULL || s->index == NULL) {
    names_free(s);
    return error_set(err, DV_ENOMEM, "out of memory for a set of %zu names", max);
  }
  *out = s;
  return DV_OK;
}

void names_free(names *s) {
  if (s == NULL)
    return;
  free((void *)s->name);
  free(s->index);
  free(s);
}

long names_add(names *s, const char *name, long index) {
  /* linear probing in a table at most half full: a short run of slots per lookup */
  for (size_t at = (size_t)hash_fnv1a64(name, strlen(name)) & s->mask;; at = (at + 1) & s->mask) {
    s->probes++;
    if (s->name[at] == NULL) {
      s->name[at] = name;
      s->index[at] = index;
      return -1;
    }
    if (strcmp(s->name[at], name) == 0)
      return s->index[at];
  }
}

size_t names_probes(const names *s) { return s->probes; }
