#!/usr/bin/env bash
# unit_killed_writes.sh — a result set is whole or absent (issue 18, item 1). `doseval exact` of
# one study is killed (SIGKILL, by strace's fault injection) at each of its renames in turn, over
# the complete results of another study: afterwards --out holds either the old set or the new
# one, every file of the same study, or nothing (and the old set waits in .NAME.old.PID); no
# temporary file is left in it; and the next run removes the killed run's staging folder.
set -uo pipefail
doseval=$1
repo=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v strace >/dev/null || { echo "SKIP: strace is not installed (scripts/setup-deps.sh installs it)"; exit 0; }
old="$repo/configs/nct05563545.yaml"
new="$repo/tests/data/five_doses.yaml"
cd "$tmp"
"$doseval" exact "$old" --out ref-old >/dev/null || fail "exact of the old study"
"$doseval" exact "$new" --out ref-new >/dev/null || fail "exact of the new study"
files="oc.csv summary.json report.html"
same_set() { # dir ref: every file of the set equal to ref's (report.html and summary.json hold
  # timings, so compare their study-specific parts)
  cmp -s "$1/oc.csv" "$2/oc.csv" && [ -f "$1/summary.json" ] && [ -f "$1/report.html" ] &&
    [ "$(grep -m1 '"config_path"' "$1/summary.json")" = "$(grep -m1 '"config_path"' "$2/summary.json")" ] &&
    [ "$(grep -o '<title>[^<]*' "$1/report.html")" = "$(grep -o '<title>[^<]*' "$2/report.html")" ]
}
renames=$(strace -f -e trace=rename,renameat,renameat2 "$doseval" exact "$new" --out probe 2>&1 >/dev/null |
  grep -cE '^(\[pid +[0-9]+\] )?rename')
[ "$renames" -ge 5 ] || fail "expected at least 5 renames, strace saw $renames"
seen_absent=0 seen_old=0 seen_new=0
for n in $(seq 1 "$renames"); do
  rm -rf out .out.*
  "$doseval" exact "$old" --out out >/dev/null || fail "exact of the old study (n=$n)"
  (strace -f -o /dev/null -e trace=rename,renameat,renameat2 \
    -e inject=rename,renameat,renameat2:signal=SIGKILL:when=$n "$doseval" exact "$new" --out out) >/dev/null 2>&1
  if [ ! -e out ]; then
    ls -d .out.old.* >/dev/null 2>&1 || fail "kill at rename $n: out is gone and so is the old set"
    seen_absent=$((seen_absent + 1))
  elif same_set out ref-old; then
    seen_old=$((seen_old + 1))
  elif same_set out ref-new; then
    seen_new=$((seen_new + 1))
  else
    fail "kill at rename $n: out holds a mix: $(ls -a out | tr '\n' ' ')"
  fi
  ls -a out 2>/dev/null | grep -q '\.tmp\.' && fail "kill at rename $n: a temporary file in out"
done
echo "ok: killed at each of $renames renames: old set $seen_old times, new set $seen_new, absent $seen_absent (old set kept aside), never a mix"
# the killed runs' staging folders go with the next run that writes beside them
ls -d .out.new.* >/dev/null 2>&1 || fail "no staging folder was left to clean up (the kills came too late?)"
"$doseval" exact "$new" --out out >/dev/null || fail "the run after the kills"
! ls -d .out.new.* >/dev/null 2>&1 || fail "stale staging folders left: $(ls -d .out.new.*)"
same_set out ref-new || fail "the run after the kills did not write the new set"
echo "ok: the next run removed the stale staging folders and wrote a whole set"
