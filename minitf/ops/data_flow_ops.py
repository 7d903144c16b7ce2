"""Queues: ``tf.FIFOQueue`` and ``tf.RandomShuffleQueue``, the heart of TF1's input pipelines.

    q = tf.FIFOQueue(capacity=3, dtypes=[tf.float32])
    sess.run(q.enqueue_many([[1., 2., 3.]]))
    sess.run(q.dequeue())          # 1.0

A queue lives in the Session (``session.resources``, keyed by its ``FIFOQueueV2`` op): its
elements are tuples of numpy arrays, one per component.  TensorFlow fills a queue from
*queue runners*, threads that run an enqueue op again and again (``tf.train.start_queue_runners``).
minitf runs no threads: a dequeue that finds too few elements *pulls* them instead, by running
the started runners' enqueue ops in the same session until the queue holds enough (up to its
capacity, as a runner thread would) or is closed.  What the program sees is what TF shows:
the same elements in the same order (shuffled ones excepted), and ``OutOfRangeError`` once a
closed queue has too few.  Where TensorFlow would wait forever -- a dequeue from an empty queue
that nothing fills, an enqueue into a full one -- minitf raises ``DeadlineExceededError`` instead.
"""
from __future__ import annotations

import itertools

import numpy as np

from .. import dtypes as _dtypes
from .. import errors
from ..backend import from_numpy, to_numpy
from ..graph import Operation, get_default_graph, name_scope
from ..tensor_shape import TensorShape
from .base import Op, constant_value, convert_to_tensor, create_op
from .random_ops import get_seed

_RESOURCE_IDS = itertools.count()   # TF numbers queues and readers per process: FIFOQueue '_2_batch/fifo_queue'


class ResourceOp(Op):
    """An op that stands for state kept by each Session (a queue, a reader): it has no outputs, the
    ops that use the state hold it and wait for it (a control input).  ``make_state(name)`` builds
    the state the first time a session needs it; ``name`` is TF's resource name, ``_<n>_<op name>``."""

    num_outputs = 0
    gradient = None
    stateful = True

    def infer(self, *inputs):
        return []

    def make_state(self, name: str):
        raise NotImplementedError

    def state_in(self, op: Operation, session):
        """This op's state in ``session``, made on first use."""
        state = session.resources.get(op)
        if state is None:
            state = session.resources[op] = self.make_state(f"_{next(_RESOURCE_IDS)}_{op.name}")
        return state

    def kernel(self, op, session):
        def create():
            self.state_in(op, session)
            return ()

        return create


def would_block(message: str) -> errors.DeadlineExceededError:
    """The error for an op TensorFlow would block on forever (nothing will ever change the queue)."""
    return errors.DeadlineExceededError(None, None, message)


class QueueState:
    """One queue's elements in one session, and the runner threads that fill it (``feeders``:
    objects with ``finished`` and ``step()``, which runs their enqueue op once)."""

    def __init__(self, kind: str, name: str, capacity: int, min_after_dequeue: int = 0, rng=None):
        self.kind, self.name, self.capacity, self.min_after_dequeue = kind, name, capacity, min_after_dequeue
        self.rng = rng
        self.elements: list = []
        self.closed = False
        self.closed_by_runner = False   # closed while a dequeue waited for it (TF: by a runner thread)
        self.end_reported = False       # a dequeue has already failed on the closed queue
        self.feeders: list = []
        self.filling = False     # a runner pulled by a dequeue is running: it may overfill, as its thread would wait

    def put(self, rows: list) -> None:
        """Add ``rows`` (tuples of arrays)."""
        if self.closed:
            raise errors.CancelledError(None, None, f"{self.kind} '{self.name}' is closed.")
        if not self.filling and len(self.elements) + len(rows) > self.capacity:
            raise would_block(
                f"{self.kind} '{self.name}' is full (capacity {self.capacity}, size {len(self.elements)}): "
                f"enqueuing {len(rows)} more would wait forever, since nothing dequeues while this run waits")
        self.elements.extend(rows)

    def fill(self, needed: int) -> None:
        """Run the live runners until ``needed`` elements (and a shuffling queue's ``min_after_dequeue``
        more) are here -- or, while they run, up to the capacity -- or the queue is closed."""
        wanted = needed + self.min_after_dequeue
        target = max(wanted, self.capacity)
        while not self.closed and len(self.elements) < target:
            feeders = [f for f in self.feeders if not f.finished]
            if not feeders:
                break
            self.filling = True
            try:
                for feeder in feeders:
                    feeder.step()
            finally:
                self.filling = False
        if not self.closed and len(self.elements) < wanted:
            raise would_block(
                f"{self.kind} '{self.name}' has {len(self.elements)} elements and a dequeue needs {wanted}: TensorFlow "
                "would wait forever for a queue runner to fill it. Call tf.train.start_queue_runners(sess) after "
                "creating the session (and its variables' initializers) and before the first run")

    def take(self, n: int, up_to: bool) -> list:
        """Remove and return ``n`` elements (fewer for ``up_to`` once closed), pulling them first."""
        self.fill(n)
        have = len(self.elements)
        if have < n and not (up_to and have):   # closed: fill() has raised otherwise
            # TF's waiting dequeue takes elements as they come, and when a runner closes the queue
            # under it puts them back, reporting what it still lacked
            under_it = self.closed_by_runner and not self.end_reported and not up_to
            requested, size = (n - have, 0) if under_it else (n, have)
            self.end_reported = True
            raise errors.OutOfRangeError(None, None, f"{self.kind} '{self.name}' is closed and has insufficient "
                                                     f"elements (requested {requested}, current size {size})")
        n = min(n, have)
        if self.rng is None:
            taken, self.elements = self.elements[:n], self.elements[n:]
        else:
            picks = self.rng.choice(have, size=n, replace=False).tolist()
            taken = [self.elements[i] for i in picks]
            chosen = set(picks)
            self.elements = [e for i, e in enumerate(self.elements) if i not in chosen]
        return taken


