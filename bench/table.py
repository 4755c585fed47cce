#!/usr/bin/env python3
"""The side-by-side table of bench/run.sh: medians over the runs in WORKDIR/raw/, written to WORKDIR/results.md and
WORKDIR/results.json.

    table.py --workdir work/bench [--runs 3] [--quick]
"""
import argparse
import datetime
import json
import os
import re
import statistics
import subprocess

TRAIN = [  # family, what it is, unit key, unit
    ('lenet', 'LeNet (20/50 filters, dense 500), Fashion-MNIST, batch 64', 'examples_per_second', 'examples/s'),
    ('convnet', 'convnet of `fashion-cnn.conf` ([32, 64] x 2 convs, batch norm, dense 128), batch 64',
     'examples_per_second', 'examples/s'),
    ('char-lstm', 'char-LSTM of `lm-char.conf` (embedding 64, LSTM 256, T 100, TBPTT 25), batch 64',
     'tokens_per_second', 'tokens/s'),
    ('transformer-lm', 'Transformer of `lm-transformer.conf` (width 128, 2 blocks, 4 heads, MLP 3x, T 128), batch 64',
     'tokens_per_second', 'tokens/s'),
    ('text-classifier', 'char-LSTM classifier of `sentiment.conf` (LSTM 256, mean pooling, dense 64), batch 32',
     'examples_per_second', 'examples/s'),
    ('text-cnn', 'word CNN of `sentiment-cnn.conf` (100d, widths 3/4/5 x 100), batch 32', 'examples_per_second',
     'examples/s'),
    ('text-bilstm', 'word BiLSTM (100d, 64 each way, mean+max pooling), batch 32', 'examples_per_second', 'examples/s'),
]
SCORE = [('text-cnn', 'word CNN'), ('text-classifier', 'char-LSTM classifier')]


def cpu():
    """lscpu's model name, CPUs, clock and vector width, and the fp32 peak they imply (the assumption is stated)."""
    out = subprocess.run(['lscpu'], capture_output=True, text=True).stdout
    info = dict(re.findall(r'^([^:]+):\s*(.*)$', out, re.M))
    name = info.get('Model name', 'unknown')
    cpus = int(info.get('CPU(s)', os.cpu_count() or 1))
    flags = set(info.get('Flags', '').split())
    mhz = float(info.get('CPU max MHz') or 0)
    source = 'lscpu CPU max MHz'
    if not mhz:
        m = re.search(r'@\s*([\d.]+)\s*GHz', name)
        mhz, source = (float(m.group(1)) * 1000, 'model name') if m else (0, '')
    if not mhz:
        try:
            with open('/proc/cpuinfo') as f:
                mhz = float(re.search(r'cpu MHz\s*:\s*([\d.]+)', f.read()).group(1))
            source = '/proc/cpuinfo cpu MHz'
        except (OSError, AttributeError):
            mhz, source = 0, 'unknown'
    amd = info.get('Vendor ID') == 'AuthenticAMD'
    if 'avx512f' in flags and not amd:
        per_cycle, why = 64, 'AVX-512: 2 FMA units x 16 fp32 lanes x 2'
    elif 'avx512f' in flags:
        per_cycle, why = 32, 'AVX-512 on AMD (Zen 4 runs a 512-bit FMA as two 256-bit halves): 2 x 8 fp32 lanes x 2'
    elif 'avx2' in flags and 'fma' in flags:
        per_cycle, why = 32, 'AVX2 + FMA: 2 FMA units x 8 fp32 lanes x 2'
    else:
        per_cycle, why = 8, 'SSE: 4 fp32 lanes x (add + multiply)'
    peak = cpus * mhz / 1000 * per_cycle
    return {'model_name': name, 'cpus': cpus, 'mhz': mhz, 'mhz_source': source, 'flops_per_cycle': per_cycle,
            'peak_gflops': peak,
            'assumption': f'{cpus} CPUs x {mhz / 1000:.2f} GHz ({source}) x {per_cycle} fp32 FLOPs per cycle ({why}); '
                          'each CPU counted as a core, no turbo'}


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(v, digits=0):
    if v is None:
        return '–'
    return f'{v:,.{digits}f}'


def train_row(raw, family, runs, key, peak):
    nj = [load(f'{raw}/{family}-{r}-nightjar.json') for r in range(1, runs + 1)]
    pt = [load(f'{raw}/{family}-{r}-pytorch.json') for r in range(1, runs + 1)]
    nj = [x for x in nj if x]
    pt = [x for x in pt if x]
    if not nj and not pt:
        return None
    one = median([x['runs'][0][key] for x in nj])
    spark = median([x['runs'][1][key] for x in nj])
    peer = median([x[key] for x in pt])
    share = median([x['runs'][1]['averaging_share'] for x in nj])
    flops = median([x['workload']['training_flops_per_example'] for x in nj])
    best = max([v for v in (one, spark) if v is not None], default=None)
    eps_best = max([v for v in (median([x['runs'][0]['examples_per_second'] for x in nj]),
                                median([x['runs'][1]['examples_per_second'] for x in nj])) if v is not None], default=None)
    eps_peer = median([x['examples_per_second'] for x in pt])
    gf_nj = eps_best * flops / 1e9 if eps_best and flops else None
    gf_pt = eps_peer * flops / 1e9 if eps_peer and flops else None
    w = nj[0]['workload'] if nj else {}
    return {'family': family, 'pytorch': peer, 'nightjar_one_process': one, 'nightjar_local2': spark,
            'best_ratio': best / peer if best and peer else None, 'averaging_share_local2': share,
            'training_flops_per_example': flops, 'gflops_nightjar_best': gf_nj, 'gflops_pytorch': gf_pt,
            'peak_fraction_nightjar': gf_nj / peak if gf_nj and peak else None,
            'peak_fraction_pytorch': gf_pt / peak if gf_pt and peak else None,
            'parameters': w.get('parameters'), 'time_steps_per_example': w.get('time_steps_per_example'),
            'records': w.get('records'), 'examples': w.get('examples'), 'runs': len(nj), 'peer_runs': len(pt),
            'peer': pt[0]['peer'] if pt else None}


