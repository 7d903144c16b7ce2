"""NodeDef and GraphDef: an operation, and a whole graph, written down as data (notebooks 02 and 07).

TF1 describes every op by a ``NodeDef``: its name, its op type, its inputs and its attrs.
``print(op)`` shows it in protobuf text format; ``graph.as_graph_def()`` gathers the nodes into a
``GraphDef`` protocol buffer, which TensorBoard draws and ``.meta`` files store::

    node { name: "add"  op: "AddV2"  input: "Const"  input: "x:1"  input: "^init"
           attr { key: "T" value { type: DT_FLOAT } } }

An input is the producing op's name for its output 0, ``name:i`` for output ``i``, and
``^name`` for a control input.  Attrs are what the op's kind reports (``T``, ``shape``,
``transpose_a``...); with ``add_shapes=True`` each node also gets ``_output_shapes``, the
static shapes of its outputs, as TF1 adds them for TensorBoard and for ``.meta`` files.
"""
from __future__ import annotations

from typing import Any

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
    attrs = {key: tagged_attr(value, f"attr {key!r} of {op.name!r}")
             for key, value in definition.attr.items()}
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
