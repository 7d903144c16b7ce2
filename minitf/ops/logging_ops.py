"""Printing from a graph: ``tf.Print`` (TF1's first way), ``tf.print`` and ``tf.strings.format``.

A graph prints when it *runs*, not when it is built: the printing op must be fetched or be a
control dependency of something fetched.  Values are written the way TensorFlow's kernels write
them (``Tensor::SummarizeValue``), not the way numpy does: ``1 2.5 3`` for ``[1., 2.5, 3.]``, a
float32 with the fewest digits that read back as the same float32, at most ``summarize`` entries.

* ``tf.Print(x, [a, b], "msg: ")`` passes ``x`` through and prints ``msg: [1 2.5 3...][7]``: the
  first ``summarize`` entries of each tensor, in row order, ``...`` when there are more.
* ``tf.print("a:", a)`` is two ops: ``StringFormat`` writes the text (each tensor as numpy shows
  arrays: rows, with the first and last ``summarize`` entries of every axis), then ``PrintV2``
  writes it to ``sys.stderr`` (TensorFlow's default) or the ``output_stream`` given.
"""
from __future__ import annotations

import pprint
import random
import sys

import numpy as np

from .. import dtypes, nest
from ..backend import to_numpy
from ..graph import Tensor, name_scope
from ..logging import error, info, warning
from ..tensor_shape import TensorShape
from .base import Op, ShapeError, convert_to_tensor, create_op


# ---- how TensorFlow's kernels write values -----------------------------------------------------
def summarize_value(array, summarize: int = 3, rows: bool = False) -> str:
    """A tensor's value as TF's kernels write it; ``summarize < 0`` writes every entry.

    ``rows=False`` is tf.Print's and tf.Assert's form (the first ``summarize`` entries in row
    order: ``[1 2 3][4 5...]...``); ``rows=True`` is tf.print's (``[[1 2 ... 8 9] ...]``).
    """
    array = np.asarray(to_numpy(array))
    limit = array.size if summarize < 0 else min(summarize, array.size)
    if array.ndim == 0:
        return _element(array[()], rows)
    if rows:
        return _rows(array, limit, 0)
    return _first_entries(array, limit) + ("..." if array.size > limit else "")


def _first_entries(array, limit: int) -> str:
    """TF's ``PrintOneDim``: the first ``limit`` entries, with a bracket pair around each row."""
    flat, shape, out, count = array.reshape(-1), array.shape, [], 0

    def axis(d: int):
        nonlocal count
        if count >= limit:
            return
        if d == len(shape) - 1:
            for i in range(shape[d]):
                if count >= limit:
                    out.append("..." if d else "")
                    return
                out.append((" " if i else "") + _element(flat[count], False))
                count += 1
            return
        for _ in range(shape[d]):
            opened = count < limit
            if opened:
                out.append("[")
            axis(d + 1)
            if opened:
                out.append("]")

    axis(0)
    return "".join(out)


def _rows(array, ends: int, depth: int) -> str:
    """TF's ``PrintOneDimV2``: the first and last ``ends`` entries along every axis, ``...`` between."""
    if not isinstance(array, np.ndarray):   # one entry (a numpy scalar, or bytes from a string tensor)
        return _element(array, True)
    n = array.shape[0]
    spacing = " " if array.ndim == 1 else "\n" + " " * (depth + 1)
    text = "[" + spacing.join(_rows(array[i], ends, depth + 1) for i in range(min(ends, n)))
    if n > 2 * ends:
        text += spacing + "..."
    for i in range(max(ends, n - ends), n):
        text += spacing + _rows(array[i], ends, depth + 1)
    return text + "]"


def _element(value, quoted: bool) -> str:
    """One entry (TF's ``PrintOneElement``): bools as 1 and 0, strings as they are (tf.print quotes them)."""
    if isinstance(value, bytes):
        return '"' + _c_escape(value) + '"' if quoted else value.decode(errors="replace")
    if isinstance(value, (bool, np.bool_)):
        return "1" if value else "0"
    if isinstance(value, np.floating):
        return _shortest_float(value)
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    return "?"   # (complex numbers: TF's kernels print "?" too)


