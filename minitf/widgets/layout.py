"""Where the boxes, arrows and labels of a GraphView go: a layered (Sugiyama) layout by grandalf.

A TF1 graph is a DAG, drawn best in layers: every arrow points down, from the op that makes a
tensor to the ops that read it, with few crossings.  That is the Sugiyama method of Graphviz's
``dot``, of dagre and so of TensorBoard.  We do not write it ourselves: ``grandalf`` (pure
Python, on PyPI) computes it.  We only prepare what it lays out, as dagre does for TensorBoard:

- every arrow's label is a small box of its own in the layer below the op that makes the
  tensor, shared by all the arrows of that tensor, so no label overlaps a box or another label;
- long arrows pass between layers through thin dummy points, so parallel arrows bundle closely;
- ranks are pulled toward the ops that use them, so a constant sits beside its reader;
- an expanded name scope is laid out on its own first, with a *port* on its top edge for every
  box outside that feeds it and one on its bottom edge for every box outside it feeds; its
  frame then takes part in the layout around it as one big box.  Expanding a scope therefore
  keeps the order of everything around it: only distances grow.
- the items put aside (``GraphView.aside``) are stacked in a column to the right.

Why grandalf?  The layout must be made in Python: one layout then serves both pictures -- the
interactive widget and the static SVG shown where no JavaScript runs (a saved notebook, exported
HTML, GitHub) -- and tests check it without a browser.  dagre and elkjs run only in JavaScript;
Graphviz's ``dot`` is a program that pip cannot install, so it is missing on many students'
machines.  grandalf installs anywhere pip does, Colab included.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from grandalf.graphs import Edge as _GEdge
from grandalf.graphs import Graph as _GGraph
from grandalf.graphs import Vertex
from grandalf.layouts import SugiyamaLayout

from .graph_view import Edge, GraphView, common_frame

CHAR_WIDTH = 7.0      # of the 12px monospace font of box labels
LABEL_CHAR = 6.0      # of the 10px monospace font of arrow labels
NODE_HEIGHT = 30.0
LABEL_HEIGHT = 13.0
LAYER_GAP = 16.0      # vertical room between layers (a box's layer and its labels' layer)
NODE_GAP = 12.0       # horizontal room between neighbours in a layer ...
BOX_MARGIN = 8.0      # ... and around boxes on top of it
DUMMY_SIZE = 4.0      # where a long arrow crosses a layer
FRAME_PAD = 12.0
FRAME_TITLE = 18.0
ASIDE_GAP = 36.0      # between the graph and the column of auxiliary nodes
ASIDE_TITLE = 24.0
MARGIN = 16.0
TOP = 34.0            # room for the legend above the drawing


@dataclass
class Box:
    x: float          # left
    y: float          # top
    w: float
    h: float

    @property
    def center(self) -> tuple[float, float]:
        return self.x + self.w / 2, self.y + self.h / 2

    def moved(self, dx: float, dy: float) -> Box:
        return Box(self.x + dx, self.y + dy, self.w, self.h)


@dataclass
class Label:
    """An arrow's label: its text centred in ``box``."""

    text: str
    box: Box


@dataclass
class Layout:
    """Where everything goes: a Box per node and per frame, a polyline per drawn edge, the labels,
    the columns of auxiliary nodes, and the total size."""

    nodes: dict = field(default_factory=dict)
    frames: dict = field(default_factory=dict)
    routes: dict = field(default_factory=dict)   # (source, target) -> [(x, y), ...], rim to rim
    labels: list = field(default_factory=list)
    asides: list = field(default_factory=list)   # Boxes of the auxiliary columns (title on top)
    width: float = 0.0
    height: float = 0.0
    segments: dict = field(default_factory=dict)  # (source, target, frame) -> points, while placing
    ports: dict = field(default_factory=dict)     # ("in" | "out", box outside) -> (x, y), of a frame

    def moved(self, dx: float, dy: float) -> Layout:
        def pts(points):
            return [(x + dx, y + dy) for x, y in points]

        return Layout({k: b.moved(dx, dy) for k, b in self.nodes.items()},
                      {k: b.moved(dx, dy) for k, b in self.frames.items()},
                      {k: pts(p) for k, p in self.routes.items()},
                      [Label(lab.text, lab.box.moved(dx, dy)) for lab in self.labels],
                      [b.moved(dx, dy) for b in self.asides], self.width, self.height,
                      {k: pts(p) for k, p in self.segments.items()},
                      {k: (x + dx, y + dy) for k, (x, y) in self.ports.items()})


