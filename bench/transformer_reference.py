#!/usr/bin/env python3
"""The same-steps PyTorch reference of issue 19: the Transformer of conf/lm-transformer.conf (bench/peers.py's
TransformerLm) trained in one process on a Nightjar language-model dataset's own records (its shards: the same
sequences, the same test split), with the same batch, Adam, warm-up + cosine schedule, element-wise clipping and
GPT-2 initialisation (normal 0.02; the residual outputs 0.02 / sqrt(2 x blocks)), then held-out bits per token on the
test split (bits per character for a char dataset).

    python3 bench/transformer_reference.py --data work/demo/text-transformer-lm/data --steps 380 --threads 2

Prints one JSON object. Not part of the build or of CI.
"""
import argparse
import json
import math
import os
import random
import struct
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peers import TransformerLm  # noqa: E402


def records(path):
    """The token batches of one shard file (formats.md: header, records, index, footer; big-endian)."""
    with open(path, 'rb') as f:
        blob = f.read()
    if blob[:8] != b'NJSHARD1' or blob[-8:] != b'NJSHEND1':
        raise SystemExit(f'{path}: not a Nightjar shard')
    (index,) = struct.unpack('>q', blob[-16:-8])
    (count,) = struct.unpack('>i', blob[index:index + 4])
    for i in range(count):
        offset, length, _, _ = struct.unpack('>qiii', blob[index + 4 + 20 * i:index + 24 + 20 * i])
        n, t, width = struct.unpack('>iib', blob[offset:offset + 9])
        ids = struct.unpack(f'>{n * t}{"h" if width == 2 else "i"}', blob[offset + 9:offset + 9 + n * t * width])
        yield torch.tensor(ids, dtype=torch.long).view(n, t)


def split(data, name):
    manifest = json.load(open(os.path.join(data, 'manifest.json')))
    return [r for s in manifest['shards'] if s['split'] == name for r in records(os.path.join(data, 'shards', s['file']))], manifest


def init_gpt2(net, layers):
    for name, p in net.named_parameters():
        if p.dim() == 2 or name == 'positions':
            std = 0.02 / math.sqrt(2 * layers) if name.endswith(('o.weight', 'fc2.weight')) else 0.02
            torch.nn.init.normal_(p, 0, std)
        elif name.endswith('bias'):
            torch.nn.init.zeros_(p)


def rate(step, peak, floor, warmup, decay):
    """model-lib's WarmupCosineSchedule."""
    if step < warmup:
        return peak * (step + 1) / warmup
    if decay == 0:
        return peak
    done = min(1.0, (step - warmup) / decay)
    return floor + (peak - floor) * 0.5 * (1 + math.cos(math.pi * done))


def main():
    a = argparse.ArgumentParser()
    a.add_argument('--data', required=True)
    a.add_argument('--steps', type=int, required=True)
    a.add_argument('--rate', type=float, default=5e-3)
    a.add_argument('--min-ratio', type=float, default=0.1)
    a.add_argument('--warmup', type=int, default=50)
    a.add_argument('--clip', type=float, default=1.0)
    a.add_argument('--threads', type=int, default=2)
    a.add_argument('--seed', type=int, default=42)
    o = a.parse_args()
    torch.set_num_threads(o.threads)
    torch.manual_seed(o.seed)
    train, manifest = split(o.data, 'train')
    test, _ = split(o.data, 'test')
    vocab = manifest['text']['vocab_size'] if 'vocab_size' in manifest['text'] else 1 + max(int(r.max()) for r in train)
    seq = train[0].size(1) - 1
    net = TransformerLm(vocab, context=seq)
    init_gpt2(net, len(net.blocks))
    opt = torch.optim.Adam(net.parameters(), lr=o.rate)
    order = list(range(len(train)))
    random.Random(o.seed).shuffle(order)
    t0 = time.time()
    losses = []
    for step in range(o.steps):
        r = train[order[step % len(order)]]
        for g in opt.param_groups:
            g['lr'] = rate(step, o.rate, o.rate * o.min_ratio, o.warmup, o.steps - o.warmup)
        logits, _ = net(r[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, vocab), r[:, 1:].reshape(-1))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_value_(net.parameters(), o.clip)
        opt.step()
        losses.append(loss.item())
    seconds = time.time() - t0
    net.eval()
    nats, tokens = 0.0, 0
    with torch.no_grad():
        for r in test:
            logits, _ = net(r[:, :-1])
            nats += F.cross_entropy(logits.reshape(-1, vocab), r[:, 1:].reshape(-1), reduction='sum').item()
            tokens += r[:, 1:].numel()
    print(json.dumps({'steps': o.steps, 'batch': train[0].size(0), 'seq_len': seq, 'vocab': vocab,
                      'parameters': sum(p.numel() for p in net.parameters()), 'train_seconds': round(seconds, 1),
                      'tokens_per_second': round(o.steps * train[0].size(0) * seq / seconds),
                      'train_loss_first_last': [round(sum(losses[:20]) / 20, 4), round(sum(losses[-20:]) / 20, 4)],
                      'test_tokens': tokens, 'test_bits_per_token': nats / tokens / math.log(2),
                      'torch': torch.__version__, 'threads': o.threads}))


if __name__ == '__main__':
    main()
