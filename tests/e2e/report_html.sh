#!/usr/bin/env bash
# report_html.sh — report.html from run, exact and merge (SPEC section 9): well-formed, no script
# and nothing loaded from elsewhere, every number it shows equal to its oc.csv row (rounded),
# and headless Chromium renders it to a picture that is not blank and prints it on A4 with no page
# but the last less than half full and the summary on page 1. The checker is shown to fail on a
# page with one number changed, on a blank picture, on a print whose table jumps to the next page
# after its charts, and on one whose summary runs onto page 2.
set -euo pipefail
doseval=$1
repo=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
check="$repo/tests/report/check_report.py"
config="$repo/configs/nct05563545.yaml"
command -v python3 >/dev/null || { echo "FAIL: python3 is missing (scripts/setup-deps.sh installs it)" >&2; exit 1; }
"$doseval" run "$config" --trials 20011 --quiet --out "$tmp/run" >/dev/null 2>&1
"$doseval" exact "$config" --out "$tmp/exact" >/dev/null 2>&1
for i in 0 1; do "$doseval" run "$config" --trials 20011 --quiet --shard "$i/2" --out "$tmp/s$i" >/dev/null; done
"$doseval" merge "$tmp/s0" "$tmp/s1" --out "$tmp/merged" >/dev/null
cmp "$tmp/run/oc.csv" "$tmp/merged/oc.csv"
# random scenarios: the report shows the named curve and the means over 3,000 curves
"$doseval" exact "$repo/tests/data/random_scenarios.yaml" --out "$tmp/random" >/dev/null 2>&1
grep -q "random (mean of 3000)" "$tmp/random/report.html" ||
  { echo "FAIL: the random scenarios' report has no means" >&2; exit 1; }
render() { # html png
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --user-data-dir="$(mktemp -d "$tmp/prof.XXXX")" \
    --screenshot="$2" --window-size=1100,1600 "file://$1" >/dev/null 2>&1
}
print_pdf() { # html pdf: A4 (the page's @page rule), without the browser's header and footer
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --user-data-dir="$(mktemp -d "$tmp/prof.XXXX")" \
    --no-pdf-header-footer --print-to-pdf="$2" "file://$1" >/dev/null 2>&1
  [ -s "$2" ] || { echo "FAIL: chromium printed no $2" >&2; exit 1; }
}
have_chromium=1
command -v chromium >/dev/null || have_chromium=""
have_poppler=1
command -v pdftoppm >/dev/null && command -v pdftotext >/dev/null || have_poppler=""
for d in run exact merged random; do
  [ -s "$tmp/$d/report.html" ] || { echo "FAIL: $d wrote no report.html" >&2; exit 1; }
  args=("$tmp/$d/report.html" "$tmp/$d/oc.csv")
  if [ -n "$have_chromium" ]; then
    render "$tmp/$d/report.html" "$tmp/$d.png"
    args+=("$tmp/$d.png")
    if [ -n "$have_poppler" ]; then
      print_pdf "$tmp/$d/report.html" "$tmp/$d.pdf"
      args+=(--pdf "$tmp/$d.pdf")
    fi
  fi
  python3 "$check" "${args[@]}"
done
[ -n "$have_chromium" ] || echo "SKIP (rendering and printing): chromium is not installed (scripts/setup-deps.sh installs it)"
[ -z "$have_chromium" ] || [ -n "$have_poppler" ] ||
  echo "SKIP (printing): pdftoppm/pdftotext are not installed (poppler-utils; scripts/setup-deps.sh installs it)"
# the checker can fail: one shown number changed
sed '0,/data-r="7">\([0-9]\)/s//data-r="7">9\1/' "$tmp/run/report.html" >"$tmp/bad.html"
cmp -s "$tmp/run/report.html" "$tmp/bad.html" && { echo "FAIL: the test's edit changed nothing" >&2; exit 1; }
if python3 "$check" "$tmp/bad.html" "$tmp/run/oc.csv" 2>"$tmp/why"; then
  echo "FAIL: the checker accepted a page with a wrong number" >&2
  exit 1
fi
grep -q "oc.csv line 9" "$tmp/why" || { echo "FAIL: the checker did not name the row:" >&2; cat "$tmp/why" >&2; exit 1; }
# ... and a blank picture
if [ -n "$have_chromium" ]; then
  echo '<!DOCTYPE html><html><body></body></html>' >"$tmp/blank.html"
  render "$tmp/blank.html" "$tmp/blank.png"
  if python3 "$check" "$tmp/run/report.html" "$tmp/run/oc.csv" "$tmp/blank.png" 2>/dev/null; then
    echo "FAIL: the checker accepted a blank picture" >&2
    exit 1
  fi
fi
# ... and two faults of print: a page break after a scenario's charts (issue 26: its table
# jumped to the next page), and a page break before the summary (it begins, and so ends, on
# page 2)
if [ -n "$have_chromium" ] && [ -n "$have_poppler" ]; then
  for fault in "figs|.figs{break-after:page}|half full" "summary|#summary{break-before:page}|page 1"; do
    IFS="|" read -r name rule why <<<"$fault"
    sed "0,/<\/style>/s||@media print{$rule}</style>|" "$tmp/run/report.html" >"$tmp/$name.html"
    cmp -s "$tmp/run/report.html" "$tmp/$name.html" && { echo "FAIL: the test's edit changed nothing" >&2; exit 1; }
    print_pdf "$tmp/$name.html" "$tmp/$name.pdf"
    if python3 "$check" "$tmp/$name.html" "$tmp/run/oc.csv" --pdf "$tmp/$name.pdf" 2>"$tmp/why"; then
      echo "FAIL: the checker accepted a print with $rule" >&2
      exit 1
    fi
    grep -q "$why" "$tmp/why" || { echo "FAIL: the checker refused $rule for another reason:" >&2; cat "$tmp/why" >&2; exit 1; }
  done
  echo "ok: the checker refuses a changed number, a blank picture, a half-empty printed page and a summary past page 1"
else
  echo "ok: the checker refuses a changed number and a blank picture"
fi
