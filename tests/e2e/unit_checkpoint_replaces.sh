#!/usr/bin/env bash
# unit_checkpoint_replaces.sh — a folder holds one run's set (issue 27, item 2). After `run A
# --out mix`, a run of another study B into mix whose first checkpoint has appeared, stopped by
# SIGTERM or killed by SIGKILL, leaves mix holding B's counters.dvc alone: A's oc.csv,
# summary.json, report.html and scenarios.csv went with B's first checkpoint, as one unit. Killed
# at once instead, B leaves A's whole set or its own checkpoint, never a mix. A folder that also
# holds other files keeps them, and loses A's set all the same.
set -uo pipefail
doseval=$1
repo=$2
tmp=$(mktemp -d)
trap 'kill -9 $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
cd "$tmp"
a="$repo/configs/nct05563545.yaml"
b="$repo/tests/data/five_doses.yaml"
set_of_a() { # DIR: A's whole result set
  "$doseval" run "$a" --trials 500 --quiet --out "$1" >/dev/null || fail "run A"
  for f in oc.csv summary.json report.html scenarios.csv counters.dvc; do
    [ -f "$1/$f" ] || fail "run A wrote no $f"
  done
}
is_b() { grep -q "^config_path $b\$" "$1/counters.dvc" 2>/dev/null; }
start_b() { # DIR: B in the background, pid in $pid
  "$doseval" run "$b" --trials 100000000 --checkpoint-every 1 --quiet --out "$1" >/dev/null 2>b.err &
  pid=$!
}
wait_for_b() { # DIR: until B's first checkpoint is there
  for _ in $(seq 600); do
    is_b "$1" && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  cat b.err >&2
  fail "B wrote no checkpoint into $1 within 30 s"
}
only() { # DIR FILE...: DIR holds exactly these files
  local dir=$1
  shift
  local got want
  got=$(ls -A "$dir" | sort | tr '\n' ' ')
  want=$(printf '%s\n' "$@" | sort | tr '\n' ' ')
  [ "$got" = "$want" ] || fail "$dir holds: $got; expected: $want"
}

for sig in TERM KILL; do
  rm -rf mix .mix.*
  set_of_a mix
  start_b mix
  wait_for_b mix
  kill -"$sig" "$pid"
  wait "$pid" 2>/dev/null
  rc=$?
  want=$([ "$sig" = TERM ] && echo 143 || echo 137)
  [ "$rc" -eq "$want" ] || fail "B stopped by SIG$sig: exit $rc, expected $want"
  only mix counters.dvc
  is_b mix || fail "after SIG$sig, mix/counters.dvc is not B's"
  ls -d .mix.* >/dev/null 2>&1 && [ "$sig" = TERM ] && fail "SIGTERM left $(ls -d .mix.*)"
  echo "ok: B stopped by SIG$sig after its first checkpoint: mix holds B's counters.dvc alone"
done

# killed at once, or before its first checkpoint: A's whole set, or B's checkpoint alone
for wait_s in 0.02 0.5; do
  rm -rf mix .mix.*
  set_of_a mix
  start_b mix
  sleep "$wait_s"
  kill -KILL "$pid"
  wait "$pid" 2>/dev/null
  if is_b mix; then
    only mix counters.dvc
    echo "ok: killed after $wait_s s: B's checkpoint alone"
  elif [ -d mix ]; then
    only mix oc.csv summary.json report.html scenarios.csv counters.dvc
    grep -q "^config_path $a\$" mix/counters.dvc || fail "mix holds A's file names, not A's counters"
    echo "ok: killed after $wait_s s: A's whole set"
  else
    ls -d .mix.old.* >/dev/null 2>&1 || fail "mix is gone and A's set was not kept aside"
    echo "ok: killed after $wait_s s: mix absent, A's set kept aside"
  fi
done

# a folder with other files: they stay, A's set goes
rm -rf shared
set_of_a shared
echo "my notes" >shared/notes.txt
start_b shared
wait_for_b shared
kill -TERM "$pid"
wait "$pid"
only shared counters.dvc notes.txt
echo "ok: a folder with other files keeps them and holds B's counters.dvc, not A's set"
