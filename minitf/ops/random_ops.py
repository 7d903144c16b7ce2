"""Random ops: uniform, normal and truncated normal draws (notebook 01, weight initialisation).

Each random op has its own generator in each Session.  Within one ``run`` a random tensor has
one value, shared by everything fetched; the next ``run`` draws again.  With a graph seed
(``tf.set_random_seed``) or an op ``seed=``, the draws repeat in every new Session.
"""
from __future__ import annotations

import numpy as np

from .. import dtypes
from ..backend import from_numpy, to_numpy
from ..errors import InvalidArgumentError
from ..graph import control_dependencies, get_default_graph, name_scope
from ..tensor_shape import TensorShape
from .base import FLOAT_TYPES, Op, ShapeError, constant_value, convert_to_tensor, create_op
from .array_ops import identity, slice_
from .control_flow_ops import Assert_
from .math_ops import add, floormod, greater_equal, multiply, reduce_all, subtract
from .shape_ops import shape

DEFAULT_GRAPH_SEED = 87654321


def get_seed(op_seed):
    """TF1's seed rule: the op attrs (seed, seed2); (0, 0) means fresh randomness each session."""
    graph_seed = get_default_graph().seed
    if graph_seed is not None:
        seeds = graph_seed, op_seed if op_seed is not None else get_default_graph().version
    elif op_seed is not None:
        seeds = DEFAULT_GRAPH_SEED, op_seed
    else:
        return 0, 0
    return (0, 2**31 - 1) if seeds == (0, 0) else seeds  # a chosen (0, 0) must stay seeded


def _seed_list(seed, seed2):
    """The generator seed of a random op, None when unseeded."""
    return None if seed == seed2 == 0 else [seed, seed2]


class _Random(Op):
    gradient = None

    def __init__(self, dtype, seed=0, seed2=0):
        self.dtype, self.seed, self.seed2 = dtype, seed, seed2

    def node_attrs(self, inputs):
        return {"T": dtypes.int32, "dtype": self.dtype, "seed": self.seed, "seed2": self.seed2}

    def infer(self, shape):
        value = constant_value(shape)
        return self.dtype, TensorShape(None if value is None else [int(v) for v in np.reshape(value, -1)])

    def kernel(self, op, session):
        rng = session.random_generator(op, _seed_list(self.seed, self.seed2))
        np_type = self.dtype.as_numpy_dtype
        draw = self.draw
        return lambda shape: from_numpy(draw(rng, tuple(int(n) for n in shape)).astype(np_type, copy=False))


class RandomUniform(_Random):
    type = "RandomUniform"

    @staticmethod
    def draw(rng, shape):
        return rng.random(shape, dtype=np.float32)


class RandomUniformInt(_Random):
    """Integers drawn uniformly from ``[minval, maxval)`` (``tf.random_uniform`` of an integer dtype)."""

    type = "RandomUniformInt"

    def node_attrs(self, inputs):
        return {"T": dtypes.int32, "Tout": self.dtype, "seed": self.seed, "seed2": self.seed2}

    def infer(self, shape, minval, maxval):
        return super().infer(shape)

    def kernel(self, op, session):
        rng = session.random_generator(op, _seed_list(self.seed, self.seed2))
        np_type = self.dtype.as_numpy_dtype

        def draw(shape, minval, maxval):
            low, high = int(minval), int(maxval)
            if low >= high:
                raise InvalidArgumentError(None, None, f"Need minval < maxval, got {low} >= {high}")
            return from_numpy(rng.integers(low, high, size=tuple(int(n) for n in shape)).astype(np_type))

        return draw


class RandomStandardNormal(_Random):
    type = "RandomStandardNormal"

    @staticmethod
    def draw(rng, shape):
        return rng.standard_normal(shape, dtype=np.float32)


class TruncatedNormal(_Random):
    """Standard normal draws, re-drawn until they lie within two standard deviations."""

    type = "TruncatedNormal"

    @staticmethod
    def draw(rng, shape):
        out = rng.standard_normal(shape, dtype=np.float32)
        bad = np.abs(out) > 2
        while bad.any():
            out[bad] = rng.standard_normal(int(bad.sum()), dtype=np.float32)
            bad = np.abs(out) > 2
        return out


