"""DTypes: the element type of a tensor (notebook 01).

``tf.float32`` prints as ``<dtype: 'float32'>`` and equals ``np.float32``.  A variable's
tensor has the *reference* type ``float32_ref`` (TF1's mutable buffer); ``base_dtype``
strips it.  Strings are numpy object arrays of ``bytes``.
"""
from __future__ import annotations

import numpy as np

from . import tf1_api


class DType:
    """One TensorFlow element type, as the table below defines it.

    ``name`` (``'float32'``), the numpy type, TF's ``DataType`` enum number and its name
    (``DT_FLOAT`` = 1, what a GraphDef stores), and the ``TensorProto`` field that holds a
    constant's values (``float_val``).  A *reference* type (``float32_ref``, ``DT_FLOAT_REF``,
    enum + 100) is the same entry with ``is_ref_dtype`` set.
    """

    def __init__(self, name: str, numpy_type, enum: int, datatype: str, value_field: str, is_ref: bool = False):
        self._name = name
        self._numpy = np.dtype(numpy_type)
        self._enum = enum
        self._datatype = datatype
        self._value_field = value_field
        self._is_ref = is_ref

    name = property(lambda self: self._name + ("_ref" if self._is_ref else ""))
    as_numpy_dtype = property(lambda self: self._numpy.type)
    as_datatype_enum = property(lambda self: self._enum + (100 if self._is_ref else 0))
    datatype_name = property(lambda self: self._datatype + ("_REF" if self._is_ref else ""))
    value_field = property(lambda self: self._value_field)
    # how TF's kernels name it in their messages ("dtype float", "Cast string to double")
    kernel_name = property(lambda self: {"float32": "float", "float64": "double", "float16": "half"}.get(
        self._name, self._name))
    is_ref_dtype = property(lambda self: self._is_ref)
    is_floating = property(lambda self: self._numpy.kind == "f")
    is_integer = property(lambda self: self._numpy.kind in "iu")
    is_unsigned = property(lambda self: self._numpy.kind == "u")
    is_bool = property(lambda self: self._numpy.kind == "b")
    is_complex = property(lambda self: self._numpy.kind == "c")
    is_numpy_compatible = property(lambda self: self._name != "string")
    size = property(lambda self: self._numpy.itemsize)

    @property
    def base_dtype(self) -> "DType":
        return _BY_NAME[self._name] if self._is_ref else self

    @property
    def real_dtype(self) -> "DType":
        return self.base_dtype

    @property
    def _as_ref(self) -> "DType":
        return self if self._is_ref else _REFS[self._name]

    @property
    def min(self):
        return np.finfo(self._numpy).min if self.is_floating else np.iinfo(self._numpy).min

    @property
    def max(self):
        return np.finfo(self._numpy).max if self.is_floating else np.iinfo(self._numpy).max

    def is_compatible_with(self, other) -> bool:
        return self.base_dtype == as_dtype(other).base_dtype

    def __eq__(self, other):
        if isinstance(other, DType):
            return self.name == other.name
        try:
            return self.name == as_dtype(other).name
        except TypeError:
            return False

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        return hash(self.name)

    def __repr__(self):
        return "tf." + self.name

    def __str__(self):
        return f"<dtype: '{self.name}'>"


# The one dtype table: name, numpy type, DataType enum and name (tensorflow/core/framework/
# types.proto), and the TensorProto field of the values (tensor.proto).
float16 = DType("float16", np.float16, 19, "DT_HALF", "half_val")
float32 = DType("float32", np.float32, 1, "DT_FLOAT", "float_val")
float64 = DType("float64", np.float64, 2, "DT_DOUBLE", "double_val")
int8 = DType("int8", np.int8, 6, "DT_INT8", "int_val")
int16 = DType("int16", np.int16, 5, "DT_INT16", "int_val")
int32 = DType("int32", np.int32, 3, "DT_INT32", "int_val")
int64 = DType("int64", np.int64, 9, "DT_INT64", "int64_val")
uint8 = DType("uint8", np.uint8, 4, "DT_UINT8", "int_val")
uint16 = DType("uint16", np.uint16, 17, "DT_UINT16", "int_val")
uint32 = DType("uint32", np.uint32, 22, "DT_UINT32", "uint32_val")
uint64 = DType("uint64", np.uint64, 23, "DT_UINT64", "uint64_val")
bool = DType("bool", np.bool_, 10, "DT_BOOL", "bool_val")  # noqa: A001  (tf.bool, as in TensorFlow)
string = DType("string", object, 7, "DT_STRING", "string_val")
complex64 = DType("complex64", np.complex64, 8, "DT_COMPLEX64", "scomplex_val")
complex128 = DType("complex128", np.complex128, 18, "DT_COMPLEX128", "dcomplex_val")
half, double = float16, float64

ALL = (float16, float32, float64, int8, int16, int32, int64, uint8, uint16, uint32, uint64,
       bool, string, complex64, complex128)
_BY_NAME = {d.name: d for d in ALL}
_REFS = {d.name: DType(d._name, d._numpy, d._enum, d._datatype, d._value_field, is_ref=True) for d in ALL}
_BY_ENUM = {d.as_datatype_enum: d for d in (*ALL, *_REFS.values())}
_BY_NUMPY = {d._numpy: d for d in ALL if d is not string}
_ALIASES = {"float": float32, "double": float64, "half": float16, "int": int32, "long": int64}


