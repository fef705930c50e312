#!/usr/bin/env bash
# unit_progress.sh — progress on stderr (SPEC section 9): on a terminal a line rewritten in place
# (trials done of all, rate, time left); into a file (a Slurm log) whole lines, the last one at
# the end; nothing with --quiet.
set -euo pipefail
doseval=$1
repo=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
config="$repo/configs/nct05563545.yaml"
"$doseval" run "$config" --trials 300000 --out "$tmp/a" >/dev/null 2>"$tmp/log"
grep -qE '^doseval run: 1800000 of 1800000 trials \(100\.0%\), [0-9.e+]+ trials/s, 0 s left$' "$tmp/log" ||
  { echo "FAIL: no final progress line in a log file:" >&2; cat "$tmp/log" >&2; exit 1; }
[ "$(grep -c 'trials/s' "$tmp/log")" -eq 1 ] || { echo "FAIL: more than one line in a short run's log" >&2; cat "$tmp/log" >&2; exit 1; }
"$doseval" run "$config" --trials 300000 --quiet --out "$tmp/b" >/dev/null 2>"$tmp/quiet"
[ ! -s "$tmp/quiet" ] || { echo "FAIL: --quiet printed:" >&2; cat "$tmp/quiet" >&2; exit 1; }
if command -v script >/dev/null; then # a pseudo-terminal: lines rewritten with \r, once a second at most
  # a run far longer than the 3.5 s it is given (TERM then checkpoints it), so the number of
  # updates does not depend on how fast this machine is
  script -qec "timeout 3.5 $doseval run $config --trials 1000000000 --out $tmp/c >/dev/null" "$tmp/tty" >/dev/null || true
  n=$(tr '\r' '\n' <"$tmp/tty" | grep -c 'trials/s' || true)
  [ "$n" -ge 2 ] || { echo "FAIL: on a terminal, expected the line rewritten, saw $n updates" >&2; cat -v "$tmp/tty" >&2; exit 1; }
  grep -q $'\rdoseval run: ' "$tmp/tty" || { echo "FAIL: no carriage return on a terminal" >&2; exit 1; }
  echo "ok: terminal: $n updates"
else
  echo "SKIP (terminal part): 'script' (util-linux) is not installed"
fi
echo "ok: progress in a log file and silence with --quiet"