def score_row(raw, family, data, runs):
    nj = [load(f'{raw}/score-{family}-{data}-{r}-nightjar.json') for r in range(1, runs + 1)]
    pt = [load(f'{raw}/score-{family}-{data}-{r}-pytorch.json') for r in range(1, runs + 1)]
    nj = [x for x in nj if x]
    pt = [x for x in pt if x]
    if not nj and not pt:
        return None
    spark = median([x['docs_per_second'] for x in nj])
    peer = median([x['docs_per_second'] for x in pt])
    return {'family': family, 'input': data, 'pytorch': peer, 'nightjar_local2': spark,
            'ratio': spark / peer if spark and peer else None, 'documents': pt[0]['documents'] if pt else None,
            'runs': len(nj), 'peer_runs': len(pt)}


def pct(v):
    return '–' if v is None else f'{100 * v:.1f}%'


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--workdir', default='work/bench')
    p.add_argument('--runs', type=int, default=3)
    p.add_argument('--quick', action='store_true')
    a = p.parse_args()
    raw = f'{a.workdir}/raw'
    c = cpu()
    peak = c['peak_gflops']
    train = [r for r in (train_row(raw, f, a.runs, key, peak) for f, _, key, _ in TRAIN) if r]
    score = [r for f, _ in SCORE for d in ('sentences', 'reviews') for r in [score_row(raw, f, d, a.runs)] if r]
    when = datetime.datetime.now().strftime('%Y-%m-%d %H:%M')
    peer = next((r['peer'] for r in train if r.get('peer')), 'pytorch')
    lines = [
        f'# Nightjar beside PyTorch ({when})', '',
        f'**Machine:** {c["model_name"]}, {c["cpus"]} CPUs (lscpu). **Peak assumed:** {peak:,.0f} GFLOP/s fp32 = '
        f'{c["assumption"]}.', '',
        f'Medians of {a.runs} run(s){" (--quick)" if a.quick else ""}. Nightjar: `deploy/nightjar benchmark` on the '
        'demo data, one process (2 ND4J threads) and Spark `local[2]` (2 workers x 1 thread), the first segment '
        f'left out. Peer: {peer}, 2 threads, the same shapes, batch and optimizer, random data (bench/peers.py). '
        'GFLOP/s: the training FLOPs per example Nightjar counts from its network (`Flops`), times examples/s.', '',
        '| family | unit | PyTorch | Nightjar one process | Nightjar `local[2]` | best ratio | averaging share '
        '(`local[2]`) | GFLOP/s Nightjar best / PyTorch | of peak |',
        '|---|---|---|---|---|---|---|---|---|',
    ]
    units = {f: (what, unit) for f, what, _, unit in TRAIN}
    for r in train:
        what, unit = units[r['family']]
        lines.append(f'| {what} | {unit} | {fmt(r["pytorch"])} | {fmt(r["nightjar_one_process"])} | '
                     f'{fmt(r["nightjar_local2"])} | **{fmt(r["best_ratio"], 2)}×** | {pct(r["averaging_share_local2"])} | '
                     f'{fmt(r["gflops_nightjar_best"], 1)} / {fmt(r["gflops_pytorch"], 1)} | '
                     f'{pct(r["peak_fraction_nightjar"])} / {pct(r["peak_fraction_pytorch"])} |')
    if score:
        names = dict(SCORE)
        lines += ['', 'Scoring, docs/s: `deploy/nightjar score --master local[2]` (reading the CSV and writing Parquet '
                  'included; documents read in windows of 256 ids, batches of 256) against the peer\'s tokenising and '
                  'forward passes in the same windows and batches.', '',
                  '| model | input | documents | PyTorch | Nightjar `local[2]` | ratio |', '|---|---|---|---|---|---|']
        for r in score:
            lines.append(f'| {names[r["family"]]} | {r["input"]} | {fmt(r["documents"])} | {fmt(r["pytorch"])} | '
                         f'{fmt(r["nightjar_local2"])} | **{fmt(r["ratio"], 2)}×** |')
    lines += ['', 'The workloads:', '', '| family | parameters | time steps per example | training MFLOP per example | '
              'records (examples) |', '|---|---|---|---|---|']
    for r in train:
        lines.append(f'| {r["family"]} | {fmt(r["parameters"])} | {fmt(r["time_steps_per_example"], 1)} | '
                     f'{fmt((r["training_flops_per_example"] or 0) / 1e6, 1)} | {fmt(r["records"])} ({fmt(r["examples"])}) |')
    with open(f'{a.workdir}/results.md', 'w') as f:
        f.write('\n'.join(lines) + '\n')
    with open(f'{a.workdir}/results.json', 'w') as f:
        json.dump({'time': when, 'cpu': c, 'runs': a.runs, 'quick': a.quick, 'training': train, 'scoring': score}, f,
                  indent=2)
        f.write('\n')


if __name__ == '__main__':
    main()
