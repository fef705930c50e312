/* atomic_file.h — write a result under a temporary name and rename it into place, so a killed
 * run never leaves a half-written file (SPEC section 9). */
#ifndef DOSEVAL_ATOMIC_FILE_H
#define DOSEVAL_ATOMIC_FILE_H

#include <stdbool.h>
#include <stdio.h>

#include "error.h"

typedef struct {
  FILE *fp;
  char path[4096];
  char tmp[4096];
} atomic_file;

/* Opens DIR/.NAME.tmp.PID for writing, creating DIR (mkdir -p) if it is not there. */
dv_status atomic_open(atomic_file *f, const char *dir, const char *name,
                      dv_error *err) DV_MUST_CHECK;
/* Flushes, fsyncs and renames onto the final name; on any error removes the temporary. */
dv_status atomic_commit(atomic_file *f, dv_error *err) DV_MUST_CHECK;
/* Removes the temporary (after a failure while writing). */
void atomic_abort(atomic_file *f);

/* Creates a directory and its parents (mkdir -p). */
dv_status atomic_mkdirs(const char *dir, dv_error *err) DV_MUST_CHECK;

/* Checks, before any work is done, that DIR can be created (mkdir -p) and a file written in it;
 * DV_EIO naming DIR (not a temporary) otherwise. The folders it made for the check are removed
 * again: a command that fails later leaves no empty folder (they are made when the first file
 * is written). */
dv_status atomic_writable(const char *dir, dv_error *err) DV_MUST_CHECK;

/* A result set (oc.csv, summary.json, ...) that appears whole or not at all: its files are
 * written into a staging folder beside DIR (.NAME.new.PID) and the folder is renamed into
 * place. If DIR already holds a set (only doseval's own file names, or nothing), it is first
 * renamed to .NAME.old.PID and removed after the swap: a kill between the two renames leaves DIR
 * absent and the old set in .NAME.old.PID, never a mix. If DIR holds other files, the set's
 * files are renamed in one by one (documented as the one case that is not atomic). Staging
 * folders of killed runs (their PID gone) are removed by the next set written beside them. */
typedef struct {
  char dir[4096];
  char stage[4400];
  char old[4400];
  bool beside; /* stage is a sibling of dir (false: inside it, for "/" or "." and the like) */
  char made_from[4096], made[4096]; /* folders made for the stage: made_from up to made ("": none),
                                       removed again by atomic_set_abort */
} atomic_set;

/* Creates the staging folder (and DIR's parents); write the set's files into s->stage. */
dv_status atomic_set_begin(atomic_set *s, const char *dir, dv_error *err) DV_MUST_CHECK;
/* The same with the staging folder named .NAME.TAG.PID (a run stages its result set and, at the
 * same time, the first checkpoint that replaces what DIR held: "new" and "ckpt"). */
dv_status atomic_set_begin_as(atomic_set *s, const char *dir, const char *tag,
                              dv_error *err) DV_MUST_CHECK;
/* Moves the staged files into DIR (names: NULL-terminated, every file name a set may have; a
 * stage may hold only some of them, as a checkpoint holds counters.dvc alone). When DIR holds
 * other files, the set's names the stage lacks are first removed from DIR, then the staged ones
 * renamed in one by one, so DIR never holds files of two sets. */
dv_status atomic_set_commit(atomic_set *s, const char *const *names, dv_error *err) DV_MUST_CHECK;
/* Removes the staging folder and what is in it, and the folders made for it (after a failure). */
void atomic_set_abort(atomic_set *s);

#endif
