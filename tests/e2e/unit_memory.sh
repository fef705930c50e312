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

# Memory does not grow with the number of random scenarios (issue 17): peak RSS of exact and of
# run under 3,000 and 12,000 random curves (both more than the 2,157 scenarios of one window of
# run's counters here) differ by less than 4 MB (the counter file's trial ranges, 24 bytes per
# scenario, are the only per-scenario memory left: 216 KB more here).
peak() { /usr/bin/time -f "%M" -o "$tmp/rss" "$@" >/dev/null 2>&1; cat "$tmp/rss"; }
for n in 3000 12000; do
  sed -e "s/count: 3000/count: $n/" -e 's/trials: 300/trials: 20/' \
    "$repo/tests/data/random_scenarios.yaml" >"$tmp/r$n.yaml"
done
for cmd in exact run; do
  small=$(peak "$doseval" "$cmd" "$tmp/r3000.yaml" --out "$tmp/o")
  large=$(peak "$doseval" "$cmd" "$tmp/r12000.yaml" --out "$tmp/o")
  if [ $((large - small)) -ge 4096 ]; then
    echo "FAIL: $cmd: peak RSS $small KB under 3000 random curves, $large KB under 12000" >&2
    exit 1
  fi
  echo "ok: $cmd: peak RSS $small KB under 3000 random curves, $large KB under 12000"
done