def _shortest_float(value) -> str:
    """``%g`` with 6 significant digits (15 for float64) if they read back as the same number, else 9 (17)."""
    if np.isnan(value):
        return "-nan" if np.signbit(value) else "nan"
    kind = np.float64 if value.dtype == np.float64 else np.float32   # (a float16 prints as a float32)
    digits = 15 if kind is np.float64 else 6
    text = "%.*g" % (digits, value)
    if kind(text) != kind(value):
        text = "%.*g" % (digits + (2 if kind is np.float64 else 3), value)
    return text


_C_ESCAPES = {ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t", ord('"'): '\\"', ord("'"): "\\'",
              ord("\\"): "\\\\"}


def _c_escape(raw: bytes) -> str:
    """C's escapes for a byte string (TF's ``CEscape``): ``\\n``, ``\\"``, other unprintable bytes in octal."""
    return "".join(_C_ESCAPES.get(b) or (chr(b) if 32 <= b < 127 else "\\%03o" % b) for b in raw)


# ---- tf.Print ------------------------------------------------------------------------------
class Print(Op):
    """``tf.Print``: passes its first input through and prints ``message`` and values to stderr."""

    type = "Print"
    view_of_input = True

    def __init__(self, message="", first_n=-1, summarize=3):
        self.message, self.first_n, self.summarize = message, first_n, summarize

    def kernel(self, op, session):
        printed = [0]

        def print_and_pass(value, *data):
            if self.first_n < 0 or printed[0] < self.first_n:
                printed[0] += 1
                shown = "".join(f"[{summarize_value(d, self.summarize)}]" for d in data)
                print(self.message + shown, file=sys.stderr)
            return value

        return print_and_pass

    def gradient(self, op, grad):
        return [grad] + [None] * (len(op.inputs) - 1)


def Print_(input_, data, message=None, first_n=None, summarize=None, name=None):  # noqa: N802
    """``tf.Print(x, [tensors], "message")``: ``x``, printing ``message`` and the tensors when it runs."""
    with name_scope(name, "Print", [input_] + list(data)) as scope:
        inputs = [convert_to_tensor(input_)] + [convert_to_tensor(d) for d in data]
        kind = Print(message or "", -1 if first_n is None else first_n, 3 if summarize is None else summarize)
        return create_op(kind, inputs, scope).outputs[0]


# ---- tf.strings.format and tf.print ----------------------------------------------------------
class StringFormat(Op):
    """A string scalar: ``template`` with each ``placeholder`` replaced by the next input, as tf.print shows it."""

    type = "StringFormat"
    gradient = None

    def __init__(self, template: str, placeholder: str = "{}", summarize: int = 3):
        self.template, self.placeholder, self.summarize = template, placeholder, summarize

    def node_attrs(self, inputs) -> dict:
        return {"T": [t.dtype.base_dtype for t in inputs], "template": self.template,
                "placeholder": self.placeholder, "summarize": self.summarize}

    def infer(self, *inputs):
        return dtypes.string, TensorShape([])

    def forward(self, *arrays):
        pieces = self.template.split(self.placeholder)
        text = pieces[0] + "".join(summarize_value(a, self.summarize, rows=True) + piece
                                   for a, piece in zip(arrays, pieces[1:]))
        return np.array(text.encode(), dtype=object)


def string_format(template: str, inputs, placeholder: str = "{}", summarize: int = 3, name=None) -> Tensor:
    """``tf.strings.format``: ``template`` with each ``placeholder`` replaced by one of ``inputs``.

    >>> tf.strings.format("x = {}", [tf.constant([1.5, 2.0])])   # runs to b'x = [1.5 2]'
    """
    inputs = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
    if template.count(placeholder) != len(inputs):
        raise ValueError(f"{template.count(placeholder)} placeholder(s) in template does not match "
                         f"{len(inputs)} tensor(s) provided as input")
    with name_scope(name, "StringFormat", inputs) as scope:
        tensors = [convert_to_tensor(t) for t in inputs]
        return create_op(StringFormat(template, placeholder, summarize), tensors, scope).outputs[0]


