#!/usr/bin/env bash
# Profiles one `deploy/nightjar` command with JFR and perf (docs/performance.md, "Where training time goes"):
#
#   bench/profile/profile.sh OUTDIR NAME nightjar-args...
#
# Writes OUTDIR/NAME.jfr, NAME.perf.data, NAME.log and NAME.map (oneDNN's JIT kernels, DNNL_JIT_PROFILE=2, and the
# JVM's code, -XX:+DumpPerfMapAtExit), copied to /tmp/perf-PID.map for perf script. Then:
#   bench/profile/jfragg.py OUTDIR/NAME.jfr            # shares by Java operation, and the two trainers' time windows
#   perf script -i OUTDIR/NAME.perf.data -F comm,tid,time,ip,sym,dso | \
#     bench/profile/perfagg.py SINGLE_START SINGLE_END SPARK_START SPARK_END CAPTURED   # seconds of the day (UTC);
#     # CAPTURED: `perf script --header-only`'s "captured on" (the end of the recording)
#   bench/profile/anon.py /tmp/perf-PID.map CAPTURED ... < the same perf script text   # unnamed oneDNN kernels
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$1" name="$2"; shift 2
mkdir -p "$out"
export NIGHTJAR_JAVA_OPTS="-Xmx5g -XX:StartFlightRecording=filename=$out/$name.jfr,settings=profile -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit -XX:+PreserveFramePointer"
export DNNL_JIT_PROFILE=2
"$root/deploy/nightjar" "$@" > "$out/$name.log" 2>&1 &
pid=$!
sleep 2
perf record -e cpu-clock -F 199 -g -p "$pid" -o "$out/$name.perf.data" > "$out/$name.perf.log" 2>&1 &
perf_pid=$!
# oneDNN appends its kernels to /tmp/perf-PID.map while it runs; the JVM rewrites that file at exit, so keep a copy
# of oneDNN's lines as they come
while kill -0 "$pid" 2>/dev/null; do
  if [[ -f /tmp/perf-$pid.map ]]; then grep -a ' jit_\| dnnl' "/tmp/perf-$pid.map" > "$out/$name.dnnl.map.tmp" 2>/dev/null \
    && [[ -s "$out/$name.dnnl.map.tmp" ]] && mv "$out/$name.dnnl.map.tmp" "$out/$name.dnnl.map"; fi
  sleep 3
done
wait "$pid"; rc=$?
sleep 2; kill -INT "$perf_pid" 2>/dev/null; wait "$perf_pid"
cat "$out/$name.dnnl.map" "/tmp/perf-$pid.map" 2>/dev/null | sort -u > "$out/$name.map"
cp "$out/$name.map" "/tmp/perf-$pid.map"
echo "pid $pid, exit $rc; outputs in $out/$name.*"
exit "$rc"
