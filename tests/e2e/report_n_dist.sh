#!/usr/bin/env bash
# report_n_dist.sh — report.html's P(N = n) rows (README, report.html): in each scenario's table
# they run from the smallest to the largest n that some design reaches with a non-zero
# probability in oc.csv, every n in between that a design has a row for included, each cell the
# oc.csv row of its n. On the efficacy config (BF-BOIN: an n for every count up to max_n plus its
# backfilled patients) the empty ends exist in oc.csv and are left out; on the reference config
# there are none and every n = 3, 6, ..., 21 is shown.
set -euo pipefail
doseval=$1
repo=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for c in nct05563545_efficacy nct05563545; do
  "$doseval" run "$repo/configs/$c.yaml" --trials 2000 --quiet --out "$tmp/$c" >/dev/null 2>&1
  python3 - "$tmp/$c/report.html" "$tmp/$c/oc.csv" "$c" <<'PY'
import csv, html, re, sys
page, rows, name = open(sys.argv[1]).read(), list(csv.DictReader(open(sys.argv[2]))), sys.argv[3]
scenarios = list(dict.fromkeys(r["scenario"] for r in rows))
trimmed = 0
for s, scenario in enumerate(scenarios, 1):
    at = page.index('<section class="scenario" id="s%d">' % s)
    section = page[at:page.index("</section>", at)]
    title = html.unescape(re.search(r"<h2>Scenario: (.*?)[<\n]", section).group(1)).strip()
    if title != scenario:
        sys.exit("FAIL: %s: section s%d is '%s', oc.csv's scenario %d is '%s'" % (name, s, title, s, scenario))
    dist = [r for r in rows if r["scenario"] == scenario and r["metric"] == "n_dist"]
    reached = [int(r["dose"]) for r in dist if float(r["value"]) > 0]
    lo, hi = min(reached), max(reached)
    every = sorted({int(r["dose"]) for r in dist})
    want = [n for n in every if lo <= n <= hi]
    trimmed += len(every) - len(want)
    shown = []
    for n, cells in re.findall(r'<tr><td class="l">&nbsp;&nbsp;N = (\d+)</td>(.*?)</tr>', section):
        shown.append(int(n))
        for r in re.findall(r'data-r="(\d+)"', cells):
            row = rows[int(r)]
            if (row["scenario"], row["metric"], row["dose"]) != (scenario, "n_dist", n):
                sys.exit("FAIL: %s/%s: the cell of N = %s is oc.csv's %s" % (name, scenario, n, row))
    if shown != want:
        sys.exit("FAIL: %s/%s: P(N = n) rows %s, want %s (oc.csv: n %d ... %d reached)"
                 % (name, scenario, shown, want, lo, hi))
if name == "nct05563545_efficacy" and trimmed == 0:
    sys.exit("FAIL: %s: no P(N = n) row to leave out: the test shows nothing" % name)
if name == "nct05563545" and trimmed != 0:
    sys.exit("FAIL: %s: %d P(N = n) rows left out where every n is reached" % (name, trimmed))
print("ok: %s: P(N = n) rows as oc.csv reaches them in %d scenarios (%d empty rows left out)"
      % (name, len(scenarios), trimmed))
PY
done
