"""Tests of the TF1-compatible MNIST loader (minitf.datasets.mnist).

Most tests use minitf/datasets/mnist_small (the first 6 000 training and 1 000 test
examples of real MNIST, made by tools/make_mnist_small.py); one reads the
full data set when the shared copy beside the repository exists.  No test
touches the network: downloads are simulated by replacing ``mnist._download``
or by ``file://`` URLs.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import shutil
import sys
import urllib.error
from pathlib import Path

import numpy as np
import pytest

from minitf.datasets import mnist

REPO = Path(__file__).resolve().parents[2]
SMALL = REPO / "minitf" / "datasets" / "mnist_small"
FULL = REPO.parent / "shared" / "data" / "mnist"
NAMES = [stem + ".gz" for stem in mnist.FILES]


@pytest.fixture(autouse=True)
def _no_network_no_env(monkeypatch):
    """No test may download for real, nor see the developer's own $MNIST_DIR."""
    monkeypatch.delenv("MNIST_DIR", raising=False)

    def offline(url, dest):
        raise urllib.error.URLError("network disabled in tests")

    monkeypatch.setattr(mnist, "_download", offline)


@pytest.fixture(scope="module")
def small():
    return mnist.read_data_sets(SMALL, validation_size=1000)


# --------------------------------------------------------------------------
# Loading the small real subset
# --------------------------------------------------------------------------


def test_small_shapes_dtypes_ranges(small):
    assert isinstance(small, mnist.Datasets)
    sizes = (small.train.num_examples, small.validation.num_examples, small.test.num_examples)
    assert sizes == (5000, 1000, 1000)
    for split in small:
        assert split.images.shape == (split.num_examples, 784)
        assert split.images.dtype == np.float32
        assert split.images.min() == 0.0 and split.images.max() == 1.0
        assert split.labels.shape == (split.num_examples,)
        assert split.labels.dtype == np.uint8
        assert set(np.unique(split.labels)) == set(range(10))
        assert split.epochs_completed == 0


def test_small_is_real_mnist_in_file_order(small):
    # The well-known first labels of MNIST's training and test files.
    assert small.validation.labels[:10].tolist() == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
    assert small.test.labels[:10].tolist() == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]
    raw = mnist.extract_images(SMALL / "train-images-idx3-ubyte.gz")
    expected = raw[1000].reshape(784).astype(np.float32) * np.float32(1.0 / 255.0)
    np.testing.assert_array_equal(small.train.images[0], expected)


def test_pixels_scaled_exactly_like_tf1(small):
    raw = mnist.extract_images(SMALL / "t10k-images-idx3-ubyte.gz")
    expected = np.multiply(raw.reshape(1000, 784).astype(np.float32), 1.0 / 255.0)
    assert expected.dtype == np.float32
    np.testing.assert_array_equal(small.test.images, expected)


def test_one_hot_is_float64_like_tf1():
    data = mnist.read_data_sets(SMALL, one_hot=True, validation_size=1000)
    ids = mnist.read_data_sets(SMALL, validation_size=1000)
    for hot, dense in zip(data, ids):
        assert hot.labels.shape == (hot.num_examples, 10)
        assert hot.labels.dtype == np.float64
        np.testing.assert_array_equal(hot.labels.sum(axis=1), 1.0)
        np.testing.assert_array_equal(hot.labels.argmax(axis=1), dense.labels)


def test_uint8_and_no_reshape():
    data = mnist.read_data_sets(SMALL, dtype=np.uint8, reshape=False, validation_size=1000)
    assert data.train.images.shape == (5000, 28, 28, 1)
    assert data.train.images.dtype == np.uint8
    assert data.train.images.max() == 255
    data = mnist.read_data_sets(SMALL, dtype="float32", reshape=False, validation_size=0)
    assert data.train.images.shape == (6000, 28, 28, 1)
    assert data.validation.images.shape == (0, 28, 28, 1)


def test_tf_style_dtype_object_is_accepted():
    class FakeDType:  # what a tf.float32-like object exposes
        as_numpy_dtype = np.float32

    data = mnist.read_data_sets(SMALL, dtype=FakeDType(), validation_size=1000)
    assert data.test.images.dtype == np.float32


def test_bad_dtype_is_rejected():
    with pytest.raises(TypeError, match="expected uint8 or float32"):
        mnist.DataSet(np.zeros((2, 28, 28, 1), np.uint8), np.zeros(2, np.uint8), dtype=np.float64)


def test_default_validation_size_on_small_set():
    data = mnist.read_data_sets(SMALL)
    assert data.train.num_examples == 1000
    assert data.validation.num_examples == 5000


