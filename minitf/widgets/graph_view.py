"""What a picture of a graph shows: its boxes (nodes), arrows (edges) and name scopes.

Every operation is a box, coloured by its kind (placeholder, variable, constant, op), and every
tensor an operation reads is an arrow labelled with the tensor's static shape and dtype, as
``print(t)`` shows them (``(?, 784) float32``).  Dashed arrows are control dependencies.

A *name scope* (``with tf.name_scope("layer1"):``, or the ``gradients`` scope ``tf.gradients``
makes) is a group: it can be collapsed into one stacked box, as TensorBoard does, or expanded to
show its ops inside a frame.  Groups start collapsed.  TF1 also makes a scope for every op, named
after it: ``mul/y`` is the constant made for ``x * 2``, ``W/read`` and ``W/Assign`` sit beside the
variable ``W``.  Such a scope is drawn open, its op beside the others, unless it holds more than
GROUP_SIZE ops (an optimizer's ``Adam``, a ``truncated_normal``): then it is a group too, and
its box keeps the colour of the op it is named after.

>>> x = tf.placeholder(tf.float32, [None, 3], name="x")
>>> view = GraphView.of(x * 2)
>>> [(n.id, n.kind) for n in view.nodes]
[('x', 'placeholder'), ('mul/y', 'constant'), ('mul', 'op')]
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..graph import Graph, Operation, Tensor, get_default_graph

GROUP_SIZE = 4
_KIND_OF_TYPE = {"Placeholder": "placeholder", "PlaceholderWithDefault": "placeholder",
                 "VariableV2": "variable", "Const": "constant"}


def kind_of(op: Operation) -> str:
    """The colour class of an op: 'placeholder', 'variable', 'constant' or 'op'."""
    return _KIND_OF_TYPE.get(op.type, "op")


def tensor_text(tensor: Tensor) -> str:
    """A tensor's static shape and dtype as TF1 prints them: ``(?, 784) float32``."""
    return f"{tensor.shape} {tensor.dtype.name}"


@dataclass
class Node:
    """One box: an op, or a collapsed name scope standing for all the ops inside it."""

    id: str                 # the op's name, or the scope's name
    label: str              # the id without the enclosing frame (``MatMul`` in ``layer1``)
    kind: str               # placeholder, variable, constant, op; or scope (a name scope's group)
    group: bool             # True for a collapsed scope
    ops: list = field(default_factory=list)


@dataclass
class Edge:
    """An arrow between two boxes: the tensors flowing along it, or (none) a control dependency."""

    source: str
    target: str
    tensors: list = field(default_factory=list)

    @property
    def control(self) -> bool:
        return not self.tensors

    @property
    def label(self) -> str:
        if self.control:
            return ""
        return tensor_text(self.tensors[0]) if len(self.tensors) == 1 else f"{len(self.tensors)} tensors"


def prefixes(name: str) -> list[str]:
    """``'a/b/c'`` -> ``['a', 'a/b']``: the scopes a name sits in, outermost first."""
    parts = name.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


def ops_to_show(graph_or_tensor=None) -> tuple[Graph, list[Operation]]:
    """The graph and the ops a picture of ``graph_or_tensor`` shows, in creation order.

    A Graph (the default graph for None) shows all its ops; a Tensor, Operation, Variable or a
    list of them shows what they are built from (their inputs, transitively, and control inputs).
    """
    if graph_or_tensor is None:
        graph_or_tensor = get_default_graph()
    if isinstance(graph_or_tensor, Graph):
        return graph_or_tensor, graph_or_tensor.get_operations()
    roots = graph_or_tensor if isinstance(graph_or_tensor, (list, tuple)) else [graph_or_tensor]
    if not roots:
        raise ValueError("Nothing to draw: the list of tensors is empty.")
    stack = [_as_op(r) for r in roots]
    seen: set = set()
    while stack:
        op = stack.pop()
        if op not in seen:
            seen.add(op)
            stack.extend(t.op for t in op.inputs)
            stack.extend(op.control_inputs)
    return _as_op(roots[0]).graph, sorted(seen, key=lambda op: op.id)


