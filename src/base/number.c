/* number.c — strict decimal numbers (see number.h). */
#include "number.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

static bool digit(char c) { return c >= '0' && c <= '9'; }

/* The length of a run of digits at s. */
static int digits(const char *s) {
  int n = 0;
  while (digit(s[n]))
    n++;
  return n;
}

number_status number_real(const char *text, double *out) {
  const char *p = text + (text[0] == '-' || text[0] == '+');
  int whole = digits(p), frac = 0;
  p += whole;
  if (*p == '.') {
    frac = digits(p + 1);
    p += 1 + frac;
  }
  if (whole + frac == 0)
    return NUMBER_NOT_DECIMAL;
  if (*p == 'e' || *p == 'E') {
    p += 1 + (p[1] == '-' || p[1] == '+');
    int e = digits(p);
    if (e == 0)
      return NUMBER_NOT_DECIMAL;
    p += e;
  }
  if (*p != '\0')
    return NUMBER_NOT_DECIMAL;
  errno = 0;
  double x = strtod(text, NULL);
  if (isinf(x))
    return NUMBER_OUT_OF_RANGE;
  *out = x;
  return NUMBER_OK;
}

number_status number_u64(const char *text, uint64_t *out) {
  int n = digits(text);
  if (n == 0 || text[n] != '\0')
    return NUMBER_NOT_DECIMAL;
  errno = 0;
  unsigned long long x = strtoull(text, NULL, 10);
  if (errno == ERANGE)
    return NUMBER_OUT_OF_RANGE;
  *out = (uint64_t)x;
  return NUMBER_OK;
}

number_status number_long(const char *text, long *out) {
  const char *p = text + (text[0] == '-');
  int n = digits(p);
  if (n == 0 || p[n] != '\0')
    return NUMBER_NOT_DECIMAL;
  errno = 0;
  long x = strtol(text, NULL, 10);
  if (errno == ERANGE)
    return NUMBER_OUT_OF_RANGE;
  *out = x;
  return NUMBER_OK;
}

const char *number_why(number_status st) {
  switch (st) {
  case NUMBER_OK:
    break;
  case NUMBER_NOT_DECIMAL:
    return " is not a decimal number";
  case NUMBER_OUT_OF_RANGE:
    return " is out of range";
  }
  return "";
}
