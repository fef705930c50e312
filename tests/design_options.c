/* design_options.c — prints the README's list of every design's and every rule's options, from
 * their tables (designs/design.h, src/engine/rules.c) through src/study/options.c, so the README
 * says what the code accepts; tests/e2e/unit_readme_options.sh checks that the README holds this
 * text. With --names it prints the words only designs may name, one a line, for
 * tests/e2e/unit_layering.sh: "design W" (each type and the short name its title starts with),
 * "key W" (each option key; a dotted key also as its parts), "reason W" (each stop of its own), and
 * "rule W" (each rule's name and keys: the rules layer's words, which designs share). */
#include <stdio.h>
#include <string.h>

#include "design.h"
#include "options.h"
#include "rules.h"

/* A table cell: a '|' would end it. */
static void cell(const char *text) {
  for (; *text; text++)
    printf(*text == '|' ? "\\|" : "%c", *text);
}

static void table(const design_option *opts) {
  /* K doses, target phi: the ranges as the config's messages write them */
  design_setup doc = {.n_doses = 0, .cohort_size = 3, .max_n = 0, .start_dose = 1, .target = 0.3};
  if (options_count(opts) == 0) {
    printf("(no options)\n\n");
    return;
  }
  printf("| key | allowed | default | meaning |\n|---|---|---|---|\n");
  for (int i = 0; opts[i].key != NULL; i++) {
    char allowed[256], def[64];
    options_allowed(&opts[i], &doc, allowed, sizeof allowed);
    options_default_text(&opts[i], def, sizeof def);
    printf("| `%s` | ", opts[i].key);
    cell(allowed);
    printf(" | %s | ", opts[i].required ? "required" : def);
    cell(opts[i].help);
    printf(" |\n");
  }
  printf("\n");
}

/* An option key, and each part of a dotted one ("skeleton.halfwidth": skeleton, halfwidth). */
static void key_words(const char *tag, const design_option *opts) {
  for (int i = 0; opts[i].key != NULL; i++) {
    const char *k = opts[i].key;
    printf("%s %s\n", tag, k);
    if (strchr(k, '.') != NULL)
      for (const char *p = k; *p;) {
        size_t n = strcspn(p, ".");
        printf("%s %.*s\n", tag, (int)n, p);
        p += n + (p[n] == '.');
      }
  }
}

static int names(void) {
  for (int i = 0; design_registry[i] != NULL; i++) {
    const design_type *t = design_registry[i];
    /* "BOIN, the Bayesian ..." / "3+3 (Storer 1989), ...": the name people write */
    size_t n = strcspn(t->title, ",(");
    while (n > 0 && t->title[n - 1] == ' ')
      n--;
    printf("design %s\ndesign %.*s\n", t->name, (int)n, t->title);
    key_words("key", t->options);
    for (int r = 0; t->stop_reasons[r].name != NULL; r++)
      printf("reason %s\n", t->stop_reasons[r].name);
  }
  for (int i = 0; rule_types[i].name != NULL; i++) {
    printf("rule %s\n", rule_types[i].name);
    key_words("rule", rule_types[i].options);
  }
  return ferror(stdout) ? 1 : 0;
}

int main(int argc, char **argv) {
  if (argc == 2 && strcmp(argv[1], "--names") == 0)
    return names();
  if (argc != 1) {
    fprintf(stderr, "usage: design_options [--names]\n");
    return 2;
  }
  for (int i = 0; design_registry[i] != NULL; i++) {
    const design_type *t = design_registry[i];
    printf("**`%s`** — %s. Stops of its own:", t->name, t->title);
    for (int r = 0; t->stop_reasons[r].name != NULL; r++)
      printf("%s `%s`", r ? "," : "", t->stop_reasons[r].name);
    printf("%s.\n\n", t->stop_reasons[0].name == NULL ? " none" : "");
    table(t->options);
  }
  printf("**Rules** (`rules:` on any design, applied in order; SPEC section 6):\n\n");
  for (int i = 0; rule_types[i].name != NULL; i++) {
    const rule_type *r = &rule_types[i];
    printf("**`%s`** — %s%s%s%s.\n\n", r->name, r->help, r->scalar_key ? "; `{" : "",
           r->scalar_key ? r->name : "", r->scalar_key ? ": N}` is short for the mapping" : "");
    table(r->options);
  }
  return ferror(stdout) ? 1 : 0;
}
