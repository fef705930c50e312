/* explain.c — the trial log's reasoning (see explain.h). */
#include "explain.h"

#include <stdio.h>
#include <string.h>

void explain_action(design_action a, const char *selects, char *buf, size_t len) {
  if (!a.stop)
    snprintf(buf, len, "treat at dose %d", a.dose);
  else if (a.dose > 0)
    snprintf(buf, len, "stop with %s %d", selects, a.dose);
  else
    snprintf(buf, len, "stop with no %s", selects);
}

/* A count-based design: the counts at the current dose against its table. */
static void from_table(const policy *p, const design_state *s, design_action a, char *buf,
                       size_t len) {
  int d = s->cur;
  if (d == 0) {
    snprintf(buf, len, "no cohort yet: the first is treated at the start dose %d",
             p->setup.start_dose);
    return;
  }
  int n = s->n[d - 1], y = s->y[d - 1];
  design_table_row row;
  p->type->table_row(p->params, n, &row);
  char act[48], e[16], de[16], el[16];
  explain_action(a, design_selects(p->type), act, sizeof act);
  snprintf(e, sizeof e, row.escalate < 0 ? "never" : "<= %d", row.escalate);
  snprintf(de, sizeof de, row.deescalate > n ? "never" : ">= %d", row.deescalate);
  snprintf(el, sizeof el, row.eliminate > n ? "never" : ">= %d", row.eliminate);
  snprintf(buf, len,
           "%d DLT%s in %d patient%s at dose %d; with %d patients: escalate if DLTs %s, "
           "de-escalate if %s, eliminate if %s: %s",
           y, y == 1 ? "" : "s", n, n == 1 ? "" : "s", d, n, e, de, el, act);
}

void explain_decision(const policy *p, const design_state *s, const policy_trace *t, char *buf,
                      size_t len) {
  size_t used = 0;
  if (p->type->explain != NULL)
    p->type->explain(p->params, s, buf, len);
  else if (p->type->table_row != NULL)
    from_table(p, s, t->proposal, buf, len);
  else
    explain_action(t->proposal, design_selects(p->type), buf, len);
  used = strlen(buf);
  if (t->proposal.stop && used < len)
    used += (size_t)snprintf(buf + used, len - used, " (%s)", p->reasons[t->proposal.reason]);
  for (int i = 0; i < t->n_changes && used < len; i++) {
    char before[48], after[48];
    explain_action(t->changes[i].before, design_selects(p->type), before, sizeof before);
    explain_action(t->changes[i].after, design_selects(p->type), after, sizeof after);
    int r = t->changes[i].rule;
    const char *name = r < 0 ? "max_n" : p->rules[r].reason;
    used +=
        (size_t)snprintf(buf + used, len - used, "; then %s: %s becomes %s", name, before, after);
    if (r < 0 && used < len)
      used += (size_t)snprintf(buf + used, len - used,
                               " (%d patients treated, cohorts of %d, "
                               "max_n %d)",
                               design_total_n(s, p->setup.n_doses), p->setup.cohort_size,
                               p->setup.max_n);
  }
}
