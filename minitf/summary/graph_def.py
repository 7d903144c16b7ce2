"""GraphDef -> graph: rebuild the operations a ``GraphDef`` describes (notebook 07).

``graph.as_graph_def()`` writes a graph down as data (``minitf/node_def.py``).
:func:`import_graph_def` goes the other way: it rebuilds the operations of a ``GraphDef`` --
ours, or one real TensorFlow wrote -- in a graph, finding each op type's ``Op`` class in the
registry and giving it its attrs back.  That is how ``tf.train.import_meta_graph`` restores a
model without the Python that built it.  A node whose op minitf does not have, or whose attrs
minitf's op would not reproduce exactly, is an error naming the node: never a silently
different computation.
"""
from __future__ import annotations

import inspect
from typing import Any, Iterable

import numpy as np

from .. import protos
from ..errors import DataLossError
from ..graph import Graph, Operation, get_default_graph
from ..node_def import OUTPUT_SHAPES, attr_python, op_defs, says_nothing, tf_attrs
from ..ops.base import create_op, registered_ops
from ..tensor_shape import TensorShape


# ---------------------------------------------------------------------------------------------
# GraphDef -> minitf graph
# ---------------------------------------------------------------------------------------------

# TF1 op types that minitf's ops compute exactly (on the dtypes minitf has).
_SAME_AS = {"Add": "AddV2"}


def import_graph_def(graph_def: Any, input_map: dict | None = None,
                     return_elements: list[str] | None = None, name: str | None = None,
                     op_dict: Any = None, producer_op_list: Any = None) -> list | None:
    """``tf.import_graph_def``: add the nodes of ``graph_def`` to the default graph, under the
    name scope ``name`` (default ``"import"``; ``""`` keeps the names as they are).

    ``graph_def`` is a ``GraphDef`` proto, or its bytes as in a ``.pb`` file.  ``input_map``
    replaces inputs (``{"X:0": my_tensor}``); ``return_elements`` names the tensors or operations
    to return.  Nodes may come in any order (TensorFlow does not sort them).
    """
    if isinstance(graph_def, (bytes, bytearray)):
        graph_def = parse_graph_def(bytes(graph_def))
    scope = "import" if name is None else name
    import_nodes(graph_def, get_default_graph(), scope or None, input_map or {})
    if return_elements is None:
        return None
    graph = get_default_graph()
    prefix = f"{scope}/" if scope else ""
    return [graph.as_graph_element(prefix + element) for element in return_elements]


def parse_graph_def(data: bytes, filename: str = "the GraphDef") -> Any:
    """A ``GraphDef`` from its serialized bytes, or from protobuf's text format (``.pbtxt``)."""
    from google.protobuf import text_format
    from google.protobuf.message import DecodeError

    graph_pb2 = protos.proto_module("graph_pb2")
    try:
        return graph_pb2.GraphDef.FromString(data)
    except DecodeError:
        pass
    try:
        return text_format.Parse(data.decode("utf-8"), graph_pb2.GraphDef())
    except (UnicodeDecodeError, text_format.ParseError) as error:
        raise DataLossError(None, None, f"Cannot parse {filename}: it is neither a binary nor a "
                                        f"text GraphDef ({error})") from None


def import_nodes(definition: Any, graph: Graph | None = None, import_scope: str | None = None,
                 input_map: dict | None = None) -> list[Operation]:
    """Rebuild the nodes of a ``GraphDef`` proto as operations of ``graph`` (default graph).

    With ``import_scope`` every name gets that prefix (``scope/add``).  Returns the new
    operations, inputs before the nodes that use them.
    """
    graph = graph or get_default_graph()
    prefix = f"{import_scope}/" if import_scope else ""
    with graph.as_default(), graph.name_scope(None):
        return [_import_node(node, graph, prefix, input_map or {})
                for node in _inputs_first(definition.node)]


def _inputs_first(nodes: Iterable[Any]) -> list[Any]:
    """The nodes in an order where every node comes after its inputs (TF does not sort them)."""
    by_name = {node.name: node for node in nodes}
    ordered, state = [], {}   # state: 1 = being visited, 2 = done

    def visit(node: Any) -> None:
        stack = [(node, iter(node.input))]
        state[node.name] = 1
        while stack:
            current, inputs = stack[-1]
            for input_name in inputs:
                source = by_name.get(input_name.lstrip("^").partition(":")[0])
                if source is not None and state.get(source.name) != 2:
                    if state.get(source.name) == 1:
                        raise ValueError(f"The GraphDef has a cycle through {source.name!r} (a "
                                         "tf.while_loop of TF1); minitf cannot import it.")
                    state[source.name] = 1
                    stack.append((source, iter(source.input)))
                    break
            else:
                stack.pop()
                state[current.name] = 2
                ordered.append(current)

    for node in by_name.values():
        if node.name not in state:
            visit(node)
    return ordered


