#!/usr/bin/env bash
# unit_layering.sh — the house rules of STYLE.md that grep can check: only src/base/par.c includes
# mpi.h; designs never allocate, draw random numbers (no rng_* call), print or exit; library code
# never prints or exits (only main, the cli_* commands and the stdout table writer print); and no
# file of src/ outside the command line, nor designs/design.h, names a design, one of its keys or
# one of its own stop reasons in its code (comments may cite them). src/cli may: its commands are
# the contract's (SPEC 4: `skeleton` is CRM's calibration, `boundaries` prints BOIN's table by
# default). The names, keys and reasons come from the designs' tables (build/tests/design_options
# --names), so a new design is covered without a change here.
# Usage: bash tests/e2e/unit_layering.sh /path/to/doseval /path/to/repo
set -uo pipefail
doseval=$1
repo=$2
cd "$repo" || exit 1
fail=0
bad() { echo "FAIL: $*" >&2; fail=1; }
printer="$(dirname "$doseval")/tests/design_options"
[[ -x "$printer" ]] || { echo "FAIL: $printer is not built" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A file's code without its comments (the preprocessor's own reading: strings stay whole,
# nothing is expanded or included), and the string literals of such code on stdin, one a line
# (character literals first dropped: '"' would open a string).
code() { cc -fpreprocessed -dD -E -P -x c "$1" 2>/dev/null; }
strings_of() { sed -E "s/'([^'\\]|\\\\.)+'/''/g" | grep -oE '"([^"\\]|\\.)*"'; }
# Each line of stdin (code or a string found in file $1) with its line number in $1 where grep
# finds it whole (the preprocessed code has lost the file's numbering).
where() { while IFS= read -r hit; do
  n=$(grep -nF -- "$(echo "$hit" | sed -E 's/^ +//')" "$1" | head -1 | cut -d: -f1)
  echo "$1:${n:-?}: $hit"
done; }
# A word as an extended regular expression.
ere() { printf '%s' "$1" | sed -E 's#[]^$*+?(){}|.\\[]#\\&#g'; }

mpi=$(grep -l '#include <mpi.h>' src/*/*.c src/*/*.h designs/*.c designs/*.h | tr '\n' ' ')
[ "$mpi" = "src/base/par.c " ] || bad "mpi.h is included by: $mpi (only src/base/par.c may)"

hits=$(grep -nE '\b(malloc|calloc|realloc|free|rand|random|printf|fprintf|puts|fputs|exit|abort)\s*\(' designs/*.c)
[ -z "$hits" ] || bad "a design allocates, draws, prints or exits:
$hits"
hits=$(grep -nE '^\s*static\s+[a-z_0-9 ]+\s+[a-z_0-9]+(\[[^]]*\])?\s*(=|;)' designs/*.c | grep -v 'const')
[ -z "$hits" ] || bad "a design keeps a mutable static:
$hits"

library=$(ls src/*/*.c | grep -vE 'src/(cli/.*|results/write_table)\.c$')
hits=$(grep -nE '\b(printf|puts|exit|abort|perror)\s*\(|\bf(printf|puts)\s*\(\s*std(out|err)' $library)
[ -z "$hits" ] || bad "library code prints or exits:
$hits"

for f in designs/*.c designs/*.h; do
  hits=$(code "$f" | grep -E '\brng_[A-Za-z0-9_]*\s*\(|#\s*include\s*"rng\.h"' | where "$f")
  [ -z "$hits" ] || bad "$f draws random numbers (rng_*):
$hits"
done

"$printer" --names >"$tmp/words" || { echo "FAIL: $printer --names failed" >&2; exit 1; }
# The rules layer owns its rules' names and keys (src/engine/rules.c), and some are also a
# design's key (CRM's no_skip, a rule of the rules layer); `p_tox` is also the scenarios' key
# (SPEC 5), a word of the config as BOIN's p_tox is one of BOIN.
awk '$1 == "rule" {print $2}' "$tmp/words" | sort -u >"$tmp/shared"
echo p_tox >>"$tmp/shared"
# BLRM's nested keys (SPEC 14: prior {mean, sd, corr}, stop {min_n, ...}) end in words the engine
# uses in its own sense: a trial's stop (p_stop, stop reasons) and a metric's mean and sd (SPEC 8).
# Their dotted forms (prior.mean, stop.min_n) are still checked whole.
printf '%s\n' stop mean sd >>"$tmp/shared"
awk '$1 == "design" {print $2}' "$tmp/words" | sort -u >"$tmp/names"
awk '$1 == "key" || $1 == "reason" {print $2}' "$tmp/words" | sort -u |
  grep -vxF -f "$tmp/shared" >"$tmp/keys"
[ "$(wc -l <"$tmp/names")" -ge 12 ] && [ "$(wc -l <"$tmp/keys")" -ge 20 ] ||
  bad "$printer --names printed too few words: $(tr '\n' ' ' <"$tmp/names")"
names_re="(^|[^A-Za-z0-9])($(while read -r w; do ere "$w"; echo; done <"$tmp/names" | paste -sd'|'))([^A-Za-z0-9]|\$)"
keys_re="(^|[^A-Za-z0-9_])($(while read -r w; do ere "$w"; echo; done <"$tmp/keys" | paste -sd'|'))([^A-Za-z0-9_]|\$)"
engine=$(ls src/*/*.c src/*/*.h designs/design.h | grep -v '^src/cli/')
[ "$(echo "$engine" | wc -l)" -ge 40 ] || bad "too few engine files: $engine"
for f in $engine; do
  code "$f" >"$tmp/code"
  [ -s "$tmp/code" ] || bad "$f: no code read (is cc there?)"
  # a design's name anywhere in the code (crm_model, "boin", #include "crm.h") ...
  hits=$(grep -iE "$names_re" "$tmp/code" | where "$f")
  [ -z "$hits" ] || bad "$f names a design:
$hits"
  # ... and its keys and stop reasons where code names them, in strings ("cutoff_eli")
  hits=$(strings_of <"$tmp/code" | grep -E "$keys_re" | where "$f")
  [ -z "$hits" ] || bad "$f names a design's key or stop reason:
$hits"
done
[ $fail -eq 0 ] && echo "ok: layering rules hold"
exit $fail