def node_width(label: str) -> float:
    return max(48.0, CHAR_WIDTH * len(label) + 22.0)


def label_width(text: str) -> float:
    return LABEL_CHAR * len(text) + 6.0


def layout(view: GraphView) -> Layout:
    """Lay out the view: layers top to bottom, auxiliary nodes aside, legend room on top."""
    out = _place(view, "").moved(MARGIN, TOP)
    for edge in view.edges:
        if view.drawn(edge):
            out.routes[(edge.source, edge.target)] = _route(view, edge, out.segments)
    out.segments, out.ports = {}, {}
    out.width += 2 * MARGIN
    out.height += TOP + MARGIN
    return out


def _route(view: GraphView, edge: Edge, segments: dict) -> list:
    """The whole polyline of an edge: up through the frames around its source, across, and down."""
    frame = common_frame(view, edge.source, edge.target)
    up = [f for f in view.path(edge.source, frame)[:-1]][::-1]     # innermost frame first
    down = view.path(edge.target, frame)[:-1]
    key = (edge.source, edge.target)
    points = []
    for f in up + [frame] + down:
        points += segments[key + (f,)]
    return points


class _Size:
    """What grandalf needs of a box: its size; it writes the centre into ``xy``."""

    def __init__(self, w: float, h: float):
        self.w, self.h, self.xy = w, h, (0.0, 0.0)


class _Route:
    """What grandalf needs of an arrow: it hands the polyline (centre, bends, centre) to ``setpath``."""

    points: list = []

    def setpath(self, points: list) -> None:
        self.points = points


def _inside(view: GraphView, box_id: str, frame: str) -> bool:
    return frame == "" or frame in view.chain(box_id)


def _place(view: GraphView, frame: str) -> Layout:
    """The layout of what is directly inside ``frame`` ('' = the top), with its top-left at (0, 0)."""
    sizes, inner = {}, {}
    for node in view.nodes:
        if view.frame_of(node.id) == frame:
            sizes[node.id] = (node_width(node.label), NODE_HEIGHT)
    for sub in view.frames:
        if view.parent_frame(sub) == frame:
            inner[sub] = _place(view, sub)
            sizes[sub] = (inner[sub].width + 2 * FRAME_PAD, inner[sub].height + 2 * FRAME_PAD + FRAME_TITLE)
    core = {item: size for item, size in sizes.items() if not view.is_aside(item, frame)}
    links, uses = _links(view, frame)
    vertices = dict(core)
    for key, text in links.labels.items():
        vertices[key] = (label_width(text), LABEL_HEIGHT)
    for key in links.ports:
        vertices[key] = (DUMMY_SIZE, DUMMY_SIZE)
    order = {item: i for i, item in enumerate(list(links.ports) + list(sizes) + list(links.labels))}
    centres, bends, bands = _sugiyama(vertices, links.pairs, order)

    out = Layout()
    for item, (w, h) in core.items():
        _put(out, item, Box(centres[item][0] - w / 2, centres[item][1] - h / 2, w, h), inner)
    for key, text in links.labels.items():
        (cx, cy), w = centres[key], label_width(text)
        out.labels.append(Label(text, Box(cx - w / 2, cy - LABEL_HEIGHT / 2, w, LABEL_HEIGHT)))
    right = max([b.x + b.w for b in _boxes(out)] + [x for pts in bends.values() for x, _ in pts], default=0.0)
    bottom = max([b.y + b.h for b in _boxes(out)] + [y for pts in bends.values() for _, y in pts], default=0.0)
    _put_aside(out, [(i, s) for i, s in sizes.items() if view.is_aside(i, frame)], right, inner)

    inner_ports, out.ports = out.ports, {}
    out.width = max([b.x + b.w for b in _boxes(out)] + [right], default=0.0)
    out.height = max([b.y + b.h for b in _boxes(out)] + [bottom], default=0.0)
    for key in links.ports:          # on this frame's edges: inputs at the top, outputs at the bottom
        out.ports[key] = (centres[key][0], 0.0 if key[0] == "in" else out.height)
    for (source, target), path in uses.items():
        middle = _middle(path, centres, bends, bands)
        start = _end(path[0], ("out", target), middle[0] if middle else centres[path[-1]], out, inner_ports)
        end = _end(path[-1], ("in", source), middle[-1] if middle else start, out, inner_ports)
        out.segments[(source, target, frame)] = [start, *middle, end]
    return out


