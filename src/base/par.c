/* par.c — the one MPI module: init, ranks, integer reductions, agreeing on flags (SPEC section 7).
 */
#include "par.h"

#include <limits.h>
#include <mpi.h>

dv_status par_init(int *argc, char ***argv, dv_error *err) {
  if (MPI_Init(argc, argv) != MPI_SUCCESS)
    return error_set(err, DV_ERUN, "MPI_Init failed");
  return DV_OK;
}

void par_finalize(void) {
  int done = 0;
  MPI_Finalized(&done);
  if (!done)
    MPI_Finalize();
}

int par_rank(void) {
  int r = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &r);
  return r;
}

int par_size(void) {
  int n = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &n);
  return n;
}

dv_status par_sum_u64_to(const uint64_t *in, uint64_t *out, size_t n, dv_error *err) {
  for (size_t off = 0; off < n;) {
    int chunk = n - off > (size_t)INT_MAX ? INT_MAX : (int)(n - off);
    if (MPI_Reduce(in + off, out != NULL ? out + off : NULL, chunk, MPI_UINT64_T, MPI_SUM, 0,
                   MPI_COMM_WORLD) != MPI_SUCCESS)
      return error_set(err, DV_ERUN, "MPI_Reduce failed");
    off += (size_t)chunk;
  }
  return DV_OK;
}

int par_or(int mine) {
  int out = mine;
  MPI_Allreduce(&mine, &out, 1, MPI_INT, MPI_BOR, MPI_COMM_WORLD);
  return out;
}

void par_gather_int(int mine, int *all) {
  MPI_Allgather(&mine, 1, MPI_INT, all, 1, MPI_INT, MPI_COMM_WORLD);
}

dv_status par_agree(dv_status mine) {
  int in = (int)mine, out = in;
  MPI_Allreduce(&in, &out, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  return (dv_status)out;
}

double par_wtime(void) { return MPI_Wtime(); }
