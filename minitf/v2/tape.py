"""``tf.GradientTape``: gradients of eager computations, with the ops' registered gradients.

``tf.gradients`` (TF1, notebook 05) walks a graph backwards.  Eagerly there is no graph, so
a tape *records* the ops as they run -- only those that depend on a watched tensor or a
trainable variable -- and ``tape.gradient`` walks that record backwards, calling the very
gradient functions ``tf.gradients`` calls (``MatMul``'s, ``Relu``'s...).  They are built from
ordinary minitf ops, so during ``gradient`` they run eagerly too:

>>> w = tf.Variable(3.0)
>>> with tf.GradientTape() as tape:
...     y = w * w
>>> tape.gradient(y, w)
<tf.Tensor: shape=(), dtype=float32, numpy=6.0>

Tensors are matched by identity (``id``): the recorded ops keep their inputs and outputs
alive, so no identity is reused while the tape holds them.

Inside a ``tf.function`` nothing runs eagerly, so there is nothing to record: the graph
being traced holds the whole computation, and ``tape.gradient`` is ``tf.gradients`` on it.
"""
from __future__ import annotations

import contextlib

from .. import nest
from ..gradients import gradients
from ..graph import Tensor
from ..ops.array_ops import ones_like, zeros_like
from ..ops.base import convert_to_tensor, gradient_function
from ..ops.math_ops import add_n
from .eager import EagerTensor, context
from .variables import Variable


def _differentiable(tensor) -> bool:
    return tensor.dtype.is_floating or tensor.dtype.is_complex


