"""tf.compat: ``tf.compat.v1`` (minitf itself, so ``import tensorflow.compat.v1 as tf`` code ports) and
TF1's small helpers for text, paths and dimensions."""
from __future__ import annotations

import contextlib
import datetime
import numbers
import os
import sys

import numpy as np

from . import tf1_api
from .tensor_shape import Dimension, TensorShape

v1 = sys.modules[__package__]

integral_types = (numbers.Integral, np.integer)
real_types = (numbers.Real, np.integer, np.floating)
complex_types = (numbers.Complex, np.number)
bytes_or_text_types = (bytes, str)


def as_bytes(bytes_or_text, encoding: str = "utf-8") -> bytes:
    """``text`` encoded (bytes stay bytes)."""
    if isinstance(bytes_or_text, str):
        return bytes_or_text.encode(encoding)
    if isinstance(bytes_or_text, (bytes, bytearray)):
        return bytes(bytes_or_text)
    raise TypeError(f"Expected binary or unicode string, got {bytes_or_text!r}")


def as_text(bytes_or_text, encoding: str = "utf-8") -> str:
    """``bytes`` decoded (text stays text)."""
    if isinstance(bytes_or_text, str):
        return bytes_or_text
    if isinstance(bytes_or_text, (bytes, bytearray)):
        return bytes(bytes_or_text).decode(encoding)
    raise TypeError(f"Expected binary or unicode string, got {bytes_or_text!r}")


as_str = as_text


def as_str_any(value) -> str:
    """``str(value)``, decoding bytes."""
    return as_text(value) if isinstance(value, bytes) else str(value)


def path_to_str(path):
    """A path-like object as a string (other values unchanged)."""
    return os.fspath(path) if isinstance(path, os.PathLike) else path


def dimension_value(dimension):
    """The int (or None) of a Dimension; ints and None unchanged."""
    return dimension.value if isinstance(dimension, Dimension) else dimension


def dimension_at_index(shape, index: int) -> Dimension:
    """``shape[index]`` as a Dimension (unknown if the rank is unknown)."""
    shape = TensorShape(shape)
    return Dimension(None) if shape.dims is None else shape.dims[index]


_horizon = [datetime.date(2019, 8, 21)]   # TF 1.15.5's forward-compatibility date


def forward_compatible(year: int, month: int, day: int) -> bool:
    """Whether graphs may use behaviour introduced before the horizon (TF 1.15.5: 2019-08-21)."""
    return _horizon[-1] > datetime.date(year, month, day)


@contextlib.contextmanager
def forward_compatibility_horizon(year: int, month: int, day: int):
    """Pretend, inside the block, that the forward-compatibility date is this one."""
    _horizon.append(datetime.date(year, month, day))
    try:
        yield
    finally:
        _horizon.pop()


__getattr__ = tf1_api.fallback(__name__)  # TF 1.15's other names: an alias, a stand-in, or a clear error