def _middle(path: list, centres: dict, bends: dict, bands: dict) -> list:
    """The points of an arrow between its ends: through its label and bends, each layer crossed
    straight down (or up), so that no box of the layer sits on the line."""
    down = centres[path[-1]][1] >= centres[path[0]][1]
    points = []
    for i, (u, v) in enumerate(zip(path, path[1:])):
        crossed = ([centres[u]] if i else []) + bends.get((u, v), [])
        for x, y in crossed:
            ends = [(x, y - bands[(x, y)]), (x, y + bands[(x, y)])]
            points += ends if down else ends[::-1]
    return points


def _end(vertex, port: tuple, toward: tuple, out: Layout, inner_ports: dict) -> tuple:
    """Where an arrow ends at ``vertex``: a port of this frame; the rim of a box; or, for a frame
    it enters or leaves, the point on its rim right above or below its own port."""
    if vertex in out.ports:
        return out.ports[vertex]
    if vertex in out.frames and (vertex,) + port in inner_ports:
        box, x = out.frames[vertex], inner_ports[(vertex,) + port][0]
        return x, box.y if port[0] == "in" else box.y + box.h
    return _rim(out.nodes[vertex], toward)


def _rim(box: Box, toward: tuple) -> tuple[float, float]:
    """Where an arrow toward a point leaves the box: on its bottom (top) edge if the point is below
    (above) it, as close to the point as the rounded corners allow; else on the line to the centre."""
    x = min(max(toward[0], box.x + 6), box.x + box.w - 6)
    if toward[1] >= box.y + box.h:
        return x, box.y + box.h
    if toward[1] <= box.y:
        return x, box.y
    (cx, cy), (dx, dy) = box.center, (toward[0] - box.center[0], toward[1] - box.center[1])
    scale = min(box.w / 2 / abs(dx) if dx else math.inf, box.h / 2 / abs(dy) if dy else math.inf, 1.0)
    return cx + dx * scale, cy + dy * scale


def _boxes(out: Layout) -> list:
    return list(out.nodes.values()) + list(out.frames.values()) + [lab.box for lab in out.labels]


def _put(out: Layout, item: str, box: Box, inner: dict) -> None:
    """Place a box, or a frame with its inside (and the inside's segments) moved along."""
    if item not in inner:
        out.nodes[item] = box
        return
    out.frames[item] = box
    sub = inner[item].moved(box.x + FRAME_PAD, box.y + FRAME_PAD + FRAME_TITLE)
    out.nodes.update(sub.nodes)
    out.frames.update(sub.frames)
    out.labels += sub.labels
    out.asides += sub.asides
    out.segments.update(sub.segments)
    out.ports.update({(item,) + key: point for key, point in sub.ports.items()})


def _put_aside(out: Layout, items: list, right: float, inner: dict) -> None:
    """Stack the auxiliary items in a column right of ``right``."""
    if not items:
        return
    x = right + ASIDE_GAP if right else 0.0
    y = ASIDE_TITLE
    for item, (w, h) in items:
        _put(out, item, Box(x, y, w, h), inner)
        y += h + NODE_GAP
    out.asides.append(Box(x, 0.0, max(w for _, (w, _) in items), y - NODE_GAP))


@dataclass
class _Links:
    pairs: dict = field(default_factory=dict)     # (u, v) -> True for data, False for control
    labels: dict = field(default_factory=dict)    # label vertex key -> its text
    ports: list = field(default_factory=list)     # port vertex keys, ("in" | "out", box outside)


