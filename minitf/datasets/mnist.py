"""Read (and if needed download) the MNIST handwritten digits, as TensorFlow 1 did.

This module mirrors ``tensorflow/contrib/learn/python/learn/datasets/mnist.py``
of TensorFlow 1.15, the loader behind every TF1 tutorial's

    from tensorflow.examples.tutorials.mnist import input_data
    mnist = input_data.read_data_sets("MNIST_data/", one_hot=True)
    batch_xs, batch_ys = mnist.train.next_batch(100)

The same lines work here with ``minitf.examples.tutorials.mnist``.  Shapes,
dtypes, the train/validation split and ``next_batch``'s shuffling algorithm are
TF1's, so tutorial code and its printed output carry over unchanged.

Where the files come from
-------------------------
MNIST is four files in the IDX format (see :func:`extract_images`), each
stored plain or gzip-compressed (``.gz``)::

    train-images-idx3-ubyte   60 000 training images, 28x28 grey bytes
    train-labels-idx1-ubyte   their labels, one byte 0..9 each
    t10k-images-idx3-ubyte    10 000 test images
    t10k-labels-idx1-ubyte    their labels

:func:`read_data_sets` looks for them, in this order:

1. in ``train_dir``;
2. in the directory named by the environment variable ``MNIST_DIR``, if it is
   set and holds all four files (the course notebooks and the acceptance tests
   use this to share one copy of the data and to work without a network);
3. otherwise it downloads the missing files into ``train_dir``, from the
   mirrors in :data:`MIRRORS`, and checks each against the SHA-256 in
   :data:`SHA256` before keeping it.

Differences from TF1 (all deliberate)
-------------------------------------
* TF1's ``DataSet`` reseeds numpy's *global* RNG when it is built (with
  ``seed=None`` from OS entropy, wiping any ``np.random.seed`` you had set).
  Here ``seed=None`` shuffles with numpy's global RNG without reseeding it, so
  ``np.random.seed(0)`` before loading makes the batches reproducible; an int
  ``seed`` gives each ``DataSet`` its own ``numpy.random.RandomState(seed)``,
  which yields exactly TF1's batch order for a data set used on its own.
* Downloads are verified by SHA-256, written under a temporary name and renamed
  only when complete, so an interrupted download never leaves a broken file.
* Plain (uncompressed) IDX files are accepted too, and the arrays returned
  are writable (TF1's label arrays were read-only views of the file bytes).
* Nothing is ever pickled: the files are parsed byte by byte.
"""

from __future__ import annotations

import collections
import gzip
import hashlib
import http.client
import os
import struct
import sys
import tempfile
import urllib.request
import zlib
from pathlib import Path
from typing import IO, Any, Sequence, Union

import numpy

__all__ = [
    "DEFAULT_SOURCE_URL",
    "MIRRORS",
    "SHA256",
    "DataSet",
    "Datasets",
    "DownloadError",
    "SMALL_SAMPLE_DIR",
    "dense_to_one_hot",
    "extract_images",
    "extract_labels",
    "load_arrays",
    "load_data",
    "load_mnist",
    "read_data_sets",
]

# TF1's default: the CVDF mirror of http://yann.lecun.com/exdb/mnist/.
DEFAULT_SOURCE_URL = "https://storage.googleapis.com/cvdf-datasets/mnist/"

# Tried in this order when a file is missing and source_url is one of them.
MIRRORS = (
    DEFAULT_SOURCE_URL,
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
)

TRAIN_IMAGES = "train-images-idx3-ubyte"
TRAIN_LABELS = "train-labels-idx1-ubyte"
TEST_IMAGES = "t10k-images-idx3-ubyte"
TEST_LABELS = "t10k-labels-idx1-ubyte"
FILES = (TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS)

