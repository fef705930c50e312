#!/usr/bin/env bash
# unit_readme_options.sh — the option list of docs/designs.md is the one the designs' and rules'
# tables print (build/tests/design_options): a design or rule whose options change without the
# docs fails here. Usage: bash tests/e2e/unit_readme_options.sh /path/to/doseval /path/to/repo
set -euo pipefail
doseval=$1
repo=$2
printer="$(dirname "$doseval")/tests/design_options"
[[ -x "$printer" ]] || { echo "FAIL: $printer is not built" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$printer" >"$tmp/want.md"
awk '/^<!-- options: begin/{on=1; next} /^<!-- options: end/{on=0} on' "$repo/docs/designs.md" >"$tmp/got.md"
if [[ ! -s "$tmp/got.md" ]]; then
  echo "FAIL: docs/designs.md has no <!-- options: begin --> ... <!-- options: end --> block" >&2
  exit 1
fi
if ! diff -u "$tmp/want.md" "$tmp/got.md" >&2; then
  echo "FAIL: docs/designs.md's option list differs from the tables (- tables, + docs);" \
    "regenerate it with $printer" >&2
  exit 1
fi
echo "ok: docs/designs.md lists every design's and rule's options as their tables do"