def _links(view: GraphView, frame: str) -> tuple[_Links, dict]:
    """What grandalf lays out inside ``frame`` besides the items: arrows, labels and ports.

    Returns the links and, per drawn view edge that crosses this level, its path of vertices
    here (item, label, item -- or port, item -- or item, port).
    """
    links, uses = _Links(), {}
    pair_edges: dict = {}
    for edge in view.edges:
        if not view.drawn(edge):
            continue
        s_in, t_in = _inside(view, edge.source, frame), _inside(view, edge.target, frame)
        if s_in and t_in and common_frame(view, edge.source, edge.target) == frame:
            pair = (view.item_at(edge.source, frame), view.item_at(edge.target, frame))
            pair_edges.setdefault(pair, []).append(edge)
        elif s_in and not t_in:
            port = ("out", edge.target)
            uses[(edge.source, edge.target)] = [view.item_at(edge.source, frame), port]
        elif t_in and not s_in:
            port = ("in", edge.source)
            uses[(edge.source, edge.target)] = [port, view.item_at(edge.target, frame)]
        else:
            continue
        if not (s_in and t_in) and port not in links.ports:
            links.ports.append(port)
    for (u, v), edges in pair_edges.items():
        tensors = list(dict.fromkeys(t for e in edges for t in e.tensors))
        if not tensors:
            links.pairs.setdefault((u, v), False)
            for e in edges:
                uses[(e.source, e.target)] = [u, v]
            continue
        text = Edge(u, v, tensors).label
        key = ("label", u, tuple(t.name for t in tensors))
        links.labels[key] = text
        links.pairs[(u, key)] = True
        links.pairs[(key, v)] = True
        for e in edges:
            uses[(e.source, e.target)] = [u, key, v]
    for path in uses.values():
        if path[0] in links.ports or path[-1] in links.ports:
            links.pairs.setdefault((path[0], path[-1]), True)
    return links, uses


def _sugiyama(sizes: dict, pairs: dict, order: dict) -> tuple[dict, dict, dict]:
    """grandalf's layered layout of vertices of ``sizes`` joined by ``pairs``.

    Returns each vertex's centre, each pair's bend points (where a long arrow passes between
    layers) and, for every centre and bend point, half the height of its layer; the top-left
    corner of everything is at (0, 0).  Parts that are not connected are placed side by side,
    in the order of their first vertex.
    """
    vertices = {key: Vertex(key) for key in sizes}
    for key, (w, h) in sizes.items():
        margin = BOX_MARGIN if isinstance(key, str) else 0.0
        vertices[key].view = _Size(w + 2 * margin, h)
    gedges = {}
    for source, target in pairs:
        gedges[(source, target)] = _GEdge(vertices[source], vertices[target])
        gedges[(source, target)].view = _Route()
    centres, bends, bands, left = {}, {}, {}, 0.0
    parts = _GGraph(list(vertices.values()), list(gedges.values())).C
    for part in sorted(parts, key=lambda p: min(order[v.data] for v in p.sV)):
        sugiyama = SugiyamaLayout(part)
        sugiyama.xspace, sugiyama.yspace = NODE_GAP, LAYER_GAP
        sugiyama.dw, sugiyama.dh = DUMMY_SIZE, DUMMY_SIZE
        roots = sorted((v for v in part.sV if not v.e_in()), key=lambda v: order[v.data])
        sugiyama.init_all(roots=roots or None, optimize=True)    # None: a cycle of groups, grandalf picks
        sugiyama.draw(3)
        xs = [v.view.xy[0] - v.view.w / 2 for v in part.sV] + [x for e in part.sE for x, _ in e.view.points]
        ys = [v.view.xy[1] - v.view.h / 2 for v in part.sV]
        dx, dy = left - min(xs), -min(ys)
        half = {layer[0].view.xy[1]: max(v.view.h for v in layer) / 2 for layer in sugiyama.layers}
        for v in part.sV:
            centres[v.data] = (v.view.xy[0] + dx, v.view.xy[1] + dy)
            bands[centres[v.data]] = half[v.view.xy[1]]
        for e in part.sE:
            bends[(e.v[0].data, e.v[1].data)] = [(x + dx, y + dy) for x, y in e.view.points[1:-1]]
            bands.update({(x + dx, y + dy): half[y] for x, y in e.view.points[1:-1]})
        right = [v.view.xy[0] + dx + v.view.w / 2 for v in part.sV]
        right += [x for e in part.sE for x, _ in bends[(e.v[0].data, e.v[1].data)]]
        left = max(right) + 2 * NODE_GAP
    return centres, bends, bands
