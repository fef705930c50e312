/* outcomes.c — the outcome-string parser (see outcomes.h). */
#include "outcomes.h"

#include <stdio.h>
#include <string.h>

/* A byte as messages show it: printable ASCII as itself, anything else (a control byte, or a
 * byte of a UTF-8 sequence, which N and T never are) as \xHH, so a terminal shows what was typed
 * and nothing it would act on. Returns the width written. */
static int shown_byte(unsigned char b, char *buf, size_t len) {
  if (b >= 0x20 && b < 0x7F)
    return snprintf(buf, len, "%c", b);
  return snprintf(buf, len, "\\x%02x", b);
}

/* The message, then the string (escaped as shown_byte does) and a caret under character `at`
 * (0-based). */
static dv_status bad_at(dv_error *err, const char *text, size_t at, const char *what,
                        const char *allowed) {
  size_t len = strlen(text);
  if (at > 120)
    return error_set(err, DV_EUSAGE, "%s at character %zu; allowed: %s", what, at + 1, allowed);
  char line[4 * 120 + 1];
  size_t used = 0, col = 0;
  for (size_t i = 0; i < len && i < 120; i++) {
    if (i == at)
      col = used;
    used += (size_t)shown_byte((unsigned char)text[i], line + used, sizeof line - used);
  }
  if (at >= len || at >= 120)
    col = used;
  return error_set(err, DV_EUSAGE, "%s at character %zu; allowed: %s\n  %s\n  %*s^", what, at + 1,
                   allowed, line, (int)col, "");
}

/* "'X'": the byte at text[i] as shown_byte shows it, quoted. */
static void quoted_byte(const char *text, size_t i, char *buf, size_t len) {
  char b[8];
  shown_byte((unsigned char)text[i], b, sizeof b);
  snprintf(buf, len, "'%s'", b);
}

dv_status outcomes_parse(const char *text, int n_doses, outcomes *out, dv_error *err) {
  return outcomes_parse_pending(text, n_doses, 0.0, out, err);
}

/* P<days> at text[*i] (the P): the days, or an error pointing at the P. With kind 'T' (a DLT
 * whose onset day is written, T12) the days are optional and may reach W. */
static dv_status pending_days(const char *text, size_t *i, double window, double *days, char kind,
                              dv_error *err) {
  size_t at = *i, j = at + 1;
  char allowed[200], what[96];
  if (!(window > 0.0))
    return bad_at(err, text, at, "'P' (a pending patient)",
                  "N or T; a pending patient (P<days>) needs a DLT window (--dlt-window "
                  "DAYS, or study.dlt_window in the config)");
  double v = 0.0, scale = 1.0;
  size_t digits = 0;
  while (text[j] >= '0' && text[j] <= '9' && digits < 12) {
    v = 10.0 * v + (text[j++] - '0');
    digits++;
  }
  if (text[j] == '.' && digits > 0 && text[j + 1] >= '0' && text[j + 1] <= '9') {
    j++;
    while (text[j] >= '0' && text[j] <= '9' && digits < 12) {
      scale /= 10.0;
      v += scale * (text[j++] - '0');
      digits++;
    }
  }
  if (kind == 'T')
    snprintf(allowed, sizeof allowed,
             "T, or T and the DLT's onset day, from 0 to the DLT window %g (T12, T3.5)", window);
  else
    snprintf(allowed, sizeof allowed,
             "P and the days followed so far, from 0 up to the DLT window %g (P0, P21, P3.5); a "
             "patient followed the whole window without DLT is N",
             window);
  if (kind == 'T' && digits == 0) {
    *days = window;
    *i = j;
    return DV_OK;
  }
  if (digits == 0)
    return bad_at(err, text, at, "'P' without days", allowed);
  if (text[j] >= '0' && text[j] <= '9')
    return bad_at(err, text, at, "a number of more than 12 digits", allowed);
  if (kind == 'T' ? !(v <= window) : !(v < window)) {
    snprintf(what, sizeof what, "%c%.*s (%g days)", kind, (int)(j - at - 1), text + at + 1, v);
    return bad_at(err, text, at, what, allowed);
  }
  *days = v;
  *i = j;
  return DV_OK;
}

dv_status outcomes_parse_pending(const char *text, int n_doses, double window, outcomes *out,
                                 dv_error *err) {
  return outcomes_parse_responses(text, n_doses, window, false, out, err);
}

