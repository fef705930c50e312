/* fuzz_counters.c — libFuzzer target for the counter-file reader. counter_file_read takes a
 * path, so each input is written to a file in /dev/shm (memory, not the disk) and read back
 * twice: as it is (the checksum line's own checks), and with its last line replaced by the
 * right "checksum HEX" line, so that mutations get past the (last part's) checksum into the
 * parser. A file that reads is then asked for its embedded config (counter_file_config), as merge
 * and --resume do, and its parts are added up (counter_file_sum) when its counter total is one a
 * config could have (merge and --resume check that first). */
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checkpoint.h"
#include "config.h"
#include "hash.h"

static char path[64];

static void read_one(void) {
  counter_file f;
  dv_error err = {0};
  if (counter_file_read(path, &f, &err) != DV_OK) {
    if (err.msg[0] == '\0')
      __builtin_trap(); /* a refusal must say why */
    return;
  }
  config *cfg = NULL;
  dv_error cerr = {0};
  if (counter_file_config(&f, path, &cfg, &cerr) == DV_OK)
    config_free(cfg);
  dv_error serr = {0};
  if (f.n_counts <= (size_t)1 << 20 && counter_file_sum(&f, path, &serr) != DV_OK &&
      serr.msg[0] == '\0')
    __builtin_trap();
  counter_file_free(&f);
}

static int write_file(const uint8_t *a, size_t na, const char *b, size_t nb) {
  FILE *fp = fopen(path, "wb");
  if (fp == NULL)
    return -1;
  int ok = fwrite(a, 1, na, fp) == na && fwrite(b, 1, nb, fp) == nb;
  return fclose(fp) == 0 && ok ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (path[0] == '\0')
    snprintf(path, sizeof path, "/dev/shm/doseval-fuzz-%ld.dvc", (long)getpid());
  if (write_file(data, size, "", 0) != 0)
    __builtin_trap(); /* /dev/shm full or missing: a broken run, not a finding */
  read_one();
  /* the body: everything before a final line that starts "checksum " */
  size_t body = size;
  size_t end = size > 0 && data[size - 1] == '\n' ? size - 1 : size;
  size_t start = end;
  while (start > 0 && data[start - 1] != '\n')
    start--;
  if (end - start >= 9 && memcmp(data + start, "checksum ", 9) == 0)
    body = start;
  char line[40];
  int n = snprintf(line, sizeof line, "checksum %016" PRIx64 "\n", hash_fnv1a64(data, body));
  if (write_file(data, body, line, (size_t)n) != 0)
    __builtin_trap();
  read_one();
  unlink(path);
  return 0;
}
