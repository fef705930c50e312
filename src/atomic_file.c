/* atomic_file.c — temporary file + fsync + rename (see atomic_file.h). */
#include "atomic_file.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

dv_status atomic_open(atomic_file *f, const char *dir, const char *name, dv_error *err) {
  int a = snprintf(f->path, sizeof f->path, "%s/%s", dir, name);
  int b = snprintf(f->tmp, sizeof f->tmp, "%s/.%s.tmp.%ld", dir, name, (long)getpid());
  if (a < 0 || b < 0 || (size_t)a >= sizeof f->path || (size_t)b >= sizeof f->tmp)
    return error_set(err, DV_EIO, "%s: path too long", dir);
  f->fp = fopen(f->tmp, "w");
  if (f->fp == NULL)
    return error_set(err, DV_EIO, "%s: cannot write: %s", f->tmp, strerror(errno));
  return DV_OK;
}

dv_status atomic_commit(atomic_file *f, dv_error *err) {
  int bad = ferror(f->fp) || fflush(f->fp) != 0 || fsync(fileno(f->fp)) != 0;
  int e = errno;
  if (fclose(f->fp) != 0 && !bad) {
    bad = 1;
    e = errno;
  }
  f->fp = NULL;
  if (bad) {
    remove(f->tmp);
    return error_set(err, DV_EIO, "%s: write failed: %s", f->path, strerror(e));
  }
  if (rename(f->tmp, f->path) != 0) {
    e = errno;
    remove(f->tmp);
    return error_set(err, DV_EIO, "%s: cannot rename into place: %s", f->path, strerror(e));
  }
  return DV_OK;
}

void atomic_abort(atomic_file *f) {
  if (f->fp != NULL)
    fclose(f->fp);
  f->fp = NULL;
  remove(f->tmp);
}

dv_status atomic_mkdirs(const char *dir, dv_error *err) {
  char buf[4096];
  int n = snprintf(buf, sizeof buf, "%s", dir);
  if (n < 0 || (size_t)n >= sizeof buf)
    return error_set(err, DV_EIO, "%s: path too long", dir);
  for (char *p = buf + 1; *p; p++) {
    if (*p != '/')
      continue;
    *p = '\0';
    if (mkdir(buf, 0777) != 0 && errno != EEXIST)
      return error_set(err, DV_EIO, "%s: cannot create: %s", buf, strerror(errno));
    *p = '/';
  }
  if (mkdir(buf, 0777) != 0 && errno != EEXIST)
    return error_set(err, DV_EIO, "%s: cannot create: %s", buf, strerror(errno));
  return DV_OK;
}

dv_status atomic_writable(const char *dir, dv_error *err) {
  dv_status st = atomic_mkdirs(dir, err);
  if (st != DV_OK)
    return st;
  char probe[4200];
  snprintf(probe, sizeof probe, "%s/.doseval-probe.%ld", dir, (long)getpid());
  FILE *fp = fopen(probe, "w");
  if (fp == NULL)
    return error_set(err, DV_EIO, "%s: cannot write results there: %s", dir, strerror(errno));
  fclose(fp);
  remove(probe);
  return DV_OK;
}
