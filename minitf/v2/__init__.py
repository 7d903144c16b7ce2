"""minitf.v2: TensorFlow 2's face of the same engine (notebook 08).

``import minitf.v2 as tf`` is what ``import tensorflow as tf`` is in TensorFlow 2: ops run
eagerly, ``tf.function`` turns Python functions into graphs, ``tf.GradientTape`` computes
gradients, and ``tf.keras`` builds and trains models::

    import minitf.v2 as tf
    m = tf.matmul([[2.]], [[2.]])
    print(m)                        # tf.Tensor([[4.]], shape=(1, 1), dtype=float32)

Nothing here is a second implementation: every op is the ``Op`` class TF1 graphs use
(``minitf/ops``), run at once by the eager context (``eager.py``) or added to the graph of
a ``tf.function`` (``function.py``).  ``tf.compat.v1`` is TF1 minitf itself.

Where to read: ``eager.py`` (EagerTensor, how an op runs now), ``variables.py``,
``tape.py`` (GradientTape), ``function.py`` (tf.function), ``data.py`` (tf.data), ``keras/``.
"""
import sys as _sys
import types as _types

import minitf as _v1

# TF2 keeps these TF1 functions as they are: the very same functions of minitf's namespace
from .. import (  # noqa: F401, A004
    DType, Graph, Operation, RegisterGradient, Tensor, TensorShape, abs, add, add_n, argmax, argmin, as_dtype, bool,
    broadcast_to, cast, clip_by_global_norm, clip_by_norm, clip_by_value, complex64, complex128, concat, constant,
    control_dependencies, convert_to_tensor, cos, divide, double, equal, errors, exp, expand_dims, fill, float16,
    float32, float64, floor, floordiv, gather, get_default_graph, global_norm, greater, greater_equal, group, half,
    identity, int8, int16, int32, int64, less, less_equal, linspace, log, logical_and, logical_not, logical_or,
    matmul, maximum, minimum, multiply, negative, newaxis, no_op, not_equal, one_hot, ones, ones_like, pow, range,
    rank, reduce_all, reduce_any, reduce_max, reduce_mean, reduce_min, reduce_prod, reduce_sum, reshape, round,
    shape, sigmoid, sign, sin, size, slice, split, sqrt, square, squeeze, stack, stop_gradient, strided_slice,
    string, subtract, tanh, tile, transpose, truediv, uint8, uint16, uint32, uint64, unstack, where, zeros,
    zeros_like,
)
from .. import nest  # noqa: F401
from .eager import (  # noqa: F401
    EagerTensor, disable_eager_execution, enable_eager_execution, executing_eagerly, eager_mode as init_scope,
)
from .function import Function, TensorSpec, function  # noqa: F401
from .module import Module  # noqa: F401
from .ops import cond, gradients, is_tensor, print_ as print, while_loop  # noqa: F401
from .tape import GradientTape  # noqa: F401
from .variables import Variable  # noqa: F401
from . import data, nn, random  # noqa: E402,F401
from . import keras  # noqa: E402,F401
from .checkpoint import Checkpoint, latest_checkpoint  # noqa: E402

# TF2 code checks `tf.__version__.startswith("2.")`: minitf.v2 speaks the API of TF 2.15 (Keras 2).
__version__ = VERSION = "2.15.0"

enable_eager_execution()

name_scope = _v1.name_scope
train = _types.SimpleNamespace(Checkpoint=Checkpoint, latest_checkpoint=latest_checkpoint,
                               list_variables=_v1.train.list_variables, load_checkpoint=_v1.train.load_checkpoint)
compat = _types.SimpleNamespace(v1=_v1, v2=_sys.modules[__name__])
math = _types.SimpleNamespace(**{name: globals()[name] for name in (
    "abs", "add", "add_n", "argmax", "argmin", "cos", "divide", "equal", "exp", "floor", "greater",
    "greater_equal", "less", "less_equal", "log", "logical_and", "logical_not", "logical_or", "maximum",
    "minimum", "multiply", "negative", "not_equal", "pow", "reduce_all", "reduce_any", "reduce_max",
    "reduce_mean", "reduce_min", "reduce_prod", "reduce_sum", "round", "sigmoid", "sign", "sin", "sqrt",
    "square", "subtract", "tanh", "truediv")}, log1p=_v1.log1p, reciprocal=_v1.reciprocal,
    rsqrt=_v1.rsqrt, squared_difference=_v1.squared_difference, softplus=_v1.nn.softplus)


def __getattr__(name: str):
    raise AttributeError(f"module 'minitf.v2' has no attribute {name!r}: minitf.v2 covers eager execution, "
                         "tf.function, tf.GradientTape, tf.Variable, tf.Module, tf.data.Dataset and a small tf.keras "
                         "(notebook 08); "
                         "TensorFlow 1's API is tf.compat.v1")
