/* number.h — numbers as people write them in decimal, read strictly: the one reader behind every
 * number on the command line and in a config. strtod and strtoul alone also take leading
 * spaces, a '+' on a count, a '-' that wraps an unsigned value ("-5" as 2^64 - 5), hexadecimal
 * ("0x10", "0x1p-2") and words ("inf", "nan"); a value written so is refused here instead of
 * being read as something the user did not mean. */
#ifndef DOSEVAL_NUMBER_H
#define DOSEVAL_NUMBER_H

#include <stdint.h>

typedef enum {
  NUMBER_OK,
  NUMBER_NOT_DECIMAL, /* not of the form below (empty, padded, hex, a word, a stray sign) */
  NUMBER_OUT_OF_RANGE /* of the form, but beyond the type (a real past DBL_MAX) */
} number_status;

/* A real: [+-] then digits with an optional '.' (or '.' and digits), then an optional exponent
 * e[+-]digits; nothing before or after. A value too small for a double reads as 0 or a
 * subnormal, as strtod reads it. */
number_status number_real(const char *text, double *out);

/* A whole number >= 0: decimal digits only (no sign, no spaces). */
number_status number_u64(const char *text, uint64_t *out);

/* A whole number: an optional '-', then decimal digits only. */
number_status number_long(const char *text, long *out);

/* What a status means, for messages after the quoted value: "" (OK), " is not a decimal number",
 * " is out of range". */
const char *number_why(number_status st);

#endif
