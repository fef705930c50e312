/* write_csv.c — oc.csv in tidy long form (SPEC section 9). */
#include <math.h>
#include <string.h>

#include "atomic_file.h"
#include "write.h"

void write_plain(char *buf, size_t len, double v) {
  if (!isfinite(v)) {
    snprintf(buf, len, "NA");
    return;
  }
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

dv_status write_csv(const write_input *in, const char *dir, dv_error *err) {
  atomic_file f;
  dv_status st = atomic_open(&f, dir, "oc.csv", err);
  if (st != DV_OK)
    return st;
  fputs("scenario,design,metric,dose,value,mcse\n", f.fp);
  for (size_t i = 0; i < in->rows->n; i++) {
    const oc_row *r = &in->rows->rows[i];
    char v[64], m[64];
    write_plain(v, sizeof v, r->has_value ? r->value : NAN);
    write_plain(m, sizeof m, r->has_value ? r->mcse : NAN);
    put_field(f.fp, in->cfg->scenarios[r->scenario].name);
    fputc(',', f.fp);
    put_field(f.fp, in->rows->labels[r->column]);
    fprintf(f.fp, ",%s,", oc_catalogue[r->metric].key);
    if (r->dose >= 0)
      fprintf(f.fp, "%d", r->dose);
    fprintf(f.fp, ",%s,%s\n", v, m);
  }
  return atomic_commit(&f, err);
}
