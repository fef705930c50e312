#!/usr/bin/env bash
# unit_paths_pending.sh — `paths` from a live trial with pending patients (SPEC 12; README, "Live
# trials"). It prints the decision now (`next`'s), then one branch per way the pending outcomes
# resolve, each followed by the paths of the next K cohorts. Checked against independent answers:
# * each branch's paths are those `paths` gives from the history with those outcomes written in,
#   their probabilities scaled by the branch's;
# * a branch's probability is the closed form under the uniform onset law: a patient followed f of
#   W days without a DLT has one to come with probability p (1 - f/W) / (1 - p f/W);
# * the decision now is `next`'s, and the leaves' probabilities sum to 1;
# * with nothing pending, --dlt-window changes nothing.
# Usage: bash tests/e2e/unit_paths_pending.sh /path/to/doseval /path/to/repo
set -euo pipefail
doseval=$1
config="$2/tests/data/live/pending.yaml"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# 3+3 at dose 2: one without DLT, two pending, followed 21 and 5 of 28 days; p_2 = 0.2
"$doseval" paths "$config" --design 3+3 --cohorts 2 --outcomes "1NNN 2NP21P5" --dlt-window 28 \
  --scenario s --out "$tmp/pend" >"$tmp/pend.txt"
sed -n 2p "$tmp/pend.txt" | grep -qF "now, with 2 pending (28-day window): suspend: turn arrivals away until more outcomes are known (current dose 2)" ||
  fail "3+3: the decision now: $(sed -n 2p "$tmp/pend.txt")"
sed -n 3p "$tmp/pend.txt" | grep -q "^3 ways the pending outcomes resolve; " ||
  fail "3+3: $(sed -n 3p "$tmp/pend.txt")"
# the closed form of each branch's probability: 0, 1 or 2 DLTs among the two pending
want=$(awk 'BEGIN { p = 0.2; w = 28; a = p * (1 - 21 / w) / (1 - p * 21 / w);
  b = p * (1 - 5 / w) / (1 - p * 5 / w);
  printf "%.12f %.12f %.12f", (1 - a) * (1 - b), a * (1 - b) + (1 - a) * b, a * b }')
read -r w0 w1 w2 <<<"$want"
i=0
for resolved in "1NNN 2NNN" "1NNN 2NNT" "1NNN 2NTT"; do
  wj=$(echo "$want" | cut -d' ' -f$((i + 1)))
  # the branch's own rows, then the complete history's paths
  awk -F, -v j=$i 'NR > 1 && $2 == 0 && $4 == j { print $8 }' "$tmp/pend/paths.csv" | sort -u >"$tmp/rp"
  [ "$(wc -l <"$tmp/rp")" -eq 1 ] || fail "branch $i: $(wc -l <"$tmp/rp") probabilities"
  awk -v a="$(cat "$tmp/rp")" -v b="$wj" 'BEGIN { d = a - b; exit !(d < 1e-10 && d > -1e-10) }' ||
    fail "branch $i: probability $(cat "$tmp/rp"), the closed form $wj"
  "$doseval" paths "$config" --design 3+3 --cohorts 2 --outcomes "$resolved" --scenario s \
    --out "$tmp/c$i" >/dev/null
  awk -F, -v j=$i 'NR > 1 && $2 == 0 { keep[$1] = ($4 == j) } NR > 1 && $2 > 0 && keep[$1] {
      if ($1 != last) { n++; last = $1 } print n "," $2 "," $3 "," $4 "," $5 "," $6 "," $7 "," $8 }' \
    "$tmp/pend/paths.csv" >"$tmp/tail"
  awk -F, -v w="$wj" 'NR > 1 { printf "%s,%s,%s,%s,%s,%s,%s,%.15g\n", $1, $2, $3, $4, $5, $6, $7, $8 * w }' \
    "$tmp/c$i/paths.csv" >"$tmp/full"
  [ -s "$tmp/full" ] || fail "no paths from \"$resolved\""
  # the same rows; probabilities within rounding of the CSV's 12 digits
  paste -d, "$tmp/tail" "$tmp/full" | awk -F, '{
      for (c = 1; c <= 7; c++) if ($c != $(c + 8)) exit 1
      d = $8 - $16; if (d > 1e-10 || d < -1e-10) exit 1 } END { if (NR == 0) exit 1 }' ||
    fail "branch $i: not the paths from \"$resolved\" ($(diff "$tmp/tail" "$tmp/full" | head -3))"
  [ "$(wc -l <"$tmp/tail")" -eq "$(($(wc -l <"$tmp/c$i/paths.csv") - 1))" ] ||
    fail "branch $i: $(wc -l <"$tmp/tail") rows, \"$resolved\" has more"
  i=$((i + 1))
