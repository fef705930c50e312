#!/usr/bin/env bash
# report_own_truth.sh — where BOIN12's P(correct selection) counts its true OBD while the other
# designs' count the true MTD (SPEC section 13), report.html and stdout say so: in the summary's
# P(correct selection) table a row is marked † exactly when BOIN12's pcs in oc.csv is not its
# selection of the row's true MTD (a property of oc.csv alone, not of the page's code), the note
# under the table names the row, ★ never marks BOIN12 in a marked row, the paired pcs table marks
# the same rows, and stdout names the OBD under the same scenarios' headings.
set -euo pipefail
doseval=$1
repo=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed 's/^simulation: .*/simulation: {trials: 400, seed: 20261124}/' "$repo/configs/nct05563545_efficacy.yaml" >"$tmp/cfg.yaml"
"$doseval" run "$tmp/cfg.yaml" --out "$tmp/run" >"$tmp/stdout.txt" 2>/dev/null
python3 - "$tmp/run/report.html" "$tmp/run/oc.csv" "$tmp/stdout.txt" <<'EOF'
import csv, re, sys
html, rows, out = open(sys.argv[1]).read(), list(csv.DictReader(open(sys.argv[2]))), open(sys.argv[3]).read()
def value(s, metric, dose=""):
    v = [r["value"] for r in rows if (r["scenario"], r["design"], r["metric"], r["dose"]) == (s, "BOIN12", metric, dose)]
    return v[0]
def table(title):
    at = html.index("<h3>" + title + "</h3>")
    return html[at:html.index("</table>", at)]
pcs = table("P(correct selection)")
marked, want = set(), set()
for tr in re.findall(r"<tr><td class=\"l\">(.*?)</tr>", pcs):
    name = re.sub(r"<[^>]+>", "", tr.split("</td>")[0]).replace("&dagger;", "").strip()
    mtd = re.sub(r"<[^>]+>", "", tr.split("</td>")[1])
    dose = "0" if mtd == "none" else mtd
    if "&dagger;" in tr.split("</td>")[0]:
        marked.add(name)
    if value(name, "pcs") != value(name, "sel", dose):
        want.add(name)
    cells = re.findall(r"<td[^>]*data-r[^>]*>", tr)
    if name in marked and 'class="best"' in cells[-1]:  # BOIN12 is the last design
        sys.exit("FAIL: %s: BOIN12 starred in a row where it counts another dose" % name)
if not want:
    sys.exit("FAIL: no scenario where BOIN12's pcs counts another dose than the true MTD")
if marked != want:
    sys.exit("FAIL: rows marked %s, oc.csv says BOIN12 counts its own dose in %s" % (sorted(marked), sorted(want)))
caption = re.search(r"<caption class=\"own\">(.*?)</caption>", pcs, re.S)
if not caption or not all(n in caption.group(1) for n in want) or "OBD" not in caption.group(1):
    sys.exit("FAIL: the note under P(correct selection) does not name %s" % sorted(want))
diff = table("P(correct selection), difference")
dmarked = {re.sub(r"<[^>]+>", "", tr.split("</td>")[0]).replace("&dagger;", "").strip()
           for tr in re.findall(r"<tr><td class=\"l\">(.*?)</tr>", diff) if "&dagger;" in tr.split("</td>")[0]}
if dmarked != want:
    sys.exit("FAIL: the paired table marks %s, want %s" % (sorted(dmarked), sorted(want)))
for block in out.split("\n\n")[1:]:
    name = block.split(":")[0]
    says = "BOIN12's P(correct selection) and its paired diff. count its true OBD" in block
    if says != (name in want):
        sys.exit("FAIL: stdout under '%s' names the OBD: %s, want %s" % (name, says, name in want))
print("ok: BOIN12 counts its true OBD in %s; the report and stdout say so there and only there" % sorted(want))
EOF
