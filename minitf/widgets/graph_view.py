"""What a picture of a graph shows: its boxes (nodes), arrows (edges), name scopes and side column.

Every operation is a box, coloured by its kind (placeholder, variable, constant, op), and every
tensor an operation reads is an arrow labelled with the tensor's static shape and dtype, as
``print(t)`` shows them (``(?, 784) float32``).  Faint dashed arrows are control dependencies.

A *name scope* (``with tf.name_scope("layer1"):``, or the ``gradients`` scope ``tf.gradients``
makes) is a group: it is drawn collapsed, as one stacked box, as TensorBoard does, and opens
into a frame showing its ops.  All the arrows between two boxes are one arrow (``3 tensors``).
TF1 also makes a scope for every op, named after it: ``mul/y`` is the constant made for
``x * 2``, ``W/read`` and ``W/Assign`` sit beside the variable ``W``.  Such a scope is drawn
open, its ops beside the others, unless it holds more than GROUP_SIZE ops (an optimizer's
``Adam``, a ``truncated_normal``) or scopes of its own (``GradientDescent/update_W/...``), or is
a variable no optimizer trains (``global_step``, Adam's ``beta1_power``): then it is a group too,
and its box keeps the colour of the op it is named after.

Bookkeeping is pulled aside into a column of *auxiliary nodes*, as TensorBoard does, once a
drawing has MIN_BOXES_FOR_ASIDE boxes or more: initializers (``init``), checkpoints (``save``),
summaries and their ``Merge``, the optimizer's update ops and slots, ``global_step``.  Their
arrows are not drawn, so the model's own data flow reads from top to bottom.  What you ask to
see (``show_graph(train_op)``) is never put aside.

>>> x = tf.placeholder(tf.float32, [None, 3], name="x")
>>> view = GraphView.of(x * 2)
>>> [(n.id, n.kind) for n in view.nodes]
[('x', 'placeholder'), ('mul/y', 'constant'), ('mul', 'op')]
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..graph import Graph, GraphKeys, Operation, Tensor, get_default_graph

GROUP_SIZE = 4
MIN_BOXES_FOR_ASIDE = 15      # TensorBoard's threshold: small drawings keep everything in place
_KIND_OF_TYPE = {"Placeholder": "placeholder", "PlaceholderWithDefault": "placeholder",
                 "VariableV2": "variable", "Const": "constant"}
# Ops that only record or restore what the model computes.
_BOOKKEEPING_TYPES = {"SaveV2", "RestoreV2", "MergeV2Checkpoints", "ScalarSummary", "HistogramSummary",
                      "ImageSummary", "AudioSummary", "TensorSummary", "TensorSummaryV2", "MergeSummary"}
# Ops that hold or move state without computing anything: they go aside with what they serve.
_SUPPORT_TYPES = {"Const", "Fill", "Identity", "VariableV2", "Assign", "AssignAdd", "AssignSub", "NoOp"}


def kind_of(op: Operation) -> str:
    """The colour class of an op: 'placeholder', 'variable', 'constant' or 'op'."""
    return _KIND_OF_TYPE.get(op.type, "op")


def shape_text(tensor: Tensor) -> str:
    """A static shape as TF1 prints it, ``(?, 784)``; ``?`` alone where even the rank is unknown."""
    return "?" if tensor.shape.dims is None else str(tensor.shape)


def tensor_text(tensor: Tensor) -> str:
    """A tensor's static shape and dtype: ``(?, 784) float32``."""
    return f"{shape_text(tensor)} {tensor.dtype.name}"


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


def as_op(element) -> Operation:
    """The Operation of a Tensor, Operation or Variable."""
    if hasattr(element, "_as_graph_element"):
        element = element._as_graph_element()
    if isinstance(element, Tensor):
        return element.op
    if isinstance(element, Operation):
        return element
    raise TypeError(f"Cannot draw {element!r}: expected a Graph, Tensor, Operation or Variable "
                    f"(or a list of them), got {type(element).__name__}.")


