#!/usr/bin/env bash
# report_html.sh — report.html from run, exact and merge (SPEC section 9): well-formed, no script
# and nothing loaded from elsewhere, every number it shows equal to its oc.csv row (rounded),
# and headless Chromium renders it to a picture that is not blank. The checker is shown to fail
# on a page with one number changed, and on a blank picture.
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
have_chromium=1
command -v chromium >/dev/null || have_chromium=""
for d in run exact merged random; do
  [ -s "$tmp/$d/report.html" ] || { echo "FAIL: $d wrote no report.html" >&2; exit 1; }
  if [ -n "$have_chromium" ]; then
    render "$tmp/$d/report.html" "$tmp/$d.png"
    python3 "$check" "$tmp/$d/report.html" "$tmp/$d/oc.csv" "$tmp/$d.png"
  else
    python3 "$check" "$tmp/$d/report.html" "$tmp/$d/oc.csv"
  fi
done
[ -n "$have_chromium" ] || echo "SKIP (rendering): chromium is not installed (scripts/setup-deps.sh installs it)"
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
echo "ok: the checker refuses a changed number and a blank picture"
