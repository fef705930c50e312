/* par.h — everything the program needs from MPI, behind plain C (the only module that includes
 * mpi.h). Without mpirun the program is a singleton: one rank. */
#ifndef DOSEVAL_PAR_H
#define DOSEVAL_PAR_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

dv_status par_init(int *argc, char ***argv, dv_error *err) DV_MUST_CHECK;
void par_finalize(void);
int par_rank(void);
int par_size(void);

/* Sums in over all ranks into rank 0's out (integers: the total is order-independent; in is left
 * as it is; out may be NULL elsewhere). */
dv_status par_sum_u64_to(const uint64_t *in, uint64_t *out, size_t n, dv_error *err) DV_MUST_CHECK;

/* Every rank passes flags; all get their bitwise OR (so one rank's signal stops every rank at
 * the same block boundary). */
int par_or(int mine);

/* Every rank passes a number; all get every rank's, all[k] from rank k (par_size() of them). */
void par_gather_int(int mine, int *all);

/* Every rank passes its status; all get the worst (largest) one, so ranks fail together. */
dv_status par_agree(dv_status mine);

/* Wall-clock seconds. */
double par_wtime(void);

#endif
