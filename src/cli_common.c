/* cli_common.c — helpers shared by the subcommands (see cli_common.h). */
#include "cli_common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic_file.h"

int cli_fail(const char *cmd, const dv_error *err) {
  fprintf(stderr, "doseval %s: %s\n", cmd, err->msg[0] ? err->msg : "failed");
  return error_exit_code(err->code);
}

void cli_default_out(const char *config_path, char *buf, size_t len) {
  const char *base = strrchr(config_path, '/');
  base = base ? base + 1 : config_path;
  size_t stem = strcspn(base, ".");
  snprintf(buf, len, "results/%.*s", (int)stem, base);
}

dv_status cli_parse_u64(const char *opt, const char *text, uint64_t *out, dv_error *err) {
  char *end;
  errno = 0;
  unsigned long long v = strtoull(text, &end, 10);
  if (text[0] == '\0' || text[0] == '-' || *end != '\0' || errno != 0)
    return error_set(err, DV_EUSAGE, "%s: '%s'; allowed: a whole number >= 0", opt, text);
  *out = (uint64_t)v;
  return DV_OK;
}

dv_status cli_write_results(const write_input *in, const char *dir, dv_error *err) {
  dv_status st = atomic_mkdirs(dir, err);
  if (st == DV_OK)
    st = write_csv(in, dir, err);
  if (st == DV_OK)
    st = write_json(in, dir, err);
  return st;
}
