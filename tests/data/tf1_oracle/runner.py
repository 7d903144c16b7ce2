"""Small TF1 graphs run the same way by minitf and by real TensorFlow: the tests' oracle.

A case is a function of ``tf`` (``minitf``, or real TensorFlow's ``compat.v1``) that builds a
graph in a fresh default graph and returns what to run: the tensors it built, a :class:`Run`
(fetches, a feed, and ops to run first such as an initializer), or a function of the open
Session.  :func:`outcome` runs one case and says what happened: where it failed (``build`` or
``run``) with which exception class and message, or the values, dtypes and static shapes of
what it computed.

``record_tf.py`` runs a module of cases under real TensorFlow into ``<module>.tf1_15.json``;
the tests run them under minitf and compare.  Keep these files Python 3.7 code: TensorFlow
1.15 only runs there.
"""
import collections

import numpy as np

Run = collections.namedtuple("Run", "fetch feed before")
Run.__new__.__defaults__ = (None, ())


def registry():
    """An ordered dict of cases and the decorator that adds a function to it under its name."""
    cases = collections.OrderedDict()

    def case(fn):
        cases[fn.__name__] = fn
        return fn
    return cases, case


def outcome(tf, fn) -> dict:
    """Build and run one case in a fresh graph (see the module docstring)."""
    graph = tf.Graph()
    with graph.as_default():
        try:
            todo = fn(tf)
        except Exception as e:  # noqa: BLE001  (the point is to see what is raised)
            return _failure("build", e)
        fetch = todo.fetch if isinstance(todo, Run) else todo
        with tf.Session(graph=graph) as sess:
            try:
                if isinstance(todo, Run):
                    for op in todo.before:
                        sess.run(op)
                    values = sess.run(todo.fetch, feed_dict=todo.feed)
                elif callable(todo):
                    values = todo(sess)
                else:
                    values = None if todo is None else sess.run(todo)
            except Exception as e:  # noqa: BLE001
                return _failure("run", e)
    return {"phase": "none", "results": _described(fetch, values)}


def _failure(phase, error) -> dict:
    op = getattr(error, "op", None)
    return {"phase": phase, "error": type(error).__name__, "message": str(error), "op": getattr(op, "name", None)}


def _described(fetch, values):
    """Each fetched tensor's static shape and dtype, with the value it had."""
    if isinstance(fetch, (list, tuple)):
        return [_described(f, v) for f, v in zip(fetch, values)]
    array = np.asarray(values)
    value = array.tolist()
    if array.dtype.kind == "c":          # JSON has no complex numbers
        value = {"real": array.real.tolist(), "imag": array.imag.tolist()}
    out = {"value": None if values is None else value, "numpy_dtype": None if values is None else array.dtype.name}
    if hasattr(fetch, "dtype") and hasattr(fetch, "shape"):
        out.update(dtype=fetch.dtype.name, shape=str(fetch.shape))
    return out


def placeholder_run(tf, build, value, dtype="float32", shape=None):
    """Build ``build(p)`` on a placeholder named ``p`` and run it feeding ``value``."""
    p = tf.placeholder(dtype, shape, name="p")
    return Run(build(p), {p: value})