class FIFOQueueV2(ResourceOp):
    type = "FIFOQueueV2"

    def __init__(self, component_types, shapes, capacity: int, shared_name: str = "", container: str = ""):
        self.component_types, self.shapes, self.capacity = component_types, shapes, capacity
        self.shared_name, self.container = shared_name, container

    def make_state(self, name):
        return QueueState("FIFOQueue", name, self.capacity)


class RandomShuffleQueueV2(ResourceOp):
    type = "RandomShuffleQueueV2"

    def __init__(self, component_types, shapes, capacity: int, min_after_dequeue: int, seed: int, seed2: int,
                 shared_name: str = "", container: str = ""):
        self.component_types, self.shapes, self.capacity = component_types, shapes, capacity
        self.min_after_dequeue, self.seed, self.seed2 = min_after_dequeue, seed, seed2
        self.shared_name, self.container = shared_name, container

    def make_state(self, name):
        seed = None if self.seed == self.seed2 == 0 else [self.seed, self.seed2]
        return QueueState("RandomShuffleQueue", name, self.capacity, self.min_after_dequeue,
                          np.random.default_rng(seed))


class _QueueOp(Op):
    """An op on the queue of ``queue_op`` (the queue's state in the session that runs it)."""

    gradient = None
    stateful = True

    def __init__(self, queue_op: Operation, **attrs):
        super().__init__(**attrs)
        self.queue_op = queue_op

    def node_attrs(self, inputs) -> dict:
        return {k: v for k, v in vars(self).items() if k not in ("queue_op", "num_outputs") and not k.startswith("_")}

    def state(self, session) -> QueueState:
        return self.queue_op.kind.state_in(self.queue_op, session)


class QueueEnqueueV2(_QueueOp):
    """Adds one element (one array per component) to the queue."""

    type = "QueueEnqueueV2"
    num_outputs = 0
    many = False

    def infer(self, *components):
        return []

    def kernel(self, op, session):
        shapes = self.queue_op.kind.shapes

        def enqueue(*arrays):
            arrays = [np.asarray(to_numpy(a)) for a in arrays]
            rows = list(zip(*arrays)) if self.many else [tuple(arrays)]
            if self.many and len({len(a) for a in arrays}) > 1:
                raise errors.InvalidArgumentError(None, None, "Shape mismatch in tuple component 1. Expected "
                                                              f"[{len(arrays[0])},...], got [{len(arrays[1])},...]")
            for i, (value, shape) in enumerate(zip(rows[0] if rows else (), shapes)):
                if list(np.shape(value)) != shape.as_list():
                    raise errors.InvalidArgumentError(None, None, f"Shape mismatch in tuple component {i}. Expected "
                                                                  f"{shape.as_list()}, got {list(np.shape(value))}")
            self.state(session).put([tuple(np.asarray(v) for v in row) for row in rows])
            return ()

        return enqueue


class QueueEnqueueManyV2(QueueEnqueueV2):
    """Adds the rows of its inputs (split along dimension 0) as elements."""

    type = "QueueEnqueueManyV2"
    many = True


