/* test_names.c — the set of names that finds a repeat: every repeat found, with the index of the
 * first, and adding n names costs O(n) probes (the step that made loading n named scenarios take
 * n^2 / 2 string comparisons; tests/e2e/valgrind_config_linear.sh measures config loading). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

#include "names.h"

/* "scenario number i", the shape of names that share long prefixes */
static char **make_names(size_t n) {
  char **v = calloc(n, sizeof *v);
  cr_assert_not_null(v);
  for (size_t i = 0; i < n; i++) {
    v[i] = malloc(32);
    cr_assert_not_null(v[i]);
    snprintf(v[i], 32, "scenario number %zu", i);
  }
  return v;
}

static void free_names(char **v, size_t n) {
  for (size_t i = 0; i < n; i++)
    free(v[i]);
  free(v);
}

Test(names, finds_every_repeat_and_the_first_of_it) {
  dv_error err = {0};
  names *s = NULL;
  cr_assert_eq(names_alloc(&s, 6, &err), DV_OK);
  cr_assert_eq(names_add(s, "MTD at dose 1", 0), -1);
  cr_assert_eq(names_add(s, "MTD at dose 2", 1), -1);
  cr_assert_eq(names_add(s, "", 2), -1);
  cr_assert_eq(names_add(s, "MTD at dose 2", 3), 1);
  cr_assert_eq(names_add(s, "", 4), 2);
  cr_assert_eq(names_add(s, "mtd at dose 1", 5), -1, "names are compared byte for byte");
  names_free(s);
  names_free(NULL);
}

/* n names cost at most 3n probes at a table at most half full (linear probing averages 1.5 a
 * new name there); the nested loop it replaced made n (n - 1) / 2 comparisons. */
Test(names, adding_n_names_costs_linear_probes) {
  const size_t sizes[] = {1000, 4000, 16000, 64000};
  size_t probes[4];
  for (int k = 0; k < 4; k++) {
    size_t n = sizes[k];
    char **v = make_names(n);
    dv_error err = {0};
    names *s = NULL;
    cr_assert_eq(names_alloc(&s, n, &err), DV_OK);
    for (size_t i = 0; i < n; i++)
      cr_assert_eq(names_add(s, v[i], (long)i), -1, "%s is new", v[i]);
    cr_assert_eq(names_add(s, v[n / 2], (long)n), (long)(n / 2), "the repeat of %s", v[n / 2]);
    probes[k] = names_probes(s);
    cr_assert_leq(probes[k], 3 * n, "%zu names: %zu probes", n, probes[k]);
    names_free(s);
    free_names(v, n);
  }
  /* and four times the names cost about four times the probes, not sixteen */
  for (int k = 1; k < 4; k++)
    cr_assert_leq(probes[k], 6 * probes[k - 1], "%zu probes for %zu names, %zu for %zu", probes[k],
                  sizes[k], probes[k - 1], sizes[k - 1]);
}
