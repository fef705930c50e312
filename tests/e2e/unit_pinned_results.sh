#!/usr/bin/env bash
# unit_pinned_results.sh — speed work must not change a result (issue 19): the sha256 of oc.csv
# from `run` and `exact` on the reference study and on the 5-dose study is pinned in
# tests/data/pinned_results.sha256. A change that moves any byte fails here; a change meant to
# alter results updates the pins in its own commit and says why.
set -uo pipefail
doseval=$1
repo=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pins="$repo/tests/data/pinned_results.sha256"
fail=0
while read -r want name cmd config args; do
  [ -z "$want" ] || [ "${want#\#}" != "$want" ] && continue
  # shellcheck disable=SC2086
  if ! "$doseval" "$cmd" "$repo/$config" $args --out "$tmp/$name" >/dev/null 2>"$tmp/err"; then
    echo "FAIL: doseval $cmd $config $args: $(cat "$tmp/err")" >&2
    fail=1
    continue
  fi
  got=$(sha256sum "$tmp/$name/oc.csv" | cut -d' ' -f1)
  if [ "$got" != "$want" ]; then
    echo "FAIL: $name: oc.csv of doseval $cmd $config $args has sha256 $got; pinned $want" >&2
    fail=1
  else
    echo "ok: $name ($cmd $config $args) matches its pin"
  fi
done <"$pins"
exit $fail
