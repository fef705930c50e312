/* fuzz_outcomes.c — libFuzzer target for the outcome-string parser (src/study/outcomes.c): any bytes
 * (cut at the first NUL, as a command line is) must parse or be refused with a message, never
 * crash or read outside the string; what parses must make a state within the limits. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "outcomes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = malloc(size + 1);
  static outcomes o;
  if (text == NULL)
    return 0;
  memcpy(text, data, size);
  text[size] = '\0';
  int k = size > 0 ? 1 + data[0] % DESIGN_MAX_DOSES : 3;
  dv_error err = {0};
  if (outcomes_parse(text, k, &o, &err) == DV_OK) {
    design_state s;
    outcomes_state(&o, o.n_cohorts, true, &s);
    int total = 0;
    for (int d = 0; d < k; d++) {
      if (s.y[d] > s.n[d])
        __builtin_trap();
      total += s.n[d];
    }
    if (total > DESIGN_MAX_N || (o.n_cohorts > 0 && (s.cur < 1 || s.cur > k)))
      __builtin_trap();
  } else if (err.msg[0] == '\0' || err.code != DV_EUSAGE) {
    __builtin_trap();
  }
  free(text);
  return 0;
}
