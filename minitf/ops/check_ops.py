"""Run-time checks (TF1's ``tf.assert_*``): ops that fail the run when a tensor breaks a promise.

Each builds a ``tf.Assert`` that a training step should depend on::

    with tf.control_dependencies([tf.assert_positive(x)]):
        y = tf.log(x)

Where the graph alone decides the check (constants, a static rank), it is decided while the graph
is built, as TF1 does.
"""
from __future__ import annotations

from ..errors import InvalidArgumentError
from ..graph import Tensor, name_scope
from . import shape_ops
from .base import constant_value, convert_to_tensor
from .control_flow_ops import Assert_, no_op
from .math_ops import equal, less, less_equal, reduce_all


def _compare(condition, symbol: str, default_name: str):
    """``tf.assert_<name>(x, y)``: an Assert that ``condition(x, y)`` holds for every entry."""
    def check(x, y, data=None, summarize=None, message=None, name=None):
        if symbol == "==":   # TF1 first looks, in a scope of its own, whether x and y are one tensor
            with name_scope(name, default_name, [x, y, data]):
                if x is y:
                    return no_op()
        with name_scope(name, default_name, [x, y, data]):
            x = convert_to_tensor(x, name="x")
            y = convert_to_tensor(y, dtype=x.dtype.base_dtype, name="y")
            if data is None:
                data = ([message] if message else []) + [f"Condition x {symbol} y did not hold element-wise:",
                                                         f"x ({x.name}) = ", x, f"y ({y.name}) = ", y]
            x_static, y_static = constant_value(x), constant_value(y)
            if symbol == "==" and x_static is not None and y_static is not None and not (x_static == y_static).all():
                raise InvalidArgumentError(None, None, "\n".join(
                    str(constant_value(d)) if isinstance(d, Tensor) else str(d) for d in data))
            return Assert_(reduce_all(condition(x, y)), data, summarize=summarize)

    check.__name__ = default_name
    check.__doc__ = f"``tf.{default_name}(x, y)``: fails the run unless ``x {symbol} y`` for every entry."
    return check


assert_equal = _compare(equal, "==", "assert_equal")
assert_less = _compare(less, "<", "assert_less")
assert_less_equal = _compare(less_equal, "<=", "assert_less_equal")
assert_greater = _compare(lambda x, y: less(y, x), ">", "assert_greater")
assert_greater_equal = _compare(lambda x, y: less_equal(y, x), ">=", "assert_greater_equal")


def _sign(compare, symbol: str, default_name: str, zero_first: bool):
    """``tf.assert_positive(x)`` and its kin: ``compare`` of x against 0."""
    def check(x, data=None, summarize=None, message=None, name=None):
        with name_scope(name, default_name, [x, data]):
            x = convert_to_tensor(x, name="x")
            if data is None:
                data = [message or "", f"Condition x {symbol} 0 did not hold element-wise:", f"x ({x.name}) = ", x]
            zero = convert_to_tensor(0, dtype=x.dtype.base_dtype, name="zero")
            return compare(zero, x, data=data, summarize=summarize) if zero_first else \
                compare(x, zero, data=data, summarize=summarize)

    check.__name__ = default_name
    check.__doc__ = f"``tf.{default_name}(x)``: fails the run unless ``x {symbol} 0`` for every entry."
    return check


assert_positive = _sign(assert_less, ">", "assert_positive", zero_first=True)
assert_non_negative = _sign(assert_less_equal, ">=", "assert_non_negative", zero_first=True)
assert_negative = _sign(assert_less, "<", "assert_negative", zero_first=False)
assert_non_positive = _sign(assert_less_equal, "<=", "assert_non_positive", zero_first=False)


def assert_rank(x, rank, data=None, summarize=None, message=None, name=None):
    """``tf.assert_rank(x, rank)``: ``x`` must have rank ``rank`` -- decided now when its rank is static
    (a ValueError, or a no-op), else checked when the graph runs."""
    with name_scope(name, "assert_rank", [x, rank, data]):
        x = convert_to_tensor(x, name="x")
        rank = convert_to_tensor(rank, name="rank")
        expected = constant_value(rank)
        if x.shape.ndims is not None and expected is not None:
            if x.shape.ndims != int(expected):
                raise ValueError(f"{message or ''}.  Tensor {x.name} must have rank {int(expected)}.  "
                                 f"Received rank {x.shape.ndims}, shape {x.shape}")
            return no_op(name="static_checks_determined_all_ok")
        if data is None:
            data = ([message] if message else []) + [f"Tensor {x.name} must have rank", rank, "Received shape: ",
                                                     shape_ops.shape(x)]
        return Assert_(equal(shape_ops.rank(x), rank), data, summarize=summarize)
