"""minitf: TensorFlow 1's graphs, sessions and variables on numpy, small enough to read.

``import minitf as tf`` and classic TF1 code runs unchanged, printing what TF1 printed::

    import minitf as tf
    a = tf.constant(3.0)
    b = tf.constant(4.0)
    total = a + b
    print(total)                  # Tensor("add:0", shape=(), dtype=float32)
    with tf.Session() as sess:
        print(sess.run(total))    # 7.0

Where to read next (each module says which course notebook explains it):
``graph.py`` (Graph, Operation, Tensor), ``ops/`` (one class per op: shape, compute,
gradient), ``session.py`` (Session.run), ``variables.py``, ``gradients.py``, ``train/``.
"""
from . import (
    app, compat, contrib, data, dtypes, errors, gfile, graph, image, initializers, keras, layers, logging, losses,
    metrics, nest, nn, summary, tf1_api, train,
)
from .app import flags  # noqa: F401
from .dtypes import (  # noqa: F401
    DType, as_dtype, bool, complex64, complex128, double, float16, float32, float64, half, int8, int16,
    int32, int64, string, uint8, uint16, uint32, uint64,
)
from .gradients import gradients
from .graph import (  # noqa: F401
    Graph, GraphKeys, Operation, Tensor, add_to_collection, add_to_collections, control_dependencies,
    get_collection, get_collection_ref, get_default_graph, get_default_session, name_scope, reset_default_graph,
    set_random_seed,
)
from .init_ops import (  # noqa: F401
    constant_initializer, glorot_normal_initializer, glorot_uniform_initializer, identity_initializer,
    ones_initializer, random_normal_initializer, random_uniform_initializer, truncated_normal_initializer,
    variance_scaling_initializer, zeros_initializer,
)
from .ops.array_ops import (  # noqa: F401
    boolean_mask, concat, constant, diag, diag_part, expand_dims, eye, fill, gather, gather_nd, identity, is_tensor,
    linspace, lin_space, matrix_transpose, meshgrid, newaxis, one_hot, ones, ones_like, pad, placeholder,
    placeholder_with_default, reverse, scatter_nd, split, squeeze, stack, stop_gradient, strided_slice, tile,
    transpose, unique, unstack, where, zeros, zeros_like,
)
from .ops.base import (  # noqa: F401
    NoGradient, NotDifferentiable, RegisterGradient, convert_to_tensor, register_tensor_conversion_function,
)
from .ops.clip_ops import clip_by_global_norm, clip_by_norm, clip_by_value, global_norm  # noqa: F401
from .ops.check_ops import (  # noqa: F401
    assert_equal, assert_greater, assert_greater_equal, assert_less, assert_less_equal, assert_negative,
    assert_non_negative, assert_non_positive, assert_positive, assert_rank,
)
from .ops.control_flow_ops import cond, group, no_op, py_func, while_loop  # noqa: F401
from .ops.data_flow_ops import FIFOQueue, QueueBase, RandomShuffleQueue  # noqa: F401
from .ops.functional_ops import foldl, foldr, map_fn, scan  # noqa: F401
from .ops.io_ops import ReaderBase, TextLineReader, WholeFileReader, decode_csv  # noqa: F401
from .ops.math_ops import (  # noqa: F401
    acos, add, add_n, arg_max, arg_min, argmax, argmin, asin, atan, atan2, cast, ceil, cos, cosh, count_nonzero,
    cumprod, cumsum, div, div_no_nan, divide, equal, erf, exp, expm1, floor, floor_div, floordiv, floormod, greater,
    greater_equal, is_finite, is_inf, is_nan, less, less_equal, log, log1p, logical_and, logical_not, logical_or,
    logical_xor, matmul, maximum, minimum, mod, multiply, negative, norm, not_equal, realdiv, reciprocal, reduce_all,
    reduce_any, reduce_logsumexp, reduce_max, reduce_mean, reduce_min, reduce_prod, reduce_sum, rint, rsqrt,
    scalar_mul, sequence_mask, sigmoid, sign, sin, sinh, sqrt, square, squared_difference, subtract, tan, tanh,
    tensordot, to_complex64, to_complex128, to_double, to_float, to_int32, to_int64, trace, truediv, truncatediv,
    truncatemod,
)
from .ops.nn_ops import argsort, log_sigmoid, sort  # noqa: F401
from .ops.random_ops import (  # noqa: F401
    multinomial, random_crop, random_normal, random_shuffle, random_uniform, truncated_normal,
)
from .ops.shape_ops import broadcast_to, rank, reshape, shape, size  # noqa: F401
from .ops.state_ops import assign, assign_add, assign_sub, count_up_to, is_variable_initialized  # noqa: F401
from .session import ConfigProto, GPUOptions, InteractiveSession, RunMetadata, RunOptions, Session  # noqa: F401
from .summary.graph_def import import_graph_def  # noqa: F401
from .tensor_shape import Dimension, TensorShape  # noqa: F401
from .variables import (  # noqa: F401
    AUTO_REUSE, Variable, VariableScope, all_variables, get_variable, get_variable_scope, global_variables,
    global_variables_initializer, initialize_all_variables, initialize_local_variables, initialize_variables,
    local_variables, local_variables_initializer, moving_average_variables,
    model_variables, report_uninitialized_variables, trainable_variables, variable_scope,
    variables_initializer,
)

