"""See a graph and a run inside the notebook (notebooks 02-07), without TensorBoard.

>>> from minitf.widgets import GraphWidget, RunStepper, TrainingPlot, graph_svg, show_graph
>>> show_graph(c)                       # what a run of c needs: click, expand, inspect
>>> RunStepper(sess, c, {a: 3.0})       # one sess.run, op by op, with each value
>>> plot = TrainingPlot(("loss",))      # then plot.update(step, loss=l) in the training loop

``graph_svg`` gives the same picture as SVG text, for places without JavaScript.  The widgets
need the kernel extras (``pip install minitf-course[kernel]``: anywidget and grandalf); ``import minitf``
never loads them, only ``import minitf.widgets`` does.

The parts: ``graph_view`` (which boxes and arrows), ``layout`` (where they go), ``svg`` (the
picture), ``run_trace`` (what one run does), ``jupyter`` (the widgets) and their JavaScript.
"""
from __future__ import annotations

from .jupyter import GraphWidget, RunStepper, TrainingPlot
from .svg import graph_svg


def show_graph(x=None, session=None, live: bool = False) -> GraphWidget:
    """A GraphWidget of ``x``: end a cell with it.

    ``x`` is a graph (the default graph for None: all of it) or a tensor, op, variable or a list
    of them (what a ``sess.run`` of them runs).  The picture shows the graph as it is now;
    ``live=True`` follows it as later cells add ops.
    """
    return GraphWidget(x, session, live)


__all__ = ["GraphWidget", "RunStepper", "TrainingPlot", "graph_svg", "show_graph"]
