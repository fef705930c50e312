/* design_options.c — prints the README's list of every design's and every rule's options, from
 * their tables (designs/design.h, src/engine/rules.c) through src/study/options.c, so the README says what
 * the code accepts; tests/e2e/unit_readme_options.sh checks that the README holds this text. */
#include <stdio.h>

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

int main(void) {
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