def label_in(name: str, frame: str) -> str:
    """A box's name as written inside its frame: ``layer1/MatMul`` is ``MatMul`` in ``layer1``."""
    if not frame:
        return name
    return name.rsplit("/", 1)[-1] if frame == name else name[len(frame) + 1:]


def _groups(graph: Graph, ops: list[Operation]) -> list[str]:
    """The collapsible scopes: name scopes, and scopes named after an op holding many ops."""
    op_names = {op.name for op in graph.get_operations()}
    sizes: dict = {}
    for op in ops:
        for p in prefixes(op.name):
            sizes[p] = sizes.get(p, 0) + 1
    return sorted(p for p, n in sizes.items() if p not in op_names or n > GROUP_SIZE)


def _as_op(element) -> Operation:
    if hasattr(element, "_as_graph_element"):
        element = element._as_graph_element()
    if isinstance(element, Tensor):
        return element.op
    if isinstance(element, Operation):
        return element
    raise TypeError(f"Cannot draw {element!r}: expected a Graph, Tensor, Operation or Variable "
                    f"(or a list of them), got {type(element).__name__}.")


class GraphView:
    """The boxes and arrows for some ops of a graph, with the ``expanded`` scopes opened.

    ``scopes`` are the groups (collapsible scopes), ``owner`` maps every op's name to the id of
    the box that shows it (its own, or its collapsed group's), ``frames`` lists the expanded
    groups drawn as frames, outermost first.
    """

    def __init__(self, graph: Graph, ops: list[Operation], expanded=()):
        self.graph = graph
        self.ops = ops
        self.scopes = _groups(graph, ops)
        self.expanded = sorted(set(expanded) & set(self.scopes))
        self.owner = {op.name: self._box_of(op.name) for op in ops}
        self.nodes = self._nodes()
        self.edges = self._edges()
        self.frames = [s for s in self.expanded if all(p in self.expanded for p in self.chain(s)[:-1])]

    @classmethod
    def of(cls, graph_or_tensor=None, expanded=()) -> "GraphView":
        """The view of a graph (the default graph for None), a tensor or a list of tensors."""
        return cls(*ops_to_show(graph_or_tensor), expanded=expanded)

    def chain(self, name: str) -> list[str]:
        """The groups holding the op or scope ``name``, outermost first (itself too, if it is one)."""
        return [p for p in prefixes(name) + [name] if p in self.scopes]

    def _box_of(self, name: str) -> str:
        return next((p for p in self.chain(name) if p not in self.expanded), name)

    def frame_of(self, box_id: str) -> str:
        """The innermost frame a box sits in ('' at the top level)."""
        inside = [p for p in self.chain(box_id) if p in self.expanded]
        return inside[-1] if inside else ""

    def parent_frame(self, scope: str) -> str:
        """The frame a frame sits in ('' at the top level)."""
        inside = [p for p in self.chain(scope)[:-1] if p in self.expanded]
        return inside[-1] if inside else ""

    def _nodes(self) -> list[Node]:
        nodes: dict[str, Node] = {}
        by_name = {op.name: op for op in self.ops}
        for op in self.ops:
            box = self.owner[op.name]
            if box not in nodes:
                group = box in self.scopes and box not in self.expanded
                kind = kind_of(by_name[box]) if box in by_name else "scope"
                nodes[box] = Node(box, label_in(box, self.frame_of(box)), kind, group)
            nodes[box].ops.append(op)
        return list(nodes.values())

    def _edges(self) -> list[Edge]:
        shown = set(self.ops)
        edges: dict[tuple, Edge] = {}
        for op in self.ops:
            target = self.owner[op.name]
            for t in op.inputs:
                source = self.owner.get(t.op.name)
                if t.op in shown and source != target:
                    edge = edges.setdefault((source, target), Edge(source, target))
                    if t not in edge.tensors:
                        edge.tensors.append(t)
            for c in op.control_inputs:
                source = self.owner.get(c.name)
                if c in shown and source != target:
                    edges.setdefault((source, target), Edge(source, target))
        return list(edges.values())