def ops_to_show(graph_or_tensor=None) -> tuple[Graph, list[Operation], list[Operation]]:
    """The graph, the ops a picture of ``graph_or_tensor`` shows (creation order), and its roots.

    A Graph (the default graph for None) shows all its ops and has no roots; a Tensor,
    Operation, Variable or a list of them (the roots) shows what a ``sess.run`` of them needs:
    their inputs, transitively, and control inputs.  That is the session's ``ops_to_run`` plus
    the variables the run writes into (``tf.assign(v, ...)`` does not run ``v``, it changes it).
    """
    if graph_or_tensor is None:
        graph_or_tensor = get_default_graph()
    if isinstance(graph_or_tensor, Graph):
        return graph_or_tensor, graph_or_tensor.get_operations(), []
    items = graph_or_tensor if isinstance(graph_or_tensor, (list, tuple)) else [graph_or_tensor]
    if not items:
        raise ValueError("Nothing to draw: the list of tensors is empty.")
    roots = [as_op(r) for r in items]
    stack, seen = list(roots), set()
    while stack:
        op = stack.pop()
        if op not in seen:
            seen.add(op)
            stack.extend(t.op for t in op.inputs)
            stack.extend(op.control_inputs)
    graph = roots[0].graph
    return graph, [op for op in graph.get_operations() if op in seen], roots


def label_in(name: str, frame: str) -> str:
    """A box's name as written inside its frame: ``layer1/MatMul`` is ``MatMul`` in ``layer1``."""
    if not frame:
        return name
    return name.rsplit("/", 1)[-1] if frame == name else name[len(frame) + 1:]


def _groups(ops: list[Operation]) -> list[str]:
    """The collapsible scopes: name scopes, and scopes named after an op holding many ops or scopes,
    or after a variable no optimizer trains (a step counter, an optimizer's slot)."""
    op_names = {op.name for op in ops}
    sizes: dict = {}
    for op in ops:
        for p in prefixes(op.name):
            sizes[p] = sizes.get(p, 0) + 1
    nested = {p for name in sizes for p in prefixes(name)}
    state = set()
    if ops:
        trained = {as_op(v).name for v in ops[0].graph.get_collection(GraphKeys.TRAINABLE_VARIABLES)}
        state = {op.name for op in ops if op.type == "VariableV2" and op.name not in trained}
    return sorted(p for p, n in sizes.items() if p not in op_names or n > GROUP_SIZE or p in nested or p in state)


class GraphView:
    """The boxes and arrows for some ops of a graph, with the ``expanded`` scopes opened.

    ``scopes`` are the groups (collapsible scopes), ``owner`` maps every op's name to the id of
    the box that shows it (its own, or its collapsed group's), ``frames`` lists the expanded
    groups drawn as frames, outermost first, and ``aside`` the boxes and frames drawn in the
    column of auxiliary nodes, as (frame they are in, id) pairs.  ``roots`` (what was asked for) are never put aside.
    """

    def __init__(self, ops: list[Operation], expanded=(), roots=()):
        self.ops = ops
        self.roots = set(roots)
        self._build(_groups(ops), expanded)
        together = self._aside_together()
        if together:       # a variable with its read and Assign, all aside: one box, as a group
            self._build(sorted(set(self.scopes) | together), expanded)

    def _build(self, scopes: list, expanded) -> None:
        self.scopes = scopes
        self.expanded = sorted(set(expanded) & set(self.scopes))
        self.owner = {op.name: self._box_of(op.name) for op in self.ops}
        self.nodes = self._nodes()
        self.edges = self._edges()
        self.frames = [s for s in self.expanded if all(p in self.expanded for p in self.chain(s)[:-1])]
        self.aside = _auxiliary(self)

    def _aside_together(self) -> set:
        """Scopes named after an op, drawn open, whose boxes all went aside."""
        inside: dict = {}
        for node in self.nodes:
            for p in prefixes(node.id) + [node.id]:
                if p in self.owner and p not in self.scopes:
                    inside.setdefault(p, []).append(node.id)
        return {p for p, boxes in inside.items()
                if len(boxes) > 1 and all(self.is_aside(b, self.frame_of(b)) for b in boxes)}

    @classmethod
    def of(cls, graph_or_tensor=None, expanded=()) -> GraphView:
        """The view of a graph (the default graph for None), a tensor or a list of tensors."""
        _, ops, roots = ops_to_show(graph_or_tensor)
        return cls(ops, expanded, roots)

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

    def item_at(self, box_id: str, frame: str):
        """The box or frame directly inside ``frame`` that holds ``box_id`` (None if it is outside)."""
        chain = [""] + [p for p in self.chain(box_id) if p in self.frames]
        if frame not in chain:
            return None
        i = chain.index(frame)
        return chain[i + 1] if i + 1 < len(chain) else box_id

    def path(self, box_id: str, frame: str) -> list[str]:
        """The items from ``frame`` down to ``box_id``: the frames between, then the box itself."""
        chain = [""] + [p for p in self.chain(box_id) if p in self.frames]
        return chain[chain.index(frame) + 1:] + [box_id]

    def is_aside(self, item: str, frame: str) -> bool:
        """Whether the box or frame ``item``, directly inside ``frame``, is drawn aside."""
        return (frame, item) in self.aside

    def drawn(self, edge: Edge) -> bool:
        """False for an arrow to or from something put aside, at any level of frames."""
        frame = common_frame(self, edge.source, edge.target)
        for box in (edge.source, edge.target):
            path = self.path(box, frame)
            if any(self.is_aside(item, level) for item, level in zip(path, [frame] + path[:-1])):
                return False
        return True

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


