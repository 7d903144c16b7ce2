"""``tf.data.Dataset``: the input pipeline of TensorFlow 2's tutorials, over numpy arrays.

    train_ds = tf.data.Dataset.from_tensor_slices((x_train, y_train)).shuffle(10000).batch(32)
    for images, labels in train_ds:          # eager tensors, one batch at a time
        train_step(images, labels)
    model.fit(train_ds, epochs=5)            # Keras takes a dataset of (x, y) batches too

A Dataset is a recipe, not data: each ``for`` loop over it runs the recipe again (a new
shuffle every time, TensorFlow's ``reshuffle_each_iteration``).  Inside the pipeline an
element is a nest (tuple, dict) of numpy arrays; it becomes EagerTensors as it comes out.
TensorFlow runs pipelines as dataset ops in C++ threads; here each step is a Python generator,
which is plenty for a course's data.
"""
from __future__ import annotations

import itertools
import operator

import numpy as np

from .. import dtypes, nest
from ..ops.array_ops import constant
from ..ops.random_ops import get_seed
from .eager import EagerTensor

INFINITE = -1   # tf.data.INFINITE_CARDINALITY
UNKNOWN = -2    # tf.data.UNKNOWN_CARDINALITY


class Dataset:
    """A sequence of elements, made again each time it is iterated."""

    def __init__(self, make_iterator, cardinality: int):
        self._make_iterator = make_iterator    # () -> an iterator of numpy nests
        self._cardinality = cardinality

    # ---- sources ----------------------------------------------------------------------------
    @staticmethod
    def from_tensor_slices(tensors) -> Dataset:
        """One element per row: ``from_tensor_slices((x, y))`` gives ``(x[i], y[i])``."""
        arrays = nest.map_structure(_as_numpy, tensors)
        lengths = {len(a) if a.ndim else None for a in nest.flatten(arrays)}
        if None in lengths or len(lengths) != 1:
            raise ValueError("Dimensions of the components must all be equal and at least 1-D; got shapes "
                             f"{[a.shape for a in nest.flatten(arrays)]}")
        n = lengths.pop()
        return Dataset(lambda: (nest.map_structure(operator.itemgetter(i), arrays) for i in range(n)), n)

    @staticmethod
    def from_tensors(tensors) -> Dataset:
        """A dataset of one element: ``tensors`` itself."""
        arrays = nest.map_structure(_as_numpy, tensors)
        return Dataset(lambda: iter([arrays]), 1)

    @staticmethod
    def range(*args) -> Dataset:
        """``Dataset.range(5)``: 0, 1, 2, 3, 4 (int64), like Python's ``range``."""
        values = range(*args)
        return Dataset(lambda: (np.int64(i) for i in values), len(values))

    # ---- transformations ------------------------------------------------------------------------
    def shuffle(self, buffer_size: int, seed=None, reshuffle_each_iteration: bool = True) -> Dataset:
        """Elements in random order, drawn from a buffer of ``buffer_size`` (as large as the data:
        a full shuffle; smaller: each element moves at most about a buffer away)."""
        buffer_size = int(buffer_size)
        if buffer_size < 1:
            raise ValueError(f"buffer_size must be greater than zero, got {buffer_size}")
        seeds = list(get_seed(seed))     # (0, 0): no seed set anywhere, a fresh order each run
        if seeds == [0, 0]:
            seeds = [int(np.random.randint(2**31))]
        shared = np.random.default_rng(seeds)

        def make():
            rng = shared if reshuffle_each_iteration else np.random.default_rng(seeds)
            return _buffer_shuffle(self._make_iterator(), buffer_size, rng)

        return Dataset(make, self._cardinality)

    def batch(self, batch_size: int, drop_remainder: bool = False) -> Dataset:
        """Stack ``batch_size`` consecutive elements into one (the last batch may be smaller)."""
        batch_size = int(batch_size)

        def make():
            source = self._make_iterator()
            while True:
                chunk = list(itertools.islice(source, batch_size))
                if not chunk or (drop_remainder and len(chunk) < batch_size):
                    return
                columns = zip(*[nest.flatten(element) for element in chunk])
                yield nest.pack_sequence_as(chunk[0], [np.stack(column) for column in columns])

        n = self._cardinality
        if n >= 0:
            n = n // batch_size if drop_remainder else -(-n // batch_size)
        return Dataset(make, n)

    def map(self, map_func, num_parallel_calls=None, deterministic=None) -> Dataset:
        """``map_func`` applied to each element (a tuple element is passed as separate arguments)."""
        def call(element):
            tensors = _to_tensors(element)
            result = map_func(*tensors) if isinstance(tensors, tuple) else map_func(tensors)
            return nest.map_structure(_as_numpy, result)

        return Dataset(lambda: map(call, self._make_iterator()), self._cardinality)

    def filter(self, predicate) -> Dataset:
        """The elements for which ``predicate`` is true."""
        def keep(element):
            tensors = _to_tensors(element)
            return bool(predicate(*tensors) if isinstance(tensors, tuple) else predicate(tensors))

        return Dataset(lambda: filter(keep, self._make_iterator()), UNKNOWN)

    def repeat(self, count=None) -> Dataset:
        """The elements ``count`` times over (forever when ``count`` is None or -1)."""
        forever = count is None or count < 0

        def make():
            for _ in itertools.count() if forever else range(int(count)):
                yield from self._make_iterator()

        n = self._cardinality
        if forever:
            n = INFINITE if n != 0 else 0
        elif n >= 0:
            n *= int(count)
        return Dataset(make, n)

    def take(self, count: int) -> Dataset:
        count = int(count)
        n = self._cardinality
        n = count if n == INFINITE else (min(n, count) if n >= 0 else UNKNOWN)
        return Dataset(lambda: itertools.islice(self._make_iterator(), count), n)

    def skip(self, count: int) -> Dataset:
        count = int(count)
        n = self._cardinality
        n = max(n - count, 0) if n >= 0 else n
        return Dataset(lambda: itertools.islice(self._make_iterator(), count, None), n)

    def prefetch(self, buffer_size) -> Dataset:
        """The same dataset (TensorFlow reads ahead in a thread; here there is nothing to overlap)."""
        return self

    def cache(self, filename: str = "") -> Dataset:
        """The same dataset (its elements are arrays in memory already)."""
        return self

    # ---- reading it -----------------------------------------------------------------------------
    def __iter__(self):
        return (_to_tensors(element) for element in self._make_iterator())

    def as_numpy_iterator(self):
        return iter(self._make_iterator())

    def cardinality(self):
        """The number of elements (-1: infinite, -2: unknown), as an int64 tensor."""
        return constant(self._cardinality, dtype=dtypes.int64)

    def __len__(self) -> int:
        if self._cardinality == INFINITE:
            raise TypeError("The dataset is infinite.")
        if self._cardinality == UNKNOWN:
            raise TypeError("The dataset length is unknown.")
        return self._cardinality

    def __repr__(self):
        return f"<Dataset cardinality={self._cardinality}>"


def _as_numpy(value) -> np.ndarray:
    return value.numpy() if isinstance(value, EagerTensor) else np.asarray(value)


def _to_tensors(element):
    return nest.map_structure(constant, element)


def _buffer_shuffle(source, buffer_size: int, rng):
    """TensorFlow's shuffle: keep ``buffer_size`` elements, hand out a random one, refill its place."""
    buffer = list(itertools.islice(source, buffer_size))
    for element in source:
        i = int(rng.integers(len(buffer)))
        yield buffer[i]
        buffer[i] = element
    order = rng.permutation(len(buffer))
    for i in order:
        yield buffer[i]


INFINITE_CARDINALITY, UNKNOWN_CARDINALITY = INFINITE, UNKNOWN
AUTOTUNE = -1
