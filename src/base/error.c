/* error.c — the error object: first error wins, formatted once. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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

const char *error_shown(const char *text, char *buf, size_t len) {
  size_t used = 0, i = 0;
  if (len == 0)
    return buf;
  buf[0] = '\0';
  for (; text[i] != '\0' && i < 120; i++) {
    unsigned char b = (unsigned char)text[i];
    char one[8];
    int w = b >= 0x20 && b < 0x7F ? snprintf(one, sizeof one, "%c", b)
                                  : snprintf(one, sizeof one, "\\x%02x", b);
    if (used + (size_t)w + 4 > len)
      break;
    memcpy(buf + used, one, (size_t)w + 1);
    used += (size_t)w;
  }
  if (text[i] != '\0' && used + 4 <= len)
    memcpy(buf + used, "...", 4);
  return buf;
}
