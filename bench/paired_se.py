#!/usr/bin/env python3
"""bench/paired_se.py [OC.csv] — what common random numbers buy: for every pair of designs and
scenario, the paired MCSE of a difference over the unpaired one, sqrt(se_A^2 + se_B^2) (the
error the difference would have if the designs were simulated on independent patients).
Prints the median and range per metric over all pairs and scenarios."""
import csv
import math
import sys

path = sys.argv[1] if len(sys.argv) > 1 else "results/nct05563545/oc.csv"
rows = list(csv.DictReader(open(path, newline="")))
cell = {(r["scenario"], r["design"], r["metric"], r["dose"]): r for r in rows}
metrics = [("pcs_diff", "pcs"), ("n_mean_diff", "n_mean"), ("dlt_mean_diff", "dlt_mean"),
           ("pct_overdosed_diff", "pct_overdosed")]
print(f"{path}: paired MCSE / unpaired SE of a difference, over every pair and scenario")
print(f"{'metric':<20} {'median':>7} {'min':>6} {'max':>6} {'pairs':>6}")
for paired, single in metrics:
    ratios = []
    for r in rows:
        if r["metric"] != paired or " vs " not in r["design"] or r["mcse"] in ("NA", "0"):
            continue
        a, b = r["design"].split(" vs ")
        se = math.hypot(float(cell[(r["scenario"], a, single, "")]["mcse"]),
                        float(cell[(r["scenario"], b, single, "")]["mcse"]))
        if se > 0:
            ratios.append(float(r["mcse"]) / se)
    ratios.sort()
    if ratios:
        print(f"{paired:<20} {ratios[len(ratios) // 2]:7.2f} {ratios[0]:6.2f} {ratios[-1]:6.2f} {len(ratios):6d}")
