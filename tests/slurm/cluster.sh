#!/usr/bin/env bash
# cluster.sh — a one-node Slurm cluster (munged, slurmctld, slurmd) on this machine, for the tests
# of jobs/; every file it makes lives in one scratch folder.
#
#   tests/slurm/cluster.sh start    start it (or say it is already up), wait until the node is idle
#   tests/slurm/cluster.sh status   exit 0 if a usable cluster is up, 3 if not
#   tests/slurm/cluster.sh env      print `export SLURM_CONF=...` for eval
#   tests/slurm/cluster.sh stop     cancel its jobs, stop the daemons it started (by their pid files)
#
# Environment: DOSEVAL_SLURM_DIR, the scratch folder (default /tmp/doseval-slurm): etc/slurm.conf,
# etc/cgroup.conf, munge/ (socket, pid, log, seed), state/, spool/, log/, run/ (pid files).
#
# If another slurmctld already answers on this machine (SLURM_CONF, /etc/slurm/slurm.conf, or the
# config a running slurmctld was started with), `start` uses that one instead of starting a second
# cluster that would fight it for its ports and node name; `stop` then leaves it alone.
#
# Exit status: 0 done; 77 with `SKIP: <why>` when Slurm cannot be run here at all (not root, a
# program or the munge key missing, munge not working, a slurmctld that does not answer); 1 when the
# daemons were started but the cluster did not come up (the log tails are printed); 2 bad usage.
# Facts behind the settings: /work/shared/notes/local-slurm.md (Slurm 22.05, no systemd).
set -uo pipefail

