"""The pictures as SVG text: a graph (``graph_svg``) and the curves of a training plot.

The same SVG is the static picture (exported HTML, GitHub, a notebook run without a browser) and
what the widgets show: their JavaScript inserts it and adds clicks and highlights.  Elements carry
``data-node`` / ``data-scope`` / ``data-source``+``data-target`` attributes for that, and colours
as attributes, so the picture looks right without any stylesheet.
"""
from __future__ import annotations

import itertools
import math
from xml.sax.saxutils import escape, quoteattr

from .graph_view import GraphView, label_in
from .layout import MARGIN, Layout, layout

COLOURS = {  # kind -> (fill, border)
    "placeholder": ("#fdebd0", "#d35400"),
    "variable": ("#d5f5e3", "#1e8449"),
    "constant": ("#e8eef7", "#5b7db1"),
    "op": ("#f5eef8", "#7d3c98"),
    "scope": ("#fcf3cf", "#9a7d0a"),
}
CONTROL = "#b3b6b7"   # control dependencies: faint, dashed
_ids = itertools.count()


def graph_svg(graph_or_tensor=None, expanded=()) -> str:
    """An SVG picture of a graph (the default graph for None), a tensor, or a list of tensors.

    ``expanded`` lists the name scopes to draw open.

    >>> svg = graph_svg(tf.constant(1.0) + 2)    # '<svg ...>': display it, or save it to a file
    """
    view = GraphView.of(graph_or_tensor, expanded)
    return draw_graph(view, layout(view))


def draw_graph(view: GraphView, lay: Layout, pruned=frozenset()) -> str:
    """The SVG of a laid-out view; boxes whose ids are in ``pruned`` (and their arrows) are greyed."""
    arrow = f"minitf-arrow-{next(_ids)}"
    legend, legend_width = _legend()
    width = max(lay.width, legend_width)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="minitf-graph-svg" width="{width:.0f}" '
             f'height="{lay.height:.0f}" viewBox="0 0 {width:.0f} {lay.height:.0f}" '
             f'font-family="monospace" font-size="12">',
             f'<defs>{_marker(arrow, "#555")}{_marker(arrow + "-control", CONTROL)}</defs>',
             '<rect width="100%" height="100%" fill="white"/>', legend]
    for b in lay.asides:
        parts.append(f'<g class="aside"><rect x="{b.x - 8:.1f}" y="{b.y:.1f}" width="{b.w + 16:.1f}" '
                     f'height="{b.h + 8:.1f}" rx="6" fill="#f8f9f9" stroke="#d5d8dc"/>'
                     f'<text x="{b.x:.1f}" y="{b.y + 14:.1f}" font-size="11" fill="#626567">auxiliary nodes'
                     f'</text></g>')
    for scope, b in lay.frames.items():
        parts.append(f'<g class="frame" data-scope={quoteattr(scope)}><title>name scope {escape(scope)} '
                     f'(click to collapse)</title>'
                     f'<rect x="{b.x:.1f}" y="{b.y:.1f}" width="{b.w:.1f}" height="{b.h:.1f}" rx="8" '
                     f'fill="#fdfefe" stroke="#9a7d0a" stroke-dasharray="5 3"/></g>')
    for edge in view.edges:
        route = lay.routes.get((edge.source, edge.target))
        if route:
            parts.append(_edge(edge, route, arrow, edge.source in pruned or edge.target in pruned))
    for scope, b in lay.frames.items():        # the frames' names, over the arrows that enter them
        parts.append(f'<text class="frame-title" data-scope={quoteattr(scope)} x="{b.x + 8:.1f}" y="{b.y + 13:.1f}" '
                     f'fill="#7d6608" stroke="#fdfefe" stroke-width="4" paint-order="stroke">'
                     f'\u25be {escape(label_in(scope, view.parent_frame(scope)))}</text>')
    for label in lay.labels:
        b, (x, y) = label.box, label.box.center
        parts.append(f'<g class="edge-label"><rect x="{b.x:.1f}" y="{b.y:.1f}" width="{b.w:.1f}" height="{b.h:.1f}" '
                     f'fill="white"/><text x="{x:.1f}" y="{y + 3.5:.1f}" text-anchor="middle" font-size="10" '
                     f'fill="#444">{escape(label.text)}</text></g>')
    for node in view.nodes:
        parts.append(_node(node, lay.nodes[node.id], node.id in pruned))
    parts.append("</svg>")
    return "".join(parts)


def _marker(name: str, colour: str) -> str:
    return (f'<marker id="{name}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
            f'orient="auto"><path d="M0,0L10,5L0,10z" fill="{colour}"/></marker>')


def _legend() -> tuple[str, float]:
    """The colour key above the graph, and its width."""
    items, x = [], MARGIN
    for kind in ("placeholder", "variable", "constant", "op", "scope"):
        fill, border = COLOURS[kind]
        label = "name scope" if kind == "scope" else kind
        items.append(f'<rect x="{x}" y="8" width="14" height="14" rx="3" fill="{fill}" stroke="{border}"/>'
                     f'<text x="{x + 19}" y="19" fill="#333">{label}</text>')
        x += 19 + 7 * len(label) + 18
    return f'<g class="legend">{"".join(items)}</g>', x


