/* fuzz_config.c — libFuzzer target for the config loader: any bytes go through
 * config_load_text (the YAML pass, libcyaml's schema, every check), which must return a status
 * and never crash, leak or read outside the input; a config that loads is freed again. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  /* An exact-size heap copy: any read past `size` is an overflow ASan reports. */
  char *text = malloc(size ? size : 1);
  if (text == NULL)
    return 0;
  memcpy(text, data, size);
  config *cfg = NULL;
  dv_error err = {0};
  dv_status st = config_load_text("fuzz.yaml", text, size, &cfg, &err);
  if (st == DV_OK) {
    (void)config_patients_per_trial(cfg);
    config_free(cfg);
  } else if (cfg != NULL || err.msg[0] == '\0') {
    __builtin_trap(); /* the contract: on error *out is NULL and the error says why */
  }
  free(text);
  return 0;
}