# SHA-256 of the four original .gz files, as served by the mirrors above.
SHA256 = {
    "train-images-idx3-ubyte.gz": "0b367032e93c5d0cea0925647cfdb18614af8ee15f83e6f2fc2ad904a6835971",
    "train-labels-idx1-ubyte.gz": "1787548bbe0bff1ec2ecdc0ef292b02df999e2d1a6002d27500982c652b17203",
    "t10k-images-idx3-ubyte.gz": "1a1a05eab793c14bb050b398624a11b0ffd1a2953baed553b1b9bd079e2a20be",
    "t10k-labels-idx1-ubyte.gz": "b91679a0acfe4ba0e50a2437a903084cba1f5f92592b016a25a7dfd00455798b",
}

# IDX magic numbers: 0x0000 0803 = unsigned bytes (0x08) in 3 dimensions,
# 0x0000 0801 = unsigned bytes in 1 dimension.
IMAGE_MAGIC = 2051
LABEL_MAGIC = 2049

MNIST_DIR_ENV = "MNIST_DIR"

# A sample of real MNIST shipped inside minitf: the first 6 000 training and 1 000 test examples,
# as IDX files (made by tools/make_mnist_small.py). With MNIST_DIR pointing here and
# MINITF_COURSE_FAST=1, notebook 07 and the graded exercises run in a minute without a network.
SMALL_SAMPLE_DIR = Path(__file__).parent / "mnist_small"

_DOWNLOAD_TIMEOUT = 60  # seconds without data before a mirror counts as failed
_CHUNK = 1 << 16

PathLike = Union[str, "os.PathLike[str]"]

Datasets = collections.namedtuple("Datasets", ["train", "validation", "test"])
Datasets.__doc__ = "The three splits returned by read_data_sets (TF1's base.Datasets)."


class DownloadError(OSError):
    """The MNIST files were neither on disk nor downloadable.

    An ``OSError`` because, like a missing file, it is a problem with the
    environment rather than with the program; the message says which files to
    put where to fix it by hand.
    """


# --------------------------------------------------------------------------
# Reading IDX files
# --------------------------------------------------------------------------


def _read_maybe_gzipped(source: PathLike | IO[bytes]) -> tuple[bytes, str]:
    """Return the (decompressed) bytes of a file and a name for error messages.

    Compression is recognised by content (gzip files start with the bytes
    1f 8b), not by the file name, so a ``.gz`` that a browser already unpacked
    still loads.
    """
    if isinstance(source, (str, os.PathLike)):
        name = os.fspath(source)
        with open(name, "rb") as f:
            raw = f.read()
    else:
        name = str(getattr(source, "name", "<stream>"))
        raw = source.read()
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as err:
            raise ValueError(
                f"Could not decompress MNIST file {name}: {err}. The file is "
                "probably truncated or corrupt: delete it and load again."
            ) from err
    return raw, name


def _parse_idx(raw: bytes, name: str, magic: int, kind: str) -> numpy.ndarray:
    """Parse an IDX byte string of unsigned bytes into a uint8 array.

    Layout (all integers big-endian 32-bit): the magic number, whose low byte
    is the number of dimensions; one size per dimension; then the data, one
    byte per entry in C order.
    """
    found = int.from_bytes(raw[:4], "big") if len(raw) >= 4 else None
    if found != magic:
        raise ValueError(
            f"Invalid magic number {found} in MNIST {kind} file: {name} "
            f"(expected {magic}; is this really an MNIST {kind} file?)"
        )
    ndim = magic & 0xFF
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise ValueError(f"MNIST {kind} file {name} is truncated inside its header.")
    shape = struct.unpack(f">{ndim}I", raw[4:header])
    count = int(numpy.prod(shape))
    if len(raw) - header < count:
        raise ValueError(
            f"MNIST {kind} file {name} is truncated: its header promises "
            f"{count} bytes of data, it holds {len(raw) - header}."
        )
    data = numpy.frombuffer(raw, dtype=numpy.uint8, count=count, offset=header)
    return data.reshape(shape).copy()  # copy: writable, and frees `raw`


