/* atomic_file.h — write a result under a temporary name and rename it into place, so a killed
 * run never leaves a half-written file (SPEC section 9). */
#ifndef DOSEVAL_ATOMIC_FILE_H
#define DOSEVAL_ATOMIC_FILE_H

#include <stdio.h>

#include "error.h"

typedef struct {
  FILE *fp;
  char path[4096];
  char tmp[4096];
} atomic_file;

/* Opens DIR/NAME.tmp.PID for writing. */
dv_status atomic_open(atomic_file *f, const char *dir, const char *name,
                      dv_error *err) DV_MUST_CHECK;
/* Flushes, fsyncs and renames onto the final name; on any error removes the temporary. */
dv_status atomic_commit(atomic_file *f, dv_error *err) DV_MUST_CHECK;
/* Removes the temporary (after a failure while writing). */
void atomic_abort(atomic_file *f);

/* Creates a directory and its parents (mkdir -p). */
dv_status atomic_mkdirs(const char *dir, dv_error *err) DV_MUST_CHECK;

/* Creates DIR (mkdir -p) and checks that a file can be written in it, before any work is done;
 * DV_EIO naming DIR (not a temporary) otherwise. */
dv_status atomic_writable(const char *dir, dv_error *err) DV_MUST_CHECK;

#endif
