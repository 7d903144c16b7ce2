"""NodeDef and GraphDef: an operation, and a whole graph, written down as data (notebooks 02 and 07).

TF1 describes every op by a ``NodeDef``: its name, its op type, its inputs and its attrs.
``print(op)`` shows it in protobuf text format; ``graph.as_graph_def()`` gathers the nodes into a
``GraphDef`` protocol buffer, which TensorBoard draws and ``.meta`` files store::

    node { name: "add"  op: "AddV2"  input: "Const"  input: "x:1"  input: "^init"
           attr { key: "T" value { type: DT_FLOAT } } }

An input is the producing op's name for its output 0, ``name:i`` for output ``i``, and
``^name`` for a control input.  Attrs are what the op's kind reports (``T``, ``shape``,
``transpose_a``...), completed as TensorFlow declares the op (``tf_op_defs.json``, taken from
TF 1.15's op registry): every attr that names an input's dtype (``Tidx``, ``SrcT``) or counts
inputs (``N``), and every attr with a default, so real TensorFlow imports the graph.  With
``add_shapes=True`` each node also gets ``_output_shapes``, the static shapes of its outputs, as
TF1 adds them for TensorBoard and for ``.meta`` files.  ``summary/graph_def.py`` reads a
GraphDef back into a graph.
"""
from __future__ import annotations

import functools
import json
import os
from typing import Any, Iterable

import numpy as np

from . import dtypes, protos
from .tensor_shape import TensorShape

OUTPUT_SHAPES = "_output_shapes"


class NodeDef:
    """An op's definition as TF1 prints it (protobuf text format): name, op, inputs and attrs."""

    def __init__(self, op):
        self.name = op.name
        self.op = op.type
        self.input = [t.op.name if t.value_index == 0 else t.name for t in op.inputs]
        self.input += ["^" + c.name for c in op.control_inputs]
        self.attr = op.kind.node_attrs(op.inputs)

    def __str__(self):
        lines = [f'name: "{self.name}"', f'op: "{self.op}"']
        lines += [f'input: "{name}"' for name in self.input]
        for key, value in sorted(self.attr.items()):
            lines += ["attr {", f'  key: "{key}"', "  value {"]
            lines += ["    " + line for line in _attr_text(value)]
            lines += ["  }", "}"]
        return "\n".join(lines) + "\n"

    __repr__ = __str__


def _shape_text(shape: TensorShape) -> list[str]:
    if shape.dims is None:
        return ["unknown_rank: true"]
    out = []
    for d in shape.dims:
        out += ["dim {", f"  size: {-1 if d.value is None else d.value}", "}"]
    return out


def _attr_text(value) -> list[str]:
    if isinstance(value, dtypes.DType):
        return [f"type: {value.base_dtype.datatype_name}"]
    if isinstance(value, TensorShape):
        return ["shape {"] + ["  " + s for s in _shape_text(value)] + ["}"]
    if isinstance(value, np.ndarray):
        return _tensor_text(value)
    if isinstance(value, bool):
        return [f"b: {str(value).lower()}"]
    if isinstance(value, int):
        return [f"i: {value}"]
    if isinstance(value, float):
        return [f"f: {_number_text(value)}"]
    if isinstance(value, (list, tuple)):
        return ["list {"] + [f"  i: {v}" for v in value] + ["}"]
    return [f's: "{value}"']


def _tensor_text(value: np.ndarray) -> list[str]:
    """A constant's value as TF1 prints it: one value when all are equal, else each value."""
    dtype = dtypes.as_dtype(value.dtype)
    lines = ["tensor {", f"  dtype: {dtype.datatype_name}", "  tensor_shape {"]
    lines += ["    " + s for s in _shape_text(TensorShape(value.shape))] + ["  }"]
    flat = value.reshape(-1)
    unique = flat[:1] if flat.size and all(v == flat[0] for v in flat) else flat
    for v in unique:
        if dtype == dtypes.string:
            lines.append(f'  string_val: "{v.decode("utf-8", "replace")}"')
        elif dtype == dtypes.bool:
            lines.append(f"  bool_val: {str(bool(v)).lower()}")
        else:
            lines.append(f"  {dtype.value_field}: {_number_text(v)}")
    return lines + ["}"]


def _number_text(v) -> str:
    f = float(v)
    return str(int(f)) if f.is_integer() else repr(f)


# ---- GraphDef protocol buffers ---------------------------------------------------------------
def graph_def(graph, add_shapes: bool = False) -> Any:
    """The ``GraphDef`` proto of ``graph`` (``graph.as_graph_def()``), nodes in creation order."""
    return protos.graph_def_proto([node_dict(op, add_shapes) for op in graph.get_operations()])


def node_dict(op, add_shapes: bool = False) -> dict[str, Any]:
    """One op as the plain node dict :func:`minitf.protos.graph_def_proto` takes."""
    definition = op.node_def
    complete = tf_attrs(op.type, definition.attr, op.inputs, [t.dtype for t in op.outputs])
    attrs = {key: tagged_attr(value, f"attr {key!r} of {op.name!r}")
             for key, value in complete.items() if not says_nothing(op.type, key, value, op.inputs)}
    if add_shapes and op.outputs:
        attrs[OUTPUT_SHAPES] = ("list_shape", [_dims(t.shape) for t in op.outputs])
    return {"name": op.name, "op": op.type, "inputs": list(definition.input), "attrs": attrs}


def _dims(shape: TensorShape) -> list[int | None] | None:
    return None if shape.dims is None else shape.as_list()