def extract_images(f: PathLike | IO[bytes]) -> numpy.ndarray:
    """Read an IDX image file into a uint8 array of shape [index, y, x, depth].

    Args:
      f: a path, or a binary file object (TF1 passed an open file), of a plain
        or gzip-compressed IDX file whose magic number is 2051.

    Returns:
      A 4-D uint8 array ``(num_images, rows, cols, 1)`` with values 0..255.

    Raises:
      ValueError: if the file does not start with 2051 or is truncated.
    """
    raw, name = _read_maybe_gzipped(f)
    print("Extracting", name)
    images = _parse_idx(raw, name, IMAGE_MAGIC, "image")
    return images.reshape(images.shape + (1,))


def dense_to_one_hot(labels_dense: numpy.ndarray, num_classes: int) -> numpy.ndarray:
    """Convert class ids ``[n]`` into one-hot rows ``[n, num_classes]``.

    The result is float64, as in TF1 (its ``numpy.zeros`` default); a
    ``float32`` placeholder fed with it converts on the way in.
    """
    num_labels = labels_dense.shape[0]
    one_hot = numpy.zeros((num_labels, num_classes))
    one_hot[numpy.arange(num_labels), labels_dense.ravel()] = 1
    return one_hot


def extract_labels(
    f: PathLike | IO[bytes], one_hot: bool = False, num_classes: int = 10
) -> numpy.ndarray:
    """Read an IDX label file into a 1-D uint8 array of class ids.

    Args:
      f: a path or binary file object of a plain or gzipped IDX label file
        (magic number 2049).
      one_hot: return ``[n, num_classes]`` float64 one-hot rows instead.
      num_classes: width of the one-hot rows.

    Raises:
      ValueError: if the file does not start with 2049 or is truncated.
    """
    raw, name = _read_maybe_gzipped(f)
    print("Extracting", name)
    labels = _parse_idx(raw, name, LABEL_MAGIC, "label")
    if one_hot:
        return dense_to_one_hot(labels, num_classes)
    return labels


# --------------------------------------------------------------------------
# DataSet: the arrays plus TF1's next_batch
# --------------------------------------------------------------------------


def _image_dtype(dtype: Any) -> numpy.dtype:
    """Turn ``numpy.float32``, ``"uint8"`` or a TF-style DType into a numpy dtype."""
    dtype = getattr(dtype, "base_dtype", dtype)  # TF-style reference dtypes
    dtype = getattr(dtype, "as_numpy_dtype", dtype)  # TF-style DType objects
    try:
        np_dtype = numpy.dtype(dtype)
    except TypeError:
        np_dtype = None
    if np_dtype not in (numpy.dtype(numpy.uint8), numpy.dtype(numpy.float32)):
        raise TypeError(f"Invalid image dtype {dtype!r}, expected uint8 or float32")
    return np_dtype


