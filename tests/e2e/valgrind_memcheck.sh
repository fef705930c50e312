#!/usr/bin/env bash
# valgrind_memcheck.sh — memcheck on a small `run` and an `exact` of the reference study (every
# design): no invalid access, no use of uninitialised memory and no leak in the program's own
# code. Open MPI's own allocations are suppressed (tests/valgrind-openmpi.supp); a leak whose
# stack runs through none of its libraries still fails. Not registered in a -DSANITIZE=ON build.
# Usage: bash tests/e2e/valgrind_memcheck.sh /path/to/doseval /path/to/repo
set -uo pipefail
doseval=$1
repo=$2
command -v valgrind >/dev/null || { echo "FAIL: valgrind is not installed (scripts/setup-deps.sh)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
config="$repo/configs/nct05563545.yaml"
# components stay mapped after MPI_Finalize, so the suppressions can name their frames
export OMPI_MCA_mca_base_component_disable_dlclose=1
fail=0
check() { # LABEL ARGS...
  local label=$1
  shift
  local rc=0
  # --num-callers=30: deep enough that each Open MPI stack reaches one of its libraries
  valgrind --error-exitcode=99 --leak-check=full --num-callers=30 \
    --suppressions="$repo/tests/valgrind-openmpi.supp" --log-file="$tmp/$label.vg" \
    "$doseval" "$@" >/dev/null 2>"$tmp/$label.err" || rc=$?
  if [ $rc -ne 0 ]; then
    if [ $rc -eq 99 ]; then echo "FAIL: $label: memcheck found errors:" >&2; else echo "FAIL: $label: doseval exited $rc:" >&2; fi
    cat "$tmp/$label.err" "$tmp/$label.vg" >&2
    fail=1
    return
  fi
  echo "ok: $label: $(grep -E 'ERROR SUMMARY' "$tmp/$label.vg" | sed 's/^==[0-9]*== //')"
}
check run run "$config" --trials 20 --quiet --out "$tmp/run"
[ -s "$tmp/run/oc.csv" ] || { echo "FAIL: run wrote no oc.csv" >&2; fail=1; }
check exact exact "$config" --out "$tmp/exact"
[ -s "$tmp/exact/oc.csv" ] || { echo "FAIL: exact wrote no oc.csv" >&2; fail=1; }
rules="$repo/configs/nct05563545_interval.yaml"
check exact_rules exact "$rules" --out "$tmp/exact_rules"
check next next "$config" --design CRM --outcomes "1NNN 2NTN 2NNNN" --json
check paths paths "$config" --design BOIN --cohorts 3 --scenario "MTD at dose 2" --out "$tmp/paths"
[ -s "$tmp/paths/paths.html" ] || { echo "FAIL: paths wrote no paths.html" >&2; fail=1; }
check validate validate "$rules"
check boundaries boundaries --design mtpi2 --target 0.3 --cohort-size 3 --cohorts 10
exit $fail
