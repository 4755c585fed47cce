#!/usr/bin/env python3
"""PyTorch peers of Nightjar's model families, for bench/run.sh.

Each peer is the network Nightjar builds for the same config (model-lib's ImageClassifiers, LanguageModels,
TextClassifiers, TextCnns, TextBiLstms), with the same batch, optimizer (Adam, its rate, L2 on weights only,
element-wise gradient clipping), dropout and truncated BPTT, trained on random data of the right shape.

    peers.py train --family lenet --seconds 20            # prints one JSON object
    peers.py score --family text-cnn --input sentences-en.csv --text-col 1 --tokenizer word --vocab 30004

Not part of the build or of CI.
"""
import argparse
import csv
import json
import re
import sys
import time
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F

warnings.filterwarnings('ignore', message="Using padding='same'")

# ---------------------------------------------------------------------------------------------------------------
# The networks


class LeNet(nn.Module):
    """ImageClassifiers.lenet: 5x5 'same' convolutions of 20 and 50 filters, each with ReLU and 2x2 max pooling,
    a dense layer (ReLU), softmax."""

    def __init__(self, filters=(20, 50), dense=500, classes=10, size=28, channels=1):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, filters[0], 5, padding=2)
        self.conv2 = nn.Conv2d(filters[0], filters[1], 5, padding=2)
        self.dense = nn.Linear(filters[1] * (size // 4) ** 2, dense)
        self.out = nn.Linear(dense, classes)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return self.out(F.relu(self.dense(x.flatten(1))))


class ConvNet(nn.Module):
    """ImageClassifiers.convnet (conf/fashion-cnn.conf): blocks of 3x3 'same' convolutions (bias, then batch norm
    with ReLU), 2x2 max pooling after each block, a dense layer (ReLU), softmax."""

    def __init__(self, filters=(32, 64), per_block=2, dense=128, classes=10, size=28, channels=1):
        super().__init__()
        layers, c = [], channels
        for f in filters:
            for _ in range(per_block):
                layers += [nn.Conv2d(c, f, 3, padding=1), nn.BatchNorm2d(f), nn.ReLU()]
                c = f
            layers.append(nn.MaxPool2d(2))
            size //= 2
        self.features = nn.Sequential(*layers)
        self.dense = nn.Linear(c * size * size, dense)
        self.out = nn.Linear(dense, classes)

    def forward(self, x):
        return self.out(F.relu(self.dense(self.features(x).flatten(1))))


class CharLm(nn.Module):
    """LanguageModels (conf/lm-char.conf): embedding, one LSTM, a softmax over the vocabulary at every step."""

    def __init__(self, vocab, embedding=64, hidden=256):
        super().__init__()
        self.embedding = nn.Embedding(vocab, embedding)
        self.lstm = nn.LSTM(embedding, hidden, batch_first=True)
        self.out = nn.Linear(hidden, vocab)

    def forward(self, ids, state=None):
        h, state = self.lstm(self.embedding(ids), state)
        return self.out(h), state


class Block(nn.Module):
    """One pre-LayerNorm GPT-2 block, as model-lib's TransformerBlock: causal multi-head attention, a GELU (tanh) MLP."""

    def __init__(self, width, heads, mlp):
        super().__init__()
        self.heads = heads
        self.ln1 = nn.LayerNorm(width)
        self.q, self.k, self.v, self.o = (nn.Linear(width, width) for _ in range(4))
        self.ln2 = nn.LayerNorm(width)
        self.fc1 = nn.Linear(width, mlp)
        self.fc2 = nn.Linear(mlp, width)

    def forward(self, x, mask):
        b, t, d = x.shape
        h = self.ln1(x)
        q, k, v = (f(h).view(b, t, self.heads, d // self.heads).transpose(1, 2) for f in (self.q, self.k, self.v))
        att = torch.softmax(q @ k.transpose(-2, -1) / (d // self.heads) ** 0.5 + mask[:t, :t], dim=-1)
        x = x + self.o((att @ v).transpose(1, 2).reshape(b, t, d))
        return x + self.fc2(F.gelu(self.fc1(self.ln2(x)), approximate='tanh'))


class TransformerLm(nn.Module):
    """Transformers (conf/lm-transformer.conf): token + position embeddings, blocks, final LayerNorm, softmax."""

    def __init__(self, vocab, width=128, layers=2, heads=4, mlp_ratio=3, context=128):
        super().__init__()
        self.embedding = nn.Embedding(vocab, width)
        self.positions = nn.Parameter(torch.randn(context, width) * 0.02)
        self.blocks = nn.ModuleList(Block(width, heads, width * mlp_ratio) for _ in range(layers))
        self.ln = nn.LayerNorm(width)
        self.out = nn.Linear(width, vocab)
        self.register_buffer('mask', torch.full((context, context), -1e9).triu(1))

    def forward(self, ids, state=None):
        x = self.embedding(ids) + self.positions[:ids.size(1)]
        for blk in self.blocks:
            x = blk(x, self.mask)
        return self.out(self.ln(x)), None


def masked_mean(h, mask):
    m = mask.unsqueeze(-1)
    return (h * m).sum(1) / m.sum(1).clamp(min=1)


def masked_max(h, mask):
    return h.masked_fill(~mask.bool().unsqueeze(-1), float('-inf')).max(1).values


class LstmClassifier(nn.Module):
    """TextClassifiers (conf/sentiment.conf): the language model's embedding and LSTM, mean pooling over the real
    steps, dropout on the dense layer's input, a dense layer (ReLU), softmax."""

    def __init__(self, vocab, embedding=64, hidden=256, dense=64, dropout=0.3, classes=2):
        super().__init__()
        self.embedding = nn.Embedding(vocab, embedding)
        self.lstm = nn.LSTM(embedding, hidden, batch_first=True)
        self.drop = nn.Dropout(dropout)
        self.dense = nn.Linear(hidden, dense)
        self.out = nn.Linear(dense, classes)

    def forward(self, ids, mask):
        h, _ = self.lstm(self.embedding(ids))
        return self.out(F.relu(self.dense(self.drop(masked_mean(h, mask)))))


class TextCnn(nn.Module):
    """TextCnns (conf/sentiment-cnn.conf): embedding, one 1-D 'same' convolution (ReLU) per width, max over the
    real steps, concatenated, dropout, softmax."""

    def __init__(self, vocab, embedding=100, widths=(3, 4, 5), filters=100, dropout=0.5, classes=2):
        super().__init__()
        self.embedding = nn.Embedding(vocab, embedding)
        self.convs = nn.ModuleList(nn.Conv1d(embedding, filters, w, padding='same') for w in widths)
        self.drop = nn.Dropout(dropout)
        self.out = nn.Linear(filters * len(widths), classes)

    def forward(self, ids, mask):
        x = self.embedding(ids).transpose(1, 2)  # [n, embedding, T]
        pooled = [masked_max(F.relu(conv(x)).transpose(1, 2), mask) for conv in self.convs]
        return self.out(self.drop(torch.cat(pooled, 1)))


class BiLstm(nn.Module):
    """TextBiLstms: embedding, an LSTM each way, both directions' states mean- and max-pooled over the real steps,
    concatenated, dropout, softmax. (The backward LSTM reads the padded batch flipped; Nightjar reverses each
    document's real steps: the same work.)"""

    def __init__(self, vocab, embedding=100, hidden=64, dropout=0.5, classes=2):
        super().__init__()
        self.embedding = nn.Embedding(vocab, embedding)
        self.forward_lstm = nn.LSTM(embedding, hidden, batch_first=True)
        self.backward_lstm = nn.LSTM(embedding, hidden, batch_first=True)
        self.drop = nn.Dropout(dropout)
        self.out = nn.Linear(4 * hidden, classes)

    def forward(self, ids, mask):
        e = self.embedding(ids)
        f, _ = self.forward_lstm(e)
        b, _ = self.backward_lstm(e.flip(1))
        h = torch.cat([f, b.flip(1)], 2)
        return self.out(self.drop(torch.cat([masked_mean(h, mask), masked_max(h, mask)], 1)))


# ---------------------------------------------------------------------------------------------------------------
# The families: network, batch, optimizer and data as Nightjar's configs give them

FAMILIES = {
    # name: (batch, Adam rate, L2, element-wise clip, kind)
    'lenet': (64, 1e-3, 1e-4, 0, 'image'),             # defaults.conf with model.architecture=lenet, dense-units=500
    'convnet': (64, 2e-3, 0, 0, 'image'),              # conf/fashion-cnn.conf
    'char-lstm': (64, 1e-2, 0, 5.0, 'lm'),             # conf/lm-char.conf
    'transformer-lm': (64, 5e-3, 0, 1.0, 'lm'),        # conf/lm-transformer.conf (--seq-len 128: no truncation)
    'text-classifier': (32, 3e-3, 1e-4, 5.0, 'text'),  # conf/sentiment.conf
    'text-cnn': (32, 1e-3, 0, 0, 'text'),              # conf/sentiment-cnn.conf
    'text-bilstm': (32, 1e-3, 0, 0, 'text'),           # conf/sentiment-cnn.conf with model.family=text-bilstm
}


def network(family, vocab):
    return {
        'lenet': lambda: LeNet(),
        'convnet': lambda: ConvNet(),
        'char-lstm': lambda: CharLm(vocab),
        'transformer-lm': lambda: TransformerLm(vocab),
        'text-classifier': lambda: LstmClassifier(vocab),
        'text-cnn': lambda: TextCnn(vocab),
        'text-bilstm': lambda: BiLstm(vocab, embedding=100, hidden=64),
    }[family]()


def adam(net, rate, l2):
    """DL4J's L2 adds l2 * w to the gradient of weights, not of biases (and not of batch norm's gamma and beta)."""
    weights = [p for p in net.parameters() if p.dim() > 1]
    others = [p for p in net.parameters() if p.dim() <= 1]
    return torch.optim.Adam([{'params': weights, 'weight_decay': l2}, {'params': others, 'weight_decay': 0}], lr=rate)


def text_batch(g, batch, steps, vocab):
    """Ids right-padded to `steps` (the batch's longest document), lengths between half and all of it."""
    lengths = torch.randint(max(1, steps // 2), steps + 1, (batch,), generator=g)
    lengths[0] = steps
    mask = (torch.arange(steps).unsqueeze(0) < lengths.unsqueeze(1)).float()
    ids = torch.randint(4, vocab, (batch, steps), generator=g) * mask.long()
    return ids, mask


def train(a):
    torch.manual_seed(a.seed)
    g = torch.Generator().manual_seed(a.seed)
    batch, rate, l2, clip, kind = FAMILIES[a.family]
    batch = a.batch or batch
    net = network(a.family, a.vocab)
    net.train()
    opt = adam(net, rate, l2)
    loss_fn = nn.CrossEntropyLoss()
    pool = []
    for _ in range(4):  # a few distinct batches, cycled: the data's cost stays out of the timing
        if kind == 'image':
            pool.append((torch.rand(batch, 1, 28, 28, generator=g), torch.randint(0, 10, (batch,), generator=g)))
        elif kind == 'lm':
            ids = torch.randint(0, a.vocab, (batch, a.seq_len + 1), generator=g)
            pool.append((ids[:, :-1].contiguous(), ids[:, 1:].contiguous()))
        else:
            ids, mask = text_batch(g, batch, a.seq_len, a.vocab)
            pool.append(((ids, mask), torch.randint(0, 2, (batch,), generator=g)))

    def step(x, y):
        if kind == 'lm':  # truncated BPTT: one update per window, the state carried across windows
            state = None
            window = a.seq_len if a.family == 'transformer-lm' else a.tbptt
            for s in range(0, a.seq_len, window):
                opt.zero_grad()
                logits, state = net(x[:, s:s + window], state)
                loss = loss_fn(logits.reshape(-1, logits.size(-1)), y[:, s:s + window].reshape(-1))
                loss.backward()
                if clip:
                    nn.utils.clip_grad_value_(net.parameters(), clip)
                opt.step()
                state = None if state is None else tuple(t.detach() for t in state)
            return
        opt.zero_grad()
        out = net(*x) if kind == 'text' else net(x)
        loss_fn(out, y).backward()
        if clip:
            nn.utils.clip_grad_value_(net.parameters(), clip)
        opt.step()

    for i in range(a.warmup):
        step(*pool[i % len(pool)])
    n, t0 = 0, time.perf_counter()
    while n < a.min_steps or time.perf_counter() - t0 < a.seconds:
        step(*pool[n % len(pool)])
        n += 1
    seconds = time.perf_counter() - t0
    examples = n * batch
    steps = a.seq_len if kind != 'image' else 0
    print(json.dumps({'family': a.family, 'peer': 'pytorch ' + torch.__version__, 'threads': torch.get_num_threads(),
                      'batch': batch, 'steps': n, 'examples': examples, 'seconds': seconds,
                      'examples_per_second': examples / seconds,
                      'tokens_per_second': examples * (a.seq_len if kind == 'lm' else 1) / seconds,
                      'time_steps_per_example': steps}))


# ---------------------------------------------------------------------------------------------------------------
# Scoring: the documents of a CSV, tokenised as Nightjar's tokenizers roughly do, read in windows of max-len ids
# (the end marker and max-len - 1 tokens, at most max-windows per document), batches of at most `batch` parts
# sorted by length, each padded to its longest; a document's probabilities are the mean over its parts.

WORD = re.compile(r"\w+(?:'\w+)?|n't|[^\w\s]")


def parts(text, tokenizer, max_len, max_windows):
    n = len(text) if tokenizer == 'char' else len(WORD.findall(text.lower()))
    per = max_len - 1
    windows = min(max_windows, max(1, -(-n // per)))
    lengths = [min(per, n - i * per) + 1 for i in range(windows)]
    return [max(1, x) for x in lengths]


def score(a):
    torch.manual_seed(a.seed)
    g = torch.Generator().manual_seed(a.seed)
    net = network(a.family, a.vocab)
    net.eval()
    with open(a.input, newline='', encoding='utf-8-sig') as f:
        texts = [row[a.text_col] for row in csv.reader(f) if len(row) > a.text_col]
    if a.limit:
        texts = texts[:a.limit]
    best = None
    for rep in range(a.repeats):
        t0 = time.perf_counter()
        work = []  # (length, document)
        for d, text in enumerate(texts):
            work += [(length, d) for length in parts(text, a.tokenizer, a.max_len, a.max_windows)]
        work.sort()
        sums = torch.zeros(len(texts), 2)
        counts = torch.zeros(len(texts), 1)
        with torch.no_grad():
            for i in range(0, len(work), a.batch):
                chunk = work[i:i + a.batch]
                steps = chunk[-1][0]
                lengths = torch.tensor([c[0] for c in chunk])
                mask = (torch.arange(steps).unsqueeze(0) < lengths.unsqueeze(1)).float()
                ids = torch.randint(4, a.vocab, (len(chunk), steps), generator=g) * mask.long()
                p = torch.softmax(net(ids, mask), 1)
                docs = torch.tensor([c[1] for c in chunk])
                sums.index_add_(0, docs, p)
                counts.index_add_(0, docs, torch.ones(len(chunk), 1))
        seconds = time.perf_counter() - t0
        if best is None or seconds < best:
            best = seconds
    print(json.dumps({'family': a.family, 'peer': 'pytorch ' + torch.__version__, 'threads': torch.get_num_threads(),
                      'documents': len(texts), 'parts': len(work), 'seconds': best, 'docs_per_second': len(texts) / best}))


def main(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest='command', required=True)
    for name in ('train', 'score'):
        s = sub.add_parser(name)
        s.add_argument('--family', required=True, choices=sorted(FAMILIES))
        s.add_argument('--threads', type=int, default=2)
        s.add_argument('--vocab', type=int, default=0, help='tokenizer ids (text families)')
        s.add_argument('--seed', type=int, default=42)
    t = sub.choices['train']
    t.add_argument('--batch', type=int, default=0, help="default: the family's")
    t.add_argument('--seq-len', type=int, default=100, help='time steps per example (text: the mean padded length)')
    t.add_argument('--tbptt', type=int, default=25)
    t.add_argument('--warmup', type=int, default=3, help='steps left out of the timing')
    t.add_argument('--seconds', type=float, default=10, help='time at least this long')
    t.add_argument('--min-steps', type=int, default=5)
    s = sub.choices['score']
    s.add_argument('--input', required=True, help='CSV file, no header')
    s.add_argument('--text-col', type=int, default=1)
    s.add_argument('--tokenizer', choices=('char', 'word'), required=True)
    s.add_argument('--max-len', type=int, default=256)
    s.add_argument('--max-windows', type=int, default=32)
    s.add_argument('--batch', type=int, default=256)
    s.add_argument('--limit', type=int, default=0, help='score only the first N documents')
    s.add_argument('--repeats', type=int, default=1, help='passes; the fastest is reported')
    a = p.parse_args(argv)
    if FAMILIES[a.family][4] != 'image' and a.vocab <= 0:
        p.error('--vocab is needed for ' + a.family)
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    (train if a.command == 'train' else score)(a)


if __name__ == '__main__':
    main(sys.argv[1:])
