#!/usr/bin/env bash
# badinput_merge.sh — `merge` and `run --resume` refuse counter files that do not belong together
# or cannot be trusted: exit 2, a message naming the file and the problem, and nothing written
# (SPEC sections 9, 10). Version and layout mismatches, which the command line cannot produce,
# are in tests/test_merge.c.
set -uo pipefail
doseval=$1
repo=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
config="$repo/configs/nct05563545.yaml"
other="$tmp/other.yaml"
{ cat "$config"; echo "# one more line: another config's bytes"; } >"$other"
t=2000
run() { "$doseval" run "$@" --trials "$t" --quiet >/dev/null || { echo "FAIL: run $*" >&2; exit 1; }; }
for i in 0 1 2 3; do run "$config" --shard "$i/4" --out "s$i"; done
run "$other" --shard 1/4 --out other1
run "$config" --shard 1/4 --seed 99 --out seed1
"$doseval" run "$config" --shard 1/4 --trials 2001 --quiet --out trials1 >/dev/null
run "$config" --shard 1/4 --design BOIN --out select1
run "$config" --shard 0/2 --out half0
mkdir empty
cp -r s2 truncated && head -c -40 s2/counters.dvc >truncated/counters.dvc
cp -r s2 corrupted && sed -i '0,/^12$/s//13/' corrupted/counters.dvc
cmp -s s2/counters.dvc corrupted/counters.dvc && { echo "FAIL: the corruption edit changed nothing" >&2; exit 1; }
cp -r s2 edited && sed -i 's/^range 0 1000 1500$/range 0 1000 1499/' edited/counters.dvc
cmp -s s2/counters.dvc edited/counters.dvc && { echo "FAIL: the range edit changed nothing" >&2; exit 1; }