class QueueDequeueV2(_QueueOp):
    """Removes one element; its components are the outputs."""

    type = "QueueDequeueV2"
    up_to = False

    def __init__(self, queue_op: Operation, component_types, batch_dim=(), timeout_ms: int = -1):
        super().__init__(queue_op, component_types=component_types, timeout_ms=timeout_ms)
        self.num_outputs = len(component_types)
        self._batch_dim = list(batch_dim)

    def infer(self, *n):
        shapes = self.queue_op.kind.shapes or [TensorShape(None)] * self.num_outputs
        pairs = [(t, TensorShape(self._batch_dim).concatenate(s) if s.dims is not None else s)
                 for t, s in zip(self.component_types, shapes)]
        return pairs[0] if self.num_outputs == 1 else pairs

    def kernel(self, op, session):
        numpy_types = [t.as_numpy_dtype for t in self.component_types]
        queue = self.queue_op.kind

        def dequeue(n=None):
            if n is not None and not queue.shapes:
                raise errors.InvalidArgumentError(None, None, f"{queue.type[:-2]}'s DequeueMany and DequeueUpTo "
                                                              "require the components to have specified shapes.")
            rows = self.state(session).take(1 if n is None else int(n), up_to=self.up_to)
            values = [_array(rows[0][i] if n is None else np.stack([r[i] for r in rows]), numpy_types[i])
                      for i in range(self.num_outputs)]
            return tuple(values) if self.num_outputs > 1 else values[0]

        return dequeue


class QueueDequeueManyV2(QueueDequeueV2):
    """Removes ``n`` elements, stacked: each output has ``n`` rows."""

    type = "QueueDequeueManyV2"


class QueueDequeueUpToV2(QueueDequeueV2):
    """Like ``QueueDequeueManyV2``, but a closed queue gives what it has left (at least one)."""

    type = "QueueDequeueUpToV2"
    up_to = True


class QueueCloseV2(_QueueOp):
    """Closes the queue: no more enqueues; dequeues take what is left, then fail with OutOfRangeError."""

    type = "QueueCloseV2"
    num_outputs = 0

    def infer(self):
        return []

    def kernel(self, op, session):
        def close():
            state = self.state(session)
            state.closed_by_runner = state.closed_by_runner or (state.filling and not state.closed)
            state.closed = True
            return ()

        return close


class QueueSizeV2(_QueueOp):
    """The number of elements in the queue now (an int32 scalar)."""

    type = "QueueSizeV2"

    def infer(self):
        return _dtypes.int32, TensorShape([])

    def kernel(self, op, session):
        return lambda: from_numpy(np.int32(len(self.state(session).elements)))


def _array(values: np.ndarray, numpy_type):
    return values if numpy_type is object else from_numpy(np.asarray(values, dtype=numpy_type))