def tagged_attr(value: Any, what: str = "attr") -> tuple[str, Any]:
    """A node attr as ``(kind, value)`` for :func:`minitf.protos.attr_value`.

    >>> tagged_attr(tf.float32), tagged_attr(TensorShape([None, 3])), tagged_attr(False)
    (('type', 1), ('shape', [None, 3]), ('b', False))
    """
    if isinstance(value, dtypes.DType):
        return "type", value.base_dtype.as_datatype_enum
    if isinstance(value, TensorShape):
        return "shape", _dims(value)
    if isinstance(value, np.ndarray):
        return "tensor", value
    if isinstance(value, (bool, np.bool_)):
        return "b", bool(value)
    if isinstance(value, (int, np.integer)):
        return "i", int(value)
    if isinstance(value, (float, np.floating)):
        return "f", float(value)
    if isinstance(value, (str, bytes)):
        return "s", value
    if isinstance(value, (list, tuple)):
        items = [tagged_attr(item, what) for item in value]
        kinds = {kind for kind, _ in items}
        if len(kinds) > 1:
            raise TypeError(f"{what}: a list attr holds one kind of value, not {sorted(kinds)}")
        return "list_" + (kinds.pop() if kinds else "i"), [item for _, item in items]
    raise TypeError(f"{what}: a GraphDef cannot store a {type(value).__name__} ({value!r})")


def attr_python(attr: Any) -> Any:
    """An ``AttrValue`` as the Python value ``op.node_def`` shows: ``DType``, ``TensorShape``,
    numpy array, ``str``, ``int``, ``float``, ``bool``, or a list of them."""
    kind = attr.WhichOneof("value")
    if kind == "list":
        for field in ("i", "f", "b", "s", "type", "shape", "tensor"):
            items = getattr(attr.list, field)
            if items:
                return [_field_python(field, item) for item in items]
        return []
    return None if kind is None else _field_python(kind, getattr(attr, kind))


def _field_python(kind: str, value: Any) -> Any:
    if kind == "type":
        return dtypes.as_dtype(value)
    if kind == "shape":
        return TensorShape(None if value.unknown_rank else
                           [None if d.size == -1 else d.size for d in value.dim])
    if kind == "tensor":
        return protos.tensor_value(value)
    if kind == "s":
        return value.decode("utf-8")
    return value


# ---- how TensorFlow declares its ops ----------------------------------------------------------
@functools.lru_cache(maxsize=None)
def op_defs() -> dict[str, Any]:
    """tf_op_defs.json: per op type, its attrs (type, default) and its inputs' and outputs' dtype
    attrs, as TF 1.15 registers them (written by tests/data/tf_files/make_tf_files.py)."""
    with open(os.path.join(os.path.dirname(__file__), "tf_op_defs.json"), encoding="utf-8") as f:
        return json.load(f)


def _arg_dtypes(args: list, attr_types: dict[str, list], given: list) -> dict[str, Any]:
    """The attrs that the actual dtypes ``given`` of an op's inputs (or outputs) fix, for the
    argument list ``args`` of its op def: ``T``, ``Tidx``..., ``N`` (how many a list argument
    takes) and list-of-dtype attrs (``dtypes``)."""
    many = [bool(number) or attr_types.get(attr, [""])[0] == "list(type)"
            for _, attr, number, _ in args]
    spare = len(given) - many.count(False)    # what the list argument, if any, takes
    found: dict[str, Any] = {}
    position = 0
    for (_, attr, number, _), is_list in zip(args, many):
        count = spare if is_list else 1
        taken = [d.base_dtype for d in given[position:position + count]]
        position += count
        if number:
            found[number] = count
        if attr and is_list and not number:
            found[attr] = taken
        elif attr and taken:
            found[attr] = taken[0]
    return found


def tf_attrs(op_type: str, attrs: dict[str, Any], inputs: Iterable[Any], output_dtypes: list,
             dtypes_win: bool = True) -> dict[str, Any]:
    """``attrs`` completed as TensorFlow declares ``op_type``: the dtype and count attrs its
    inputs and outputs fix (replacing those in ``attrs`` if ``dtypes_win``), then every missing
    attr that has a default."""
    op_def = op_defs().get(op_type)
    if op_def is None:
        return dict(attrs)
    fixed = _arg_dtypes(op_def["outputs"], op_def["attrs"], list(output_dtypes))
    fixed.update(_arg_dtypes(op_def["inputs"], op_def["attrs"], [t.dtype for t in inputs]))
    complete = {**attrs, **fixed} if dtypes_win else {**fixed, **attrs}
    for key, (_, default) in op_def["attrs"].items():
        if key not in complete and default is not None:
            attr_pb2 = protos.proto_module("attr_value_pb2")
            complete[key] = attr_python(attr_pb2.AttrValue.FromString(bytes.fromhex(default)))
    return complete


def says_nothing(op_type: str, key: str, value: Any, inputs: list) -> bool:
    """True for an attr that TF 1.15 does not declare and that adds nothing: one that is off
    (``False``, 0, empty), which a later TensorFlow added (``MatMul``'s ``grad_a``), or a ``T``
    that only repeats the first input's dtype.  TF 1.15 refuses attrs it does not know, so files
    leave such attrs out, and an import does not miss them."""
    op_def = op_defs().get(op_type)
    if op_def is None or key in op_def["attrs"] or isinstance(value, np.ndarray):
        return False
    return not value or (key == "T" and bool(inputs) and value == inputs[0].dtype.base_dtype)