def common_frame(view: GraphView, a: str, b: str) -> str:
    """The innermost frame holding both boxes ('' at the top level)."""
    frames_a = [p for p in view.chain(a) if p in view.frames]
    frames_b = {p for p in view.chain(b) if p in view.frames}
    inside = [p for p in frames_a if p in frames_b]
    return inside[-1] if inside else ""


def _auxiliary(view: GraphView) -> set:
    """The (frame, item) pairs of the boxes or frames to draw aside, decided within each frame.

    An op is bookkeeping if it saves, restores or summarises, updates a variable for an
    optimizer (``Apply*``), is the global step, or is a ``NoOp`` nothing waits for (``init``).
    In a frame of MIN_BOXES_FOR_ASIDE items or more, an item holding such an op goes aside
    unless the rest reads data from it; an item of support ops only (constants, variables,
    reads, assignments) goes aside when everything that uses it went aside (or, if nothing
    uses it, everything it reads).  Found as the largest set for which both rules hold, so
    mutually dependent support items (a variable, its read and its ``Assign``) go aside together.
    """
    readers: dict = {}
    for op in view.ops:
        for t in op.inputs:
            readers.setdefault(t.op, []).append(op)
        for c in op.control_inputs:
            readers.setdefault(c, []).append(op)
    steps = set()
    if view.ops:
        steps = {as_op(v) for v in view.ops[0].graph.get_collection(GraphKeys.GLOBAL_STEP)}
    seeds = {op for op in view.ops if op not in view.roots and (
        op.type in _BOOKKEEPING_TYPES or op.type.startswith(("Apply", "ResourceApply", "SparseApply"))
        or op in steps or (op.type == "NoOp" and not readers.get(op)))}
    aside = set()
    for frame in [""] + view.frames:
        items: dict = {}
        for op in view.ops:
            item = view.item_at(view.owner[op.name], frame)
            if item is not None:
                items.setdefault(item, []).append(op)
        if len(items) >= MIN_BOXES_FOR_ASIDE:
            aside |= {(frame, item) for item in _aside_among(items, readers, seeds, view.roots)}
    return aside


def _aside_among(items: dict, readers: dict, seeds: set, roots: set) -> set:
    """The largest set of items that may go aside together (see ``_auxiliary``)."""
    item_of = {op: item for item, ops in items.items() for op in ops}

    def users(item: str, data_only: bool) -> set:
        found = set()
        for op in items[item]:
            for reader in readers.get(op, ()):
                data = any(t.op is op for t in reader.inputs)
                if reader in item_of and item_of[reader] != item and (data or not data_only):
                    found.add(item_of[reader])
        return found

    def producers(item: str) -> set:
        found = {item_of.get(t.op) for op in items[item] for t in op.inputs}
        found |= {item_of.get(c) for op in items[item] for c in op.control_inputs}
        return found - {item, None}

    seeded = {i for i, ops in items.items() if any(op in seeds for op in ops)}
    support = {i for i, ops in items.items() if all(op.type in _SUPPORT_TYPES for op in ops)}
    candidates = {i for i in seeded | support if not any(op in roots for op in items[i])}
    changed = True
    while changed:
        changed = False
        for item in sorted(candidates):
            data_users, all_users = users(item, True), users(item, False)
            feeds = all_users or producers(item)      # a support item without users goes with its inputs
            keeps = (item in seeded and data_users <= candidates) or \
                    (item in support and feeds and feeds <= candidates)
            if not keeps:
                candidates.discard(item)
                changed = True
    return candidates
