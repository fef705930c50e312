#!/usr/bin/env python3
"""check_calibration.py — a calibration's report.html against its calibration.csv (SPEC section 15):
every table row's values equal the CSV's (rounded as shown), the difference to the best point with
its paired MCSE among them, and the points within 1.96 paired MCSE of the best (and within
--max-overdose) marked with an approx sign, those alone; the best point is the CSV's (starred row,
outlined heat-map cells or ringed line points), the points above --max-overdose are marked (a
notch per heat-map cell), the charts are there (two heat maps of every cell for two keys or more,
with a dashed outline per point near the best on the first; for one key two lines with error bars
and, with a best point, a third of the differences with their paired error bars), no script and
nothing loaded from elsewhere.
Usage: check_calibration.py REPORT.html CALIBRATION.csv [--max-overdose X]
       check_calibration.py --not-blank PAGE.ppm   (a rendered page is not one colour)
Exit 0 when it holds, 1 with the first difference on stderr."""
import csv
import re
import sys


def fail(msg):
    print("check_calibration: " + msg, file=sys.stderr)
    sys.exit(1)


def ppm_spread(path):
    """The standard deviation of a binary PPM's grey levels (0: a blank picture)."""
    data = open(path, "rb").read()
    parts = data.split(maxsplit=4)
    if parts[0] != b"P6":
        fail(path + ": not a binary PPM")
    header = data.split(b"\n", 3)  # pdftoppm writes "P6\nW H\n255\n" then the pixels
    pix = header[3] if len(header) == 4 else parts[4]
    grey = [sum(pix[i:i + 3]) / 3 for i in range(0, len(pix) - 2, 3 * 97)]
    m = sum(grey) / len(grey)
    return (sum((g - m) ** 2 for g in grey) / len(grey)) ** 0.5


