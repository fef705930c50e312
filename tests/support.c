/* support.c — replay of hand-worked trials for the design tests (see support.h). */
#define _POSIX_C_SOURCE 200809L /* strtok_r */
#include "support.h"

#include <criterion/criterion.h>

#include "options.h"
#include "outcomes.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

void support_apply(const design_type *type, design_state *s, int d, int c, int y) {
  (void)type; /* a design that does not read last_y ignores it */
  state_add_cohort(s, d, c, y, true);
}

dv_status support_configure(const design_type *type, const design_setup *setup, const char *options,
                            void *params, dv_error *err) {
  unsigned char opts[4096];
  if (type->options_size > sizeof opts)
    return error_set(err, DV_ERUN, "support_configure: options struct too large");
  options_defaults(type->options, type->options_size, setup, opts);
  char buf[1024];
  snprintf(buf, sizeof buf, "%s", options);
  for (char *save = NULL, *tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
    char *eq = strchr(tok, '=');
    if (eq == NULL)
      return error_set(err, DV_ERUN, "support_configure: '%s' is not key=value", tok);
    *eq = '\0';
    const design_option *o = options_find(type->options, tok);
    if (o == NULL)
      return error_set(err, DV_ECONFIG, "%s: unknown key", tok);
    dv_status st;
    if (o->kind == DESIGN_OPT_REALS) {
      const char *texts[DESIGN_MAX_DOSES + 1];
      int n = 0;
      for (char *s2 = NULL, *v = strtok_r(eq + 1, ",", &s2); v && n <= DESIGN_MAX_DOSES;
           v = strtok_r(NULL, ",", &s2))
        texts[n++] = v;
      st = options_set_list(o, setup, opts, texts, n, err);
    } else {
      st = options_set(o, setup, opts, eq + 1, err);
    }
    if (st != DV_OK)
      return st;
  }
  dv_status st = options_check_values(type->options, setup, opts, err);
  return st != DV_OK ? st : type->configure(params, setup, opts, err);
}

/* The replay of support_replay and support_replay_policy: `decide` answers for ctx. */
typedef design_action (*decide_fn)(const void *ctx, const design_state *s);

static int replay(decide_fn decide, const void *ctx, bool last_cohort, const char *outcomes_text,
                  design_state *s, design_action *next, char *why, size_t why_len) {
  static _Thread_local outcomes o; /* large; tests are single-threaded per process */
  dv_error err = {0};
  *next = design_stop(0, 0);
  memset(s, 0, sizeof *s);
  if (outcomes_parse(outcomes_text, DESIGN_MAX_DOSES, &o, &err) != DV_OK) {
    snprintf(why, why_len, "bad outcomes: %s", err.msg);
    return 0;
  }
  for (int k = 0; k < o.n_cohorts; k++) {
    outcomes_state(&o, k, last_cohort, s);
    design_action a = decide(ctx, s);
    if (a.stop || a.dose != o.cohorts[k].dose) {
      snprintf(why, why_len, "before cohort %d (%d): design says %s %d", k + 1, o.cohorts[k].dose,
               a.stop ? "stop with MTD" : "treat at", a.dose);
      return 0;
    }
  }
  outcomes_state(&o, o.n_cohorts, last_cohort, s);
  *next = decide(ctx, s);
  return 1;
}

typedef struct {
  const design_type *type;
  const void *params;
} design_ctx;

static design_action design_decide(const void *ctx, const design_state *s) {
  const design_ctx *d = ctx;
  return d->type->decide(d->params, s);
}

static design_action wrapped_decide(const void *ctx, const design_state *s) {
  return policy_decide(ctx, s);
}

int support_replay(const design_type *type, const void *params, const char *outcomes,
                   design_state *s, design_action *next, char *why, size_t why_len) {
  design_ctx ctx = {type, params};
  return replay(design_decide, &ctx, true, outcomes, s, next, why, why_len);
}

int support_replay_policy(const policy *pol, const char *outcomes, design_state *s,
                          design_action *next, char *why, size_t why_len) {
  return replay(wrapped_decide, pol, pol->last_cohort, outcomes, s, next, why, why_len);
}

const void *support_configure_ok(const design_type *type, design_setup setup, const char *options,
                                 void *buf, size_t len) {
  cr_assert_leq(type->params_size, len);
  dv_error err = {0};
  dv_status st = support_configure(type, &setup, options, buf, &err);
  cr_assert_eq(st, DV_OK, "%s: configure failed: %s", type->name, err.msg);
  return buf;
}

void support_expect_replay(const design_type *type, const void *params, const char *outcomes,
                           int stop, int dose, design_state *s) {
  design_action next;
  char why[200] = "";
  int ok = support_replay(type, params, outcomes, s, &next, why, sizeof why);
  cr_assert(ok, "%s: %s", outcomes, why);
  cr_expect_eq(next.stop, stop, "%s: stop is %d, expected %d (dose %d)", outcomes, next.stop, stop,
               next.dose);
  cr_expect_eq(next.dose, dose, "%s: dose %d, expected %d", outcomes, next.dose, dose);
}

char support_decision(const design_type *type, const void *params, int n, int y) {
  design_table_row row;
  type->table_row(params, n, &row);
  return y >= row.eliminate ? 'U' : y >= row.deescalate ? 'D' : y <= row.escalate ? 'E' : 'S';
}