# ---- the Python classes --------------------------------------------------------------------------
class QueueBase:
    """What every queue offers: enqueue, enqueue_many, dequeue, dequeue_many, dequeue_up_to, close, size.

    ``dtypes``: one dtype per component of an element; ``shapes`` (optional): their static shapes,
    needed by ``dequeue_many``; ``names`` (optional): components as a dict."""

    def __init__(self, dtypes, shapes, names, queue_op: Operation):
        self._dtypes, self._names, self._queue_op = dtypes, names, queue_op
        self._shapes = shapes or [TensorShape(None)] * len(dtypes)
        self._name = queue_op.name.split("/")[-1]

    dtypes = property(lambda self: self._dtypes)
    shapes = property(lambda self: self._shapes)
    names = property(lambda self: self._names)
    name = property(lambda self: self._queue_op.name, doc="The name of the queue's op.")
    queue_op = property(lambda self: self._queue_op, doc="The queue's op (minitf has no resource handles).")

    def _create(self, kind: Op, inputs, name: str):
        with get_default_graph().control_dependencies([self._queue_op]):
            return create_op(kind, inputs, name)

    def _components(self, vals, many: bool) -> list:
        if self._names is not None:
            if not isinstance(vals, dict) or sorted(vals) != sorted(self._names):
                raise ValueError(f"Queue must have names {self._names}; got {vals!r}")
            vals = [vals[n] for n in self._names]
        elif not isinstance(vals, (list, tuple)):
            vals = [vals]
        if len(vals) != len(self._dtypes):
            raise ValueError(f"Expected {len(self._dtypes)} values, got {len(vals)}")
        tensors = [convert_to_tensor(v, dtype=t, name=f"component_{i}")
                   for i, (v, t) in enumerate(zip(vals, self._dtypes))]
        for t, shape in zip(tensors, self._shapes):
            given = t.shape[1:] if many and t.shape.ndims else t.shape
            if many:
                t.shape.with_rank_at_least(1)
            given.assert_is_compatible_with(shape)
        return tensors

    def enqueue(self, vals, name=None) -> Operation:
        """The op that adds one element (``vals``: one value per component)."""
        with name_scope(name, f"{self._name}_enqueue") as scope:
            return self._create(QueueEnqueueV2(self._queue_op, timeout_ms=-1), self._components(vals, False), scope)

    def enqueue_many(self, vals, name=None) -> Operation:
        """The op that adds the rows of ``vals`` (split along dimension 0) as elements."""
        with name_scope(name, f"{self._name}_EnqueueMany") as scope:
            return self._create(QueueEnqueueManyV2(self._queue_op, timeout_ms=-1), self._components(vals, True),
                                scope)

    def _dequeue(self, kind, n, name: str):
        if n is None:
            op = self._create(kind(self._queue_op, self._dtypes), [], name)
        else:
            with name_scope(name) as scope:
                n_tensor = convert_to_tensor(n, dtype=_dtypes.int32, name="n")
                static = constant_value(n_tensor)
                batch = [int(static) if static is not None and not kind.up_to else None]
                op = self._create(kind(self._queue_op, self._dtypes, batch), [n_tensor], scope)
        tensors = op.outputs
        if self._names is not None:
            return dict(zip(self._names, tensors))
        return tensors[0] if len(tensors) == 1 else tensors

    def dequeue(self, name=None):
        """One element: a tensor (one component), a list, or a dict (a queue with names)."""
        return self._dequeue(QueueDequeueV2, None, name or f"{self._name}_Dequeue")

    def dequeue_many(self, n, name=None):
        """``n`` elements, stacked along a new first dimension."""
        return self._dequeue(QueueDequeueManyV2, n, name or f"{self._name}_DequeueMany")

    def dequeue_up_to(self, n, name=None):
        """Like ``dequeue_many``, but a closed queue gives what is left (the first dimension is ``?``)."""
        return self._dequeue(QueueDequeueUpToV2, n, name or f"{self._name}_DequeueUpTo")

    def close(self, cancel_pending_enqueues: bool = False, name=None) -> Operation:
        """The op that closes the queue."""
        return self._create(QueueCloseV2(self._queue_op, cancel_pending_enqueues=cancel_pending_enqueues), [],
                            name or f"{self._name}_Close")

    def size(self, name=None):
        """The number of elements in the queue, when it runs."""
        return self._create(QueueSizeV2(self._queue_op), [], name or f"{self._name}_Size").outputs[0]


def _queue_types(dtypes, shapes, names):
    """dtypes, shapes (fully defined, or [] when not given: TF's ``shapes`` attr) and names of a new queue."""
    dtypes = [_dtypes.as_dtype(t) for t in (dtypes if isinstance(dtypes, (list, tuple)) else [dtypes])]
    shapes = [TensorShape(s) for s in shapes or []]
    if any(not s.is_fully_defined() for s in shapes):
        raise ValueError(f"All shapes must be fully defined: {shapes}")
    if shapes and len(shapes) != len(dtypes):
        raise ValueError("Queue shapes must have the same length as dtypes")
    if names is not None:
        names = list(names) if isinstance(names, (list, tuple)) else [names]
        if len(names) != len(dtypes):
            raise ValueError("Queue names must have the same length as dtypes")
    return dtypes, shapes, names


class FIFOQueue(QueueBase):
    """``tf.FIFOQueue``: elements come out in the order they went in."""

    def __init__(self, capacity: int, dtypes, shapes=None, names=None, shared_name=None, name: str = "fifo_queue"):
        dtypes, shapes, names = _queue_types(dtypes, shapes, names)
        op = create_op(FIFOQueueV2(dtypes, shapes, int(capacity), shared_name or ""), [], name)
        super().__init__(dtypes, shapes, names, op)


class RandomShuffleQueue(QueueBase):
    """``tf.RandomShuffleQueue``: dequeues take random elements, leaving at least ``min_after_dequeue``
    behind until the queue is closed (so that the choice is among many)."""

    def __init__(self, capacity: int, min_after_dequeue: int, dtypes, shapes=None, names=None, seed=None,
                 shared_name=None, name: str = "random_shuffle_queue"):
        dtypes, shapes, names = _queue_types(dtypes, shapes, names)
        seed1, seed2 = get_seed(seed)
        op = create_op(RandomShuffleQueueV2(dtypes, shapes, int(capacity), int(min_after_dequeue), seed1, seed2,
                                            shared_name or ""), [], name)
        super().__init__(dtypes, shapes, names, op)
