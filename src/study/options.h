/* options.h — the generic side of options as data: reading, defaulting, range-checking and
 * describing the keys a design (or a rule) declares in its design_option table (design.h). The
 * config loader, `doseval boundaries` and the README's option list all go through it, so no
 * code outside a design's own file names one of its keys. */
#ifndef DOSEVAL_OPTIONS_H
#define DOSEVAL_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "design.h"
#include "error.h"

/* The option with that key, or NULL. */
const design_option *options_find(const design_option *opts, const char *key);

/* Number of options in a table. */
int options_count(const design_option *opts);

/* Writes every option's default into the options struct `out` (zeroed first, options_size
 * bytes); a default "x target" uses setup->target. */
void options_defaults(const design_option *opts, size_t options_size, const design_setup *setup,
                      void *out);

/* What a value of o may be, e.g. "0 < eps1 < target" or "true or false"; without help. With
 * setup->n_doses 0 the number of doses is written K (for documentation). */
void options_allowed(const design_option *o, const design_setup *setup, char *buf, size_t len);

/* The default as text ("0.05", "0.6 x target", "true", "none"). */
void options_default_text(const design_option *o, char *buf, size_t len);

/* Sets o from one scalar text (a number, true/false, a word, a dose): checks its form and its
 * range. On a bad value returns DV_ECONFIG with "KEY: FOUND; allowed: ALLOWED (HELP)". */
dv_status options_set(const design_option *o, const design_setup *setup, void *out,
                      const char *text, dv_error *err) DV_MUST_CHECK;

/* Sets a REALS option from n texts (a YAML list, or a comma-separated command-line value). */
dv_status options_set_list(const design_option *o, const design_setup *setup, void *out,
                           const char *const *texts, int n, dv_error *err) DV_MUST_CHECK;

/* Checks the values that came from defaults (a default "x target" may leave its range for some
 * targets: BOIN's p_tox = 1.4 target >= 1 when target >= 0.72). Call after every written value
 * was set; they were checked then. */
dv_status options_check_values(const design_option *opts, const design_setup *setup,
                               const void *out, dv_error *err) DV_MUST_CHECK;

/* The value of o in the options struct as text ("0.05", "true", "[0.1, 0.2, 0.3]", "not given"
 * for an option without a default that was not written); *is_default says whether it equals
 * the default. */
void options_value_text(const design_option *o, const design_setup *setup, const void *options,
                        char *buf, size_t len, bool *is_default);

/* Marks o as written (its set_at flag, if it has one). */
void options_mark_set(const design_option *o, void *out);

/* Whether the table is well formed: keys unique and non-empty, offsets inside options_size,
 * every default inside its own range. On failure fills err naming the key. */
dv_status options_check_table(const design_option *opts, size_t options_size,
                              const design_setup *setup, dv_error *err) DV_MUST_CHECK;

#endif