def as_dtype(type_value) -> DType:
    """``tf.as_dtype``: a DType from a DType, a name ('float32', 'float32_ref'), a DataType enum
    number (1 is float32, as a GraphDef stores it), or a numpy type."""
    if isinstance(type_value, DType):
        return type_value
    if isinstance(type_value, int) and type_value in _BY_ENUM:
        return _BY_ENUM[type_value]
    if isinstance(type_value, str):
        if type_value.endswith("_ref") and type_value[:-4] in _REFS:
            return _REFS[type_value[:-4]]
        if type_value in _BY_NAME:
            return _BY_NAME[type_value]
        if type_value in _ALIASES:
            return _ALIASES[type_value]
    if type_value in (str, bytes, np.str_, np.bytes_):
        return string
    try:
        np_dtype = np.dtype(type_value)
    except TypeError:
        raise TypeError(f"Cannot convert value {type_value!r} to a TensorFlow DType.") from None
    if np_dtype.kind in "OSU":
        return string
    if np_dtype in _BY_NUMPY:
        return _BY_NUMPY[np_dtype]
    raise TypeError(f"Cannot convert value {type_value!r} to a TensorFlow DType.")


def infer_numpy(value, dtype: DType | None = None) -> np.ndarray:
    """A Python/numpy value as a numpy array with TF1's dtype rules (notebook 01).

    Python ints become int32 (int64 when they do not fit), floats float32, ``str``/``bytes``
    ``string``; numpy values keep their own dtype.  With ``dtype`` given, the value is
    converted, and a Python float refused for an integer dtype, as TF1 does:

    >>> infer_numpy([1, 2.5]).dtype
    dtype('float32')
    """
    if dtype is not None:
        return _convert(value, as_dtype(dtype).base_dtype)
    if isinstance(value, np.ndarray):
        return value.astype(object) if value.dtype.kind in "SU" else value
    if isinstance(value, np.generic):
        return np.asarray(value)
    array = _dense(value)
    kind = array.dtype.kind
    if kind in "SU" or (kind == "O" and _all_strings(value)):
        return _strings(value)
    if kind == "f":
        return array.astype(np.float32)
    if kind in "iu":
        if array.size and (array.max() > 2**31 - 1 or array.min() < -2**31):
            return array.astype(np.int64)
        return array.astype(np.int32)
    if kind == "b":
        return array
    if kind == "c":
        return array.astype(np.complex128)
    raise TypeError(f"Failed to convert object of type {type(value)} to Tensor. Contents: {value!r}. "
                    "Consider casting elements to a supported type.")


def _convert(value, dtype: DType) -> np.ndarray:
    if dtype is string:
        return _strings(value)
    if dtype.is_integer or dtype.is_bool:
        _refuse_python_floats(value, dtype)
    _dense(value)
    return np.asarray(value, dtype=dtype.as_numpy_dtype)


def _dense(value) -> np.ndarray:
    """``np.asarray(value)``, or TF1's error for nested lists of different lengths."""
    try:
        return np.asarray(value)
    except ValueError:
        if not isinstance(value, (list, tuple)):
            raise
    wanted, item = [], value
    while isinstance(item, (list, tuple)):   # TF1 expects the shape its first elements have
        wanted.append(len(item))
        item = item[0] if item else None
    got, level = [], [value]
    while all(isinstance(v, (list, tuple)) for v in level) and len({len(v) for v in level}) == 1:
        got.append(len(level[0]))
        level = [w for v in level for w in v]
    raise ValueError(f"Argument must be a dense tensor: {value!r} - got shape [{', '.join(map(str, got))}], but "
                     f"wanted [{', '.join(map(str, wanted))}].")


def _refuse_python_floats(value, dtype: DType) -> None:
    items = value if isinstance(value, (list, tuple)) else [value]
    for item in items:
        if isinstance(item, (list, tuple)):
            _refuse_python_floats(item, dtype)
        elif isinstance(item, float):
            raise TypeError(f"Expected {dtype.name}, but got {item!r} of type 'float'.")


def _all_strings(value) -> bool:
    if isinstance(value, (str, bytes)):
        return True
    return isinstance(value, (list, tuple)) and len(value) > 0 and all(_all_strings(v) for v in value)


def _strings(value) -> np.ndarray:
    """Strings as an object array of bytes (TF1 returns ``b'Hello world!'``)."""
    array = np.asarray(value, dtype=object)
    for v in array.reshape(-1):
        if not isinstance(v, (str, bytes)):   # bytes(3) would be three zero bytes
            raise TypeError(f"Expected string, but got {v!r} of type '{type(v).__name__}'.")
    flat = [v.encode("utf-8") if isinstance(v, str) else bytes(v) for v in array.reshape(-1)]
    out = np.empty(len(flat), dtype=object)
    out[:] = flat
    return out.reshape(array.shape)


__getattr__ = tf1_api.fallback(__name__)  # TF 1.15's other names: an alias, a stand-in, or a clear error
