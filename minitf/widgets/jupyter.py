"""The notebook widgets: GraphWidget, RunStepper and TrainingPlot (anywidget; ipywidgets 7 and 8).

Python makes the picture (an SVG, see ``svg.py``) and every answer (a node's details, the values
of a run); the JavaScript beside this file (``widgets.js``, shipped in the package, nothing
fetched at run time) inserts the SVG, zooms and pans it, sends clicks back and highlights the
steps of a run.

Displaying a widget gives two outputs: the picture as a static SVG, then the live widget.
The live widget hides the static copy while it runs; wherever it cannot run -- a saved notebook
opened again, ``nbconvert --to html``, GitHub -- the static copy is what shows.  The copy follows
the picture (a scope opened, a training plot's new points), so a saved notebook shows the last
state.  ``_ipython_display_`` does this, so it works under ipywidgets 7 (Colab) and 8 alike.

A graph widget draws the graph as it was when it was made: later cells do not change an
earlier picture.  ``live=True`` follows the graph instead, after every cell (or ``refresh()``).
"""
from __future__ import annotations

import base64
import time
import weakref
from pathlib import Path

import anywidget
import traitlets

from ..graph import Operation
from .graph_view import GraphView, ops_to_show, tensor_text
from .layout import layout
from .run_trace import current_value, trace_run, value_text
from .svg import draw_graph, plot_svg

_HERE = Path(__file__).parent
_live: weakref.WeakSet = weakref.WeakSet()
_hooked = False


def _refresh_all(*_) -> None:
    for widget in list(_live):
        widget.refresh()


def _keep_up_to_date(widget) -> None:
    """Refresh ``widget`` after every cell of the running IPython kernel (if there is one)."""
    global _hooked
    _live.add(widget)
    if not _hooked:
        try:
            from IPython import get_ipython
        except ImportError:
            return
        shell = get_ipython()
        if shell is not None:
            shell.events.register("post_run_cell", _refresh_all)
            _hooked = True


class _SvgWidget(anywidget.AnyWidget):
    """A widget showing an SVG made in Python, displayed together with a static copy of it."""

    _esm = _HERE / "widgets.js"
    _css = _HERE / "widgets.css"
    kind = traitlets.Unicode("graph").tag(sync=True)   # which view widgets.js draws: graph or plot
    svg = traitlets.Unicode("").tag(sync=True)
    static_id = traitlets.Unicode("").tag(sync=True)   # marks the static copies the live view hides

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.static_id = f"minitf-{self.model_id}"
        self._shown = False
        self.observe(lambda _: self._update_static(), "svg")

    def refresh(self) -> None:
        """Bring the picture up to date."""

    def static_bundle(self) -> dict:
        """The static copy: the SVG, and HTML showing it as an image, marked for the live view to hide.

        An image, not the SVG inline: JupyterLab sanitizes the HTML of a notebook it does not
        trust (one run elsewhere, downloaded), and keeps an image but strips inline SVG.
        """
        image = base64.b64encode(self.svg.encode()).decode()
        return {"text/html": f'<div class="minitf-static" data-minitf-static="{self.static_id}">'
                             f'<img src="data:image/svg+xml;base64,{image}" alt="{type(self).__name__}"/></div>',
                "image/svg+xml": self.svg,
                "text/plain": f"{type(self).__name__} (a picture)"}

    def _ipython_display_(self, **kwargs) -> None:
        from IPython.display import display

        self.refresh()
        display(self.static_bundle(), raw=True, display_id=self.static_id)
        view, metadata = self._repr_mimebundle_()       # anywidget's: on Colab, with its widget manager
        view["text/plain"] = ""          # where the view cannot show, the static copy above says it all
        display(view, raw=True, metadata=metadata)
        self._shown = True

    def _update_static(self) -> None:
        if self._shown:
            from IPython.display import update_display

            update_display(self.static_bundle(), raw=True, display_id=self.static_id)


