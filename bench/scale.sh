#!/usr/bin/env bash
# Cost as the data grows: prepare and one training epoch at K times the Fashion-MNIST training images.
#
#   bench/scale.sh [--multiples "1 4 16"] [--steps "prepare train"] [--train-seconds S] [--resume]
#                  [--samples DIR] [--workdir DIR] [--sample-seconds S]
#
# For each K: bench/idx_repeat.py writes K copies of the 60,000 training images as one uncompressed IDX pair;
# `deploy/nightjar prepare images` (no validation split) and `deploy/nightjar train` (one epoch of a small LeNet:
# conv 5x5 x 4, conv 5x5 x 8, dense 32, batch 64, 2 workers, averaging every 5 minibatches; 13,818 parameters)
# each run on Spark local[2] under /usr/bin/time -v (wall, user+sys CPU, peak RSS of the one JVM, which in local
# mode holds the executors too). Every S seconds (default 30) `jcmd PID GC.class_histogram` forces a full GC and
# records the live heap; the largest sample per step, and its histogram, are kept. Every 2 s the JVM's user+sys
# ticks are read from /proc/PID/stat, so that the training's steady-state CPU per image comes from the progress lines
# (after start-up and planning). --train-seconds S stops a training after S seconds (SIGTERM; then the epoch is
# extrapolated from the segments done, and results.json says so). --resume skips steps that finished before.
# Writes WORKDIR/results.json and the plot WORKDIR/scale.png (dev.nightjar.report.ScalePlot). Default WORKDIR:
# work/bench-scale.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
cd "$root"

multiples="1 4 16" steps="prepare train" samples=data/samples workdir=work/bench-scale every=30 train_seconds=0 resume=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    --multiples) multiples="$2"; shift 2 ;;
    --samples) samples="$2"; shift 2 ;;
    --workdir) workdir="$2"; shift 2 ;;
    --sample-seconds) every="$2"; shift 2 ;;
    --steps) steps="$2"; shift 2 ;;
    --train-seconds) train_seconds="$2"; shift 2 ;;
    --resume) resume=true; shift ;;
    -h|--help) sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "scale.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
images="$samples/fashion-mnist/train-images-idx3-ubyte.gz"
[[ -f "$images" ]] || { echo "scale.sh: $images is missing (deploy/nightjar fetch-samples)" >&2; exit 2; }
mkdir -p "$workdir"/{idx,data,runs,logs}
[[ "$resume" == true ]] || rm -f "$workdir/logs/loadavg"
heap="${SCALE_HEAP:--Xmx4g}"
model=(--set model.architecture=lenet --set 'model.lenet-filters=[4,8]' --set model.dense-units=32
       --set train.epochs=1 --set train.workers=2 --set train.averaging-frequency=5)

# done_before STEP K: the step finished (exit 0, or stopped by --train-seconds) in an earlier run and --resume was given
done_before() {
  local log="$workdir/logs/$1-$2"
  [[ "$resume" == true ]] && { grep -q "Exit status: 0" "$log.time" 2>/dev/null || [[ -f "$log.stopped" ]]; }
}

# run STEP K LIMIT CMD...: runs CMD under /usr/bin/time -v with GC logging, samples its CPU ticks (/proc) and its live
# heap (jcmd), and stops it with SIGTERM after LIMIT seconds (0: no limit)
run() {
  local step="$1" k="$2" limit="$3"; shift 3
  local log="$workdir/logs/$step-$k"
  rm -f "$log".*
  echo "$step ${k}x start $(cut -d' ' -f1-3 /proc/loadavg)" >>"$workdir/logs/loadavg"
  NIGHTJAR_JAVA_OPTS="$heap -Xlog:gc:file=$log.gc" /usr/bin/time -v -o "$log.time" nice -n 19 "$@" >"$log.out" 2>&1 &
  local tpid=$! pid=
  for _ in $(seq 100); do pid="$(pgrep -P "$tpid" || true)"; [[ -n "$pid" ]] && break; sleep 0.1; done
  local start; start="$(date +%s)"
  ( while kill -0 "$pid" 2>/dev/null; do
      echo "$(date +%s.%N | cut -c1-14) $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null)" >>"$log.cpu"; sleep 2
    done ) &
  local next=$((start + every))
  while kill -0 "$tpid" 2>/dev/null; do
    sleep 1
    if [[ "$limit" -gt 0 && $(date +%s) -ge $((start + limit)) ]]; then
      echo "stopped after $limit s" >"$log.stopped"; kill -TERM "$pid" 2>/dev/null || true; wait "$tpid" || true; break
    fi
    [[ $(date +%s) -ge $next ]] || continue
    next=$((next + every))
    if [[ -n "$pid" ]] && jcmd "$pid" GC.class_histogram >"$log.histo.tmp" 2>/dev/null; then
      local total; total="$(awk '$1 == "Total" {print $3}' "$log.histo.tmp")"
      if [[ -n "$total" ]]; then
        echo "$(date +%s) $total" >>"$log.heap"
        local best; best="$(sort -k2 -n "$log.heap" | tail -1 | cut -d' ' -f2)"
        [[ "$total" == "$best" ]] && mv "$log.histo.tmp" "$log.histo"
      fi
    fi
  done
  [[ -f "$log.stopped" ]] || wait "$tpid" || { echo "scale.sh: $step at ${k}x failed, see $log.out" >&2; tail -20 "$log.out" >&2; exit 1; }
  echo "$step ${k}x end $(cut -d' ' -f1-3 /proc/loadavg)" >>"$workdir/logs/loadavg"
}

for k in $multiples; do
  [[ -f "$workdir/idx/$k/train-images-idx3-ubyte" ]] || nice -n 19 python3 bench/idx_repeat.py "$images" "$workdir/idx/$k" "$k"
  if [[ " $steps " == *" prepare "* ]] && ! done_before prepare "$k"; then
  echo "== ${k}x: prepare" >&2
  run prepare "$k" 0 deploy/nightjar prepare images --master 'local[2]' --input "$workdir/idx/$k/train-images-idx3-ubyte" \
    --output "$workdir/data/$k" --val-fraction 0 --overwrite
  fi
  if [[ " $steps " == *" train "* ]] && ! done_before train "$k"; then
  echo "== ${k}x: train" >&2
  run train "$k" "$train_seconds" deploy/nightjar train --master 'local[2]' --data "$workdir/data/$k" --output "$workdir/runs/$k" \
    --overwrite "${model[@]}"
  fi
done

jar="${NIGHTJAR_JAR:-spark-jobs/target/nightjar-local.jar}"
[[ " $steps " == *" train "* && " $steps " == *" prepare "* ]] || exit 0
java -Djava.awt.headless=true -cp "$jar" dev.nightjar.report.ScalePlot "$workdir" $multiples
