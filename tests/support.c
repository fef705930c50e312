/* support.c — replay of hand-worked trials for the design tests (see support.h). */
#include "support.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

void support_apply(const design_type *type, design_state *s, int d, int c, int y) {
  s->n[d - 1] += (uint8_t)c;
  s->y[d - 1] += (uint8_t)y;
  s->cur = (uint8_t)d;
  s->last_y = type->uses_last_cohort ? (uint8_t)y : 0;
}

int support_replay(const design_type *type, const void *params, const char *outcomes,
                   design_state *s, design_action *next, char *why, size_t why_len) {
  memset(s, 0, sizeof *s);
  *next = design_stop(0);
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
    design_action a = type->decide(params, s);
    if (a.stop || a.dose != d) {
      snprintf(why, why_len, "before cohort %d (%d): design says %s %d", cohort, d,
               a.stop ? "stop with MTD" : "treat at", a.dose);
      return 0;
    }
    support_apply(type, s, d, c, y);
  }
  *next = type->decide(params, s);
  return 1;
}
