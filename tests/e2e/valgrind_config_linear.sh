#!/usr/bin/env bash
# valgrind_config_linear.sh — loading a config is linear in its named scenarios (issue 27, item
# 5: checking each name against every earlier one made 100,000 scenarios take 19 s). Counts the
# instructions of config_load_text (callgrind, collecting inside that function only) for N and
# 4N named scenarios: linear loading costs about 4 times as many, the quadratic check cost 7
# times at these sizes. An instruction count is deterministic: no timing is asserted.
# Not registered in a -DSANITIZE=ON build (valgrind cannot run an ASan binary).
# Usage: bash tests/e2e/valgrind_config_linear.sh /path/to/doseval /path/to/repo
set -uo pipefail
doseval=$1
repo=$2
command -v valgrind >/dev/null || { echo "FAIL: valgrind is not installed (scripts/setup-deps.sh)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
config="$repo/configs/nct05563545.yaml"
fail() { echo "FAIL: $*" >&2; exit 1; }

# the reference config with n named scenarios of names that share a long prefix
make_config() {
  sed '/^scenarios:/,$d' "$config"
  echo "scenarios:"
  awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++)
    printf "  - {name: \"scenario number %d\", p_tox: [0.1, 0.2, 0.3]}\n", i }'
  echo "simulation: {trials: 100, seed: 1}"
}

count() { # N: instructions executed inside config_load_text for N named scenarios
  make_config "$1" >"$tmp/c$1.yaml"
  valgrind --tool=callgrind --callgrind-out-file=/dev/null --collect-atstart=no \
    --toggle-collect=config_load_text "$doseval" validate "$tmp/c$1.yaml" \
    >/dev/null 2>"$tmp/vg$1" || fail "validate of $1 scenarios failed: $(tail -n 5 "$tmp/vg$1")"
  local refs
  refs=$(grep -Eo 'refs: +[0-9,]+' "$tmp/vg$1" | grep -Eo '[0-9,]+$' | tr -d ,)
  [[ -n "$refs" && "$refs" -gt 0 ]] ||
    fail "no instructions counted in config_load_text for $1 scenarios (is the symbol there?)"
  echo "$refs"
}

n=2000
small=$(count $n) || exit 1
large=$(count $((4 * n))) || exit 1
ratio=$(awk -v a="$small" -v b="$large" 'BEGIN { printf "%.2f", b / a }')
echo "config_load_text: $small instructions for $n scenarios, $large for $((4 * n)): x$ratio"
awk -v r="$ratio" 'BEGIN { exit !(r < 5.0) }' ||
  fail "loading $((4 * n)) named scenarios costs $ratio times $n of them (linear: about 4)"
echo "ok: config loading is linear in the named scenarios"
