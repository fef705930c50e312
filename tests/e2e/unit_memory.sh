#!/usr/bin/env bash
# unit_memory.sh — `exact` reserves memory as its graphs grow (issue 18, item 12): the reference
# study and the 5-dose study run under a 200 MB limit on virtual memory (they need a few MB; the
# graphs used to reserve their whole 2 GiB bound up front and failed under `ulimit -v`).
set -uo pipefail
doseval=$1
repo=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# ASan's shadow memory needs terabytes of address space. (The whole of ldd's output is read: with
# pipefail, `grep -q` quitting early would make ldd die of SIGPIPE and the test miss it.)
libs=$(ldd "$doseval" 2>/dev/null || true)
if grep -q libasan <<<"$libs"; then
  echo "SKIP: an AddressSanitizer build cannot run under ulimit -v (the normal build's run checks it)"
  exit 0
fi
for config in configs/nct05563545.yaml tests/data/five_doses.yaml; do
  if ! (ulimit -v 200000 && "$doseval" exact "$repo/$config" --out "$tmp/out" >/dev/null 2>"$tmp/err"); then
    echo "FAIL: doseval exact $config under ulimit -v 200000: $(cat "$tmp/err")" >&2
    exit 1
  fi
  echo "ok: exact $config runs in 200 MB of virtual memory"
done
