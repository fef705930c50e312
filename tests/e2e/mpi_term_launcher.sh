#!/usr/bin/env bash
# mpi_term_launcher.sh — SIGTERM to mpirun itself, as a workstation's Ctrl-C or a scheduler's TERM
# to the launcher sends it (issue 27, item 1). Open MPI passes the TERM to the ranks and SIGKILLs
# them odls_base_sigkill_timeout seconds later (1 by default), and mpirun itself then exits 1,
# whatever the ranks do (Open MPI's choice, not doseval's).
# 1. A study whose whole counter file (20,006 scenarios, 17 million counters) takes far longer
#    than that second to write, TERMed with the default grace once the first window of scenarios
#    is finished (its rows are streaming into the staged oc.csv): the checkpoint holds at least
#    every scenario whose rows were written, and reads (merge checks every part's checksum and
#    then names the trials it still lacks).
# 2. The reference study TERMed mid-run with the grace the README's mpirun line gives: rank 0
#    says it wrote its checkpoint (then the ranks exit 143), and a resume on 3 ranks gives the
#    bytes of an uninterrupted run.
set -uo pipefail
doseval=$1
repo=$2
tmp=$(mktemp -d)
trap 'kill -9 $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fail() { echo "FAIL: $*" >&2; exit 1; }
cd "$tmp"
covered() { awk '$1 == "range" {t += $4 - $3} END {print t + 0}' "$1"; }

# 1. a big checkpoint, the default grace
{ cat "$repo/configs/nct05563545.yaml"; echo "random_scenarios: {count: 20000, method: pseudo-uniform}"; } >big.yaml
mpirun --oversubscribe -np 2 "$doseval" run big.yaml --trials 64 --quiet --out big >/dev/null 2>big.err &
mp=$!
staged=""
for _ in $(seq 1200); do # the first window's rows: more than 1 MB of oc.csv
  staged=$(ls .big.new.*/.oc.csv.tmp.* 2>/dev/null | head -1)
  [ -n "$staged" ] && [ "$(stat -c %s "$staged" 2>/dev/null || echo 0)" -gt 1000000 ] && break
  kill -0 "$mp" 2>/dev/null || break
  sleep 0.05
done
[ -n "$staged" ] || fail "no rows appeared in the staged oc.csv within 60 s"
seen=$(cut -d, -f1 "$staged" | uniq | wc -l) # the header, whole scenarios, one maybe in part
kill -TERM "$mp"
wait "$mp"
rc=$?
[ "$rc" -ne 0 ] || fail "the run finished before the TERM; give it more scenarios"
[ -f big/counters.dvc ] || { cat big.err >&2; fail "no checkpoint after TERM to mpirun (mpirun exit $rc): the work is lost"; }
have=$(covered big/counters.dvc)
want=$(((seen - 2) * 64))
[ "$have" -ge "$want" ] || fail "the checkpoint holds $have trials; the $((seen - 2)) scenarios written before the TERM had $want"
"$doseval" merge big --out merged >/dev/null 2>merge.err
mrc=$?
[ "$mrc" -eq 2 ] && grep -q "trials missing" merge.err ||
  { cat merge.err >&2; fail "merge should read the checkpoint and name the trials it lacks (exit $mrc)"; }
echo "ok: TERM to mpirun (default grace, exit $rc): the checkpoint holds $have trials, at least the $want of the scenarios finished before it, and reads"

# 2. mid-run TERM with the README's grace, resume on 3 ranks, the uninterrupted bytes. mpirun
# passes the TERM on only after the grace (it sends SIGCONT, waits, TERM, waits, KILL), so the run
# must last longer than that: if it finished first, again with twice the trials.
config="$repo/configs/nct05563545.yaml"
grace=3
trials=2000000
for attempt in 1 2 3 4; do
  rm -rf cut
  mpirun --mca odls_base_sigkill_timeout "$grace" --oversubscribe -np 2 "$doseval" run "$config" \
    --trials "$trials" --out cut >/dev/null 2>cut.err &
  mp=$!
  for _ in $(seq 600); do # the ranks are running
    [ "$(pgrep -f -P "$mp" "doseval run" | wc -l)" -ge 2 ] && break
    kill -0 "$mp" 2>/dev/null || break
    sleep 0.05
  done
  kill -TERM "$mp"
  wait "$mp"
  rc=$?
  [ -e cut/oc.csv ] || break
  echo "attempt $attempt: $trials trials finished before the TERM reached the ranks; twice as many"
  trials=$((trials * 2))
done
[ -e cut/oc.csv ] && fail "the run finished before the TERM reached it $attempt times"
grep -q "checkpoint written to cut/counters.dvc" cut.err ||
  { cat cut.err >&2; fail "rank 0 did not finish its checkpoint within the grace of $grace s"; }
have=$(covered cut/counters.dvc)
[ "$have" -gt 0 ] || fail "an empty checkpoint"
mpirun --oversubscribe -np 2 "$doseval" run "$config" --trials "$trials" --quiet --out whole >/dev/null ||
  fail "the uninterrupted run"
mpirun --oversubscribe -np 3 "$doseval" run "$config" --trials "$trials" --quiet --out cut --resume >/dev/null ||
  fail "the resume"
cmp whole/oc.csv cut/oc.csv || fail "the resumed oc.csv differs from the uninterrupted run's"
echo "ok: TERM to mpirun mid-run (grace $grace s, mpirun exit $rc), rank 0 checkpointed $have of $((6 * trials)) trials; resumed on 3 ranks: the uninterrupted oc.csv"
