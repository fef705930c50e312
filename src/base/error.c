/* error.c — the error object: first error wins, formatted once. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>

dv_status error_set(dv_error *err, dv_status code, const char *fmt, ...) {
  if (err == NULL || err->code != DV_OK)
    return code;
  err->code = code;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err->msg, sizeof err->msg, fmt, ap);
  va_end(ap);
  return code;
}

int error_exit_code(dv_status code) {
  switch (code) {
  case DV_OK:
    return 0;
  case DV_EUSAGE:
  case DV_ECONFIG:
    return 2;
  default:
    return 1;
  }
}
