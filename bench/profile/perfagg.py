#!/usr/bin/env python3
"""Aggregate `perf script -F comm,tid,time,ip,sym,dso` output: self time per category and per leaf symbol,
split at the first sample of a Spark task thread (single process before, local[2] after).
usage: perf script -i X.data -F comm,tid,time,ip,sym,dso | perfagg.py"""
import re, sys, collections
samples = []
cur = None
for line in sys.stdin:
    if not line.strip():
        if cur: samples.append(cur); cur = None
        continue
    if not line.startswith((' ', '\t')):
        m = re.match(r'\s*(.*?)\s+(\d+)\s+([\d.]+):', line)
        cur = {'comm': m.group(1), 'tid': m.group(2), 't': float(m.group(3)), 'frames': []} if m else None
    elif cur is not None:
        m = re.match(r'\s*([0-9a-f]+)\s+(.*?)\s+\((.*)\)\s*$', line)
        if m: cur['frames'].append((m.group(2), m.group(3)))
if cur: samples.append(cur)
# argv: single_start single_end spark_start spark_end in wall seconds of day, captured_on (seconds of day)
a = [float(x) for x in sys.argv[1:6]]
off = a[4] - samples[-1]['t']
for s in samples: s['t'] += off
def category(s):
    sym, dso = s['frames'][0] if s['frames'] else ('?', '?')
    c = s['comm']
    if c.startswith(('GC Thread', 'G1 ', 'VM Thread', 'G1 Conc', 'G1 Refine', 'G1 Service')): return 'GC / VM thread'
    if c.startswith(('C2 Compiler', 'C1 Compiler')): return 'JIT compiler'
    if 'jit_' in sym or 'dnnl' in sym or 'mkldnn' in sym or 'brgemm' in sym: return 'oneDNN (JIT kernels + library)'
    if 'libopenblas' in dso or 'sgemm' in sym.lower() or 'gemm' in sym: return 'BLAS gemm (OpenBLAS)'
    if 'im2col' in sym.lower() or 'col2im' in sym.lower(): return 'im2col / col2im (libnd4j)'
    if 'libgomp' in dso or 'libomp' in dso or 'gomp' in sym.lower(): return 'OpenMP runtime (spin/barrier)'
    if 'libnd4j' in dso: return 'libnd4j other ops'
    if 'libjnind4j' in dso or 'javacpp' in dso.lower(): return 'JNI glue (JavaCPP)'
    if 'libjvm' in dso:
        if re.search(r'G1|ParallelGC|Scavenge|Mark|Compact|Evacuat|GC', sym): return 'GC (in mutator thread)'
        return 'JVM runtime (libjvm)'
    if dso.startswith('/tmp/perf-') or 'perf-' in dso or '[JIT]' in dso:
        if sym.startswith(('L', 'I', 'J')) or '::' in sym or '.' in sym: return 'Java JIT-compiled code'
        return 'anon JIT code (unresolved: oneDNN kernels or Java)'
    if 'kernel' in dso: return 'kernel'
    if 'libc' in dso or 'libm' in dso or 'libpthread' in dso: return 'libc/libm'
    if dso in ('[unknown]', '//anon'): return 'anon JIT code (unresolved: oneDNN kernels or Java)'
    return 'other: ' + dso.split('/')[-1]
for name, part in (('single process', [s for s in samples if a[0] <= s['t'] <= a[1]]), ('local[2]', [s for s in samples if a[2] <= s['t'] <= a[3]])):
    if not part: continue
    cats = collections.Counter(category(s) for s in part)
    leaves = collections.Counter((s['frames'][0][0][:90], s['frames'][0][1].split('/')[-1]) if s['frames'] else ('?', '?') for s in part)
    comms = collections.Counter(re.sub(r'\d+', '#', s['comm']) for s in part)
    tot = len(part)
    print(f'== {name}: {tot} samples, {part[-1]["t"] - part[0]["t"]:.0f} s')
    for c, n in cats.most_common(): print(f'  {100*n/tot:5.1f}%  {c}')
    print('  threads:', ', '.join(f'{c} {100*n/tot:.0f}%' for c, n in comms.most_common(6)))
    print('  top leaf symbols:')
    for (sym, dso), n in leaves.most_common(15): print(f'    {100*n/tot:5.1f}%  {sym}  [{dso}]')

# Java-level operation of each sample, from its whole stack (frame pointers kept: -XX:+PreserveFramePointer)
OPS = [('GC threads', lambda s, st: s['comm'].startswith(('GC Thread', 'G1 '))),
       ('JIT compiler threads', lambda s, st: s['comm'].startswith(('C2 Compiler', 'C1 Compiler'))),
       ('task result deserialisation (Kryo/Java, BaseDataBuffer.readContent)', lambda s, st: s['comm'].startswith('task-result') or 'readContent' in st or 'kryo.io.Input' in st),
       ('result/broadcast serialisation (BaseDataBuffer.write, Kryo, lz4)', lambda s, st: 'BaseDataBuffer.write' in st or 'kryo' in st.lower() or 'lz4' in st.lower() or 'TorrentBroadcast' in st),
       ('network build per round (getInitialModelGraph)', lambda s, st: 'getInitialModelGraph' in st or 'getInitialModel' in st),
       ('averaging (treeAggregate add/divide, processResults)', lambda s, st: 'ParameterAveraging' in st and ('Aggregat' in st or 'processResults' in st or 'ElementAdd' in st)),
       ('Adam updater', lambda s, st: 'AdamUpdater' in st or 'UpdaterBlock' in st),
       ('fit: forward/backward (incl. native ops)', lambda s, st: 'computeGradientAndScore' in st or 'calcBackprop' in st or 'ffToLayerActivations' in st or 'outputOfLayers' in st),
       ('data loading', lambda s, st: 'nightjar.data' in st or 'DataSetLoader' in st or 'PathSource' in st),
       ('OpenMP wait (libgomp)', lambda s, st: 'libgomp' in st),
       ('kernel page clearing/faults', lambda s, st: 'clear_page' in st or 'page_fault' in st)]
for name, part in (('single process', [s for s in samples if a[0] <= s['t'] <= a[1]]), ('local[2]', [s for s in samples if a[2] <= s['t'] <= a[3]])):
    if not part: continue
    c = collections.Counter()
    for s in part:
        st = ' | '.join(f'{sym} ({dso})' for sym, dso in s['frames'])
        c[next((n for n, f in OPS if f(s, st)), 'other')] += 1
    print(f'== {name} by operation (whole stack): {len(part)} samples')
    for k, n in c.most_common(): print(f'  {100*n/len(part):5.1f}%  {k}')
