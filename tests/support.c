/* support.c — replay of hand-worked trials for the design tests (see support.h). */
#define _POSIX_C_SOURCE 200809L /* strtok_r */
#include "support.h"

#include "options.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

void support_apply(const design_type *type, design_state *s, int d, int c, int y) {
  (void)type; /* a design that does not read last_y ignores it */
  s->n[d - 1] += (uint8_t)c;
  s->y[d - 1] += (uint8_t)y;
  s->cur = (uint8_t)d;
  s->last_y = (uint8_t)y;
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

static int replay(decide_fn decide, const void *ctx, bool last_cohort, const char *outcomes,
                  design_state *s, design_action *next, char *why, size_t why_len) {
  memset(s, 0, sizeof *s);
  *next = design_stop(0, 0);
  const char *p = outcomes;
  int cohort = 0;
  for (;;) {
    while (*p == ' ')
      p++;
    if (*p == '\0')
      break;
    int d = 0;
    while (isdigit((unsigned char)*p))
      d = 10 * d + (*p++ - '0');
    int c = 0, y = 0;
    while (*p == 'N' || *p == 'T') {
      y += (*p == 'T');
      c++;
      p++;
    }
    cohort++;
    design_action a = decide(ctx, s);
    if (a.stop || a.dose != d) {
      snprintf(why, why_len, "before cohort %d (%d): design says %s %d", cohort, d,
               a.stop ? "stop with MTD" : "treat at", a.dose);
      return 0;
    }
    s->n[d - 1] += (uint8_t)c;
    s->y[d - 1] += (uint8_t)y;
    s->cur = (uint8_t)d;
    s->last_y = last_cohort ? (uint8_t)y : 0;
  }
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
