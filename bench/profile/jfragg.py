#!/usr/bin/env python3
"""Aggregate JFR samples (jdk.ExecutionSample + jdk.NativeMethodSample) of the training threads by category.
usage: jfragg.py FILE.jfr
Reads `jfr print --stack-depth 200`; splits the samples into the windows of SingleProcessTrainer.train and
ParameterAveragingTrainer.train (a `benchmark` run has both; printed first, as seconds of the day, for perfagg.py), then
by thread (main; Spark's task threads; the rest) and by the first category in CATS any frame of the stack matches.
Threads waiting in native code (epoll, park, wait) are left out."""
import re, subprocess, sys, collections
f = sys.argv[1]
txt = subprocess.run(['jfr', 'print', '--stack-depth', '200', '--events', 'jdk.ExecutionSample,jdk.NativeMethodSample', f],
                     capture_output=True, text=True).stdout
events = re.split(r'\n(?=jdk\.(?:ExecutionSample|NativeMethodSample) \{)', txt)
CATS = [  # (category, regex on any frame), first match from the leaf up wins per priority order below
    ('Kryo / serialisation', r'com\.esotericsoftware\.kryo|JavaSerializer|ObjectOutputStream|ObjectInputStream|KryoSerializer'),
    ('network build from JSON', r'fromJson|ObjectMapper|com\.fasterxml\.jackson|MultiLayerConfiguration\.fromJson|ComputationGraphConfiguration\.fromJson'),
    ('broadcast', r'TorrentBroadcast|Broadcast'),
    ('averaging (aggregate/add/divide)', r'ParameterAveragingElementAddFunction|ParameterAveragingElementCombineFunction|ParameterAveragingTrainingMaster\.processResults|treeAggregate|ParameterAveragingAggregationTuple'),
    ('Adam updater', r'AdamUpdater|org\.nd4j\.linalg\.learning\.Adam|BaseMultiLayerUpdater\.update|UpdaterBlock'),
    ('data loading', r'dev\.nightjar\.data|DataSetLoader|RecordLoader|PathSource|loadDataSet|DataSet\.load|SparkDataSetLoader|PortableDataStream|\.load\('),
    ('im2col / col2im', r'[Ii]m2col|[Cc]ol2im'),
    ('oneDNN helper (conv/pool/bn/...)', r'MKLDNN|Mkldnn|mkldnn|OneDNN|Dnnl'),
    ('conv/subsampling layer (libnd4j)', r'ConvolutionLayer|SubsamplingLayer|Convolution1DLayer|Subsampling1DLayer|BatchNormalization'),
    ('dense/output matmul', r'DenseLayer|OutputLayer|BaseOutputLayer|BaseLayer\.preOutput|BaseLayer\.backpropGradient|mmul|gemm'),
    ('embedding', r'EmbeddingSequenceLayer|EmbeddingLayer'),
    ('LSTM', r'LSTMHelpers|LSTM\.|Bidirectional'),
    ('other fit (activations, loss, masks, pooling)', r'MultiLayerNetwork\.fit|ComputationGraph\.fit|computeGradientAndScore|calcBackpropGradients|ffToLayerActivations|outputOfLayersDetached'),
]
def cat(frames):
    for name, rx in CATS:
        for fr in frames:
            if re.search(rx, fr):
                return name
    return 'other: ' + (frames[0].split('(')[0] if frames else '?')
def secs(t):
    h, m, x = t.split(':'); return int(h) * 3600 + int(m) * 60 + float(x)
parsed = []
for ev in events:
    m = re.search(r'sampledThread = "([^"]*)"', ev); t = re.search(r'startTime = ([\d:.]+)', ev)
    if not m or not t: continue
    frames = [l.strip() for l in ev.split('stackTrace = [', 1)[-1].split('\n')[1:] if l.strip() and not l.strip().startswith(']') and l.strip() != '...' and '}' not in l]
    parsed.append((secs(t.group(1)), m.group(1), 'native' if ev.startswith('jdk.NativeMethodSample') else 'java', frames))
def window(rx):
    ts = [p[0] for p in parsed if any(re.search(rx, f) for f in p[3])]
    return (min(ts), max(ts)) if ts else (None, None)
w1 = window(r'SingleProcessTrainer\.train'); w2 = window(r'ParameterAveragingTrainer\.train')
fmt = lambda x: '%02d:%02d:%06.3f' % (x // 3600, x % 3600 // 60, x % 60) if x else '-'
print('windows (wall, seconds of day): single', w1, fmt(w1[0]), fmt(w1[1]), ' spark', w2, fmt(w2[0]), fmt(w2[1]))
by_thread = collections.Counter(); per = collections.defaultdict(collections.Counter); top = collections.defaultdict(collections.Counter)
for t, th, kind, frames in parsed:
    if w1[0] and w1[0] <= t <= w1[1]: ph = 'single'
    elif w2[0] and w2[0] <= t <= w2[1]: ph = 'spark'
    else: continue
    if th == 'main': phase = ph + ' main' + (' (driver)' if ph == 'spark' else '')
    elif th.startswith('Executor task launch worker'): phase = ph + ' executor task threads'
    else: phase = ph + ' other:' + re.sub(r'[-#]?\d+', '', th)[:40]
    # native samples of threads parked/waiting in native (epoll, socket) are not work
    if kind == 'native' and frames and re.search(r'(?i)epoll|socketRead|accept|Unsafe\.park|poll0|waitForReferencePendingList|Object\.wait|sleep', frames[0]):
        continue
    c = cat(frames)
    per[phase][c] += 1
    top[phase][(kind, frames[0].split(' line:')[0] if frames else '?')] += 1
for phase in sorted(per, key=lambda p: -sum(per[p].values())):
    tot = sum(per[phase].values())
    if tot < 20: continue
    print(f'== {phase}: {tot} samples (Java + native-method, 20 ms each)')
    for c, n in per[phase].most_common(14): print(f'  {100*n/tot:5.1f}%  {c}')
    print('  top leaf frames:')
    for (k, fr), n in top[phase].most_common(10): print(f'    {100*n/tot:5.1f}%  [{k}] {fr}')