class PrintV2(Op):
    """Writes its string input, then ``end``, to a stream when it runs (tf.print's second op)."""

    type = "PrintV2"
    num_outputs = 0
    gradient = None
    stateful = True
    allowed_dtypes = {0: ("input", "string")}

    def __init__(self, output_stream: str = "stderr", end: str = "\n"):
        self.output_stream, self.end = output_stream, end

    def node_attrs(self, inputs) -> dict:
        return {"output_stream": self.output_stream, "end": self.end}

    def infer(self, text):
        if text.shape.ndims not in (None, 0):
            raise ShapeError(f"Shape must be rank 0 but is rank {text.shape.ndims}")
        return []

    def forward(self, text):
        line = to_numpy(text)[()].decode(errors="replace")
        stream = self.output_stream
        if stream in ("stdout", "stderr"):   # looked up now: Jupyter replaces sys.stdout per cell
            print(line, end=self.end, file=getattr(sys, stream), flush=True)
        elif stream.startswith("file://"):
            with open(stream[len("file://"):], "a", encoding="utf-8") as f:
                f.write(line + self.end)
        else:
            _LOG_LEVELS[stream](line)
        return ()


_LOG_LEVELS = {"log(info)": info, "log(warning)": warning, "log(error)": error}


_DEFAULT_STREAM = sys.stderr   # tf.print's default as bound when this module was imported


def _stream_name(output_stream) -> str:
    """TF's name for where tf.print writes: ``sys.stdout`` or ``sys.stderr`` (whichever objects they are
    now or were at import: Jupyter and pytest replace them), ``tf.logging.info`` / ``warning`` / ``error``,
    or ``"file://<path>"``."""
    if isinstance(output_stream, str) and output_stream.startswith("file://"):
        return output_stream
    for name, level in _LOG_LEVELS.items():
        if output_stream == level:
            return name
    if output_stream in (sys.stdout, sys.__stdout__):
        return "stdout"
    if output_stream in (sys.stderr, sys.__stderr__, _DEFAULT_STREAM):
        return "stderr"
    raise ValueError(f"Unsupported output stream, logging level, or file.{output_stream}. Supported streams are "
                     "sys.stdout, sys.stderr, tf.logging.info, tf.logging.warning, tf.logging.error. File needs "
                     "to be in the form of 'file://<filepath>'.")


def print_v2(*inputs, output_stream=sys.stderr, summarize: int = 3, sep: str = " ", end: str = "\n", name=None):
    """``tf.print``: print tensors (and any other values) when the returned op runs, to ``sys.stderr``
    unless ``output_stream`` says otherwise (``sys.stdout``, ``tf.logging.info``, ``"file:///tmp/log.txt"``).

    Unlike ``tf.Print`` it returns an op, not a tensor: fetch it, or make it a control dependency::

        print_op = tf.print("loss:", loss)
        with tf.control_dependencies([print_op]):
            train_op = optimizer.minimize(loss)
    """
    stream = _stream_name(output_stream)
    if len(inputs) == 1 and _is_tensor(inputs[0]) and inputs[0].dtype == dtypes.string \
            and inputs[0].shape.ndims == 0:
        text = inputs[0]
    else:
        template, tensors, placeholder = _template(inputs, sep)
        text = string_format(template, tensors, placeholder, summarize, name=name and f"{name}_format")
    return create_op(PrintV2(stream, end), [text], name or "PrintV2")


def _template(inputs, sep: str):
    """tf.print's text around its tensors: strings as they are, other values as ``pprint`` writes them."""
    shown_alone = " ".join(pprint.pformat(value) for value in nest.map_structure(
        lambda x: "" if _is_tensor(x) else x, list(inputs)))
    placeholder, rng = "{}", random.Random(5)
    while placeholder in shown_alone:   # (TF's way to pick a placeholder the text does not contain)
        placeholder += str(rng.randint(0, 9))
    templates, tensors = [], []
    for value in inputs:
        leaves = [placeholder if _is_tensor(x) else x for x in nest.flatten(value)]
        tensors += [x for x in nest.flatten(value) if _is_tensor(x)]
        if isinstance(value, str):
            templates.append(value)
        else:
            templates.append(pprint.pformat(nest.pack_sequence_as(value, leaves)))
    return sep.join(templates).replace(f"'{placeholder}'", placeholder), tensors, placeholder


def _is_tensor(x) -> bool:
    """A tensor or a variable (anything ``convert_to_tensor`` makes a tensor of without copying a value)."""
    return isinstance(x, Tensor) or hasattr(x, "_as_graph_element")
