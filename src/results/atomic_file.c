/* atomic_file.c — temporary file + fsync + rename (see atomic_file.h). */
#include "atomic_file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* how often a mkdir undone by another shard is tried again (mkdirs_noting) */
#define MKDIRS_ATTEMPTS 1000

dv_status atomic_open(atomic_file *f, const char *dir, const char *name, dv_error *err) {
  int a = snprintf(f->path, sizeof f->path, "%s/%s", dir, name);
  int b = snprintf(f->tmp, sizeof f->tmp, "%s/.%s.tmp.%ld", dir, name, (long)getpid());
  if (a < 0 || b < 0 || (size_t)a >= sizeof f->path || (size_t)b >= sizeof f->tmp)
    return error_set(err, DV_EIO, "%s: path too long", dir);
  /* the folder is made when the first file goes into it (atomic_writable leaves none); another
   * shard's atomic_writable may remove it, empty, before our file is in it: then start again */
  f->fp = NULL;
  for (int attempt = 0; f->fp == NULL && attempt < MKDIRS_ATTEMPTS; attempt++) {
    dv_status st = atomic_mkdirs(dir, err);
    if (st != DV_OK)
      return st;
    f->fp = fopen(f->tmp, "w");
    if (f->fp == NULL && errno != ENOENT)
      break;
  }
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

/* mkdir -p; `made` (room for 4096 bytes, may be NULL) gets the outermost folder it created, ""
 * when DIR was there already. */
static dv_status mkdirs_noting(const char *dir, char *made, dv_error *err) {
  char buf[4096];
  if (made != NULL)
    made[0] = '\0';
  int n = snprintf(buf, sizeof buf, "%s", dir);
  if (n < 0 || (size_t)n >= sizeof buf)
    return error_set(err, DV_EIO, "%s: path too long", dir);
  /* Shards of one sweep start together and make their folders side by side in one new parent,
   * which atomic_writable of another may remove (empty) between our mkdir of the parent and of
   * the child: ENOENT then means "made and removed meanwhile", so start again from the top
   * (bounded: a missing parent that stays missing is still an error). */
  for (int attempt = 0;; attempt++) {
    bool again = false;
    for (char *p = buf + 1;; p++) {
      bool last = *p == '\0';
      if (!last && *p != '/')
        continue;
      *p = '\0';
      if (mkdir(buf, 0777) == 0) {
        if (made != NULL && made[0] == '\0')
          snprintf(made, 4096, "%s", buf);
      } else if (errno == ENOENT && attempt < MKDIRS_ATTEMPTS) {
        again = true;
      } else if (errno != EEXIST) {
        return error_set(err, DV_EIO, "%s: cannot create: %s", buf, strerror(errno));
      }
      if (last)
        break;
      *p = '/';
      if (again)
        break;
    }
    if (!again)
      return DV_OK;
    snprintf(buf, sizeof buf, "%s", dir);
  }
}

/* Removes the empty folders from DIR up to `made` (as mkdirs_noting filled it): what a command
 * created and then did not fill. */
static void unmake(const char *dir, const char *made) {
  if (made[0] == '\0')
    return;
  char buf[4096];
  snprintf(buf, sizeof buf, "%s", dir);
  size_t top = strlen(made); /* made is buf cut at one of its slashes, or buf */
  for (;;) {
    size_t n = strlen(buf);
    while (n > top && buf[n - 1] == '/') /* "out/", "a//b" */
      buf[--n] = '\0';
    if (rmdir(buf) != 0 || n <= top)
      return;
    char *slash = strrchr(buf, '/');
    if (slash == NULL)
      return;
    *slash = '\0';
  }
}

dv_status atomic_mkdirs(const char *dir, dv_error *err) { return mkdirs_noting(dir, NULL, err); }

dv_status atomic_writable(const char *dir, dv_error *err) {
  char made[4096];
  dv_status st = mkdirs_noting(dir, made, err);
  if (st != DV_OK) {
    unmake(dir, made);
    return st;
  }
  char probe[4200];
  snprintf(probe, sizeof probe, "%s/.doseval-probe.%ld", dir, (long)getpid());
  FILE *fp = fopen(probe, "w");
  if (fp == NULL) {
    int e = errno;
    unmake(dir, made);
    return error_set(err, DV_EIO, "%s: cannot write results there: %s", dir, strerror(e));
  }
  fclose(fp);
  remove(probe);
  /* checked, and left as it was: a command that fails later leaves no empty folder */
  unmake(dir, made);
  return DV_OK;
}

/* Removes a folder of plain files (one level: the sets and staging folders written here). */
static void remove_flat(const char *dir) {
  DIR *d = opendir(dir);
  if (d != NULL) {
    struct dirent *e;
    char path[4700];
    while ((e = readdir(d)) != NULL) {
      if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
        continue;
      snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
      remove(path);
    }
    closedir(d);
  }
  rmdir(dir);
}

static void sync_dir(const char *dir) {
  int fd = open(dir, O_RDONLY | O_DIRECTORY);
  if (fd >= 0) {
    fsync(fd);
    close(fd);
  }
}

/* .NAME.new.PID / .NAME.ckpt.PID / .NAME.old.PID of processes that are gone, beside `name` in
 * `parent`. */
static void remove_stale(const char *parent, const char *name) {
  DIR *d = opendir(parent);
  if (d == NULL)
    return;
  size_t n = strlen(name);
  struct dirent *e;
  char path[4700];
  while ((e = readdir(d)) != NULL) {
    const char *p = e->d_name, *tag = p + 1 + n;
    if (p[0] != '.' || strncmp(p + 1, name, n) != 0)
      continue;
    size_t t = strncmp(tag, ".new.", 5) == 0 || strncmp(tag, ".old.", 5) == 0 ? 5
               : strncmp(tag, ".ckpt.", 6) == 0                               ? 6
                                                                              : 0;
    if (t == 0)
      continue;
    char *end;
    long pid = strtol(tag + t, &end, 10);
    if (*end != '\0' || pid <= 0 || pid == (long)getpid() ||
        !(kill((pid_t)pid, 0) != 0 && errno == ESRCH))
      continue;
    snprintf(path, sizeof path, "%s/%s", parent, p);
    remove_flat(path);
  }
  closedir(d);
}

dv_status atomic_set_begin(atomic_set *s, const char *dir, dv_error *err) {
  return atomic_set_begin_as(s, dir, "new", err);
}

dv_status atomic_set_begin_as(atomic_set *s, const char *dir, const char *tag, dv_error *err) {
  memset(s, 0, sizeof *s);
  int n = snprintf(s->dir, sizeof s->dir, "%s", dir);
  if (n < 0 || (size_t)n >= sizeof s->dir)
    return error_set(err, DV_EIO, "%s: path too long", dir);
  while (n > 1 && s->dir[n - 1] == '/')
    s->dir[--n] = '\0';
  char parent[4096];
  snprintf(parent, sizeof parent, "%s", s->dir);
  char *slash = strrchr(parent, '/');
  const char *name = slash ? slash + 1 : parent;
  if (slash == parent)
    parent[1] = '\0';
  else if (slash)
    *slash = '\0';
  s->beside = name[0] != '\0' && strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
  char base[4096];
  snprintf(base, sizeof base, "%s", s->beside ? name : "");
  const char *par = slash ? parent : ".";
  if (s->beside) {
    snprintf(s->stage, sizeof s->stage, "%s/.%s.%s.%ld", par, base, tag, (long)getpid());
    snprintf(s->old, sizeof s->old, "%s/.%s.old.%ld", par, base, (long)getpid());
  } else {
    snprintf(s->stage, sizeof s->stage, "%s/.doseval.%s.%ld", s->dir, tag, (long)getpid());
  }
  /* The parent may be another shard's empty folder, removed by its atomic_writable between our
   * mkdirs and our mkdir of the stage (as in mkdirs_noting): ENOENT then means start again. */
  int made_stage = -1;
  for (int attempt = 0; made_stage != 0 && attempt < MKDIRS_ATTEMPTS; attempt++) {
    dv_status st = mkdirs_noting(s->beside ? par : s->dir, s->made, err);
    if (st != DV_OK)
      return st;
    snprintf(s->made_from, sizeof s->made_from, "%s", s->beside ? par : s->dir);
    if (s->beside)
      remove_stale(par, base);
    remove_flat(s->stage); /* a leftover of this very PID */
    made_stage = mkdir(s->stage, 0777);
    if (made_stage != 0 && errno != ENOENT)
      break;
  }
  if (made_stage != 0) {
    int e = errno;
    unmake(s->made_from, s->made);
    s->made[0] = '\0';
    return error_set(err, DV_EIO, "%s: cannot write results there: %s", s->dir, strerror(e));
  }
  return DV_OK;
}

/* Does DIR hold nothing but the set's names and dotfiles (doseval's own temporaries)? */
static bool holds_only(const char *dir, const char *const *names) {
  DIR *d = opendir(dir);
  if (d == NULL)
    return false;
  bool only = true;
  struct dirent *e;
  while (only && (e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.')
      continue;
    bool known = false;
    for (int i = 0; names[i] != NULL && !known; i++)
      known = strcmp(e->d_name, names[i]) == 0;
    only = known;
  }
  closedir(d);
  return only;
}

dv_status atomic_set_commit(atomic_set *s, const char *const *names, dv_error *err) {
  sync_dir(s->stage);
  struct stat sb;
  bool exists = stat(s->dir, &sb) == 0;
  if (s->beside && (!exists || (S_ISDIR(sb.st_mode) && holds_only(s->dir, names)))) {
    if (exists && rename(s->dir, s->old) != 0)
      return error_set(err, DV_EIO, "%s: cannot move the previous results aside: %s", s->dir,
                       strerror(errno));
    if (rename(s->stage, s->dir) != 0) {
      int e = errno;
      if (exists)
        rename(s->old, s->dir);
      return error_set(err, DV_EIO, "%s: cannot move the results into place: %s", s->dir,
                       strerror(e));
    }
    if (exists)
      remove_flat(s->old);
    return DV_OK;
  }
  /* DIR holds other files: first away with the files of the set there that this one lacks,
   * then the set's files one by one */
  char from[4700], to[4700];
  for (int i = 0; names[i] != NULL; i++) {
    snprintf(from, sizeof from, "%s/%s", s->stage, names[i]);
    snprintf(to, sizeof to, "%s/%s", s->dir, names[i]);
    if (access(from, F_OK) != 0 && remove(to) != 0 && errno != ENOENT)
      return error_set(err, DV_EIO, "%s: cannot remove the previous results: %s", to,
                       strerror(errno));
  }
  for (int i = 0; names[i] != NULL; i++) {
    snprintf(from, sizeof from, "%s/%s", s->stage, names[i]);
    snprintf(to, sizeof to, "%s/%s", s->dir, names[i]);
    if (access(from, F_OK) == 0 && rename(from, to) != 0)
      return error_set(err, DV_EIO, "%s: cannot rename into place: %s", to, strerror(errno));
  }
  remove_flat(s->stage);
  sync_dir(s->dir);
  return DV_OK;
}

void atomic_set_abort(atomic_set *s) {
  if (s->stage[0] != '\0')
    remove_flat(s->stage);
  if (s->made[0] != '\0') /* the folders made for the stage, empty now */
    unmake(s->made_from, s->made);
  s->stage[0] = s->made[0] = '\0';
}
