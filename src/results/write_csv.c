/* write_csv.c — oc.csv in tidy long form (SPEC section 9). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "atomic_file.h"
#include "write.h"

/* snprintf's "%.12f", trailing zeros trimmed: the reference the fast path must match. */
static void plain_slow(char *buf, size_t len, double v) {
  snprintf(buf, len, "%.12f", v);
  char *dot = strchr(buf, '.');
  if (dot != NULL) {
    char *end = buf + strlen(buf) - 1;
    while (end > dot && *end == '0')
      *end-- = '\0';
    if (end == dot)
      *end = '\0';
  }
  if (strcmp(buf, "-0") == 0)
    snprintf(buf, len, "0");
}

void write_plain(char *buf, size_t len, double v) {
  if (!isfinite(v)) {
    snprintf(buf, len, "NA");
    return;
  }
  /* Fast path: q = |v| 1e12 in double is within 2^-4 of the exact product while |v| < 256
   * (q < 2^48); when q's fraction is clearly away from one half, rounding it to an integer
   * gives the same 12 decimals as printf's exact conversion. Otherwise, printf. */
  double a = fabs(v), q = a * 1e12;
  double r = floor(q + 0.5), frac = q - floor(q);
  if (a >= 256 || len < 32 || fabs(frac - 0.5) < 0.125) {
    plain_slow(buf, len, v);
    return;
  }
  uint64_t n = (uint64_t)r, whole = n / 1000000000000u, part = n % 1000000000000u;
  char *p = buf;
  if (v < 0 && n != 0)
    *p++ = '-';
  p += snprintf(p, 8, "%u", (unsigned)whole);
  if (part != 0) {
    char digits[13];
    for (int i = 11; i >= 0; i--, part /= 10)
      digits[i] = (char)('0' + part % 10);
    int last = 11;
    while (digits[last] == '0')
      last--;
    *p++ = '.';
    memcpy(p, digits, (size_t)last + 1);
    p += last + 1;
  }
  *p = '\0';
}

/* RFC 4180: quote a field holding a comma, quote or newline. */
static void put_field(FILE *fp, const char *s) {
  if (strpbrk(s, ",\"\n\r") == NULL) {
    fputs(s, fp);
    return;
  }
  fputc('"', fp);
  for (; *s; s++) {
    if (*s == '"')
      fputc('"', fp);
    fputc(*s, fp);
  }
  fputc('"', fp);
}

void write_csv_header(FILE *fp) { fputs("scenario,design,metric,dose,value,mcse\n", fp); }

void write_csv_rows(FILE *fp, oc_rows *rows, size_t *line) {
  for (size_t i = 0; i < rows->n; i++) {
    oc_row *r = &rows->rows[i];
    char v[64], m[64];
    r->line = (*line)++;
    write_plain(v, sizeof v, r->has_value ? r->value : NAN);
    write_plain(m, sizeof m, r->has_value ? r->mcse : NAN);
    put_field(fp, rows->scenarios[r->scenario].name);
    fputc(',', fp);
    put_field(fp, rows->labels[r->column]);
    fprintf(fp, ",%s,", oc_catalogue[r->metric].key);
    char dose[64];
    put_field(fp, oc_row_dose_text(rows, r, dose, sizeof dose));
    fprintf(fp, ",%s,%s\n", v, m);
  }
}

void write_scenarios_header(FILE *fp) { fputs("scenario,dose,p_tox,true_mtd\n", fp); }

void write_scenarios_row(FILE *fp, int k, const config_scenario *sc) {
  for (int d = 1; d <= k; d++) {
    char p[64];
    write_plain(p, sizeof p, sc->p_tox[d - 1]);
    put_field(fp, sc->name);
    fprintf(fp, ",%d,%s,%d\n", d, p, sc->true_mtd);
  }
}
