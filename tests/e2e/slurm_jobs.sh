#!/usr/bin/env bash
# slurm_jobs.sh — jobs/ on a real one-node Slurm (tests/slurm/cluster.sh): doseval.sbatch on 2 ranks,
# a 4-shard sweep with its merge job, a 3-task calibration array with its merge (calibration.csv
# byte-identical to a local calibration), and a run that is requeued twice (scontrol requeue from
# outside, then its own USR1 trap) and resumes; each oc.csv must be byte-identical to a local run.
# Where Slurm cannot run here (cluster.sh exits 77) it prints `SKIP: <why>` and exits 0.
#   bash tests/e2e/slurm_jobs.sh /abs/build/doseval /abs/source
# REQUEUE_TRIALS (default 6000000) sets the requeued run's size: ~15 s on 2 ranks of this machine.
set -euo pipefail
doseval=$1
repo=$2
cluster=$repo/tests/slurm/cluster.sh
config=$repo/configs/nct05563545.yaml
small=20011 # not a multiple of 2 or 4: ranks and shards get unequal ranges
big=${REQUEUE_TRIALS:-6000000}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
unset CONFIG OUT TRIALS SEED CHECKPOINT_EVERY SHARDS # the scripts read these; none may leak in
export DOSEVAL=$doseval

t_all=$SECONDS
fail() {
  echo "FAIL: $*" >&2
  failed=1
  exit 1
}
now() { echo $((SECONDS - t_all)); }

for opt in --shard --checkpoint-every --resume; do
  "$doseval" run --help 2>&1 | grep -q -- "$opt" || fail "doseval run --help does not mention $opt (SPEC section 10 not built yet?)"
done

