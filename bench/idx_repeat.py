#!/usr/bin/env python3
"""Writes K copies of an IDX images/labels pair as one uncompressed pair (a synthetic K-times dataset).

    bench/idx_repeat.py SRC_IMAGES OUT_DIR K

SRC_IMAGES is e.g. data/samples/fashion-mnist/train-images-idx3-ubyte.gz (its labels file beside it, gzipped or not).
Writes OUT_DIR/train-images-idx3-ubyte and OUT_DIR/train-labels-idx1-ubyte with K times the items (the header's
count multiplied, the items repeated in order) and copies labels.txt. Uncompressed on purpose: prepare images reads
an IDX file in slices of 5,000 images, and a slice of a gzipped file has to inflate everything before it.
"""
import gzip
import os
import shutil
import struct
import sys


def read(path):
    with open(path, "rb") as f:
        raw = f.read()
    return gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw


def repeat(src, dst, k, header_len):
    data = read(src)
    header, items = data[:header_len], data[header_len:]
    count = struct.unpack(">I", header[4:8])[0]
    with open(dst, "wb") as f:
        f.write(header[:4] + struct.pack(">I", count * k) + header[8:])
        for _ in range(k):
            f.write(items)
    return count * k


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    images, out, k = sys.argv[1], sys.argv[2], int(sys.argv[3])
    labels = images.replace("images-idx3", "labels-idx1")
    os.makedirs(out, exist_ok=True)
    n = repeat(images, os.path.join(out, "train-images-idx3-ubyte"), k, 16)
    repeat(labels, os.path.join(out, "train-labels-idx1-ubyte"), k, 8)
    names = os.path.join(os.path.dirname(images), "labels.txt")
    if os.path.exists(names):
        shutil.copy(names, os.path.join(out, "labels.txt"))
    print(f"{out}: {n} images ({k} x {n // k})")


if __name__ == "__main__":
    main()