class DataSet:
    """One split of MNIST (or any images + labels) with TF1's ``next_batch``.

    ``images`` are ``(n, rows*cols)`` when ``reshape`` is true (what a
    fully-connected model's placeholder wants), else ``(n, rows, cols, 1)``.
    ``dtype=float32`` rescales pixel bytes 0..255 to 0.0..1.0; ``uint8`` keeps
    the bytes.  ``one_hot`` only matters for ``fake_data``: real labels come
    in already encoded.  ``seed`` makes the shuffling reproducible (see the
    module docstring for how this differs from TF1's global reseeding).
    """

    def __init__(
        self,
        images: numpy.ndarray,
        labels: numpy.ndarray,
        fake_data: bool = False,
        one_hot: bool = False,
        dtype: Any = numpy.float32,
        reshape: bool = True,
        seed: int | None = None,
    ) -> None:
        dtype = _image_dtype(dtype)
        # numpy.random (the module) and RandomState both offer .shuffle.
        self._rng: Any = numpy.random if seed is None else numpy.random.RandomState(seed)
        self.one_hot = one_hot
        if fake_data:
            self._num_examples = 10000
        else:
            images, labels = numpy.asarray(images), numpy.asarray(labels)
            if images.shape[0] != labels.shape[0]:
                raise ValueError(
                    f"images.shape: {images.shape} labels.shape: {labels.shape}"
                )
            self._num_examples = images.shape[0]
            if reshape:
                images = _flatten(images)
            if dtype == numpy.float32:
                # [0, 255] -> [0.0, 1.0], computed exactly as TF1 did.
                images = numpy.multiply(images.astype(numpy.float32), 1.0 / 255.0)
        self._images = images
        self._labels = labels
        self._epochs_completed = 0
        self._index_in_epoch = 0

    @property
    def images(self) -> numpy.ndarray:
        """All images, in the current (shuffled) order."""
        return self._images

    @property
    def labels(self) -> numpy.ndarray:
        """All labels, in the same order as :attr:`images`."""
        return self._labels

    @property
    def num_examples(self) -> int:
        """How many examples the split holds."""
        return self._num_examples

    @property
    def epochs_completed(self) -> int:
        """How many full passes ``next_batch`` has made over the data."""
        return self._epochs_completed

    def next_batch(
        self, batch_size: int, fake_data: bool = False, shuffle: bool = True
    ) -> tuple[numpy.ndarray, numpy.ndarray]:
        """Return the next ``batch_size`` (images, labels), TF1's algorithm.

        The data is shuffled before the first batch and again at the end of
        every epoch.  A batch that runs past the end of an epoch is made of
        the epoch's remaining examples followed by the first examples of the
        freshly shuffled next one, so each example appears exactly once per
        epoch and every batch (while ``batch_size <= num_examples``) is full.
        """
        if fake_data:
            return self._fake_batch(batch_size)
        start = self._index_in_epoch
        if self._epochs_completed == 0 and start == 0 and shuffle:
            self._shuffle()
        if start + batch_size <= self._num_examples:
            self._index_in_epoch += batch_size
            end = self._index_in_epoch
            return self._images[start:end], self._labels[start:end]
        # Finish this epoch, then take the rest from the next one.
        self._epochs_completed += 1
        images_rest = self._images[start : self._num_examples]
        labels_rest = self._labels[start : self._num_examples]
        if shuffle:
            self._shuffle()
        self._index_in_epoch = batch_size - (self._num_examples - start)
        end = self._index_in_epoch
        return (
            numpy.concatenate((images_rest, self._images[:end]), axis=0),
            numpy.concatenate((labels_rest, self._labels[:end]), axis=0),
        )

    def _shuffle(self) -> None:
        """Put images and labels into one new random order (TF1: a shuffled arange)."""
        perm = numpy.arange(self._num_examples)
        self._rng.shuffle(perm)
        self._images = self._images[perm]
        self._labels = self._labels[perm]

    def _fake_batch(self, batch_size: int) -> tuple[list, list]:
        """TF1's fake data: all-ones 784-pixel images labelled class 0."""
        fake_image = [1] * 784
        fake_label: Any = [1] + [0] * 9 if self.one_hot else 0
        return [fake_image] * batch_size, [fake_label] * batch_size


def _flatten(images: numpy.ndarray) -> numpy.ndarray:
    """``(n, rows, cols, 1)`` -> ``(n, rows*cols)``: one row of pixels per image."""
    if images.ndim != 4 or images.shape[3] != 1:
        raise ValueError(
            f"reshape=True needs images of shape (n, rows, cols, 1), got {images.shape}"
        )
    return images.reshape(images.shape[0], images.shape[1] * images.shape[2])


# --------------------------------------------------------------------------
# Finding the files on disk
# --------------------------------------------------------------------------


