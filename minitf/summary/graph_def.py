"""GraphDef -> graph: rebuild the operations a ``GraphDef`` describes (notebook 07).

``graph.as_graph_def()`` writes a graph down as data (``minitf/node_def.py``);
:func:`import_graph_def` goes the other way: it rebuilds the operations of a ``GraphDef`` in a
graph, finding each op type's ``Op`` class in the registry and giving it its attrs back.  That
is how ``tf.train.import_meta_graph`` restores a model without the Python that built it.
"""
from __future__ import annotations

import inspect
from typing import Any

from .. import dtypes, protos
from ..graph import Graph, Operation, get_default_graph
from ..node_def import OUTPUT_SHAPES, tagged_attr
from ..ops.base import create_op, registered_ops
from ..tensor_shape import TensorShape


# ---------------------------------------------------------------------------------------------
# GraphDef -> minitf graph
# ---------------------------------------------------------------------------------------------

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


def import_graph_def(definition: Any, graph: Graph | None = None,
                     import_scope: str | None = None) -> list[Operation]:
    """Rebuild the nodes of a ``GraphDef`` proto as operations of ``graph`` (default graph).

    Nodes must come after their inputs (as :func:`graph_def` writes them).  With
    ``import_scope`` every name gets that prefix (``scope/add``).  Returns the new operations.
    """
    graph = graph or get_default_graph()
    prefix = f"{import_scope}/" if import_scope else ""
    with graph.as_default(), graph.name_scope(None):
        return [_import_node(node, graph, prefix) for node in definition.node]


def _import_node(node: Any, graph: Graph, prefix: str) -> Operation:
    name = prefix + node.name
    if graph.unique_name(name) != name:
        raise ValueError(f"Cannot import node {name!r}: the graph already has an operation of that "
                         "name. Import into a new graph, or give an import_scope.")
    data_inputs, control_inputs = [], []
    for input_name in node.input:
        if input_name.startswith("^"):
            control_inputs.append(_element(graph, prefix + input_name[1:], name))
        else:
            op_name, _, index = input_name.partition(":")
            data_inputs.append(_element(graph, prefix + op_name, name).outputs[int(index or 0)])
    attrs = {key: attr_python(value) for key, value in node.attr.items() if not key.startswith("_")}
    kind = _rebuild_kind(node.op, attrs, data_inputs, name)
    with graph.control_dependencies(control_inputs):
        op = create_op(kind, data_inputs, name + "/", graph)
    if OUTPUT_SHAPES in node.attr:
        for tensor, shape in zip(op.outputs, attr_python(node.attr[OUTPUT_SHAPES])):
            tensor.set_shape(shape)
    return op


def _element(graph: Graph, op_name: str, consumer: str) -> Operation:
    try:
        return graph.get_operation_by_name(op_name)
    except KeyError:
        raise ValueError(f"Node {consumer!r} has input {op_name!r}, which is not defined before "
                         "it in the GraphDef.") from None


def _rebuild_kind(op_type: str, attrs: dict[str, Any], inputs: list, name: str) -> Any:
    """The ``Op`` object of a node, made from its attrs, and checked to give those attrs back.

    A constructor gets the attrs it names as parameters; an ``Op`` without its own constructor
    keeps its keyword arguments as instance attributes, so it gets all attrs but ``T`` (the
    input dtype, which every op works out from its inputs).  The check catches op kinds that
    keep state the attrs do not describe (``StridedSlice`` keeps a Python index).
    """
    cls = registered_ops().get(op_type)
    if cls is None:
        raise ValueError(f"Op type not registered '{op_type}' in minitf (node {name!r}).")
    parameters = inspect.signature(cls).parameters
    if any(p.kind is p.VAR_KEYWORD for p in parameters.values()):
        kwargs = {key: value for key, value in attrs.items() if key != "T"}
    else:
        kwargs = {key: attrs[key] for key in parameters if key in attrs}
    try:
        kind = cls(**kwargs)
        rebuilt = kind.node_attrs(inputs)
    except (TypeError, AttributeError) as error:
        raise ValueError(f"Cannot rebuild node {name!r}: a {op_type} op needs more than its "
                         f"attrs ({error}).") from None
    if _attr_protos(rebuilt, name) != _attr_protos(attrs, name):
        raise ValueError(f"Cannot rebuild node {name!r}: a {op_type} op made from the attrs "
                         f"{sorted(attrs)} shows different attrs ({sorted(rebuilt)}).")
    return kind


def _attr_protos(attrs: dict[str, Any], name: str) -> dict[str, Any]:
    return {key: protos.attr_value(*tagged_attr(value, f"attr {key!r} of {name!r}"))
            for key, value in attrs.items()}
