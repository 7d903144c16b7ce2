"""Regenerate minitf/datasets/mnist_small/ (shipped in the package) from a directory holding the real MNIST files.

    python tools/make_mnist_small.py /path/to/mnist [OUT_DIR] [--train 6000] [--test 1000]

Keeps the first ``--train`` training and the first ``--test`` test examples
(images and labels) and writes them as real IDX files, gzip-compressed, with
the standard names, so the loader reads them exactly like the full data set.
Because only the count in the header changes and the data is a prefix of the
original, the subset is byte-for-byte the start of real MNIST.  The gzip
timestamp is fixed at 0 so re-running the script gives identical files.

Standalone on purpose (standard library only): it must work even when the
package under test does not import.
"""

from __future__ import annotations

import argparse
import gzip
import struct
from pathlib import Path

IMAGES = ("train-images-idx3-ubyte", "t10k-images-idx3-ubyte")
LABELS = ("train-labels-idx1-ubyte", "t10k-labels-idx1-ubyte")


def read_idx(directory: Path, stem: str) -> bytes:
    """The decompressed bytes of ``stem`` (.gz or plain) in ``directory``."""
    for name in (stem + ".gz", stem):
        path = directory / name
        if path.is_file():
            raw = path.read_bytes()
            return gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw
    raise FileNotFoundError(f"{stem}(.gz) not found in {directory}")


def take_first(raw: bytes, n: int) -> bytes:
    """An IDX file holding only the first ``n`` entries along dimension 0 of ``raw``."""
    magic = struct.unpack(">I", raw[:4])[0]
    ndim = magic & 0xFF
    shape = list(struct.unpack(f">{ndim}I", raw[4 : 4 + 4 * ndim]))
    if n > shape[0]:
        raise ValueError(f"asked for {n} entries, the file has {shape[0]}")
    item = 1
    for size in shape[1:]:
        item *= size
    header = 4 + 4 * ndim
    shape[0] = n
    return struct.pack(f">I{ndim}I", magic, *shape) + raw[header : header + n * item]


def write_gz(path: Path, data: bytes) -> None:
    """Gzip ``data`` into ``path`` reproducibly (no name, mtime 0)."""
    with open(path, "wb") as f, gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=0) as gz:
        gz.write(data)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="directory with the full MNIST files")
    parser.add_argument(
        "out", type=Path, nargs="?", default=Path(__file__).resolve().parents[1] / "minitf" / "datasets" / "mnist_small"
    )
    parser.add_argument("--train", type=int, default=6000, help="training examples to keep")
    parser.add_argument("--test", type=int, default=1000, help="test examples to keep")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for stems in (IMAGES, LABELS):
        for stem, n in zip(stems, (args.train, args.test)):
            target = args.out / (stem + ".gz")
            write_gz(target, take_first(read_idx(args.source, stem), n))
            print(f"wrote {target} ({target.stat().st_size} bytes, {n} examples)")


if __name__ == "__main__":
    main()