class GradientTape:
    """Record eager ops inside ``with tf.GradientTape() as tape:``, then ``tape.gradient(target, sources)``.

    ``persistent=True`` allows several ``gradient`` calls; ``watch_accessed_variables=False``
    records only what ``tape.watch`` names.  Constants are not watched unless you watch them.
    """

    def __init__(self, persistent: bool = False, watch_accessed_variables: bool = True):
        self._persistent = persistent
        self._watch_accessed = watch_accessed_variables
        self.reset()

    def reset(self) -> None:
        """Forget everything recorded so far."""
        self._ops: list = []
        self._watched: set = set()          # ids of the tensors whose consumers are recorded
        self._kept: list = []               # the watched tensors themselves (their ids stay unique)
        self._variables: dict = {}          # id(variable) -> (variable, [tensors read from it])
        self._used = False

    # ---- recording ----------------------------------------------------------------------------
    def __enter__(self):
        context().tapes.append(self)
        return self

    def __exit__(self, *exc):
        tapes = context().tapes
        if self in tapes:
            tapes.remove(self)
        return False

    @contextlib.contextmanager
    def stop_recording(self):
        """Ops inside the block are not recorded (e.g. logging a value mid-step)."""
        tapes = context().tapes
        if self not in tapes:
            raise ValueError("Tape must be recording to stop recording.")
        tapes.remove(self)
        try:
            yield
        finally:
            tapes.append(self)

    def watch(self, tensor) -> None:
        """Record the ops that use ``tensor`` (a tensor, a variable, or a nest of them)."""
        for item in nest.flatten(tensor):
            if isinstance(item, Variable):
                self._variables.setdefault(id(item), (item, []))
            elif not isinstance(item, Tensor):
                raise ValueError(f"Passed in object {item!r} of type {type(item).__name__!r}, not tf.Tensor "
                                 "or tf.Variable")
            elif isinstance(item, EagerTensor) and _differentiable(item):
                self._watched.add(id(item))
                self._kept.append(item)

    def watched_variables(self) -> tuple:
        return tuple(variable for variable, _ in self._variables.values())

    def variable_read(self, variable: Variable, tensor) -> None:
        """Called when ``variable`` is read eagerly: a trainable one is watched automatically."""
        entry = self._variables.get(id(variable))
        if entry is None:
            if not (self._watch_accessed and variable.trainable):
                return
            entry = self._variables[id(variable)] = (variable, [])
        if _differentiable(tensor):
            entry[1].append(tensor)
            self._watched.add(id(tensor))

    def record(self, op) -> None:
        """Called by the eager context after each op: keep it if an input is watched."""
        watched = self._watched
        if any(id(t) in watched for t in op.inputs):
            self._ops.append(op)
            watched.update(id(t) for t in op.outputs if _differentiable(t))

    # ---- differentiating -----------------------------------------------------------------------
    def gradient(self, target, sources, output_gradients=None, unconnected_gradients="none"):
        """d(sum of ``target``)/d``source`` for each of ``sources`` (same structure; None if unconnected)."""
        if self._used and not self._persistent:
            raise RuntimeError("A non-persistent GradientTape can only be used to compute one set of gradients "
                               "(or jacobians)")
        if unconnected_gradients not in ("none", "zero"):
            raise ValueError(f"Unknown value for unconnected_gradients: {unconnected_gradients!r}")
        targets = nest.flatten(target)
        seeds = [None] * len(targets) if output_gradients is None else nest.flatten(output_gradients)
        if not any(isinstance(t, EagerTensor) for t in targets):   # inside a tf.function: the graph is there
            self._used = True
            return nest.pack_sequence_as(sources, gradients(targets, nest.flatten(sources), seeds,
                                                            unconnected_gradients=unconnected_gradients))
        with self._paused():
            grads = self._backprop(targets, seeds)
            results = [self._gradient_of(source, grads) for source in nest.flatten(sources)]
            if unconnected_gradients == "zero":
                results = [zeros_like(s) if g is None else g for g, s in zip(results, nest.flatten(sources))]
        self._used = True
        if not self._persistent:   # let go of the recorded tensors; remember only which variables were watched
            self._ops, self._watched, self._kept = [], set(), []
            self._variables = {key: (variable, []) for key, (variable, _) in self._variables.items()}
        return nest.pack_sequence_as(sources, results)

    def _backprop(self, targets, seeds) -> dict:
        """The gradients reaching each recorded tensor, by id, walking the record backwards."""
        grads: dict = {}
        for t, seed in zip(targets, seeds):
            if not isinstance(t, EagerTensor):
                raise TypeError(f"The target of GradientTape.gradient must be a tensor, not {t!r}")
            grads.setdefault(id(t), []).append(ones_like(t) if seed is None else convert_to_tensor(seed, t.dtype))
        for op in reversed(self._ops):
            out_grads = [_total(grads, t) for t in op.outputs]
            if all(g is None for g in out_grads):
                continue
            try:
                fn = gradient_function(op.type)
            except LookupError:
                raise LookupError(f"No gradient defined for operation '{op.type}' (op type: {op.type}). "
                                  "In general every operation must have an associated `@tf.RegisterGradient` "
                                  "for correct autodiff.") from None
            if fn is None:        # NotDifferentiable
                continue
            out_grads = [g if g is not None else zeros_like(t) for g, t in zip(out_grads, op.outputs)]
            for t, g in zip(op.inputs, fn(op, *out_grads)):
                if g is not None and _differentiable(t):
                    grads.setdefault(id(t), []).append(g)
        return grads

    def _gradient_of(self, source, grads):
        if isinstance(source, Variable):
            _, reads = self._variables.get(id(source), (None, []))
            found = [g for t in reads if (g := _total(grads, t)) is not None]
            return _sum(found)
        if not isinstance(source, EagerTensor):
            raise ValueError(f"Passed in object {source!r} of type {type(source).__name__!r}, not tf.Tensor "
                             "or tf.Variable")
        return _total(grads, source)

    @contextlib.contextmanager
    def _paused(self):
        """Compute gradients without recording them on this tape (an outer tape still records them)."""
        tapes = context().tapes
        recording = self in tapes
        if recording:
            tapes.remove(self)
        try:
            yield
        finally:
            if recording:
                tapes.append(self)


def _total(grads: dict, tensor):
    """The sum of the gradients reaching ``tensor`` (summed once, then kept summed)."""
    items = grads.get(id(tensor))
    if not items:
        return None
    if len(items) > 1:
        items[:] = [add_n(items)]
    return items[0]


def _sum(items):
    if not items:
        return None
    return items[0] if len(items) == 1 else add_n(items)
