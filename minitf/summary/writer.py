"""tf.summary.FileWriter: summaries and graphs into an events file for TensorBoard (notebook 07).

::

    writer = tf.summary.FileWriter('./logs', sess.graph)   # the graph is written at once
    for step in range(100):
        summary = sess.run(merged, feed_dict)
        writer.add_summary(summary, global_step=step)
    writer.close()

and then ``tensorboard --logdir ./logs`` (or ``%tensorboard --logdir ./logs`` in a notebook).
The file format is in :mod:`minitf.summary.event_file`.
"""
from __future__ import annotations

import os
from typing import Any

import numpy as np

from ..graph import Graph
from .. import protos
from .event_file import EventFileWriter


class FileWriter:
    """``tf.summary.FileWriter(logdir, graph=None)``: appends events to
    ``<logdir>/events.out.tfevents.<time>.<host>``.

    With a ``graph`` (e.g. ``sess.graph``) the graph and its meta graph are written at once,
    as TF1 does, so TensorBoard's Graphs tab shows it; otherwise the file appears with the
    first event.
    """

    def __init__(self, logdir: str | os.PathLike, graph: Graph | Any = None, max_queue: int = 10,
                 flush_secs: float = 120, graph_def: Any = None,
                 filename_suffix: str | None = None) -> None:
        self.event_writer = EventFileWriter(logdir, max_queue, flush_secs, filename_suffix or "")
        if graph is not None or graph_def is not None:
            definition = _as_graph_def(graph, graph_def)
            self.event_writer.add_graph_def(definition.SerializeToString())
            meta_graph_pb2 = protos.proto_module("meta_graph_pb2")
            self.add_meta_graph(meta_graph_pb2.MetaGraphDef(graph_def=definition))

    def get_logdir(self) -> str | os.PathLike:
        """The log directory, as given."""
        return self.event_writer.get_logdir()

    def add_summary(self, summary: Any, global_step: int | np.integer | None = None) -> None:
        """Write a summary: the ``bytes`` ``sess.run(merged)`` returns, or a ``Summary`` proto."""
        self.event_writer.add_summary(summary, global_step)

    def add_graph(self, graph: Graph | Any, global_step: int | None = None,
                  graph_def: Any = None) -> None:
        """Write ``graph`` (a ``tf.Graph``, or a ``GraphDef`` proto) with its static shapes."""
        definition = _as_graph_def(graph, graph_def)
        self.event_writer.add_graph_def(definition.SerializeToString(), global_step)

    def add_meta_graph(self, meta_graph_def: Any, global_step: int | None = None) -> None:
        """Write a ``MetaGraphDef`` proto (a graph with its collections and saver)."""
        if not isinstance(meta_graph_def, protos.proto_module("meta_graph_pb2").MetaGraphDef):
            raise TypeError(f"meta_graph_def must be type MetaGraphDef, saw type: "
                            f"{type(meta_graph_def)}")
        self._add_event({"meta_graph_def": meta_graph_def.SerializeToString()}, global_step)

    def add_session_log(self, session_log: Any, global_step: int | None = None) -> None:
        """Write a ``SessionLog`` proto (e.g. ``SessionLog(status=SessionLog.START)``)."""
        self._add_event({"session_log": session_log}, global_step)

    def add_event(self, event: Any) -> None:
        """Write an ``Event`` proto as it is."""
        self.event_writer.add_event(event)

    def flush(self) -> None:
        """Push everything written so far to the disk, where TensorBoard reads it."""
        self.event_writer.flush()

    def close(self) -> None:
        """Flush and close the file; later events are ignored with a warning until ``reopen()``."""
        self.event_writer.close()

    def reopen(self) -> None:
        """Accept events again after ``close()``, in a new events file."""
        self.event_writer.reopen()

    def __enter__(self) -> FileWriter:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def _add_event(self, fields: dict[str, Any], global_step: int | None) -> None:
        if global_step is not None:
            fields["step"] = int(global_step)
        self.event_writer.add_event(fields)


def _as_graph_def(graph: Graph | Any, graph_def: Any) -> Any:
    """The ``GraphDef`` to write for a ``Graph`` (with each node's output shapes, as TF1 writes
    it) or a ``GraphDef``, given as either argument."""
    if graph is not None and graph_def is not None:
        raise ValueError("Please pass only graph, or graph_def (deprecated), but not both.")
    graph = graph if graph is not None else graph_def
    if isinstance(graph, Graph):
        return graph.as_graph_def(add_shapes=True)
    if isinstance(graph, protos.proto_module("graph_pb2").GraphDef):
        return graph
    raise TypeError("The passed graph must be an instance of `Graph` or the deprecated `GraphDef`")