done
# the leaves sum to 1
grep "^at the leaves:" "$tmp/pend.txt" | grep -o '[0-9.]*$\|) [0-9.]*' | tr -d ') ' |
  awk '{ s += $1 } END { exit !(s > 1 - 1e-5 && s < 1 + 1e-5) }' || fail "leaves do not sum to 1"
[ -s "$tmp/pend/paths.html" ] || fail "no paths.html"
# the tree's root label (the history, long here) ends before the edges leave it: at 11 px DejaVu
# Sans a character is 6 px on average (0.55 em), so the edges start at least 6 px a character
# to its right
awk 'match($0, /<text x="[0-9]+" y="[0-9.]+">[^<]*</) && !root {
       s = substr($0, RSTART, RLENGTH); x = s; sub(/^<text x="/, "", x); sub(/".*/, "", x)
       sub(/^[^>]*>/, "", s); sub(/<$/, "", s); root = x + 6 * length(s) }
     match($0, /<line x1="[0-9]+"/) && root {
       x1 = substr($0, RSTART + 10, RLENGTH - 11); if (x1 + 0 < root) bad = 1 }
     END { exit !(root > 0 && !bad) }' "$tmp/pend/paths.html" ||
  fail "paths.html: the root label runs into the edges"

# TITE-CRM: the decision now is next's; the branches are 2 x 2
now=$("$doseval" paths "$config" --design TITE-CRM --cohorts 1 --outcomes "1N 1N 1N 2T 2N 2P20 2P3" \
  --dlt-window 28 --out "$tmp/tite" | sed -n 2p)
nxt=$("$doseval" next "$config" --design TITE-CRM --outcomes "1N 1N 1N 2T 2N 2P20 2P3" \
  --dlt-window 28 | head -1)
[ "$now" = "now, with 2 pending (28-day window): ${nxt%% (*}" ] || fail "TITE-CRM: '$now' against next's '$nxt'"
[ "$(awk -F, 'NR > 1 && $2 == 0 { print $1 }' "$tmp/tite/paths.csv" | uniq -c | awk '{ print $1 }' | sort -u)" = 2 ] ||
  fail "TITE-CRM: each path should carry two rows of cohort 0 (two cohorts with a pending patient)"

# nothing pending: --dlt-window changes nothing
"$doseval" paths "$config" --design 3+3 --cohorts 2 --outcomes "1NNN" --scenario s --out "$tmp/a" >"$tmp/a.txt"
"$doseval" paths "$config" --design 3+3 --cohorts 2 --outcomes "1NNN" --scenario s --dlt-window 28 \
  --out "$tmp/b" >"$tmp/b.txt"
cmp -s "$tmp/a/paths.csv" "$tmp/b/paths.csv" || fail "--dlt-window changed paths.csv without pending patients"
diff <(grep -v '^written' "$tmp/a.txt") <(grep -v '^written' "$tmp/b.txt") >/dev/null ||
  fail "--dlt-window changed the table without pending patients"
echo "ok: paths from pending patients (3 branches against the complete histories and the closed form)"
