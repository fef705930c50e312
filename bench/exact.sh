#!/usr/bin/env bash
# bench/exact.sh — wall time, CPU time and peak memory of `doseval exact` on the studies of issue
# 19's exact-engine goals (CRM at 6 doses / 36 patients under 0.5 s, CRM at 8 / 60 under 30 s and
# 1 GB, BOIN at 8 / 60 under 10 s) and on the reference study: the median of REPS runs of
# `/usr/bin/time -v doseval exact CONFIG`, its largest peak resident set, and the states of the
# chain (summary.json). Not part of `make test`: it takes minutes and measures the machine.
# usage: bash bench/exact.sh [path/to/doseval] [CONFIG...]   (env: REPS, default 3)
set -euo pipefail
doseval=$(realpath "${1:-build/doseval}")
shift || true
cd "$(dirname "$0")/.."
configs=("$@")
[ ${#configs[@]} -gt 0 ] ||
  configs=(bench/crm_6x36.yaml bench/crm_8x60.yaml bench/boin_8x60.yaml configs/nct05563545.yaml
    bench/blrm_reference.yaml)
reps=${REPS:-3}
[ -x /usr/bin/time ] || { echo "bench/exact.sh: needs GNU time (/usr/bin/time)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
# One field of /usr/bin/time -v's report, in seconds or kilobytes.
timed() { # field-label file
  awk -F': ' -v k="$1" '$1 ~ k { v = $2 } END {
    n = split(v, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$2"
}

echo "doseval exact, median of $reps runs ($(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg))"
printf "%-28s %12s %10s %10s %12s\n" config states "wall s" "cpu s" "peak RSS MB"
for c in "${configs[@]}"; do
  : >"$tmp/wall"
  : >"$tmp/cpu"
  : >"$tmp/rss"
  for r in $(seq "$reps"); do
    /usr/bin/time -v "$doseval" exact "$c" --out "$tmp/out" >/dev/null 2>"$tmp/time"
    timed 'Elapsed \(wall clock\)' "$tmp/time" >>"$tmp/wall"
    echo "$(timed 'User time' "$tmp/time") $(timed 'System time' "$tmp/time")" |
      awk '{print $1 + $2}' >>"$tmp/cpu"
    timed 'Maximum resident set size' "$tmp/time" >>"$tmp/rss"
  done
  # the states of every design, summed (one design per bench config)
  states=$(sed -n '/"states": {/,/}/s/^ *"[^"]*": \([0-9]*\),\{0,1\}$/\1/p' "$tmp/out/summary.json" |
    awk '{s += $1} END {print s}')
  printf "%-28s %12s %10.2f %10.2f %12.0f\n" "$c" "$states" "$(median <"$tmp/wall")" \
    "$(median <"$tmp/cpu")" "$(sort -g "$tmp/rss" | tail -1 | awk '{print $1 / 1024}')"
done