cases=0
# refuse LABEL NEEDLE... -- ARGS...: exit 2, the needles in stderr, no out, empty stdout
source "$repo/tests/e2e/lib/refuse.sh"
refuse "another config" "other1/counters.dvc" "another config" -- merge s0 other1 s2 s3 --out out
refuse "another seed" "seed1/counters.dvc" "seed 99" -- merge s0 seed1 s2 s3 --out out
refuse "another trial count" "trials1/counters.dvc" "2001 trials" -- merge s0 trials1 s2 s3 --out out
refuse "another selection" "select1/counters.dvc" "selection" -- merge s0 select1 s2 s3 --out out
refuse "overlap" "half0/counters.dvc" "s1/counters.dvc" "overlapping" -- merge half0 s1 s2 s3 --out out
refuse "missing shard" "trials missing" "'MTD at dose 1' trials 1000-1499" -- merge s0 s1 s3 --out out
refuse "truncated" "truncated/counters.dvc" "truncated" -- merge s0 s1 truncated s3 --out out
refuse "corrupted" "corrupted/counters.dvc" "checksum mismatch" -- merge s0 s1 corrupted s3 --out out
refuse "edited" "edited/counters.dvc" "checksum mismatch" -- merge s0 s1 edited s3 --out out
refuse "no shard in folder" "empty" "no shard in this folder" -- merge s0 empty --out out
refuse "no such folder" "nowhere" "no such folder" -- merge s0 nowhere --out out
refuse "no --out" "--out DIR is required" -- merge s0 s1
refuse "no folders" "expected DIR..." -- merge --out out
# resume: the checkpoint must be of this config, seed, trials and shard
cp -r s1 resume-me
refuse "resume, another config" "resume-me/counters.dvc" "another config" -- run "$other" --shard 1/4 --trials $t --resume --out resume-me
refuse "resume, another seed" "resume-me/counters.dvc" "seed" -- run "$config" --shard 1/4 --trials $t --seed 5 --resume --out resume-me
refuse "resume, another shard" "resume-me/counters.dvc" "shard 1/4" "shard 2/4" -- run "$config" --shard 2/4 --trials $t --resume --out resume-me
refuse "resume, nothing to resume" "empty/counters.dvc" "no checkpoint" -- run "$config" --trials $t --resume --out empty
# issue 27, item 6: a counters.dvc that is a folder; a hand-edited, re-checksummed core seconds
# figure that is not a number of seconds (NaN reached summary.json as an encoding error); an empty
# --out
rechecksum() { # FILE: the checksum line made again over the edited bytes (FNV-1a 64)
  python3 - "$1" <<'PY'
import sys
p = sys.argv[1]
b = open(p, "rb").read()
body = b[:b.rindex(b"checksum ")]
h = 0xcbf29ce484222325
for c in body:
    h = ((h ^ c) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
open(p, "wb").write(body + b"checksum %016x\n" % h)
PY
}
mkdir -p folder/counters.dvc
refuse "counters.dvc is a folder" "folder/counters.dvc: a folder; allowed: the counter file" -- merge s0 folder --out out
cp -r s1 resume-folder && rm resume-folder/counters.dvc && mkdir resume-folder/counters.dvc
refuse "resume, counters.dvc is a folder" "resume-folder/counters.dvc: a folder" -- \
  run "$config" --shard 1/4 --trials $t --resume --out resume-folder
# (the seconds are the second word of each part's first line, "part RANKS SECONDS")
for v in nan -1.000 inf 1e400 "1.500 s" 0x1p3; do
  rm -rf seconds && cp -r s1 seconds && sed -i "s/^part \([0-9]*\) .*/part \1 $v/" seconds/counters.dvc
  grep -qxF "part 1 $v" seconds/counters.dvc || { echo "FAIL: the seconds edit ($v) changed nothing" >&2; exit 1; }
  rechecksum seconds/counters.dvc
  refuse "core_seconds $v" "seconds/counters.dvc: line" "expected 'part RANKS SECONDS'" -- \
    merge s0 seconds s2 s3 --out out
done
for cmd in "merge s0 s1 s2 s3" "run $config --trials 10 --quiet" "exact $config" \
  "paths $config --design BOIN --cohorts 2"; do
  refuse "${cmd%% *} --out ''" "--out: ''; allowed: a folder's path (not empty)" -- $cmd --out ''
done
# issue 27, item 9: a hand-edited, re-checksummed count of 2^64-1 wrapped when summed; now any
# count no run leaves is refused, in merge and in --resume, naming the file and the counter
at=$(grep -n '^add ' s2/counters.dvc | head -1 | cut -d: -f1)
rm -rf wrap && cp -r s2 wrap && sed -i "$((at + 4))s/.*/18446744073709551615/" wrap/counters.dvc
rechecksum wrap/counters.dvc
refuse "a count of 2^64-1" "wrap/counters.dvc: counter 3 of scenario 'MTD at dose 1' is 18446744073709551615; allowed: at most" -- \
  merge s0 s1 wrap s3 --out out
refuse "resume, a count of 2^64-1" "wrap/counters.dvc: counter 3 of scenario 'MTD at dose 1' is 18446744073709551615" -- \
  run "$config" --shard 2/4 --trials $t --resume --out wrap
rm -rf trials-count && cp -r s2 trials-count && sed -i "$((at + 1))s/.*/18446744073709551615/" trials-count/counters.dvc
rechecksum trials-count/counters.dvc
refuse "a trial count of 2^64-1" "trials-count/counters.dvc: scenario 'MTD at dose 1' counts 18446744073709551615 trials where its ranges hold 500" -- \
  merge s0 s1 trials-count s3 --out out
# every file's config text is checked against the first file's, not only the first one's: a
# changed text in the third file, its config_hash made to match, is refused naming both files;
# with the hash left as it was, the file itself is refused
retext() { # FILE: the study's name edited in the config text it holds, config_hash redone
  python3 - "$1" <<'PY'
import re, sys
p = sys.argv[1]
b = open(p, "rb").read()
b = b.replace(b"anti-CD19 CAR-NK, r/r B-ALL\"", b"anti-CD19 CAR-NK, r/r B-ALX\"", 1)
i = b.index(b"config_bytes "); j = b.index(b"\n", i)
text = b[j + 1:j + 1 + int(b[i + 13:j])]
h = 0xcbf29ce484222325
for c in text:
    h = ((h ^ c) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
open(p, "wb").write(re.sub(rb"config_hash [0-9a-f]+", b"config_hash %016x" % h, b, count=1))
PY
}
rm -rf text2 && cp -r s2 text2 && retext text2/counters.dvc && rechecksum text2/counters.dvc
cmp -s s2/counters.dvc text2/counters.dvc && { echo "FAIL: the text edit changed nothing" >&2; exit 1; }
refuse "another config text, third file" "text2/counters.dvc: holds another config text than s0/counters.dvc" -- \
  merge s0 s1 text2 s3 --out out
rm -rf text3 && cp -r s2 text3 && sed -i 's/anti-CD19 CAR-NK, r\/r B-ALL"/anti-CD19 CAR-NK, r\/r B-ALX"/' text3/counters.dvc
rechecksum text3/counters.dvc
refuse "config text edited, hash kept, first file" "text3/counters.dvc: the config text it holds does not hash to its config_hash" -- \
  merge text3 s0 s1 s3 --out out
# issue 27, item 8: an error in the counter file's own header names the counter file (it named
# the config the file came from)
rm -rf design9 && cp -r s2 design9 && sed -i 's/^designs .*/designs 0 1 9/' design9/counters.dvc
rechecksum design9/counters.dvc
refuse "a design the config lacks" "design9/counters.dvc: design 9 is not in the config it holds (from $config)" -- \
  merge design9 s0 s1 s3 --out out
refuse "bad --shard" "--shard" "0 <= I < N" -- run "$config" --shard 4/4 --out out
refuse "bad --checkpoint-every" "--checkpoint-every" "whole seconds" -- run "$config" --checkpoint-every 0 --out out
echo "ok: $cases refusals"