def _random(kind_cls, shape, dtype, seed, scope):
    dtype = dtypes.as_dtype(dtype).base_dtype
    graph_seed, op_seed = get_seed(seed)
    shape_t = convert_to_tensor(_shape_list(shape), dtype=dtypes.int32, name="shape")
    kind = kind_cls(dtype=dtype, seed=graph_seed, seed2=op_seed)
    return create_op(kind, [shape_t], scope).outputs[0]


def _shape_list(shape):
    if hasattr(shape, "as_list"):
        return shape.as_list()
    if isinstance(shape, int):
        return [shape]
    return shape


def random_uniform(shape, minval=0, maxval=None, dtype=dtypes.float32, seed=None, name=None):
    """``tf.random_uniform``: values in ``[minval, maxval)`` (``[0, 1)`` by default)."""
    dtype = dtypes.as_dtype(dtype)
    if dtype.is_integer:
        if maxval is None:
            raise ValueError("Must specify maxval for integer dtype %r" % dtype)
        with name_scope(name, "random_uniform", [shape, minval, maxval]) as scope:
            shape_t = convert_to_tensor(_shape_list(shape), dtype=dtypes.int32, name="shape")
            low = convert_to_tensor(minval, dtype=dtype, name="min")
            high = convert_to_tensor(maxval, dtype=dtype, name="max")
            graph_seed, op_seed = get_seed(seed)
            kind = RandomUniformInt(dtype=dtype.base_dtype, seed=graph_seed, seed2=op_seed)
            return create_op(kind, [shape_t, low, high], scope).outputs[0]
    with name_scope(name, "random_uniform", [shape, minval, maxval]) as scope:
        if maxval is None and (minval == 0 if not hasattr(minval, "dtype") else False):
            return _random(RandomUniform, shape, dtype, seed, "RandomUniform")
        maxval = 1 if maxval is None else maxval
        low = convert_to_tensor(minval, dtype=dtype, name="min")
        high = convert_to_tensor(maxval, dtype=dtype, name="max")
        unit = _random(RandomUniform, shape, dtype, seed, "RandomUniform")
        span = subtract(high, low, name="sub")
        return add(multiply(unit, span, name="mul"), low, name=scope)


def _scaled(kind_cls, default_name, shape, mean, stddev, dtype, seed, name):
    """``draw * stddev + mean`` in a scope named like TF1's (``random_normal/mul``, ``random_normal``)."""
    with name_scope(name, default_name, [shape, mean, stddev]) as scope:
        mean_t = convert_to_tensor(mean, dtype=dtype, name="mean")
        stddev_t = convert_to_tensor(stddev, dtype=dtype, name="stddev")
        draw = _random(kind_cls, shape, dtype, seed, kind_cls.type)
        return add(multiply(draw, stddev_t, name="mul"), mean_t, name=scope)


def random_normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    """``tf.random_normal``: normal draws with ``mean`` and ``stddev``."""
    return _scaled(RandomStandardNormal, "random_normal", shape, mean, stddev, dtype, seed, name)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    """``tf.truncated_normal``: normal draws, re-drawn beyond two stddev (``|x - mean| <= 2 stddev``)."""
    return _scaled(TruncatedNormal, "truncated_normal", shape, mean, stddev, dtype, seed, name)


class RandomShuffle(Op):
    type = "RandomShuffle"
    gradient = None

    def __init__(self, seed=0, seed2=0):
        self.seed, self.seed2 = seed, seed2

    def kernel(self, op, session):
        rng = session.random_generator(op, _seed_list(self.seed, self.seed2))
        return lambda value: value[from_numpy(rng.permutation(len(value)))]


def random_shuffle(value, seed=None, name=None):
    """``tf.random_shuffle``: ``value`` with its first dimension shuffled."""
    graph_seed, op_seed = get_seed(seed)
    with name_scope(name, "RandomShuffle", [value]) as scope:
        value = convert_to_tensor(value, name="value")
        return create_op(RandomShuffle(seed=graph_seed, seed2=op_seed), [value], scope).outputs[0]