class GraphWidget(_SvgWidget):
    """The graph (the default graph for None), or what a run of a tensor needs, drawn as a DAG.

    Boxes are coloured by kind (placeholder, variable, constant, op); arrows carry the tensor's
    shape and dtype.  Click a name scope to expand or collapse it, click an op to see its type,
    inputs, outputs and -- with a ``session`` -- its current value.  The picture is the graph as
    it was when the widget was made, unless ``live=True``.  For a tensor, "whole graph" shows
    the rest of the graph greyed.

    >>> GraphWidget()              # the last expression of a cell: shows the default graph
    """

    members = traitlets.Dict().tag(sync=True)       # op name -> id of the box showing it
    expanded = traitlets.List(traitlets.Unicode()).tag(sync=True)
    selected = traitlets.Unicode("").tag(sync=True)
    details = traitlets.Dict().tag(sync=True)
    partial = traitlets.Bool(False).tag(sync=True)  # drawing only what some tensors need
    whole = traitlets.Bool(False).tag(sync=True)    # ... and the rest of the graph, greyed
    steps = traitlets.List().tag(sync=True)         # RunStepper: one entry per executed op
    step = traitlets.Int(0).tag(sync=True)          # RunStepper: how many ops have run

    def __init__(self, graph_or_tensor=None, session=None, live: bool = False):
        super().__init__()
        self._source, self.live = graph_or_tensor, live
        self.graph, self.ops, self.roots = ops_to_show(graph_or_tensor)
        if session is not None and session.graph is not self.graph:
            raise ValueError("The session runs another graph than the one to draw: pass the session of "
                             "that graph (tf.Session(graph=...)), or no session.")
        self.session = session
        self._version = self.graph.version
        self._everything = self.graph.get_operations()
        self.partial = len(self.ops) < len(self._everything)
        self._redraw()
        self.observe(lambda _: self._redraw(), ["expanded", "whole"])
        self.observe(lambda change: self._describe(change["new"]), "selected")
        if live:
            _keep_up_to_date(self)

    def refresh(self) -> None:
        """With ``live=True``: draw again if ops were added to the graph since the last drawing."""
        if self.live and self.graph.version != self._version:
            self._version = self.graph.version
            self.graph, self.ops, self.roots = ops_to_show(self._source if self._source is not None else self.graph)
            self._everything = self.graph.get_operations()
            self.partial = len(self.ops) < len(self._everything)
            self._redraw()

    def _shown_ops(self) -> list:
        """The ops in the picture: what was asked for, or (``whole``) the graph it belongs to."""
        return self._everything if self.whole and self.partial else self.ops

    def _redraw(self) -> None:
        self.view = GraphView(self._shown_ops(), self.expanded, self.roots)
        self.members = self.view.owner
        self.svg = draw_graph(self.view, layout(self.view), self._pruned())
        if self.selected:
            self._describe(self.selected)

    def _pruned(self) -> set:
        """The ids of the boxes to grey out: with ``whole``, those the tensors asked for do not need."""
        needed = {op.name for op in self.ops}
        return {n.id for n in self.view.nodes if not any(op.name in needed for op in n.ops)}

    def _describe(self, box_id: str) -> None:
        """Fill ``details`` with what the clicked box is (an op, or a collapsed scope)."""
        node = next((n for n in self.view.nodes if n.id == box_id), None)
        if node is None:
            self.details = {}
        elif node.group:
            self.details = {"title": box_id, "rows": [["name scope", f"{len(node.ops)} ops"]],
                            "value": "\n".join(op.name for op in node.ops[:40])}
        else:
            self.details = self._op_details(node.ops[0])

    def _op_details(self, op: Operation) -> dict:
        rows = [["type", op.type],
                ["inputs", ", ".join(f"{t.name} {tensor_text(t)}" for t in op.inputs) or "none"],
                ["outputs", ", ".join(f"{t.name} {tensor_text(t)}" for t in op.outputs) or "none"]]
        if op.control_inputs:
            rows.append(["runs after", ", ".join(c.name for c in op.control_inputs)])
        return {"title": op.name, "rows": rows, "value": self._value_of(op)}

    def _value_of(self, op: Operation) -> str:
        if self.session is None or not op.outputs:
            return ""
        values = current_value(self.session, op)
        return values if isinstance(values, str) else "\n".join(map(value_text, values))