def _find(directory: Path, stem: str) -> Path | None:
    """The ``.gz`` or plain file ``stem`` in ``directory``, or None."""
    for name in (stem + ".gz", stem):
        path = directory / name
        if path.is_file():
            return path
    return None


def _find_all(directory: Path) -> dict[str, Path] | None:
    """All four MNIST files in ``directory`` (keyed by stem), or None if any is missing."""
    found = {stem: _find(directory, stem) for stem in FILES}
    if any(path is None for path in found.values()):
        return None
    return found  # type: ignore[return-value]


def _mnist_dir() -> Path | None:
    """The directory named by $MNIST_DIR, if the variable is set and non-empty."""
    value = os.environ.get(MNIST_DIR_ENV, "").strip()
    return Path(value).expanduser() if value else None


# --------------------------------------------------------------------------
# Downloading
# --------------------------------------------------------------------------


class _TextProgress:
    """A dependency-free stand-in for tqdm: ``name [#####     ] 50% 4.9/9.7 MB``."""

    WIDTH = 30

    def __init__(self, total: int | None, desc: str) -> None:
        self.total, self.desc, self.done = total, desc, 0
        self._last_drawn: int | None = None

    def update(self, n: int) -> None:
        self.done += n
        # Redraw only when the percentage (or, without a total, the MB) changes.
        step = self.done * 100 // self.total if self.total else self.done >> 20
        if step != self._last_drawn:
            self._last_drawn = step
            self._draw()

    def _draw(self) -> None:
        mb = self.done / 1e6
        if self.total:
            pct = min(100, self.done * 100 // self.total)
            filled = pct * self.WIDTH // 100
            bar = "#" * filled + " " * (self.WIDTH - filled)
            text = f"{self.desc} [{bar}] {pct:3d}% {mb:.1f}/{self.total / 1e6:.1f} MB"
        else:
            text = f"{self.desc} {mb:.1f} MB"
        sys.stderr.write("\r" + text)
        sys.stderr.flush()

    def close(self) -> None:
        self._draw()
        sys.stderr.write("\n")
        sys.stderr.flush()


def _progress_bar(total: int | None, desc: str) -> Any:
    """tqdm on stderr if it is installed, else :class:`_TextProgress`."""
    try:
        from tqdm import tqdm
    except ImportError:
        return _TextProgress(total, desc)
    return tqdm(total=total, desc=desc, unit="B", unit_scale=True, file=sys.stderr)


def _download(url: str, dest: Path) -> None:
    """Copy the bytes at ``url`` into the file ``dest``, with a progress bar.

    Plain urllib, so no extra dependency; it raises OSError (urllib's
    URLError is one) when the network or the server fails.  Tests replace
    this function to simulate both failures and bad downloads.
    """
    with urllib.request.urlopen(url, timeout=_DOWNLOAD_TIMEOUT) as response:
        length = response.headers.get("Content-Length")
        bar = _progress_bar(int(length) if length else None, url.rsplit("/", 1)[-1])
        try:
            with open(dest, "wb") as out:
                while chunk := response.read(_CHUNK):
                    out.write(chunk)
                    bar.update(len(chunk))
        finally:
            bar.close()


def _sha256(path: Path) -> str:
    """Hex SHA-256 of a file, read in chunks so large files need little memory."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _fetch(filename: str, directory: Path, urls: Sequence[str], verify: bool) -> Path:
    """Download ``filename`` into ``directory`` from the first of ``urls`` that works.

    Each attempt writes to a unique temporary file in ``directory`` and is
    renamed to ``filename`` only after it completed and (if ``verify``)
    matched :data:`SHA256`; the temporary file is always removed, so a failed
    or wrong download never leaves a file that a later run would trust.
    """
    directory.mkdir(parents=True, exist_ok=True)
    failures = []
    for base in urls:
        url = base if base.endswith("/") else base + "/"
        url += filename
        fd, tmp_name = tempfile.mkstemp(prefix=f".{filename}.", suffix=".part", dir=directory)
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            _download(url, tmp)
            if verify:
                digest = _sha256(tmp)
                if digest != SHA256[filename]:
                    raise ValueError(
                        f"SHA-256 mismatch (got {digest}, expected {SHA256[filename]})"
                    )
            os.replace(tmp, directory / filename)
        except (OSError, ValueError, http.client.HTTPException) as err:
            failures.append(f"  {url}: {err}")
            continue
        finally:
            tmp.unlink(missing_ok=True)
        size = (directory / filename).stat().st_size
        print("Successfully downloaded", filename, size, "bytes.")
        return directory / filename
    raise DownloadError(f"Could not download {filename}:\n" + "\n".join(failures))


def _download_urls(source_url: str | None) -> tuple[list[str], bool]:
    """The base URLs to try, and whether their files must match :data:`SHA256`.

    A known mirror (or no source_url) means MNIST: try it, then the other
    mirrors, and verify checksums.  Any other source_url is someone else's
    MNIST-format data (TF1 tutorials used this for Fashion-MNIST): try only
    that URL, never fall back to MNIST, and skip the MNIST checksums.
    """
    if not source_url or source_url in MIRRORS:
        first = source_url or DEFAULT_SOURCE_URL
        return [first] + [m for m in MIRRORS if m != first], True
    return [source_url], False


def _obtain_files(train_dir: Path, source_url: str | None) -> dict[str, Path]:
    """Locate the four files (train_dir, then $MNIST_DIR) or download the missing ones."""
    found = _find_all(train_dir)
    if found is not None:
        return found
    env_dir = _mnist_dir()
    if env_dir is not None:
        found = _find_all(env_dir)
        if found is not None:
            return found
    urls, verify = _download_urls(source_url)
    paths = {}
    for stem in FILES:
        path = _find(train_dir, stem)
        if path is None:
            try:
                path = _fetch(stem + ".gz", train_dir, urls, verify)
            except DownloadError as err:
                raise DownloadError(_missing_files_message(err, train_dir, env_dir)) from err
        paths[stem] = path
    return paths


def _missing_files_message(err: DownloadError, train_dir: Path, env_dir: Path | None) -> str:
    """Explain a failed download and exactly how to provide the files by hand."""
    missing = [stem + ".gz" for stem in FILES if _find(train_dir, stem) is None]
    lines = [
        f"The MNIST data could not be downloaded.\n{err}",
        "",
        f"Without network access, put these files (plain or .gz) into {train_dir.resolve()}:",
        *[f"  {name}" for name in missing],
        f"or set the environment variable {MNIST_DIR_ENV} to a directory that holds all four.",
    ]
    if env_dir is not None:
        lines.append(f"({MNIST_DIR_ENV}={env_dir} is set, but that directory lacks some of them.)")
    return "\n".join(lines)


# --------------------------------------------------------------------------
# The entry point
# --------------------------------------------------------------------------


def read_data_sets(
    train_dir: PathLike,
    fake_data: bool = False,
    one_hot: bool = False,
    dtype: Any = numpy.float32,
    reshape: bool = True,
    validation_size: int = 5000,
    seed: int | None = None,
    source_url: str | None = DEFAULT_SOURCE_URL,
) -> Datasets:
    """Load MNIST as ``Datasets(train, validation, test)``, like TF1.

    Args:
      train_dir: directory holding the four IDX files (see the module
        docstring); missing files are looked for in ``$MNIST_DIR`` and then
        downloaded here.
      fake_data: return three 10 000-example ``DataSet``s of fake data
        instead (only ``next_batch(..., fake_data=True)`` is meaningful).
      one_hot: labels as ``[n, 10]`` float64 one-hot rows instead of uint8 ids.
      dtype: ``float32`` (pixels scaled to [0, 1]) or ``uint8`` (0..255).
      reshape: images as ``[n, 784]`` rows, else ``[n, 28, 28, 1]``.
      validation_size: how many of the first training examples form the
        validation split (real MNIST: 55 000 train / 5 000 validation).
      seed: makes ``next_batch`` shuffling reproducible.
      source_url: base URL to download from; the default and the other
        :data:`MIRRORS` are checksum-verified, any other URL is trusted as is.

    Raises:
      ValueError: for a validation_size outside [0, number of training
        images], or a file that is not valid MNIST IDX.
      DownloadError: when files are missing and cannot be downloaded; the
        message lists the files and the directory to put them in.
    """
    if fake_data:
        def fake() -> DataSet:
            return DataSet([], [], fake_data=True, one_hot=one_hot, dtype=dtype, seed=seed)

        return Datasets(train=fake(), validation=fake(), test=fake())

    paths = _obtain_files(Path(train_dir).expanduser(), source_url)
    train_images = extract_images(paths[TRAIN_IMAGES])
    train_labels = extract_labels(paths[TRAIN_LABELS], one_hot=one_hot)
    test_images = extract_images(paths[TEST_IMAGES])
    test_labels = extract_labels(paths[TEST_LABELS], one_hot=one_hot)

    if not 0 <= validation_size <= len(train_images):
        raise ValueError(
            "Validation size should be between 0 and {}. Received: {}.".format(
                len(train_images), validation_size
            )
        )
    options = dict(dtype=dtype, reshape=reshape, seed=seed)
    train = DataSet(train_images[validation_size:], train_labels[validation_size:], **options)
    validation = DataSet(
        train_images[:validation_size], train_labels[:validation_size], **options
    )
    test = DataSet(test_images, test_labels, **options)
    return Datasets(train=train, validation=validation, test=test)


def load_arrays(train_dir: PathLike, source_url: str | None = DEFAULT_SOURCE_URL):
    """The four MNIST arrays as stored, ``(train_images, train_labels), (test_images, test_labels)``.

    Images are uint8 ``(n, 28, 28)``, labels uint8 ``(n,)``.  The files are found (or downloaded
    and checked) as :func:`read_data_sets` finds them, but nothing is printed: this is what
    Keras's ``mnist.load_data()`` returns (:func:`load_data`).
    """
    paths = _obtain_files(Path(train_dir).expanduser(), source_url)

    def read(stem: str, magic: int, kind: str) -> numpy.ndarray:
        return _parse_idx(*_read_maybe_gzipped(paths[stem]), magic, kind)

    return ((read(TRAIN_IMAGES, IMAGE_MAGIC, "image"), read(TRAIN_LABELS, LABEL_MAGIC, "label")),
            (read(TEST_IMAGES, IMAGE_MAGIC, "image"), read(TEST_LABELS, LABEL_MAGIC, "label")))


def load_data(path: str = "mnist.npz"):
    """Keras's ``tf.keras.datasets.mnist.load_data()``: ``(x_train, y_train), (x_test, y_test)``, uint8
    images ``(n, 28, 28)`` (0..255) and uint8 labels, from ``$MNIST_DIR`` if it holds the files, else
    downloaded once (with SHA-256 checks) into ``~/.keras/datasets/mnist`` (``$KERAS_HOME/datasets/mnist``).

    >>> (x_train, y_train), (x_test, y_test) = tf.keras.datasets.mnist.load_data()
    >>> x_train.shape, x_train.dtype, y_train[:3]
    ((60000, 28, 28), dtype('uint8'), array([5, 0, 4], dtype=uint8))
    """
    home = os.environ.get("KERAS_HOME") or Path.home() / ".keras"
    return load_arrays(Path(home) / "datasets" / "mnist")


def load_mnist(train_dir: PathLike = "MNIST-data") -> Datasets:
    """TF1's shortcut: ``read_data_sets(train_dir)`` with every default."""
    return read_data_sets(train_dir)
