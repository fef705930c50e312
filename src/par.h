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

/* Trials [lo, hi) of `total` that rank `rank` of `size` simulates: contiguous, in rank order. */
void par_range(uint64_t total, int rank, int size, uint64_t *lo, uint64_t *hi);

/* Sums buf over all ranks into rank 0's buf (integers: the total is order-independent). */
dv_status par_sum_u64(uint64_t *buf, size_t n, dv_error *err) DV_MUST_CHECK;

/* Every rank passes its status; all get the worst (largest) one, so ranks fail together. */
dv_status par_agree(dv_status mine);

/* Wall-clock seconds. */
double par_wtime(void);

#endif
