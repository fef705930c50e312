#!/usr/bin/env bash
# unit_layering.sh — the house rules of STYLE.md that grep can check: only src/base/par.c includes
# mpi.h; designs never allocate, draw random numbers, print or exit; library code never prints or
# exits (only main, the cli_* commands and the stdout table writer print); engine files never
# name a design.
set -uo pipefail
repo=$2
cd "$repo" || exit 1
fail=0
bad() { echo "FAIL: $*" >&2; fail=1; }

mpi=$(grep -l '#include <mpi.h>' src/*/*.c src/*/*.h designs/*.c designs/*.h | tr '\n' ' ')
[ "$mpi" = "src/base/par.c " ] || bad "mpi.h is included by: $mpi (only src/base/par.c may)"

hits=$(grep -nE '\b(malloc|calloc|realloc|free|rand|random|printf|fprintf|puts|fputs|exit|abort)\s*\(' designs/*.c)
[ -z "$hits" ] || bad "a design allocates, draws, prints or exits:
$hits"
hits=$(grep -nE '^\s*static\s+[a-z_0-9 ]+\s+[a-z_0-9]+(\[[^]]*\])?\s*(=|;)' designs/*.c | grep -v 'const')
[ -z "$hits" ] || bad "a design keeps a mutable static:
$hits"

library=$(ls src/*/*.c | grep -vE 'src/(cli/.*|results/write_table)\.c$')
hits=$(grep -nE '\b(printf|puts|exit|abort|perror)\s*\(|\bf(printf|puts)\s*\(\s*std(out|err)' $library)
[ -z "$hits" ] || bad "library code prints or exits:
$hits"

for f in src/engine/graph.c src/engine/trial.c src/engine/exact.c src/engine/joint.c src/results/oc.c \
  src/base/par.c src/base/rng.c src/engine/benchmark.c src/study/config.c src/study/options.c \
  src/engine/policy.c src/engine/rules.c; do
  hits=$(grep -niE 'boin|crm|threeplusthree|3\+3' "$f")
  [ -z "$hits" ] || bad "$f names a design:
$hits"
done
[ $fail -eq 0 ] && echo "ok: layering rules hold"
exit $fail
