#!/usr/bin/env bash
# mpi_signal_startup.sh — a signal sent while `run` is still starting (MPI_Init, which takes
# seconds on a loaded machine, before its handlers are in place) is held, not acted on by
# default: a SIGUSR1 (checkpoint, please) must not end the run, and a SIGTERM must stop it the way
# it stops a running one, with its checkpoint and exit status 143.
# The script waits until the process holds SIGUSR1 (bit 10 of SigBlk in /proc/PID/status): that
# is the window in question; the signal goes in then, before the handlers are installed.
set -uo pipefail
doseval=$1
repo=$2
tmp=$(mktemp -d)
trap 'kill -9 $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fail() { echo "FAIL: $*" >&2; exit 1; }
cd "$tmp"

# start_held OUT TRIALS: a run in the background, once it holds SIGUSR1; its pid in $pid
start_held() {
  "$doseval" run "$repo/configs/nct05563545.yaml" --trials "$2" --quiet --out "$1" \
    >"$1.out" 2>"$1.err" &
  pid=$!
  local held=""
  for _ in $(seq 4000); do
    held=$(awk '$1 == "SigBlk:" { print $2 }' "/proc/$pid/status" 2>/dev/null)
    [ -n "$held" ] && (((16#$held >> 9) & 1)) && return 0
    kill -0 "$pid" 2>/dev/null || break
  done
  fail "$1: the run never held SIGUSR1 while starting (SigBlk ${held:-none})"
}

# 1. SIGUSR1 at start-up: the run goes on to the end, every output written
start_held usr1 20000
kill -USR1 "$pid"
wait "$pid"
rc=$?
[ "$rc" -eq 0 ] || fail "SIGUSR1 at start-up: exit $rc ($(tail -2 usr1.err))"
[ -s usr1/oc.csv ] && [ -s usr1/report.html ] || fail "SIGUSR1 at start-up: outputs missing"

# 2. SIGTERM at start-up: stopped at the loop's first check, with a checkpoint that resumes
start_held term 20000
kill -TERM "$pid"
wait "$pid"
rc=$?
[ "$rc" -eq 143 ] || fail "SIGTERM at start-up: exit $rc, not 143 ($(tail -2 term.err))"
[ ! -e term/oc.csv ] || fail "SIGTERM at start-up: a finished oc.csv"
"$doseval" run "$repo/configs/nct05563545.yaml" --trials 20000 --quiet --out term --resume \
  >/dev/null 2>term.resume.err || fail "the resume after SIGTERM failed: $(tail -2 term.resume.err)"
cmp -s term/oc.csv usr1/oc.csv || fail "the resumed run's oc.csv differs from the uninterrupted one"
echo "ok: SIGUSR1 and SIGTERM at start-up held until the handlers were in place"
