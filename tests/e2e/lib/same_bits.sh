# tests/e2e/lib/same_bits.sh — sourced by the mpi scripts (kept in lib/, outside the e2e/*.sh that
# ctest runs). same_bits TRIALS BIG CONFIG [RUN OPTION]... checks that `run CONFIG OPTIONS` gives
# the same oc.csv on 1, 2 and 3 ranks of TRIALS trials and as 3 shards merged, and, for BIG
# trials, after a SIGTERM once its first checkpoint exists and --resume on 2 ranks (every trial
# reads only its own stream segments; the counters are integers). The 1-rank run stays in
# $tmp/one. Needs $doseval, $tmp and fail() from the caller.
same_bits() { # TRIALS BIG CONFIG [RUN OPTION]...
  local trials=$1 big=$2 config=$3
  shift 3
  "$doseval" run "$config" "$@" --trials "$trials" --quiet --out "$tmp/one" >/dev/null
  for np in 2 3; do
    mpirun --oversubscribe -np $np "$doseval" run "$config" "$@" --trials "$trials" --quiet \
      --out "$tmp/np$np" >/dev/null
    cmp "$tmp/one/oc.csv" "$tmp/np$np/oc.csv" || fail "$np ranks differ from 1"
  done
  for i in 0 1 2; do
    "$doseval" run "$config" "$@" --trials "$trials" --shard $i/3 --quiet \
      --out "$tmp/shard$i" >/dev/null
  done
  "$doseval" merge "$tmp/shard0" "$tmp/shard1" "$tmp/shard2" --out "$tmp/merged" >/dev/null
  cmp "$tmp/one/oc.csv" "$tmp/merged/oc.csv" || fail "3 shards merged differ from the whole run"

  "$doseval" run "$config" "$@" --trials "$big" --quiet --out "$tmp/whole" >/dev/null
  "$doseval" run "$config" "$@" --trials "$big" --quiet --out "$tmp/killed" \
    --checkpoint-every 1 >/dev/null 2>"$tmp/err" &
  local pid=$!
  for _ in $(seq 400); do
    [ -f "$tmp/killed/counters.dvc" ] && break
    sleep 0.05
  done
  kill -TERM $pid 2>/dev/null || true
  wait $pid || true
  [ -f "$tmp/killed/counters.dvc" ] || fail "no checkpoint to resume from"
  mpirun --oversubscribe -np 2 "$doseval" run "$config" "$@" --trials "$big" --quiet \
    --out "$tmp/killed" --resume >/dev/null
  cmp "$tmp/whole/oc.csv" "$tmp/killed/oc.csv" || fail "resumed run differs from the whole run"
}
