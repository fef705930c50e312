#!/usr/bin/env bash
# badinput_output.sh — where results go (issue 18, items 7, 8, 11): an --out that cannot be
# written is refused before any trial is simulated, naming the folder; a table that cannot be
# written to stdout (a full disk) makes the command fail; a config's name cannot send results
# into results/ itself.
set -uo pipefail
doseval=$1
repo=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
config="$repo/configs/nct05563545.yaml"
fail() { echo "FAIL: $*" >&2; exit 1; }
touch "$tmp/a-file"
# 10^9 trials per scenario would take many minutes: the refusal must come first
for cmd in "run $config --trials 1000000000 --quiet" "exact $config"; do
  start=$SECONDS
  timeout 60 "$doseval" $cmd --out "$tmp/a-file/sub" >/dev/null 2>"$tmp/err"
  rc=$?
  [ $rc -eq 1 ] || fail "doseval $cmd --out under a file: exit $rc, expected 1"
  grep -qF "$tmp/a-file/sub" "$tmp/err" || fail "the message does not name the folder: $(cat "$tmp/err")"
  grep -qE "\.tmp\.[0-9]|doseval-probe" "$tmp/err" && fail "the message names a temporary file: $(cat "$tmp/err")"
  [ $((SECONDS - start)) -lt 20 ] || fail "doseval $cmd: refused only after $((SECONDS - start)) s"
  echo "ok: ${cmd%% *} refuses an unwritable --out at once: $(cat "$tmp/err")"
done
for cmd in "run $config --trials 100 --quiet" "exact $config"; do
  "$doseval" $cmd --out "$tmp/full" >/dev/full 2>"$tmp/err"
  rc=$?
  [ $rc -eq 1 ] || fail "doseval ${cmd%% *} > /dev/full: exit $rc, expected 1"
  grep -q "cannot write to standard output" "$tmp/err" || fail "no message for /dev/full: $(cat "$tmp/err")"
  echo "ok: ${cmd%% *} > /dev/full fails: $(cat "$tmp/err")"
done
mkdir "$tmp/cwd"
cp "$config" "$tmp/cwd/.h.yaml"
(cd "$tmp/cwd" && "$doseval" exact .h.yaml >/dev/null) || fail "exact .h.yaml failed"
[ -f "$tmp/cwd/results/h/oc.csv" ] || fail ".h.yaml: results not in results/h/ ($(cd "$tmp/cwd" && find results | head -5))"
[ ! -e "$tmp/cwd/results/oc.csv" ] || fail ".h.yaml wrote into results/ itself"
echo "ok: .h.yaml writes results/h/"
# item 8: a config whose file name is not UTF-8 cannot go into summary.json: a failure, not a
# silently missing key; and two design names alike in their first 170 bytes stay two designs
# (issue 27, item 7: and a failed command leaves no empty --out, nor the folders above it)
cp "$config" "$tmp/cwd/x$(printf '\377').yaml"
for cmd in exact "run --trials 10 --quiet"; do
  "$doseval" $cmd "$tmp/cwd/x$(printf '\377').yaml" --out "$tmp/utf/sub" >/dev/null 2>"$tmp/err"
  rc=$?
  [ $rc -eq 1 ] || fail "${cmd%% *}: a file name that is not UTF-8: exit $rc, expected 1"
  grep -q "summary.json: cannot write 'config_path' (not valid UTF-8" "$tmp/err" || fail "no message: $(cat "$tmp/err")"
  [ ! -e "$tmp/utf" ] || fail "${cmd%% *}: the failed command left $(find "$tmp/utf")"
  echo "ok: ${cmd%% *}: a file name that is not UTF-8 fails with a message and leaves no folder"
done
long=$(printf 'D%.0s' $(seq 170))
sed -e "s/name: \"BOIN\"/name: \"${long}1\"/" -e "s/name: \"BOIN 24 pts\"/name: \"${long}2\"/" "$config" >"$tmp/cwd/long.yaml"
"$doseval" exact "$tmp/cwd/long.yaml" --out "$tmp/long" >/dev/null 2>"$tmp/err" || fail "long names: $(cat "$tmp/err")"
n1=$(grep -c ",${long}1,sel," "$tmp/long/oc.csv")
n2=$(grep -c ",${long}2,sel," "$tmp/long/oc.csv")
[ "$n1" -eq 24 ] && [ "$n2" -eq 24 ] || fail "long names merged or cut: $n1 and $n2 sel rows, expected 24 each"
echo "ok: two 171-byte design names that differ only at the end stay apart in oc.csv"