class RunStepper(GraphWidget):
    """One ``sess.run(fetches, feed_dict)``, step by step (notebook 03).

    The picture shows the ops of the run and, greyed, their neighbours the run left out
    (pruning); the slider then plays the run one op at a time, in the session's order, with the
    value each produced.  The run happens once, when the stepper is made (a training op trains
    once); ``result`` is what ``sess.run`` returned.

    >>> RunStepper(sess, c)        # c = a + b: steps a, b, add
    """

    def __init__(self, session, fetches, feed_dict=None):
        self.trace = trace_run(session, fetches, feed_dict)
        self.result = self.trace.result
        self._run = set(self.trace.ops) | {t.op for t in self.trace.feeds}
        super().__init__(session.graph, session)
        self.partial = False
        self.steps = [{"op": op.name, "type": op.type, "value": self._produced(op)} for op in self.trace.ops]

    def _shown_ops(self) -> list:
        """The ops of the run and the fed ones, and the ops right next to them."""
        near = set(self._run)
        for op in self._everything:
            if op in self._run:
                near.update(t.op for t in op.inputs)
                near.update(op.control_inputs)
            elif any(t.op in self._run for t in op.inputs) or any(c in self._run for c in op.control_inputs):
                near.add(op)
        return [op for op in self._everything if op in near]

    def _pruned(self) -> set:
        return {n.id for n in self.view.nodes if not any(op in self._run for op in n.ops)}

    def _produced(self, op: Operation) -> str:
        return "\n".join(value_text(v) for v in self.trace.values[op])

    def _value_of(self, op: Operation) -> str:
        fed = next((value for t, value in self.trace.feeds.items() if t.op is op), None)
        if fed is not None:
            return "fed: " + value_text(fed)
        if op not in self.trace.values:
            return "not run: the fetches do not need it"
        step, values = self.trace.ops.index(op) + 1, self._produced(op)
        return f"step {step}: {values}" if values else f"step {step} (no output)"


class TrainingPlot(_SvgWidget):
    """A live plot of training metrics: ``plot.update(step, loss=l, accuracy=a)`` in the loop.

    ``update`` only stores the values and redraws at most every ``interval`` seconds, so it is
    cheap to call at every step; the last points are drawn when the cell finishes (or on
    ``refresh()``), and the static copy then shows the final curves.  ``values`` holds every
    value given, per metric.

    >>> plot = TrainingPlot(("loss", "accuracy")); plot          # then, in the training loop:
    >>> plot.update(step, loss=loss_value)
    """

    def __init__(self, metrics=("loss",), title: str | None = None, interval: float = 0.25):
        super().__init__(kind="plot")
        self.title, self.interval = title, interval
        self.values: dict = {m: [] for m in metrics}
        self.steps: dict = {m: [] for m in metrics}
        self._drawn_at = -float("inf")
        self._stale = False
        self.svg = plot_svg(self.steps, self.values, title)
        _keep_up_to_date(self)

    def update(self, step: int, **values) -> None:
        """Add the values of one step (``loss=0.3``); a new metric name gets its own chart."""
        for name, value in values.items():
            self.values.setdefault(name, []).append(float(value))
            self.steps.setdefault(name, []).append(int(step))
        self._stale = True
        if time.monotonic() - self._drawn_at >= self.interval:
            self.refresh()

    def refresh(self) -> None:
        """Draw the points not drawn yet."""
        if self._stale:
            self._stale = False
            self._drawn_at = time.monotonic()
            self.svg = plot_svg(self.steps, self.values, self.title)