tmp=$(mktemp -d /tmp/doseval-slurm-jobs.XXXXXX)
jobs=()
started_cluster=""
failed=""
cleanup() {
  set +e
  if [ ${#jobs[@]} -gt 0 ] && [ -n "${SLURM_CONF:-}" ]; then
    scancel "${jobs[@]}" 2>/dev/null
    local i
    for i in $(seq 40); do # until none of ours is still running (doseval checkpoints on TERM, fast)
      [ -z "$(squeue -h -j "$(IFS=,; echo "${jobs[*]}")" -t R,CG 2>/dev/null)" ] && break
      sleep 1
    done
  fi
  [ -n "$started_cluster" ] && bash "$cluster" stop >/dev/null
  if [ -n "$failed" ]; then
    echo "slurm_jobs: kept $tmp for a look; the job logs:" >&2
    tail -n 12 "$tmp"/*.out >&2 2>/dev/null
  else
    rm -rf "$tmp"
  fi
}
trap cleanup EXIT

# --- the cluster: reuse one that is up, else start one here and stop it at the end
t0=$SECONDS
if ! bash "$cluster" status >/dev/null 2>&1; then
  set +e
  out=$(bash "$cluster" start 2>&1)
  rc=$?
  set -e
  if [ $rc -eq 77 ]; then
    echo "$out" | grep '^SKIP:' || echo "SKIP: tests/slurm/cluster.sh could not start Slurm"
    exit 0
  fi
  [ $rc -eq 0 ] || { echo "$out" >&2; fail "tests/slurm/cluster.sh start exited $rc"; }
  started_cluster=1
fi
eval "$(bash "$cluster" env)"
export SLURM_CONF
t_cluster=$((SECONDS - t0))

job_field() { # id key: one field of `scontrol show job`
  scontrol show job "$1" -o 2>/dev/null | tr ' ' '\n' | sed -n "s/^$2=//p" | head -1
}
wait_done() { # id timeout: until the job has ended; fails unless it COMPLETED
  local id=$1 limit=$2 t=$SECONDS state reason
  while :; do
    state=$(job_field "$id" JobState)
    reason=$(job_field "$id" Reason)
    case $state in
    COMPLETED) return 0 ;;
    FAILED | CANCELLED | TIMEOUT | NODE_FAIL | OUT_OF_MEMORY | BOOT_FAIL | DEADLINE | PREEMPTED)
      fail "job $id ended $state (exit $(job_field "$id" ExitCode))" ;;
    esac
    [ "$reason" = DependencyNeverSatisfied ] && fail "job $id: dependency never satisfied (a shard failed)"
    [ $((SECONDS - t)) -lt "$limit" ] || fail "job $id not done after ${limit}s (state ${state:-unknown})"
    sleep 0.5
  done
}
same_oc() { # what reference candidate
  [ -f "$3" ] || fail "$1: no $3"
  cmp "$2" "$3" || { diff "$2" "$3" | head -5 >&2; fail "$1: oc.csv differs from the local run"; }
}
# After a requeue Slurm holds the job until BeginTime (now + the credential lifetime, 121 s by
# default); measure that hold, then release it so the test stays short.
requeue_delay=""
skip_hold() { # id
  local id=$1 t=$SECONDS state start
  requeue_delay=""
  while :; do
    state=$(job_field "$id" JobState)
    [ "$state" = PENDING ] && break
    [ "$state" = COMPLETED ] && fail "job $id finished before its requeue took effect (make REQUEUE_TRIALS larger)"
    [ $((SECONDS - t)) -lt 60 ] || fail "job $id not pending 60 s after the requeue (state $state)"
    sleep 0.2
  done
  # Released too soon, the relaunch fails: slurmd revoked the last run's credential, compares
  # credential times in whole seconds, and kills a job whose new credential is of the same
  # second ("Killing non-startable batch JobId=N: Job credential revoked", the job ends FAILED,
  # exit 1:0; seen once in CI). So wait until no slurmstepd of the job is left, then 2 s more.
  t=$SECONDS
  while pgrep -f "slurmstepd: \[$id\." >/dev/null; do
    [ $((SECONDS - t)) -lt 60 ] || fail "job $id: its steps still run 60 s after the requeue"
    sleep 0.2
  done
  sleep 2
  start=$(job_field "$id" StartTime)
  if [ "$(job_field "$id" Reason)" = BeginTime ] && [ "$start" != Unknown ]; then
    requeue_delay=$(($(date -d "$start" +%s) - $(date +%s)))
    scontrol update jobid="$id" StartTime=now
  fi
}
wait_running_with_checkpoint() { # id checkpoint-file newer-than-epoch
  local id=$1 file=$2 since=$3 t=$SECONDS
  while :; do
    if [ "$(job_field "$id" JobState)" = RUNNING ] && [ -f "$file" ] && [ "$(stat -c %Y "$file")" -gt "$since" ]; then
      return 0
    fi
    [ "$(job_field "$id" JobState)" = COMPLETED ] && fail "job $id finished before it could be requeued (make REQUEUE_TRIALS larger)"
    [ $((SECONDS - t)) -lt 60 ] || fail "job $id: not running with a fresh $file after 60 s"
    sleep 0.2
  done
}

# --- the local references
t0=$SECONDS
"$doseval" run "$config" --trials $small --out "$tmp/local-small" --quiet >/dev/null
t_local_small=$((SECONDS - t0))

# --- one MPI run on 2 ranks, the default output folder results/<stem>-<job id>
t0=$SECONDS
id=$(sbatch --parsable --wait -n 2 --chdir="$tmp" --output="$tmp/run-%j.out" \
  "$repo/jobs/doseval.sbatch" "$config" --trials $small) || fail "sbatch --wait jobs/doseval.sbatch failed"
id=${id%%;*}
jobs+=("$id")
same_oc "doseval.sbatch (job $id)" "$tmp/local-small/oc.csv" "$tmp/results/nct05563545-$id/oc.csv"
t_run=$((SECONDS - t0))

# --- a sweep of 4 shards and its merge, through submit-sweep as a user types it
t0=$SECONDS
sweep=$(cd "$tmp" && TRIALS=$small "$repo/jobs/submit-sweep" "$config" 4) || fail "jobs/submit-sweep failed"
array=$(echo "$sweep" | sed -n 's/^array job \([0-9]*\):.*/\1/p')
merge=$(echo "$sweep" | sed -n 's/^merge job \([0-9]*\):.*/\1/p')
[ -n "$array" ] && [ -n "$merge" ] || fail "submit-sweep printed no job ids: $sweep"
jobs+=("$array" "$merge")
wait_done "$merge" 90
for i in 0 1 2 3; do
  [ -f "$tmp/results/nct05563545-$array/shard-$i/counters.dvc" ] || fail "sweep: no shard-$i/counters.dvc"
done
same_oc "sweep (array $array, merge $merge)" "$tmp/local-small/oc.csv" "$tmp/results/nct05563545-$array/oc.csv"
t_sweep=$((SECONDS - t0))

# --- a calibration on a 3-task array and its merge, as jobs/README.md's worked example
t0=$SECONDS
cal=(--design CRM --grid skeleton.halfwidth=0.02,0.04,0.06,0.08,0.10,0.12 --grid skeleton.prior_mtd=1,2,3
  --max-overdose 33)
"$doseval" calibrate "$config" "${cal[@]}" --out "$tmp/local-cal" >/dev/null
carray=$(cd "$tmp" && sbatch --parsable --array=0-2 --output="$tmp/cal-%A_%a.out" \
  "$repo/jobs/calibrate.sbatch" "$config" -- "${cal[@]}") || fail "sbatch jobs/calibrate.sbatch failed"
carray=${carray%%;*}
jobs+=("$carray")
cmerge=$(cd "$tmp" && sbatch --parsable --dependency=afterok:"$carray" --output="$tmp/calmerge-%j.out" \
  "$repo/jobs/merge.sbatch" "results/nct05563545-calibration-$carray") || fail "sbatch of the calibration's merge failed"
cmerge=${cmerge%%;*}
jobs+=("$cmerge")
wait_done "$cmerge" 90
for i in 0 1 2; do
  [ -f "$tmp/results/nct05563545-calibration-$carray/shard-$i/calibration.part" ] || fail "calibration: no shard-$i/calibration.part"
done
cmp "$tmp/local-cal/calibration.csv" "$tmp/results/nct05563545-calibration-$carray/calibration.csv" ||
  fail "calibration (array $carray, merge $cmerge): calibration.csv differs from the local one"
grep -q '^best: point ' "$tmp/calmerge-$cmerge.out" || fail "calibration: the merge's log has no best point"
t_cal=$((SECONDS - t0))

# --- a longer run, requeued from outside, then by its own USR1 trap; it must resume both times
t0=$SECONDS
id=$(sbatch --parsable -n 2 --chdir="$tmp" --output="$tmp/requeue-%j.out" \
  "$repo/jobs/doseval.sbatch" "$config" --trials "$big" --checkpoint-every 1) || fail "sbatch of the long run failed"
id=${id%%;*}
jobs+=("$id")
ckpt=$tmp/results/nct05563545-$id/counters.dvc
wait_running_with_checkpoint "$id" "$ckpt" 0
scontrol requeue "$id"
skip_hold "$id"
delay_outside=$requeue_delay
wait_running_with_checkpoint "$id" "$ckpt" "$(date +%s)"
scancel --batch --signal=USR1 "$id" # what Slurm does 120 s before the time limit
skip_hold "$id"
delay_usr1=$requeue_delay
wait_done "$id" 180
t_requeue_job=$((SECONDS - t0))
log=$tmp/requeue-$id.out
[ "$(job_field "$id" Restarts)" = 2 ] || fail "job $id: Restarts=$(job_field "$id" Restarts), not 2"
grep -q "start 3 on" "$log" || fail "job $id: its log shows no third start"
[ "$(grep -c -- '--resume' "$log")" -ge 2 ] || fail "job $id: restarts did not pass --resume"
grep -q "USR1: the time limit is near" "$log" || fail "job $id: the USR1 trap did not run"
grep -q "requeueing job $id" "$log" || fail "job $id: did not requeue itself after USR1"
t1=$SECONDS
mpirun -np 2 "$doseval" run "$config" --trials "$big" --out "$tmp/local-big" --quiet >/dev/null
t_local_big=$((SECONDS - t1))
same_oc "requeued run (job $id)" "$tmp/local-big/oc.csv" "$tmp/results/nct05563545-$id/oc.csv"

echo "ok: doseval.sbatch, a 4-shard sweep + merge, and a run requeued twice give oc.csv identical to local runs;"
echo "    a 3-task calibration array + merge gives the local calibration.csv"
echo "    times (s): cluster ${t_cluster}, local ${t_local_small}, run ${t_run}, sweep ${t_sweep}, calibration ${t_cal}," \
  "requeued job ${t_requeue_job} (+ local ${t_local_big}), all $(now)"
echo "    requeue hold (BeginTime - now, released with StartTime=now): ${delay_outside:-none} s after" \
  "scontrol requeue, ${delay_usr1:-none} s after the USR1 self-requeue"