dv_status outcomes_parse_responses(const char *text, int n_doses, double window, bool responses,
                                   outcomes *out, dv_error *err) {
  memset(out, 0, sizeof *out);
  int total = 0, per_dose[DESIGN_MAX_DOSES] = {0};
  char what[96], allowed[160];
  size_t i = 0;
  for (;;) {
    while (text[i] == ' ')
      i++;
    if (text[i] == '\0')
      return DV_OK;
    size_t start = i;
    if (!(text[i] >= '0' && text[i] <= '9')) {
      quoted_byte(text, i, what, sizeof what);
      snprintf(allowed, sizeof allowed, "a dose number (1 to %d) to start a cohort", n_doses);
      return bad_at(err, text, i, what, allowed);
    }
    long dose = 0;
    while (text[i] >= '0' && text[i] <= '9' && dose <= DESIGN_MAX_DOSES)
      dose = 10 * dose + (text[i++] - '0');
    while (text[i] >= '0' && text[i] <= '9')
      i++;
    if (dose < 1 || dose > n_doses) {
      snprintf(what, sizeof what, "dose %.*s", (int)(i - start), text + start);
      snprintf(allowed, sizeof allowed, "a dose from 1 to %d (the study's doses)", n_doses);
      return bad_at(err, text, start, what, allowed);
    }
    outcome_cohort c = {.dose = (int)dose};
    while (text[i] == 'N' || text[i] == 'T' || text[i] == 'P' ||
           (responses && (text[i] == 'E' || text[i] == 'B'))) {
      outcome_patient p = {.dose = (uint8_t)dose, .kind = text[i]};
      if (text[i] == 'E' || text[i] == 'B') { /* a response, with a DLT for B */
        c.r++;
        c.y += text[i] == 'B';
        p.kind = text[i] == 'B' ? 'T' : 'N';
        p.days = window;
        i++;
      } else if (text[i] == 'P' || (text[i] == 'T' && window > 0.0)) {
        bool pend = text[i] == 'P';
        dv_status st = pending_days(text, &i, window, &p.days, text[i], err);
        if (st != DV_OK)
          return st;
        c.m += pend;
        c.y += !pend;
      } else {
        c.y += text[i] == 'T';
        i++;
      }
      c.n++;
      if (out->n_patients < DESIGN_MAX_N)
        out->patients[out->n_patients++] = p;
    }
    if (text[i] != '\0' && text[i] != ' ') {
      quoted_byte(text, i, what, sizeof what);
      if (responses)
        return bad_at(err, text, i, what,
                      window > 0.0 ? "E (response only), T (DLT only), B (both), N (neither) or "
                                     "P<days> (pending) for each patient of the cohort"
                                   : "E (response only), T (DLT only), B (both) or N (neither) "
                                     "for each patient of the cohort");
      if (text[i] == 'E' || text[i] == 'B')
        return bad_at(err, text, i, what,
                      "N (no DLT) or T (DLT) for each patient of the cohort; E and B (responses) "
                      "only for a design that reads responses");
      return bad_at(err, text, i, what,
                    window > 0.0 ? "N (no DLT), T (DLT) or P<days> (pending) for each patient "
                                   "of the cohort"
                                 : "N (no DLT) or T (DLT) for each patient of the cohort");
    }
    if (c.n == 0) {
      snprintf(what, sizeof what, "a cohort with no patients (dose %ld)", dose);
      return bad_at(err, text, start, what, "the dose followed by N or T for each patient");
    }
    total += c.n;
    per_dose[dose - 1] += c.n;
    if (total > DESIGN_MAX_N)
      return bad_at(err, text, start, "more than 255 patients", "at most 255 patients in a trial");
    out->n_pending += c.m;
    out->cohorts[out->n_cohorts++] = c;
  }
}

void outcomes_cohort_text(int dose, int n, int y, int r, char *buf, size_t len) {
  int b = y + r > n ? y + r - n : 0;
  const int count[4] = {b, y - b, r - b, n - y - r + b};
  const char letter[4] = {'B', 'T', 'E', 'N'};
  int used = snprintf(buf, len, "%d", dose);
  for (int i = 0; i < 4; i++)
    for (int j = 0; j < count[i] && used >= 0 && (size_t)used + 1 < len; j++) {
      buf[used++] = letter[i];
      buf[used] = '\0';
    }
}

void outcomes_state(const outcomes *o, int upto, bool last_cohort, design_state *s) {
  memset(s, 0, sizeof *s);
  for (int k = 0; k < upto && k < o->n_cohorts; k++) {
    const outcome_cohort *c = &o->cohorts[k];
    state_add_cohort(s, c->dose, c->n - c->m, c->y, last_cohort);
    state_add_responses(s, c->dose, c->r);
  }
}

void outcomes_view(const outcomes *o, double window, int cohort_size, int max_n, pending_view *v) {
  pending_view_init(v, window, cohort_size, max_n);
  for (int i = 0; i < o->n_patients; i++) {
    const outcome_patient *p = &o->patients[i];
    /* a DLT's onset day is what T<days> wrote, W when not written (only TITE-CRM's adaptive
     * weights read it) */
    double days = p->kind == 'N' ? window : p->days;
    pending_view_add(v, p->dose, p->kind == 'T', days);
  }
}