def _node(node, b, pruned: bool) -> str:
    fill, border = COLOURS[node.kind]
    what = f"{len(node.ops)} ops, click to expand" if node.group else node.ops[0].type
    dim = ' opacity="0.3"' if pruned else ""
    stack = (f'<rect x="{b.x + 4:.1f}" y="{b.y - 4:.1f}" width="{b.w:.1f}" height="{b.h:.1f}" rx="6" '
             f'fill="{fill}" stroke="{border}"/>') if node.group else ""
    group = ' data-group="true"' if node.group else ""
    return (f'<g class="node {"pruned" if pruned else ""}" data-node={quoteattr(node.id)} '
            f'data-kind="{node.kind}"{group}{dim}><title>{escape(node.id)} ({escape(what)})</title>{stack}'
            f'<rect x="{b.x:.1f}" y="{b.y:.1f}" width="{b.w:.1f}" height="{b.h:.1f}" rx="6" '
            f'fill="{fill}" stroke="{border}" stroke-width="1.5"/>'
            f'<text x="{b.x + b.w / 2:.1f}" y="{b.y + b.h / 2 + 4:.1f}" text-anchor="middle" fill="#1b2631">'
            f'{escape(node.label)}</text></g>')


def _smooth(points: list) -> str:
    """An SVG path through ``points`` with its corners rounded: straight to the first midpoint,
    then a quadratic curve around every bend, straight into the last point."""
    def mid(a, b):
        return (a[0] + b[0]) / 2, (a[1] + b[1]) / 2

    d = [f"M{points[0][0]:.1f},{points[0][1]:.1f}"]
    for i in range(1, len(points) - 1):
        (bx, by), (ex, ey) = points[i], mid(points[i], points[i + 1])
        d.append(f"Q{bx:.1f},{by:.1f} {ex:.1f},{ey:.1f}")
    d.append(f"L{points[-1][0]:.1f},{points[-1][1]:.1f}")
    return "".join(d)


def _edge(edge, points: list, arrow: str, pruned: bool) -> str:
    look = f' stroke="{CONTROL}" stroke-dasharray="4 3"' if edge.control else ' stroke="#555"'
    head = f"{arrow}-control" if edge.control else arrow
    dim = ' opacity="0.3"' if pruned else ""
    what = ", ".join(t.name for t in edge.tensors) + f": {edge.label}" if edge.tensors else "control dependency"
    return (f'<g class="edge {"control" if edge.control else ""} {"pruned" if pruned else ""}" '
            f'data-source={quoteattr(edge.source)} data-target={quoteattr(edge.target)}{dim}>'
            f'<title>{escape(what)}</title>'
            f'<path d="{_smooth(points)}" fill="none"{look} stroke-width="1.2" marker-end="url(#{head})"/></g>')


# ---- training plot ----------------------------------------------------------------------------
PLOT_W, PLOT_H, PLOT_PAD = 320, 190, 44
MAX_POINTS = 400   # a polyline of more points looks the same: longer runs are thinned


def plot_svg(steps: dict, values: dict, title: str | None = None) -> str:
    """One small line chart per metric (``loss``, ``accuracy``…), side by side, of value per step."""
    names = list(values)
    top = 26 if title else 6
    width, height = PLOT_W * max(1, len(names)), PLOT_H + top
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="minitf-plot-svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">',
             '<rect width="100%" height="100%" fill="white"/>']
    if title:
        parts.append(f'<text x="{width / 2}" y="17" text-anchor="middle" font-size="13">{escape(title)}</text>')
    for i, name in enumerate(names):
        parts.append(_chart(name, steps[name], values[name], i * PLOT_W, top, _colour(i)))
    parts.append("</svg>")
    return "".join(parts)


def _colour(i: int) -> str:
    return ("#2471a3", "#c0392b", "#229954", "#b9770e", "#7d3c98")[i % 5]


def _chart(name: str, xs: list, ys: list, left: float, top: float, colour: str) -> str:
    x0, y0 = left + PLOT_PAD, top + 22
    w, h = PLOT_W - PLOT_PAD - 14, PLOT_H - 22 - 30
    out = [f'<g class="chart" data-metric={quoteattr(name)}>',
           f'<rect x="{x0}" y="{y0}" width="{w}" height="{h}" fill="#fbfcfc" stroke="#bbb"/>']
    caption = f"{name}: {ys[-1]:.4g} (step {xs[-1]})" if ys else f"{name}: no values yet"
    out.append(f'<text x="{x0}" y="{top + 14}" fill="{colour}" font-weight="bold">{escape(caption)}</text>')
    if ys:
        lo, hi = min(ys), max(ys)
        first, last = xs[0], xs[-1]
        stride = max(1, math.ceil(len(ys) / MAX_POINTS))
        picked = list(range(0, len(ys), stride))
        if picked[-1] != len(ys) - 1:
            picked.append(len(ys) - 1)

        def px(i: int) -> str:
            fx = (xs[i] - first) / (last - first) if last != first else 0.5
            fy = (ys[i] - lo) / (hi - lo) if hi != lo else 0.5
            return f"{x0 + fx * w:.1f},{y0 + (1 - fy) * h:.1f}"

        out.append(f'<polyline points="{" ".join(px(i) for i in picked)}" fill="none" stroke="{colour}" '
                   f'stroke-width="1.6"/>')
        out += [f'<text x="{x0 - 4}" y="{y0 + 4}" text-anchor="end" fill="#555">{hi:.3g}</text>',
                f'<text x="{x0 - 4}" y="{y0 + h}" text-anchor="end" fill="#555">{lo:.3g}</text>',
                f'<text x="{x0}" y="{y0 + h + 14}" fill="#555">{first}</text>',
                f'<text x="{x0 + w}" y="{y0 + h + 14}" text-anchor="end" fill="#555">{last}</text>',
                f'<text x="{x0 + w / 2}" y="{y0 + h + 26}" text-anchor="middle" fill="#555">step</text>']
    out.append("</g>")
    return "".join(out)
