#!/usr/bin/env bash
# stat_calibrate_exact.sh — each point of a calibration equals `doseval exact` on a config with the
# point's values written in (SPEC section 15): a BOIN with a rule, over a 3 x 2 grid of its own
# option (cutoff_eli) and its rule's (stop_when_n_at_dose.n), on named scenarios and 12 random
# curves. From exact's oc.csv: the mean over every scenario of pcs, pct_overdosed, p_stop and
# n_mean, and the MCSE sqrt(N sd^2) / S of the random curves' spread (docs/calibration.md), to
# 1e-9 (oc.csv prints 12 decimals). The best point is the largest pcs with pct_overdosed <= X.
set -euo pipefail
doseval=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
config() { # ELI N: the config with those values written in
  cat <<YAML
study: {name: "calibration check", doses: [1, 2, 3, 4], target: 0.25, cohort_size: 3, max_n: 18,
        start_dose: 1}
designs:
  - {name: "3+3", type: threeplusthree}
  - {name: "BOIN rule", type: boin, cutoff_eli: $1,
     rules: [{stop_when_n_at_dose: {n: $2, dose: recommended}}]}
scenarios:
  - {name: "MTD at dose 2", p_tox: [0.10, 0.25, 0.40, 0.55]}
  - {name: "MTD at dose 4", p_tox: [0.03, 0.08, 0.15, 0.25]}
  - {name: "too toxic", p_tox: [0.45, 0.55, 0.65, 0.75]}
random_scenarios: {count: 12, method: pseudo-uniform}
simulation: {trials: 1000, seed: 99}
YAML
}
config 0.95 9 >"$tmp/base.yaml"
"$doseval" calibrate "$tmp/base.yaml" --design "BOIN rule" --grid cutoff_eli=0.8,0.9,0.95 \
  --grid stop_when_n_at_dose.n=6,12 --max-overdose 20 --out "$tmp/cal" >"$tmp/stdout"
csv="$tmp/cal/calibration.csv"
[[ $(head -1 "$csv") == "point,cutoff_eli,stop_when_n_at_dose.n,method,pcs,pcs_mcse,pct_overdosed,p_stop,n_mean,best,diff_best,diff_best_mcse" ]] ||
  { echo "FAIL: header $(head -1 "$csv")" >&2; exit 1; }
[[ $(wc -l <"$csv") -eq 7 ]] || { echo "FAIL: $(wc -l <"$csv") lines, want 7" >&2; exit 1; }
point=0
for eli in 0.8 0.9 0.95; do
  for n in 6 12; do
    point=$((point + 1))
    config "$eli" "$n" >"$tmp/p$point.yaml"
    "$doseval" exact "$tmp/p$point.yaml" --design "BOIN rule" --out "$tmp/e$point" >/dev/null
    # the truth from exact's oc.csv: means over the 15 scenarios (not the row of the means)
    truth=$(awk -F, 'NR > 1 && $2 == "BOIN rule" && $1 !~ /^random \(mean/ && $4 == "" {
        if ($3 == "pcs") { s++; pcs += $5; if ($1 ~ /^random /) { r++; x[r] = $5 } }
        if ($3 == "pct_overdosed") od += $5
        if ($3 == "p_stop") st += $5
        if ($3 == "n_mean") nm += $5 }
      END { m = 0; for (i = 1; i <= r; i++) m += x[i]; m /= r
            v = 0; for (i = 1; i <= r; i++) v += (x[i] - m)^2; v /= r - 1
            printf "%d %.12f %.12f %.12f %.12f %.12f\n", s, pcs / s, sqrt(r * v) / s, od / s, st / s, nm / s }' \
      "$tmp/e$point/oc.csv")
    got=$(awk -F, -v p=$point '$1 == p { print $2, $3, $4, $5, $6, $7, $8, $9 }' "$csv")
    read -r s t_pcs t_mcse t_od t_stop t_n <<<"$truth"
    read -r g_eli g_n g_method g_pcs g_mcse g_od g_stop g_n_mean <<<"$got"
    [[ $s == 15 && $g_eli == "$eli" && $g_n == "$n" && $g_method == exact ]] ||
      { echo "FAIL: point $point: '$got' (exact read $s scenarios)" >&2; exit 1; }
    awk -v a="$t_pcs $t_mcse $t_od $t_stop $t_n" -v b="$g_pcs $g_mcse $g_od $g_stop $g_n_mean" -v p=$point '
      BEGIN { split(a, x, " "); split(b, y, " "); split("pcs pcs_mcse pct_overdosed p_stop n_mean", k, " ")
              for (i = 1; i <= 5; i++) { d = x[i] - y[i]; if (d < 0) d = -d
                if (d > 1e-9) { printf "FAIL: point %d %s: calibrate %s, exact %s\n", p, k[i], y[i], x[i]; bad = 1 } }
              exit bad }' >&2
  done
done
# the grid matters: the six points do not all give the same numbers
[[ $(awk -F, 'NR > 1 { print $5, $9 }' "$csv" | sort -u | wc -l) -ge 4 ]] ||
  { echo "FAIL: the points barely differ: the values were not applied" >&2; cat "$csv" >&2; exit 1; }
# the best point: the largest pcs among pct_overdosed <= 20, marked once, and named on stdout
want=$(awk -F, 'NR > 1 && $7 <= 20 && (best == "" || $5 > top) { best = $1; top = $5 } END { print best }' "$csv")
got=$(awk -F, 'NR > 1 && $10 == 1 { print $1 }' "$csv")
[[ -n $want && $want == "$got" ]] || { echo "FAIL: best point '$got', want '$want'" >&2; exit 1; }
grep -q "^best: point $want (" "$tmp/stdout" || { echo "FAIL: stdout does not name point $want" >&2; exit 1; }
# diff_best: each point's pcs minus the best's; its paired MCSE 0 on the best point, and with
# random curves (shared by every point) the spread of the per-curve differences, so above 0
awk -F, -v b="$want" 'NR > 1 && $1 == b { top = $5 } NR > 1 { pcs[$1] = $5; d[$1] = $11; m[$1] = $12 }
  END { for (p in pcs) { e = pcs[p] - top - d[p]; if (e > 1e-9 || e < -1e-9) exit 1
          if ((p == b) != (m[p] == 0)) exit 1 } }' "$csv" ||
  { echo "FAIL: diff_best or its MCSE" >&2; cat "$csv" >&2; exit 1; }
# without random curves exact points differ with MCSE 0
config 0.95 9 | grep -v '^random_scenarios' >"$tmp/named.yaml"
"$doseval" calibrate "$tmp/named.yaml" --design "BOIN rule" --grid cutoff_eli=0.8,0.9,0.95 \
  --out "$tmp/named" >/dev/null
[[ $(awk -F, 'NR > 1 { print $3 "," $NF }' "$tmp/named/calibration.csv" | sort -u) == "exact,0" ]] ||
  { echo "FAIL: exact points without random curves: diff_best_mcse not 0" >&2; cat "$tmp/named/calibration.csv" >&2; exit 1; }
echo "ok: 6 calibration points equal doseval exact with their values written in (pcs, MCSE, pct_overdosed, p_stop, n_mean); best point $want"