def _import_node(node: Any, graph: Graph, prefix: str, input_map: dict) -> Operation:
    name = prefix + node.name
    if graph.unique_name(name) != name:
        raise ValueError(f"Cannot import node {name!r}: the graph already has an operation of that "
                         "name. Import into a new graph, or give an import_scope.")
    data_inputs, control_inputs = [], []
    for input_name in node.input:
        if input_name.startswith("^"):
            control_inputs.append(_element(graph, prefix + input_name[1:], name))
            continue
        op_name, _, index = input_name.partition(":")
        mapped = input_map.get(f"{op_name}:{index or 0}")
        data_inputs.append(mapped if mapped is not None else
                           _element(graph, prefix + op_name, name).outputs[int(index or 0)])
    attrs = {key: attr_python(value) for key, value in node.attr.items() if not key.startswith("_")}
    kind = _rebuild_kind(_SAME_AS.get(node.op, node.op), attrs, data_inputs, name, node.op)
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
        raise ValueError(f"Node {consumer!r} has input {op_name!r}, which is not in the GraphDef "
                         "or the graph.") from None


def _rebuild_kind(op_type: str, attrs: dict[str, Any], inputs: list, name: str,
                  written_type: str) -> Any:
    """The ``Op`` object of a node, made from its attrs, and checked to give those attrs back.

    A constructor gets the attrs it names as parameters; an ``Op`` without its own constructor
    keeps its keyword arguments as instance attributes, so it gets every attr that the inputs'
    dtypes do not fix.  Both sides are then completed as TensorFlow declares the op
    (:func:`tf_attrs`) and must agree: this catches attrs minitf's op ignores and dtypes it would
    change.  An op type minitf has in two forms picks the class for the attrs (``for_attrs``: a
    ``StridedSlice`` with its indices as attrs, as minitf writes constant ones, or as inputs, as TF).
    """
    cls = registered_ops().get(op_type)
    if cls is None:
        raise ValueError(f"Cannot import node {name!r}: minitf has no op {written_type!r}. "
                         f"(Op type not registered '{written_type}' in minitf.)")
    if hasattr(cls, "for_attrs"):
        cls = cls.for_attrs(attrs)
    op_def = op_defs().get(op_type, {"inputs": [], "outputs": []})
    fixed_by_args = {attr for args in (op_def["inputs"], op_def["outputs"])
                     for _, type_attr, number, _ in args for attr in (type_attr, number) if attr}
    parameters = inspect.signature(cls).parameters
    if any(p.kind is p.VAR_KEYWORD for p in parameters.values()):
        kwargs = {key: value for key, value in attrs.items() if key not in fixed_by_args | {"T"}}
    else:
        kwargs = {key: attrs[key] for key in parameters if key in attrs}
    try:
        kind = cls(**kwargs)
        outputs = kind.infer(*inputs)
        rebuilt = kind.node_attrs(inputs)
    except (TypeError, AttributeError, ValueError) as error:
        raise ValueError(f"Cannot import node {name!r}: minitf's {op_type} op cannot be made from "
                         f"its attrs and inputs ({error}).") from None
    output_dtypes = [d for d, _ in ([outputs] if kind.num_outputs == 1 else outputs)]
    given = tf_attrs(op_type, attrs, inputs, output_dtypes, dtypes_win=False)
    made = tf_attrs(op_type, rebuilt, inputs, output_dtypes)
    differ = sorted(key for key in set(given) | set(made)
                    if not _same_attr(given.get(key), made.get(key))
                    and not (key not in given and says_nothing(op_type, key, made[key], inputs)))
    if differ:
        shown = ", ".join(f"{key}={given.get(key)!r}" for key in differ)
        raise ValueError(f"Cannot import node {name!r}: minitf's {op_type} op does not compute "
                         f"what its attrs say ({shown}; minitf's op would have "
                         f"{', '.join(f'{key}={made.get(key)!r}' for key in differ)}).")
    return kind


def _same_attr(a: Any, b: Any) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.dtype == b.dtype
                and a.shape == b.shape and (a.dtype == object and a.tolist() == b.tolist()
                                            or np.array_equal(a, b, equal_nan=a.dtype.kind in "fc")))
    if isinstance(a, TensorShape) or isinstance(b, TensorShape):
        return (isinstance(a, TensorShape) and isinstance(b, TensorShape)
                and (a.dims is None) == (b.dims is None)
                and (a.dims is None or a.as_list() == b.as_list()))
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same_attr(x, y) for x, y in zip(a, b))
    return a == b
