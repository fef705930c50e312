# tests/e2e/lib/refuse.sh — sourced by the badinput scripts (kept in lib/, outside the e2e/*.sh
# that ctest runs). refuse LABEL NEEDLE... -- ARGS... runs "$doseval" ARGS in the working
# directory and checks a refusal: exit 2, every NEEDLE in stderr, no ./out written and nothing on
# stdout; then counts it in $cases. Needs $doseval and $cases set by the caller.
refuse() { # LABEL NEEDLE... -- ARGS...
  local label=$1
  shift
  local needles=()
  while [ "$1" != -- ]; do needles+=("$1"); shift; done
  shift
  rm -rf out
  "$doseval" "$@" >stdout 2>stderr
  local rc=$?
  if [ $rc -ne 2 ]; then echo "FAIL: $label: exit $rc, expected 2" >&2; cat stderr >&2; exit 1; fi
  for n in "${needles[@]}"; do
    grep -qF -- "$n" stderr || { echo "FAIL: $label: stderr lacks '$n'" >&2; cat stderr >&2; exit 1; }
  done
  [ ! -e out ] || { echo "FAIL: $label: wrote output" >&2; exit 1; }
  [ ! -s stdout ] || { echo "FAIL: $label: printed on stdout" >&2; exit 1; }
  echo "ok: $label: $(head -1 stderr)"
  cases=$((cases + 1))
}