def main(argv):
    args = argv[1:]
    if args[:1] == ["--not-blank"]:
        if ppm_spread(args[1]) < 1:
            fail(args[1] + ": a blank picture")
        print("ok: %s is not blank" % args[1])
        return
    max_od = None
    if "--max-overdose" in args:
        i = args.index("--max-overdose")
        max_od = float(args[i + 1])
        del args[i:i + 2]
    html = open(args[0], encoding="utf-8").read()
    rows = list(csv.reader(open(args[1], encoding="utf-8")))
    head, rows = rows[0], rows[1:]
    keys = head[1:head.index("method")]
    obj = head[head.index("method") + 1]
    if re.search(r"<script|<link|src=\"http|href=\"http|@import", html):
        fail("a script or something loaded from elsewhere")
    best = [r[0] for r in rows if r[head.index("best")] == "1"]
    body = html[html.index("<tbody>"):html.index("</tbody>")]
    shown = re.findall(r"<tr([^>]*)>(.*?)</tr>", body)
    if len(shown) != min(len(rows), 200):
        fail("%d table rows, calibration.csv has %d points" % (len(shown), len(rows)))
    col = {k: head.index(k) for k in head}

    def num(x):
        """'NA' as NaN (calibration.csv's diff columns without a best point or a paired MCSE)."""
        return float("nan") if x == "NA" else float(x)

    def near(r):
        """Not the best, within --max-overdose, and within 1.96 paired MCSE of the best."""
        d, se = num(r[col["diff_best"]]), num(r[col["diff_best_mcse"]])
        ok = max_od is None or float(r[col["pct_overdosed"]]) <= max_od
        return r[0] not in best and ok and se == se and abs(d) <= 1.96 * se

    if ("<th>&minus; best</th>" in html) != bool(best):
        fail("a '- best' column %s, a best point %s" % ("<th>&minus; best</th>" in html, bool(best)))
    for (attr, tr), r in zip(shown, rows):
        cells = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", tr)]
        cells = [c.replace("&plusmn;", "\u00b1").replace("&asymp;", "\u2248") for c in cells]
        want = [r[0]] + [r[col[k]] for k in keys] + ["%.3f" % float(r[col[obj]])]
        got = [cells[0]] + cells[1:1 + len(keys)] + [cells[1 + len(keys)].split("\u00b1")[0].strip()]
        rest = cells[2 + len(keys):]
        if best:
            # the difference and its paired MCSE to 4 decimals (within half a unit of the 4th
            # decimal and a rounding error: calibration.csv's 12 decimals can sit on a tie)
            d, se = num(r[col["diff_best"]]), num(r[col["diff_best_mcse"]])
            m = re.fullmatch(r"(\u2248 )?(-?\d+\.\d{4})(?: \u00b1(\d+\.\d{4}))?", " ".join(rest[0].split()))
            if not m:
                fail("point %s: the difference cell '%s' is not '[\u2248] D [\u00b1S]'" % (r[0], rest[0]))
            if abs(float(m.group(2)) - d) > 0.5e-4 + 1e-9 or m.group(2) == "-0.0000":
                fail("point %s: difference %s shown, calibration.csv %r" % (r[0], m.group(2), d))
            has_se = se == se and se > 0
            if (m.group(3) is not None) != has_se or (has_se and abs(float(m.group(3)) - se) > 0.5e-4 + 1e-9):
                fail("point %s: paired MCSE %s shown, calibration.csv %r" % (r[0], m.group(3), se))
            if (m.group(1) is not None) != near(r):
                fail("point %s: marked near the best %s, calibration.csv says %s" % (r[0], m.group(1) is not None, near(r)))
            rest = rest[1:]
        want += ["%.1f" % float(r[col["pct_overdosed"]]), "%.3f" % float(r[col["p_stop"]]),
                 "%.2f" % float(r[col["n_mean"]]), r[col["method"]]]
        got += [g.strip() for g in rest]
        if got != want:
            fail("point %s: the table shows %s, calibration.csv says %s" % (r[0], got, want))
        if ('class="best"' in attr) != (r[0] in best):
            fail("point %s: starred %s, best in calibration.csv %s" % (r[0], 'class="best"' in attr, r[0] in best))
        over = max_od is not None and float(r[col["pct_overdosed"]]) > max_od
        if ('class="over"' in attr) != (over and r[0] not in best):
            fail("point %s: greyed %s, above --max-overdose %s" % (r[0], 'class="over"' in attr, over))
    if best:
        m = re.search(r"<b>Best point: (\d+)</b>", html)
        if not m or m.group(1) != best[0]:
            fail("the best point box says %s, calibration.csv %s" % (m and m.group(1), best[0]))
    svgs = re.findall(r"<svg.*?</svg>", html, re.S)
    n_charts = 3 if len(keys) == 1 and best else 2
    if len(svgs) != n_charts:
        fail("%d charts, want %d (the objective and pct_overdosed%s)"
             % (len(svgs), n_charts, ", the differences to the best" if n_charts == 3 else ""))
    n_near = sum(1 for r in rows if near(r))
    n_over = sum(1 for r in rows if max_od is not None and float(r[col["pct_overdosed"]]) > max_od)
    if len(keys) >= 2:
        # every cell of both maps (when the grid is the two keys), a notch per point above the limit
        cells = sum(len(re.findall(r"<rect [^>]*stroke=\"#fff\"><title>", s)) for s in svgs)
        if len(keys) == 2 and cells != 2 * len(rows):
            fail("%d heat-map cells, want %d" % (cells, 2 * len(rows)))
        notches = sum(s.count("<path d=\"M") for s in svgs)
        if len(keys) == 2 and notches != 2 * n_over:
            fail("%d notches, want %d (points above --max-overdose, in each map)" % (notches, 2 * n_over))
        outlined = sum(s.count("stroke=\"#D55E00\" stroke-width=\"3\"") for s in svgs)
        if outlined != (2 if best else 0):
            fail("%d best cells outlined, want %d" % (outlined, 2 if best else 0))
        dashed = [s.count("<rect class=\"near\"") for s in svgs]
        if len(keys) == 2 and dashed != [n_near, 0]:
            fail("%s dashed cells in the maps, want [%d, 0] (points near the best)" % (dashed, n_near))
    else:
        if not all("<polyline" in s for s in svgs):
            fail("no line in a chart")
        rings = sum(s.count("r=\"8\"") for s in svgs)
        if rings != (3 if best else 0):
            fail("%d best points ringed, want %d" % (rings, 3 if best else 0))
        mcse = [float(r[col[obj + "_mcse"]]) for r in rows]
        bars = svgs[0].count("<path d=\"M")
        if bars != sum(1 for x in mcse if x > 0):
            fail("%d error bars, want %d (points with an MCSE)" % (bars, sum(1 for x in mcse if x > 0)))
        if best:
            paired = [num(r[col["diff_best_mcse"]]) for r in rows]
            bars = svgs[2].count("<path d=\"M")
            want = sum(1 for x in paired if x == x and x > 0)
            if bars != want:
                fail("%d paired error bars, want %d (points with a paired MCSE)" % (bars, want))
            if "Difference to the best point" not in svgs[2]:
                fail("the third chart is not the differences to the best")
    print("ok: report.html shows calibration.csv's %d points, its best point and %d charts" % (len(rows), len(svgs)))


if __name__ == "__main__":
    main(sys.argv)
