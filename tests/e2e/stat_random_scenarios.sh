#!/usr/bin/env bash
# stat_random_scenarios.sh — the means over random curves (SPEC section 8) from `run` agree with
# `exact`'s on the same curves: on the same curves the two differ by simulation error only, whose
# standard error is sqrt(sum of each curve's squared MCSE) / N; every mean of every design and
# pair must lie within 4 of those. And each mean is the plain mean of the per-curve rows.
set -euo pipefail
doseval=$1
repo=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed -e 's/count: 3000/count: 400/' -e 's/trials: 300/trials: 4000/' \
  "$repo/tests/data/random_scenarios.yaml" >"$tmp/config.yaml"
"$doseval" run "$tmp/config.yaml" --quiet --out "$tmp/run" >/dev/null
"$doseval" exact "$tmp/config.yaml" --out "$tmp/exact" >/dev/null
python3 - "$tmp/run/oc.csv" "$tmp/exact/oc.csv" <<'PY'
import csv, math, sys
def load(path):
    curves, means = {}, {}
    for r in csv.DictReader(open(path)):
        if r["dose"] != "" or r["value"] == "NA":
            continue
        key = (r["design"], r["metric"])
        if r["scenario"].startswith("random (mean of"):
            means[key] = (float(r["value"]), float(r["mcse"]))
        elif r["scenario"].startswith("random "):
            curves.setdefault(key, []).append((float(r["value"]), float(r["mcse"])))
    return curves, means
run_curves, run_means = load(sys.argv[1])
ex_curves, ex_means = load(sys.argv[2])
assert run_means and set(run_means) == set(ex_means), (sorted(run_means), sorted(ex_means))
checked = 0
for key, (value, mcse) in sorted(run_means.items()):
    values = [v for v, _ in run_curves[key]]
    n = len(values)
    mean = sum(values) / n
    assert abs(mean - value) <= 1e-9 * max(1, abs(mean)), (key, mean, value)
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    assert abs(mcse - sd / math.sqrt(n)) <= 1e-9 * max(1, sd), (key, mcse, sd / math.sqrt(n))
    sim = math.sqrt(sum(s * s for _, s in run_curves[key])) / n
    truth = ex_means[key][0]
    if sim == 0:
        assert abs(value - truth) < 1e-12, (key, value, truth)
    else:
        assert abs(value - truth) <= 4 * sim, f"{key}: run {value}, exact {truth}, 4 se {4 * sim}"
    checked += 1
print(f"ok: {checked} means over 400 curves: run within 4 simulation SE of exact, "
      "each the mean of its curves' rows with sd/sqrt(N) as its standard error")
PY