dir=${DOSEVAL_SLURM_DIR:-/tmp/doseval-slurm}
case $dir in /*) ;; *) dir=$PWD/$dir ;; esac
conf=$dir/etc/slurm.conf
external=$dir/external # holds the slurm.conf of a cluster we reuse but did not start
idle_timeout=60

skip() { echo "SKIP: $*"; exit 77; }
die() { echo "cluster.sh: $*" >&2; exit 1; }

# The pid in FILE if that process is alive and runs PROGRAM (so a recycled pid is never signalled).
live_pid() { # file program
  local pid
  [ -r "$1" ] || return 1
  read -r pid <"$1" 2>/dev/null || return 1
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  [ "$(readlink -f "/proc/$pid/exe" 2>/dev/null)" = "$(readlink -f "$(command -v "$2")")" ] || return 1
  echo "$pid"
}

# Node states from the controller behind a slurm.conf, one a line; fails if nobody answers.
node_states() { # slurm.conf
  SLURM_CONF=$1 timeout 15 sinfo -h -o %T 2>/dev/null
}

usable() { # slurm.conf: some node can take work
  node_states "$1" | grep -Eq '^(idle|mixed|allocated|completing)'
}

our_pids_alive() {
  live_pid "$dir/run/slurmctld.pid" slurmctld >/dev/null && live_pid "$dir/run/slurmd.pid" slurmd >/dev/null &&
    live_pid "$dir/munge/munged.pid" munged >/dev/null
}

print_usage() { # slurm.conf
  local ours=$1
  echo "  export SLURM_CONF=$ours"
  echo "  sinfo; sbatch ...; squeue        # logs: $(log_dir "$ours")"
  if [ "$dir" = /tmp/doseval-slurm ]; then echo "  $0 stop"; else echo "  DOSEVAL_SLURM_DIR=$dir $0 stop"; fi
}

log_dir() { # slurm.conf
  [ "$1" = "$conf" ] && echo "$dir/log" || echo "see SlurmctldLogFile in $1"
}

preconditions() {
  [ "$(id -u)" -eq 0 ] || skip "not root (the daemons run as SlurmUser=root and need /etc/munge/munge.key)"
  local p
  for p in munged munge unmunge slurmctld slurmd sinfo squeue scontrol scancel sbatch srun timeout; do
    command -v "$p" >/dev/null || skip "$p not found (install slurm-wlm munge: scripts/setup-deps.sh)"
  done
  [ -r /etc/munge/munge.key ] || skip "no readable /etc/munge/munge.key (package munge makes it)"
}

# A slurm.conf of a cluster that somebody else runs and that answers, if there is one.
find_other_cluster() {
  local candidates=() c pid f
  [ -n "${SLURM_CONF:-}" ] && candidates+=("$SLURM_CONF")
  [ -f /etc/slurm/slurm.conf ] && candidates+=(/etc/slurm/slurm.conf)
  for pid in $(pgrep -x slurmctld 2>/dev/null); do
    # only read what it was started with: `-f FILE` or SLURM_CONF in its environment
    f=$(tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | sed -n '/^-f$/{n;p;q}')
    [ -z "$f" ] && f=$(tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | sed -n 's/^SLURM_CONF=//p')
    [ -n "$f" ] && candidates+=("$f")
  done
  for c in "${candidates[@]}"; do
    [ "$c" = "$conf" ] && continue
    [ -f "$c" ] && usable "$c" && { echo "$c"; return 0; }
  done
  return 1
}

write_config() {
  local node host cpus mem
  node=$(slurmd -C 2>/dev/null | sed -n '/^NodeName=/p' | head -1)
  host=$(hostname -s)
  if [ -z "$node" ]; then # fall back on what the kernel says
    cpus=$(nproc)
    mem=$(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo)
    node="NodeName=$host CPUs=$cpus RealMemory=$mem"
  fi
  # a little under the measured memory, so the node is never "invalid" by a few megabytes
  node=$(echo "$node" | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^RealMemory=/) { split($i, a, "=");
    $i = "RealMemory=" int(a[2] * 0.95) } print }')
  host=${node#NodeName=}
  host=${host%% *}
  mkdir -p "$dir/etc" "$dir/munge" "$dir/state" "$dir/spool" "$dir/log" "$dir/run"
  chmod 755 "$dir" "$dir/munge"
  cat >"$conf" <<EOF
# Written by tests/slurm/cluster.sh: a one-node test cluster; everything lives under $dir.
ClusterName=doseval
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
PlugStackConfig=$dir/etc/plugstack.conf
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
JobRequeue=1
KillWait=30
MinJobAge=300
$node State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
  # 22.05 has no "disabled" cgroup plugin, and slurmd will not start without this file
  printf 'CgroupPlugin=cgroup/v1\n' >"$dir/etc/cgroup.conf"
  : >"$dir/etc/plugstack.conf" # no SPANK plugins from /etc/slurm
}

start_munge() {
  local m=$dir/munge
  if ! live_pid "$m/munged.pid" munged >/dev/null; then
    rm -f "$m/munge.socket" "$m/munge.socket.lock"
    munged --force --socket="$m/munge.socket" --pid-file="$m/munged.pid" --log-file="$m/munged.log" \
      --seed-file="$m/munged.seed" 2>>"$m/munged.log" ||
      skip "munged did not start: $(tail -n 1 "$m/munged.log")"
  fi
  local _
  for _ in $(seq 50); do
    [ -S "$m/munge.socket" ] && break
    sleep 0.1
  done
  munge -n -S "$m/munge.socket" 2>/dev/null | unmunge -S "$m/munge.socket" >/dev/null 2>&1 ||
    skip "munge -n | unmunge fails on $m/munge.socket: $(tail -n 1 "$m/munged.log")"
}

log_tails() {
  local f
  for f in "$dir/log/slurmctld.log" "$dir/log/slurmd.log"; do
    [ -f "$f" ] && { echo "--- tail of $f" >&2; tail -n 15 "$f" >&2; }
  done
}

start_daemon() { # program pidfile
  SLURM_CONF=$conf "$1" -f "$conf" "${@:3}" || { log_tails; die "$1 did not start"; }
  local _
  for _ in $(seq 50); do
    live_pid "$2" "$1" >/dev/null && return 0
    sleep 0.2
  done
  log_tails
  die "$1 started but wrote no pid to $2 (or exited)"
}

wait_idle() {
  local t0=$SECONDS states
  while [ $((SECONDS - t0)) -lt $idle_timeout ]; do
    states=$(node_states "$conf")
    echo "$states" | grep -qx idle && return 0
    sleep 1
  done
  log_tails
  die "the node did not become idle within ${idle_timeout}s (sinfo says: ${states:-nothing})"
}

cmd_start() {
  preconditions
  if [ -f "$external" ]; then
    local other
    read -r other <"$external"
    if usable "$other"; then
      echo "cluster.sh: already using the running cluster of $other"
      print_usage "$other"
      return 0
    fi
    rm -f "$external"
  fi
  if our_pids_alive && usable "$conf"; then
    echo "cluster.sh: already up (state in $dir)"
    print_usage "$conf"
    return 0
  fi
  local other
  if other=$(find_other_cluster); then
    mkdir -p "$dir"
    echo "$other" >"$external"
    echo "cluster.sh: a slurmctld is already serving ($other); using it, not starting another"
    print_usage "$other"
    return 0
  fi
  local pid
  for pid in $(pgrep -x slurmctld 2>/dev/null); do
    live_pid "$dir/run/slurmctld.pid" slurmctld | grep -qx "$pid" && continue
    skip "a slurmctld (pid $pid) that is not ours is running but does not answer; not starting a second one"
  done
  stop_daemons quiet # what is left of a half-started cluster of ours
  write_config
  start_munge
  local t0=$SECONDS
  start_daemon slurmctld "$dir/run/slurmctld.pid" -c
  start_daemon slurmd "$dir/run/slurmd.pid"
  wait_idle
  echo "cluster.sh: up in $((SECONDS - t0))s: node $(SLURM_CONF=$conf sinfo -h -o '%N %T, %c CPUs'), state in $dir"
  print_usage "$conf"
}

# Stop the daemons named by our pid files, newest first; a pid that now runs something else is left.
stop_daemons() { # [quiet]
  local entry file prog pid _
  for entry in "$dir/run/slurmd.pid:slurmd" "$dir/run/slurmctld.pid:slurmctld" "$dir/munge/munged.pid:munged"; do
    file=${entry%:*}
    prog=${entry##*:}
    if pid=$(live_pid "$file" "$prog"); then
      kill -TERM "$pid" 2>/dev/null
      for _ in $(seq 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
      done
      kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
      [ -z "${1:-}" ] && echo "cluster.sh: stopped $prog (pid $pid)"
    fi
    rm -f "$file"
  done
}

cmd_stop() {
  if [ -f "$external" ]; then
    local other
    read -r other <"$external"
    rm -f "$external"
    echo "cluster.sh: was using $other, which this script did not start; leaving it running"
    return 0
  fi
  if live_pid "$dir/run/slurmctld.pid" slurmctld >/dev/null; then
    # jobs still running would leave their slurmstepd behind once slurmd is gone
    local jobs _
    mapfile -t jobs < <(SLURM_CONF=$conf squeue -h -o %i 2>/dev/null)
    if [ ${#jobs[@]} -gt 0 ]; then
      echo "cluster.sh: cancelling jobs ${jobs[*]}"
      SLURM_CONF=$conf scancel "${jobs[@]}" 2>/dev/null
      for _ in $(seq 45); do
        [ -z "$(SLURM_CONF=$conf squeue -h -o %i 2>/dev/null)" ] && break
        sleep 1
      done
    fi
  fi
  stop_daemons
  echo "cluster.sh: stopped (logs kept in $dir/log)"
}

cmd_status() {
  local c=$conf
  [ -f "$external" ] && read -r c <"$external"
  if usable "$c"; then
    echo "cluster.sh: up ($c)"
    SLURM_CONF=$c sinfo
    SLURM_CONF=$c squeue
    return 0
  fi
  echo "cluster.sh: not running (state folder $dir)"
  return 3
}

cmd_env() {
  local c=$conf
  [ -f "$external" ] && read -r c <"$external"
  echo "export SLURM_CONF=$c"
}

case ${1:-} in
start) cmd_start ;;
stop) cmd_stop ;;
status) cmd_status ;;
env) cmd_env ;;
*)
  echo "usage: $0 start|stop|status|env   (scratch folder: \$DOSEVAL_SLURM_DIR, default /tmp/doseval-slurm)" >&2
  exit 2
  ;;
esac