@pytest.mark.parametrize("size", [6001, -1])
def test_validation_size_out_of_range(size):
    message = f"Validation size should be between 0 and 6000. Received: {size}."
    with pytest.raises(ValueError) as info:
        mnist.read_data_sets(SMALL, validation_size=size)
    assert str(info.value) == message


def test_input_data_module_is_tf1_compatible():
    from minitf.examples.tutorials.mnist import input_data

    assert input_data.read_data_sets is mnist.read_data_sets
    assert input_data.DataSet is mnist.DataSet
    data = input_data.read_data_sets(str(SMALL) + "/", one_hot=True, validation_size=1000)
    xs, ys = data.train.next_batch(100)
    assert xs.shape == (100, 784) and ys.shape == (100, 10)


def test_fake_data():
    data = mnist.read_data_sets("unused", fake_data=True, one_hot=True)
    assert data.train.num_examples == 10000
    xs, ys = data.train.next_batch(3, fake_data=True)
    assert len(xs) == 3 and len(xs[0]) == 784
    assert ys[0] == [1] + [0] * 9


# --------------------------------------------------------------------------
# next_batch
# --------------------------------------------------------------------------


def _counting_set(n: int, seed: int | None = None) -> mnist.DataSet:
    """A DataSet whose image i is filled with i and whose label is i % 10."""
    images = np.repeat(np.arange(n, dtype=np.uint8), 4).reshape(n, 2, 2, 1)
    labels = (np.arange(n) % 10).astype(np.uint8)
    return mnist.DataSet(images, labels, dtype=np.uint8, seed=seed)


def test_next_batch_epoch_boundary():
    data = _counting_set(10, seed=1)
    first, _ = data.next_batch(4)
    second, _ = data.next_batch(4)
    assert data.epochs_completed == 0
    third, _ = data.next_batch(4)  # 2 from epoch 1, then 2 from epoch 2
    assert data.epochs_completed == 1
    assert [len(b) for b in (first, second, third)] == [4, 4, 4]
    epoch1 = np.concatenate([first, second, third[:2]])[:, 0]
    assert sorted(epoch1.tolist()) == list(range(10))
    # The rest of epoch 2 holds exactly the examples not yet seen in it.
    rest, _ = data.next_batch(8)
    assert data.epochs_completed == 1
    epoch2 = np.concatenate([third[2:], rest])[:, 0]
    assert sorted(epoch2.tolist()) == list(range(10))


