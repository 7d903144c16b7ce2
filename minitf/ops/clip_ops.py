"""Clipping: ``tf.clip_by_value``, ``tf.clip_by_norm`` and the global-norm clipping of gradients (notebook 05).

None of these is an op of its own: each is built from math ops (``Minimum``/``Maximum``,
``Sqrt``, ``L2Loss``...), as in TF1's ``clip_ops.py``.
"""
from __future__ import annotations

from ..graph import Tensor, name_scope
from .base import convert_to_tensor
from .math_ops import add_n, cast, divide, maximum, minimum, multiply, reduce_sum, sqrt, square
from .nn_ops import l2_loss


def clip_by_value(t, clip_value_min, clip_value_max, name=None) -> Tensor:
    """``tf.clip_by_value``: ``t`` limited to ``[clip_value_min, clip_value_max]`` (Minimum, then Maximum)."""
    with name_scope(name, "clip_by_value", [t, clip_value_min, clip_value_max]) as scope:
        t = convert_to_tensor(t, name="t")
        t_min = minimum(t, clip_value_max)
        if not t.shape.is_compatible_with(t_min.shape):
            raise ValueError(f"Shapes {t.shape} and {t_min.shape} are incompatible: clipping must not broadcast t")
        return maximum(t_min, clip_value_min, name=scope)


def global_norm(t_list, name=None) -> Tensor:
    """``tf.global_norm``: ``sqrt(sum of every element squared)`` over a list of tensors."""
    tensors = [t for t in t_list if t is not None]
    with name_scope(name, "global_norm", tensors) as scope:
        squares = [multiply(l2_loss(t), 2.0) for t in tensors]
        return sqrt(add_n(squares), name=scope)


def clip_by_norm(t, clip_norm, axes=None, name=None) -> Tensor:
    """``tf.clip_by_norm``: ``t`` scaled down so that its L2 norm (over ``axes``) is at most ``clip_norm``."""
    with name_scope(name, "clip_by_norm", [t, clip_norm]) as scope:
        t = convert_to_tensor(t, name="t")
        norm = sqrt(reduce_sum(square(t), axes, keepdims=True))
        clip = cast(clip_norm, t.dtype.base_dtype)
        return divide(multiply(t, clip), maximum(norm, clip), name=scope)


def clip_by_global_norm(t_list, clip_norm, use_norm=None, name=None):
    """``tf.clip_by_global_norm``: ``(tensors scaled by clip_norm / max(global_norm, clip_norm), global_norm)``.

    The usual guard against exploding gradients::

        grads, _ = tf.clip_by_global_norm(tf.gradients(loss, params), 5.0)
    """
    t_list = list(t_list)
    with name_scope(name, "clip_by_global_norm", [t for t in t_list if t is not None]):
        norm = global_norm(t_list) if use_norm is None else use_norm
        clip = cast(clip_norm, norm.dtype.base_dtype)
        scale = divide(clip, maximum(norm, clip))
        clipped = [None if t is None else multiply(t, cast(scale, t.dtype.base_dtype)) for t in t_list]
        return clipped, norm