class Multinomial(Op):
    """``tf.multinomial`` (``tf.random.categorical``): for each row of ``logits`` ``[batch, classes]``,
    ``num_samples`` class indices, each class drawn with probability ``softmax(logits)``."""

    type = "Multinomial"
    gradient = None
    allowed_dtypes = {0: ("logits", FLOAT_TYPES)}

    def __init__(self, output_dtype, seed=0, seed2=0):
        self.output_dtype, self.seed, self.seed2 = output_dtype, seed, seed2

    def node_attrs(self, inputs):
        return {"T": inputs[0].dtype.base_dtype, "output_dtype": self.output_dtype, "seed": self.seed,
                "seed2": self.seed2}

    def infer(self, logits, num_samples):
        if logits.shape.ndims not in (None, 2):
            raise ShapeError(f"Shape must be rank 2 but is rank {logits.shape.ndims}")
        n = constant_value(num_samples)
        batch = logits.shape.as_list()[0] if logits.shape.ndims == 2 else None
        return self.output_dtype, TensorShape([batch, None if n is None else int(n)])

    def kernel(self, op, session):
        rng = session.random_generator(op, _seed_list(self.seed, self.seed2))
        np_type = self.output_dtype.as_numpy_dtype

        def draw(logits, num_samples):
            logits = to_numpy(logits).astype(np.float64)
            if logits.shape[1] == 0:
                raise InvalidArgumentError(None, None, "num_classes should be positive, got 0")
            weights = np.exp(logits - logits.max(axis=1, keepdims=True))
            cdf = np.cumsum(weights, axis=1)
            cdf /= cdf[:, -1:]
            u = rng.random((logits.shape[0], int(num_samples)))
            picks = (u[..., None] >= cdf[:, None, :]).sum(axis=-1)    # the first class whose cdf passes u
            return from_numpy(np.minimum(picks, logits.shape[1] - 1).astype(np_type))

        return draw


def _categorical(logits, num_samples, dtype, seed, scope_name, name):
    with name_scope(name, scope_name, [logits]):
        logits = convert_to_tensor(logits, name="logits")
        graph_seed, op_seed = get_seed(seed)
        kind = Multinomial(dtypes.as_dtype(dtype or dtypes.int64), graph_seed, op_seed)
        samples = convert_to_tensor(num_samples, dtype=dtypes.int32, name="num_samples")
        return create_op(kind, [logits, samples], "Multinomial").outputs[0]


def multinomial(logits, num_samples, seed=None, name=None, output_dtype=None):
    """``tf.multinomial``: ``num_samples`` class indices per row of ``logits`` (see :class:`Multinomial`)."""
    return _categorical(logits, num_samples, output_dtype, seed, "multinomial", name)


def categorical(logits, num_samples, dtype=None, seed=None, name=None):
    """``tf.random.categorical``: TF 1.15's newer name for ``tf.multinomial``."""
    return _categorical(logits, num_samples, dtype, seed, "categorical", name)


def random_crop(value, size, seed=None, name=None):
    """``tf.random_crop``: a window of shape ``size`` at a random place in ``value`` (a new place at each
    run; augmentation crops images with it).  The run fails if ``value`` is smaller than ``size``."""
    with name_scope(name, "random_crop", [value, size]) as scope:
        value = convert_to_tensor(value, name="value")
        size = convert_to_tensor(size, dtype=dtypes.int32, name="size")
        dims = shape(value)
        check = Assert_(reduce_all(greater_equal(dims, size)), ["Need value.shape >= size, got ", dims, size],
                        summarize=1000)
        with control_dependencies([check]):
            dims = identity(dims)
        offset = random_uniform(shape(dims), dtype=dtypes.int32, maxval=dtypes.int32.max, seed=seed)
        return slice_(value, floormod(offset, add(subtract(dims, size), 1)), size, name=scope)
