/* test_number.c — the strict decimal reader (src/base/number.c): what people write is read as
 * strtod / strtoul read it, and what they would not mean (padding, a sign on a count, a wrapping
 * '-', hexadecimal, words) is refused (issue 27, item 9). */
#include <criterion/criterion.h>
#include <float.h>
#include <math.h>

#include "number.h"

Test(number, reads_decimal_reals) {
  static const struct {
    const char *text;
    double want;
  } ok[] = {{"0.25", 0.25}, {"-1.5", -1.5}, {"+2", 2.0},      {"1e3", 1000.0}, {"1.0e7", 1.0e7},
            {".5", 0.5},    {"5.", 5.0},    {"2E-2", 0.02},   {"0", 0.0},      {"1e-400", 0.0},
            {"007", 7.0},   {"-0", -0.0},   {"1.25e+1", 12.5}};
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
    double x = NAN;
    cr_expect_eq(number_real(ok[i].text, &x), NUMBER_OK, "'%s' refused", ok[i].text);
    cr_expect_eq(x, ok[i].want, "'%s' read as %g", ok[i].text, x);
  }
}

Test(number, refuses_reals_not_written_in_decimal) {
  static const char *const bad[] = {
      "",  " 0.5", "0.5 ", "0x1p-2", "0X10", "inf", "-inf", "nan",   "1e",  "1e+",      ".",    "-",
      "+", "1..2", "1,5",  "e5",     "--1",  "+-1", "1e5x", "0.5\n", "\t1", "infinity", "1_000"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    double x = 42;
    cr_expect_eq(number_real(bad[i], &x), NUMBER_NOT_DECIMAL, "'%s' read", bad[i]);
    cr_expect_eq(x, 42, "'%s' wrote a value", bad[i]);
  }
  double x = 42;
  cr_expect_eq(number_real("1e400", &x), NUMBER_OUT_OF_RANGE);
  cr_expect_eq(number_real("-1e400", &x), NUMBER_OUT_OF_RANGE);
  cr_expect_eq(x, 42);
  cr_expect_eq(number_real("1.7976931348623157e308", &x), NUMBER_OK);
  cr_expect_eq(x, DBL_MAX);
}

Test(number, reads_whole_numbers_strictly) {
  uint64_t u = 7;
  cr_expect_eq(number_u64("18446744073709551615", &u), NUMBER_OK);
  cr_expect_eq(u, UINT64_MAX);
  cr_expect_eq(number_u64("0", &u), NUMBER_OK);
  cr_expect_eq(u, 0);
  cr_expect_eq(number_u64("18446744073709551616", &u), NUMBER_OUT_OF_RANGE);
  static const char *const bad_u[] = {"",    " 1",   "1 ",  "+1",  "-5",
                                      " -5", "0x10", "1.0", "1e3", "one"};
  for (size_t i = 0; i < sizeof bad_u / sizeof bad_u[0]; i++) {
    u = 7;
    cr_expect_eq(number_u64(bad_u[i], &u), NUMBER_NOT_DECIMAL, "'%s' read", bad_u[i]);
    cr_expect_eq(u, 7, "'%s' wrote a value", bad_u[i]);
  }
  long l = 7;
  cr_expect_eq(number_long("-12", &l), NUMBER_OK);
  cr_expect_eq(l, -12);
  cr_expect_eq(number_long("9223372036854775808", &l), NUMBER_OUT_OF_RANGE);
  static const char *const bad_l[] = {"", " 1", "+1", "--1", "- 1", "0x10", "1.0", "1e3"};
  for (size_t i = 0; i < sizeof bad_l / sizeof bad_l[0]; i++)
    cr_expect_eq(number_long(bad_l[i], &l), NUMBER_NOT_DECIMAL, "'%s' read", bad_l[i]);
  cr_expect_str_eq(number_why(NUMBER_OUT_OF_RANGE), " is out of range");
}
