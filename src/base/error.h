/* error.h — status codes and the error object that library code fills instead of printing. */
#ifndef DOSEVAL_ERROR_H
#define DOSEVAL_ERROR_H

#include <stddef.h>

#define DV_MUST_CHECK __attribute__((warn_unused_result))

/* What went wrong, coarse enough for main to pick an exit status (SPEC section 4):
 * DV_EUSAGE and DV_ECONFIG exit 2, everything else non-zero exits 1. */
typedef enum {
  DV_OK = 0,
  DV_EUSAGE,  /* bad command line */
  DV_ECONFIG, /* bad config file or design parameters */
  DV_ENOMEM,  /* an allocation failed */
  DV_ETOOBIG, /* a problem exceeds a documented bound (e.g. the exact state space) */
  DV_EIO,     /* a file could not be read or written */
  DV_ERUN     /* any other failure while running */
} dv_status;

/* The first error wins: later calls to error_set on a filled error keep the first message,
 * because the first failure is the cause and the rest are its consequences. */
typedef struct {
  dv_status code;
  char msg[1024];
} dv_error;

/* Fills err (if its code is still DV_OK) with code and a printf-style message; returns code. */
dv_status error_set(dv_error *err, dv_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A text the user gave (an argument, a name) as a message shows it: printable ASCII as it is, any
 * other byte (a control byte, each byte of a UTF-8 sequence) as \xHH, so a terminal shows what
 * was typed and nothing it would act on; cut with "..." after about 120 bytes. Returns buf. */
const char *error_shown(const char *text, char *buf, size_t len);

/* Exit status for a status: 0 success, 2 usage/config, 1 anything else. */
int error_exit_code(dv_status code);

#endif