# TF1's names that are Python builtins too: bound only here, so no op module shadows a builtin
from .ops.array_ops import range_ as range, slice_ as slice  # noqa: E402, F401, A001
from .ops.control_flow_ops import Assert_ as Assert, tuple_ as tuple  # noqa: E402, F401, A001
from .ops.logging_ops import Print_ as Print, print_v2 as print  # noqa: E402, F401, A001
from .ops.math_ops import abs_ as abs, pow_ as pow, round_ as round  # noqa: E402, F401, A001

# TF1 code checks `tf.__version__.startswith("1.")`: minitf speaks the TF 1.15 API.
__version__ = VERSION = "1.15.0"
MINITF_VERSION = "0.1.0"


def enable_eager_execution(config=None, device_policy=None, execution_mode=None) -> None:
    """TF 1.15's switch, at program start, to TensorFlow 2's eager execution: ops run when they are
    called (``minitf.v2``, notebook 08; importing it turns eager execution on too)."""
    from .v2 import eager   # not imported before it is asked for: minitf.v2 is built on this package

    eager.enable_eager_execution()


def disable_eager_execution() -> None:
    """Back to TensorFlow 1: ops go into the default graph and run in a Session (minitf's default)."""
    graph.set_eager_execution(None)


def executing_eagerly() -> bool:
    """Whether ops run when called (eager execution on, outside any ``as_default()`` graph)."""
    return get_default_graph().executes_eagerly


enable_v2_behavior = enable_eager_execution
disable_v2_behavior = disable_eager_execution

# TF 1.13+ spellings (tf.random.normal, tf.math.log...) are TF1's own aliases, found by tf1_api
random = tf1_api.module("tf.random", categorical=ops.random_ops.categorical)
math = tf1_api.module("tf.math", reduce_std=ops.math_ops.reduce_std, reduce_variance=ops.math_ops.reduce_variance)
strings = tf1_api.module("tf.strings", format=ops.logging_ops.string_format)
io = tf1_api.module("tf.io", gfile=gfile)


_tf1_name = tf1_api.fallback(__name__)  # TF 1.15's other names: an alias, a stand-in, or a clear error
_EAGER_ONLY = ("GradientTape", "function")   # TF 1.15 names for code that called tf.enable_eager_execution()


def __getattr__(name: str):
    """``tf.GradientTape`` and ``tf.function`` once eager execution is on (minitf.v2's); otherwise TF 1.15's
    other names (:func:`tf1_api.fallback`)."""
    if name in _EAGER_ONLY and executing_eagerly():
        from . import v2   # imported by enable_eager_execution already

        return getattr(v2, name)
    return _tf1_name(name)
