#!/usr/bin/env bash
# report_calibration.sh — a calibration's report.html (SPEC section 15): what it shows is
# calibration.csv's (tests/report/check_calibration.py: every table row, the best point, the
# heat maps' cells and notches for two keys, the lines' error bars for one, each point's difference
# to the best with its paired MCSE and the points not distinguishable from it), merge writes it as
# the unsharded run does, a shard writes none; headless Chromium draws it (not blank) and prints
# it on A4 with the charts and the table on page 1. The checker is shown to fail on a page with
# one number changed and on one whose best point is not marked.
set -euo pipefail
doseval=$1
repo=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
check="$repo/tests/report/check_calibration.py"
config="$repo/configs/nct05563545.yaml"
{ cat "$config"; echo "random_scenarios: {count: 200, method: pseudo-uniform}"; } >"$tmp/random.yaml"
two=(--design CRM --grid skeleton.halfwidth=0.02,0.04,0.06,0.08,0.10,0.12 --grid skeleton.prior_mtd=1,2,3 --max-overdose 32)
"$doseval" calibrate "$config" "${two[@]}" --out "$tmp/two" >/dev/null
"$doseval" calibrate "$tmp/random.yaml" --design BOIN --grid cutoff_eli=0.8,0.85,0.9,0.95,0.99 --max-overdose 20 \
  --out "$tmp/one" >/dev/null
"$doseval" calibrate "$config" --design BOIN --grid cutoff_eli=0.85,0.9 --grid p_saf=0.15,0.18 --grid offset=0.03,0.05 \
  --out "$tmp/three" >/dev/null
for i in 0 1; do "$doseval" calibrate "$config" "${two[@]}" --shard "$i/2" --out "$tmp/s$i" >/dev/null; done
[[ ! -e $tmp/s0/report.html ]] || { echo "FAIL: a shard wrote report.html" >&2; exit 1; }
"$doseval" merge "$tmp/s0" "$tmp/s1" --out "$tmp/merged" >/dev/null
python3 "$check" "$tmp/two/report.html" "$tmp/two/calibration.csv" --max-overdose 32
python3 "$check" "$tmp/merged/report.html" "$tmp/merged/calibration.csv" --max-overdose 32
python3 "$check" "$tmp/one/report.html" "$tmp/one/calibration.csv" --max-overdose 20
python3 "$check" "$tmp/three/report.html" "$tmp/three/calibration.csv"
# a simulated calibration (TITE-BOIN on the timed study: no exact engine) along one key, whose
# points are close: the page marks those within 1.96 paired MCSE of the best (≈) and draws the
# differences with their paired error bars
sed 's/^simulation: .*/simulation: {trials: 2000, seed: 20261206}/' "$repo/configs/nct05563545_time.yaml" >"$tmp/time.yaml"
"$doseval" calibrate "$tmp/time.yaml" --design TITE-BOIN --grid max_pending=0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8 \
  --out "$tmp/sim" >/dev/null
python3 "$check" "$tmp/sim/report.html" "$tmp/sim/calibration.csv"
grep -q '<td><span class="near">&asymp;</span> ' "$tmp/sim/report.html" ||
  { echo "FAIL: no point of the simulated calibration is marked near the best" >&2; exit 1; }
# the same page but for the command that made it
diff <(grep -v '<dt>command' "$tmp/two/report.html") <(grep -v '<dt>command' "$tmp/merged/report.html") >/dev/null ||
  { echo "FAIL: merge writes another report.html" >&2; exit 1; }
# the checker fails on a changed number and on an unmarked best point
sed 's/<td>0\.692<\/td>/<td>0.693<\/td>/' "$tmp/two/report.html" >"$tmp/bad1.html"
sed 's/stroke="#D55E00" stroke-width="3"/stroke="#000" stroke-width="3"/' "$tmp/two/report.html" >"$tmp/bad2.html"
for b in bad1 bad2; do
  cmp -s "$tmp/two/report.html" "$tmp/$b.html" && { echo "FAIL: the $b edit changed nothing" >&2; exit 1; }
  if python3 "$check" "$tmp/$b.html" "$tmp/two/calibration.csv" --max-overdose 32 2>/dev/null; then
    echo "FAIL: the checker passes $b" >&2
    exit 1
  fi
done
# ... and on a point near the best left unmarked, and on a paired MCSE changed in its last digit
sed '0,/<td><span class="near">&asymp;<\/span> /s//<td>/' "$tmp/sim/report.html" >"$tmp/bad3.html"
python3 - "$tmp/sim/report.html" "$tmp/bad4.html" <<'EOF'
import re, sys
html = open(sys.argv[1], encoding="utf-8").read()
# the first difference cell (4 decimals) with a paired MCSE: its last digit changed
m = re.search(r"<td>-?\d+\.\d{4} <span class=\"se\">&plusmn;\d\.\d{3}(\d)", html)
digit = "1" if m.group(1) != "1" else "2"
open(sys.argv[2], "w", encoding="utf-8").write(html[:m.start(1)] + digit + html[m.end(1):])
EOF
for b in bad3 bad4; do
  cmp -s "$tmp/sim/report.html" "$tmp/$b.html" && { echo "FAIL: the $b edit changed nothing" >&2; exit 1; }
  if python3 "$check" "$tmp/$b.html" "$tmp/sim/calibration.csv" 2>/dev/null; then
    echo "FAIL: the checker passes $b" >&2
    exit 1
  fi
done
if ! command -v chromium >/dev/null || ! command -v pdftoppm >/dev/null || ! command -v pdftotext >/dev/null; then
  echo "ok: report.html matches calibration.csv (chromium or poppler missing: not rendered)"
  exit 0
fi
for d in two one sim; do
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --user-data-dir="$(mktemp -d "$tmp/prof.XXXX")" \
    --no-pdf-header-footer --print-to-pdf="$tmp/$d.pdf" "file://$tmp/$d/report.html" >/dev/null 2>&1
  [ -s "$tmp/$d.pdf" ] || { echo "FAIL: chromium printed no $d.pdf" >&2; exit 1; }
  pdftoppm -r 40 -f 1 -l 1 "$tmp/$d.pdf" "$tmp/$d"
  python3 "$check" --not-blank "$(ls "$tmp/$d"-*1.ppm)" >/dev/null || { echo "FAIL: $d: page 1 is blank" >&2; exit 1; }
  page1=$(pdftotext -f 1 -l 1 "$tmp/$d.pdf" -)
  for want in "Best point" "Over the grid" "Every point"; do
    grep -q "$want" <<<"$page1" || { echo "FAIL: $d: page 1 of the print lacks '$want'" >&2; exit 1; }
  done
  size=$(pdfinfo "$tmp/$d.pdf" 2>/dev/null | sed -n 's/^Page size: *\([0-9.]*\) x \([0-9.]*\).*/\1 \2/p')
  [[ -z $size || $size == "595.92 841.92" || $size == "595 842" || $size == "594.96 841.92" ]] ||
    { echo "FAIL: $d: page size $size, not A4" >&2; exit 1; }
done
echo "ok: report.html matches calibration.csv (2 keys, 1 key with error bars, 3 keys, merged, simulated with paired differences); Chromium prints it on A4 with the charts and table on page 1"
