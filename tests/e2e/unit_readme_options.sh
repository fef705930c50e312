#!/usr/bin/env bash
# unit_readme_options.sh — the option list of docs/designs.md is the one the designs' and rules'
# tables print (build/tests/design_options), and the README's synopsis of the commands is the one
# `doseval --help` prints from the table of commands (src/cli/cli.c): a design, rule or command
# whose options change without the docs fails here.
# Usage: bash tests/e2e/unit_readme_options.sh /path/to/doseval /path/to/repo
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

# The commands: the indented lines after "usage:" in `doseval --help`, without their indent, are
# the lines between the README's commands markers, without the code fence.
"$doseval" --help | awk '/^usage:$/{on=1; next} on && !/^  /{exit} on{sub(/^  /, ""); print}' \
  >"$tmp/want.txt"
[[ -s "$tmp/want.txt" ]] || { echo "FAIL: doseval --help printed no synopsis after 'usage:'" >&2; exit 1; }
awk '/^<!-- commands: begin/{on=1; next} /^<!-- commands: end/{on=0} on && !/^```/' \
  "$repo/README.md" >"$tmp/got.txt"
if [[ ! -s "$tmp/got.txt" ]]; then
  echo "FAIL: README.md has no <!-- commands: begin --> ... <!-- commands: end --> block" >&2
  exit 1
fi
if ! diff -u "$tmp/want.txt" "$tmp/got.txt" >&2; then
  echo "FAIL: README.md's commands differ from doseval --help (- doseval --help, + README)" >&2
  exit 1
fi
echo "ok: README.md's synopsis of the commands is the one doseval --help prints"