@pytest.mark.parametrize("batch_size", [1, 7, 20])
def test_every_example_once_per_epoch(batch_size):
    n, epochs = 20, 3
    data = _counting_set(n, seed=0)
    seen = []
    while len(seen) < n * epochs:
        images, labels = data.next_batch(batch_size)
        assert len(images) == batch_size
        np.testing.assert_array_equal(labels, images[:, 0] % 10)  # still aligned
        seen.extend(images[:, 0].tolist())
    for e in range(len(seen) // n):
        assert sorted(seen[e * n : (e + 1) * n]) == list(range(n))
    # An epoch counts as completed once a batch has to reach past its end.
    assert data.epochs_completed == (len(seen) - 1) // n


def test_epochs_completed_counts_finished_passes():
    data = _counting_set(10, seed=0)
    for _ in range(5):
        data.next_batch(2)
    assert data.epochs_completed == 0  # all 10 used, epoch not yet closed
    data.next_batch(2)
    assert data.epochs_completed == 1


def test_first_call_shuffles_and_shuffle_false_keeps_order():
    data = _counting_set(10)
    xs, _ = data.next_batch(10, shuffle=False)
    assert xs[:, 0].tolist() == list(range(10))
    xs, _ = data.next_batch(4, shuffle=False)
    assert xs[:, 0].tolist() == [0, 1, 2, 3]
    assert data.epochs_completed == 1


def test_seed_gives_tf1_order():
    n = 50
    data = _counting_set(n, seed=7)
    got = [data.next_batch(20)[0][:, 0] for _ in range(3)]
    # TF1: numpy.random.seed(seed), then shuffle an arange at the first call
    # and at each epoch's end, applying each permutation to the current order.
    rng = np.random.RandomState(7)
    order = np.arange(n)
    perm = np.arange(n)
    rng.shuffle(perm)
    order = order[perm]
    first_epoch = order.copy()
    perm = np.arange(n)
    rng.shuffle(perm)
    order = order[perm]
    expected = np.concatenate([first_epoch, order[:10]])
    np.testing.assert_array_equal(np.concatenate(got), expected)


def test_seed_none_uses_numpy_global_rng():
    np.random.seed(123)
    a = _counting_set(30).next_batch(30)[0]
    np.random.seed(123)
    b = _counting_set(30).next_batch(30)[0]
    np.testing.assert_array_equal(a, b)
    assert a[:, 0].tolist() != list(range(30))


# --------------------------------------------------------------------------
# IDX parsing
# --------------------------------------------------------------------------


def _plain_copy(tmp_path: Path) -> Path:
    """minitf/datasets/mnist_small with every file decompressed."""
    for name in NAMES:
        (tmp_path / name[:-3]).write_bytes(gzip.decompress((SMALL / name).read_bytes()))
    return tmp_path


def test_plain_and_gz_idx_give_the_same_data(tmp_path, small):
    plain = mnist.read_data_sets(_plain_copy(tmp_path), validation_size=1000)
    for a, b in zip(plain, small):
        np.testing.assert_array_equal(a.images, b.images)
        np.testing.assert_array_equal(a.labels, b.labels)


def test_extract_from_file_objects():
    with open(SMALL / "t10k-labels-idx1-ubyte.gz", "rb") as f:
        labels = mnist.extract_labels(f)
    assert labels.shape == (1000,) and labels.flags.writeable
    raw = gzip.decompress((SMALL / "t10k-images-idx3-ubyte.gz").read_bytes())
    images = mnist.extract_images(io.BytesIO(raw))
    assert images.shape == (1000, 28, 28, 1) and images.dtype == np.uint8


def test_gz_recognised_by_content_not_name(tmp_path):
    # A ".gz" that was already decompressed (as some browsers do) still loads.
    raw = gzip.decompress((SMALL / "t10k-labels-idx1-ubyte.gz").read_bytes())
    (tmp_path / "x.gz").write_bytes(raw)
    assert mnist.extract_labels(tmp_path / "x.gz").shape == (1000,)


def test_wrong_magic_number_names_the_file(tmp_path):
    for name in NAMES:
        shutil.copy(SMALL / name, tmp_path / name)
    # Put a label file where the training images should be.
    bad = tmp_path / "train-images-idx3-ubyte.gz"
    shutil.copy(SMALL / "train-labels-idx1-ubyte.gz", bad)
    with pytest.raises(ValueError, match="magic number 2049") as info:
        mnist.read_data_sets(tmp_path, validation_size=1000)
    assert str(bad) in str(info.value) and "2051" in str(info.value)
    with pytest.raises(ValueError, match="Invalid magic number 2051 in MNIST label file"):
        mnist.extract_labels(SMALL / "t10k-images-idx3-ubyte.gz")


def test_truncated_files_are_reported(tmp_path):
    raw = gzip.decompress((SMALL / "t10k-images-idx3-ubyte.gz").read_bytes())
    (tmp_path / "short").write_bytes(raw[:-10])
    with pytest.raises(ValueError, match="truncated"):
        mnist.extract_images(tmp_path / "short")
    gz = (SMALL / "t10k-images-idx3-ubyte.gz").read_bytes()
    (tmp_path / "short.gz").write_bytes(gz[: len(gz) // 2])
    with pytest.raises(ValueError, match="truncated or corrupt"):
        mnist.extract_images(tmp_path / "short.gz")


# --------------------------------------------------------------------------
# Finding and downloading files
# --------------------------------------------------------------------------


def test_download_failure_says_what_to_put_where(tmp_path, monkeypatch):
    tried = []

    def failing(url, dest):
        tried.append(url)
        raise urllib.error.URLError("no route to host")

    monkeypatch.setattr(mnist, "_download", failing)
    target = tmp_path / "MNIST_data"
    with pytest.raises(mnist.DownloadError) as info:
        mnist.read_data_sets(target, one_hot=True)
    assert isinstance(info.value, OSError)
    message = str(info.value)
    assert "could not be downloaded" in message
    assert str(target.resolve()) in message
    for name in NAMES:
        assert name in message
    assert "MNIST_DIR" in message and "no route to host" in message
    assert tried == [m + "train-images-idx3-ubyte.gz" for m in mnist.MIRRORS]
    assert tried[0].startswith("https://storage.googleapis.com/cvdf-datasets/mnist/")
    assert tried[1].startswith("https://ossci-datasets.s3.amazonaws.com/mnist/")
    assert list(target.iterdir()) == []  # no temporary files left behind


def test_checksum_mismatch_is_rejected_and_removed(tmp_path, monkeypatch):
    def wrong_bytes(url, dest):
        Path(dest).write_bytes(b"this is not MNIST")

    monkeypatch.setattr(mnist, "_download", wrong_bytes)
    with pytest.raises(mnist.DownloadError, match="SHA-256 mismatch"):
        mnist.read_data_sets(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_verified_download_is_kept(tmp_path, monkeypatch):
    # Pretend the small files are the originals by swapping in their hashes.
    for name in NAMES:
        digest = hashlib.sha256((SMALL / name).read_bytes()).hexdigest()
        monkeypatch.setitem(mnist.SHA256, name, digest)

    def from_small(url, dest):
        shutil.copy(SMALL / url.rsplit("/", 1)[-1], dest)

    monkeypatch.setattr(mnist, "_download", from_small)
    data = mnist.read_data_sets(tmp_path / "new", validation_size=1000)
    assert data.test.num_examples == 1000
    assert sorted(p.name for p in (tmp_path / "new").iterdir()) == sorted(NAMES)


def test_second_mirror_used_when_first_fails(tmp_path, monkeypatch):
    for name in NAMES:
        digest = hashlib.sha256((SMALL / name).read_bytes()).hexdigest()
        monkeypatch.setitem(mnist.SHA256, name, digest)

    def first_mirror_down(url, dest):
        if url.startswith(mnist.MIRRORS[0]):
            raise urllib.error.URLError("mirror down")
        shutil.copy(SMALL / url.rsplit("/", 1)[-1], dest)

    monkeypatch.setattr(mnist, "_download", first_mirror_down)
    data = mnist.read_data_sets(tmp_path, validation_size=1000)
    assert data.train.num_examples == 5000


def test_real_download_code_with_file_url(tmp_path, monkeypatch, capsys):
    """The genuine urllib download path, fed by a file:// URL (no network)."""
    monkeypatch.undo()  # restore the real _download
    monkeypatch.delenv("MNIST_DIR", raising=False)
    monkeypatch.setitem(sys.modules, "tqdm", None)  # force the text progress bar
    data = mnist.read_data_sets(tmp_path, source_url=SMALL.as_uri(), validation_size=1000)
    assert data.train.num_examples == 5000
    captured = capsys.readouterr()
    assert "100%" in captured.err and "Successfully downloaded" in captured.out
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(NAMES)


def test_custom_source_url_does_not_fall_back_to_mnist(tmp_path, monkeypatch):
    tried = []

    def record(url, dest):
        tried.append(url)
        raise urllib.error.URLError("down")

    monkeypatch.setattr(mnist, "_download", record)
    with pytest.raises(mnist.DownloadError):
        mnist.read_data_sets(tmp_path, source_url="http://example.invalid/fashion/")
    assert tried == ["http://example.invalid/fashion/train-images-idx3-ubyte.gz"]


def test_mnist_dir_fallback(tmp_path, monkeypatch):
    monkeypatch.setenv("MNIST_DIR", str(SMALL))
    data = mnist.read_data_sets(tmp_path / "empty", validation_size=1000)
    assert data.test.num_examples == 1000
    assert not (tmp_path / "empty").exists()  # nothing downloaded or created


def test_train_dir_wins_over_mnist_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("MNIST_DIR", str(tmp_path / "nowhere"))
    data = mnist.read_data_sets(_plain_copy(tmp_path), validation_size=1000)
    assert data.train.num_examples == 5000


def test_incomplete_mnist_dir_is_mentioned(tmp_path, monkeypatch):
    monkeypatch.setenv("MNIST_DIR", str(tmp_path))
    with pytest.raises(mnist.DownloadError, match=r"MNIST_DIR=.* lacks"):
        mnist.read_data_sets(tmp_path / "data")


# --------------------------------------------------------------------------
# The full data set, when the shared copy is present
# --------------------------------------------------------------------------


@pytest.mark.skipif(not FULL.is_dir(), reason=f"full MNIST not found at {FULL}")
def test_full_mnist(tmp_path):
    for name in NAMES:
        digest = hashlib.sha256((FULL / name).read_bytes()).hexdigest()
        assert digest == mnist.SHA256[name], name
    data = mnist.read_data_sets(FULL, one_hot=True)
    assert [d.num_examples for d in data] == [55000, 5000, 10000]
    assert data.train.images.shape == (55000, 784)
    assert data.train.labels.shape == (55000, 10)
    assert data.test.images.dtype == np.float32
    small = mnist.read_data_sets(SMALL, validation_size=1000)
    np.testing.assert_array_equal(data.test.images[:1000], small.test.images)
