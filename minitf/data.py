"""``tf.data``: input pipelines over arrays, for TF1 graphs (an iterator's ``get_next()``) and TF2's loops.

    dataset = tf.data.Dataset.from_tensor_slices((x_train, y_train)).shuffle(1000).batch(100).repeat()
    images, labels = dataset.make_one_shot_iterator().get_next()   # TF1: tensors of the graph
    ...
    sess.run(train_op)        # every run that needs images or labels takes the next batch

    for images, labels in dataset:      # TF2 (minitf.v2): eager tensors, one batch at a time

A Dataset is a recipe, not data: each iterator (each ``for`` loop) runs the recipe again, with a new
shuffle every time (TensorFlow's ``reshuffle_each_iteration``).  Inside the pipeline an element is a
nest (tuple, dict) of numpy arrays.  TensorFlow runs pipelines as dataset ops in C++ threads; here
each step is a Python generator, which is plenty for a course's data.

In a TF1 graph, the recipe starts from tensors (``from_tensor_slices(x_placeholder)``): their values
are read when the iterator is initialised (``sess.run(iterator.initializer, {x_placeholder: x})``),
and ``IteratorGetNext`` pulls one element per run, raising ``OutOfRangeError`` at the end.  A
function given to ``map`` or ``filter`` is built once into a graph of its own and run per element.
"""
from __future__ import annotations

import itertools

import numpy as np

from . import dtypes, errors, nest, tf1_api
from .backend import from_numpy, to_numpy
from .graph import Graph, Operation, Tensor, get_default_graph, name_scope
from .ops.array_ops import constant, placeholder
from .ops.base import Op, convert_to_tensor, create_op
from .ops.random_ops import get_seed
from .session import Session
from .tensor_shape import TensorShape

INFINITE = -1   # tf.data.INFINITE_CARDINALITY
UNKNOWN = -2    # tf.data.UNKNOWN_CARDINALITY
_NOT_EAGER = "__iter__() is only supported inside of tf.function or when eager execution is enabled."


class Dataset:
    """A sequence of elements, made again each time it is iterated.

    ``make_iterator(values)`` makes the elements from the values of ``sources`` (numpy arrays when
    eager; in a graph, the tensors whose values an iterator's initializer reads).  ``spec`` is the
    element's structure of :class:`Component`, known in a graph (``output_types``, ``output_shapes``).
    """

    def __init__(self, make_iterator, cardinality: int, sources=(), spec=None):
        self._make_iterator = make_iterator
        self._cardinality = cardinality
        self._sources = list(sources)
        self._spec = spec

    def _then(self, make, cardinality: int, spec=None) -> Dataset:
        """A dataset made from this one's elements (same sources; the same spec unless given)."""
        return Dataset(make, cardinality, self._sources, self._spec if spec is None else spec)

    # ---- sources ----------------------------------------------------------------------------
    @staticmethod
    def from_tensor_slices(tensors) -> Dataset:
        """One element per row: ``from_tensor_slices((x, y))`` gives ``(x[i], y[i])``."""
        tensors, leaves = _sources(tensors)
        lengths = {_length(leaf) for leaf in leaves}
        if not leaves or 0 in {len(_shape(leaf)) for leaf in leaves} or len(lengths - {None}) > 1:
            raise ValueError("Dimensions of the components must all be equal and at least 1-D; got shapes "
                             f"{[_shape(leaf) for leaf in leaves]}")

        def make(values):
            return (nest.pack_sequence_as(tensors, [v[i] for v in values]) for i in range(len(values[0])))

        known = lengths - {None}
        return Dataset(make, known.pop() if known and None not in lengths else UNKNOWN, leaves,
                       _spec_of(tensors, leaves, skip=1))

    @staticmethod
    def from_tensors(tensors) -> Dataset:
        """A dataset of one element: ``tensors`` itself."""
        tensors, leaves = _sources(tensors)
        return Dataset(lambda values: iter([nest.pack_sequence_as(tensors, values)]), 1, leaves,
                       _spec_of(tensors, leaves, skip=0))

    @staticmethod
    def range(*args) -> Dataset:
        """``Dataset.range(5)``: 0, 1, 2, 3, 4 (int64), like Python's ``range``."""
        numbers = range(*args)
        return Dataset(lambda values: (np.int64(i) for i in numbers), len(numbers), (),
                       None if _eager() else Component(dtypes.int64, TensorShape([])))

    @staticmethod
    def from_generator(generator, output_types, output_shapes=None, args=None) -> Dataset:
        """The elements ``generator()`` yields (called again for each pass), as ``output_types``."""
        types = nest.map_structure(dtypes.as_dtype, output_types)
        shapes = [None] * len(nest.flatten(types)) if output_shapes is None else _flatten_up_to(types, output_shapes)
        arguments = () if args is None else tuple(args)

        def make(values):
            for element in generator(*arguments):
                leaves = _flatten_up_to(types, element)
                yield nest.pack_sequence_as(types, [np.asarray(v, dtype=t.as_numpy_dtype)
                                                    for v, t in zip(leaves, nest.flatten(types))])

        spec = None if _eager() else nest.pack_sequence_as(types, [Component(t, TensorShape(s)) for t, s in
                                                                   zip(nest.flatten(types), shapes)])
        return Dataset(make, UNKNOWN, (), spec)

    @staticmethod
    def zip(datasets) -> Dataset:
        """Elements of several datasets side by side: ``zip((a, b))`` gives ``(a[i], b[i])``."""
        flat = nest.flatten(datasets)
        cuts = list(itertools.accumulate([0] + [len(d._sources) for d in flat]))

        def make(values):
            streams = [d._make_iterator(values[start:stop]) for d, start, stop in zip(flat, cuts, cuts[1:])]
            return (nest.pack_sequence_as(datasets, list(elements)) for elements in zip(*streams))

        known = [d._cardinality for d in flat if d._cardinality != INFINITE]
        n = INFINITE if not known else (UNKNOWN if UNKNOWN in known else min(known))
        spec = None if any(d._spec is None for d in flat) else nest.pack_sequence_as(datasets, [d._spec for d in flat])
        return Dataset(make, n, [t for d in flat for t in d._sources], spec)

    def concatenate(self, dataset: Dataset) -> Dataset:
        """This dataset's elements, then ``dataset``'s."""
        cut = len(self._sources)

        def make(values):
            return itertools.chain(self._make_iterator(values[:cut]), dataset._make_iterator(values[cut:]))

        counts = (self._cardinality, dataset._cardinality)
        n = INFINITE if INFINITE in counts else (UNKNOWN if UNKNOWN in counts else sum(counts))
        return Dataset(make, n, self._sources + dataset._sources, self._spec)

    # ---- transformations ------------------------------------------------------------------------
    def shuffle(self, buffer_size: int, seed=None, reshuffle_each_iteration: bool = True) -> Dataset:
        """Elements in random order, drawn from a buffer of ``buffer_size`` (as large as the data:
        a full shuffle; smaller: each element moves at most about a buffer away)."""
        buffer_size = int(buffer_size)
        if buffer_size < 1:
            raise ValueError(f"buffer_size must be greater than zero, got {buffer_size}")
        seeds = list(get_seed(seed))     # (0, 0): no seed set anywhere, a fresh order each run
        if seeds == [0, 0]:
            seeds = [int(np.random.randint(2**31))]
        shared = np.random.default_rng(seeds)

        def make(values):
            rng = shared if reshuffle_each_iteration else np.random.default_rng(seeds)
            return _buffer_shuffle(self._make_iterator(values), buffer_size, rng)

        return self._then(make, self._cardinality)

    def batch(self, batch_size: int, drop_remainder: bool = False) -> Dataset:
        """Stack ``batch_size`` consecutive elements into one (the last batch may be smaller)."""
        batch_size = int(batch_size)

        def make(values):
            source = self._make_iterator(values)
            while True:
                chunk = list(itertools.islice(source, batch_size))
                if not chunk or (drop_remainder and len(chunk) < batch_size):
                    return
                columns = zip(*[nest.flatten(element) for element in chunk])
                yield nest.pack_sequence_as(chunk[0], [np.stack(column) for column in columns])

        n = self._cardinality
        if n >= 0:
            n = n // batch_size if drop_remainder else -(-n // batch_size)
        spec = None if self._spec is None else nest.map_structure(
            lambda s: Component(s.dtype, TensorShape([batch_size if drop_remainder else None]).concatenate(s.shape)),
            self._spec)
        return self._then(make, n, spec)

    def map(self, map_func, num_parallel_calls=None, deterministic=None) -> Dataset:
        """``map_func`` applied to each element (a tuple element is passed as separate arguments)."""
        call, spec = _element_function(map_func, self._spec)
        return self._then(lambda values: map(call, self._make_iterator(values)), self._cardinality, spec)

    def filter(self, predicate) -> Dataset:
        """The elements for which ``predicate`` is true."""
        call, _ = _element_function(predicate, self._spec)
        return self._then(lambda values: (e for e in self._make_iterator(values) if bool(call(e))), UNKNOWN)

    def repeat(self, count=None) -> Dataset:
        """The elements ``count`` times over (forever when ``count`` is None or -1)."""
        forever = count is None or count < 0

        def make(values):
            for _ in itertools.count() if forever else range(int(count)):
                yield from self._make_iterator(values)

        n = self._cardinality
        if forever:
            n = INFINITE if n != 0 else 0
        elif n >= 0:
            n *= int(count)
        return self._then(make, n)

    def take(self, count: int) -> Dataset:
        count = int(count)
        n = self._cardinality
        n = count if n == INFINITE else (min(n, count) if n >= 0 else UNKNOWN)
        return self._then(lambda values: itertools.islice(self._make_iterator(values), count), n)

    def skip(self, count: int) -> Dataset:
        count = int(count)
        n = self._cardinality
        n = max(n - count, 0) if n >= 0 else n
        return self._then(lambda values: itertools.islice(self._make_iterator(values), count, None), n)

    def prefetch(self, buffer_size) -> Dataset:
        """The same dataset (TensorFlow reads ahead in a thread; here there is nothing to overlap)."""
        return self

    def cache(self, filename: str = "") -> Dataset:
        """The same dataset (its elements are arrays in memory already)."""
        return self

    # ---- reading it: TF2, eagerly -------------------------------------------------------------------
    def __iter__(self):
        return (nest.map_structure(constant, element) for element in self.as_numpy_iterator())

    def as_numpy_iterator(self):
        if self._spec is not None:   # a graph's dataset: its values come through an iterator's ops
            raise RuntimeError(_NOT_EAGER)
        return iter(self._make_iterator(self._sources))

    def cardinality(self):
        """The number of elements (-1: infinite, -2: unknown), as an int64 tensor."""
        return constant(self._cardinality, dtype=dtypes.int64)

    def __len__(self) -> int:
        if self._cardinality == INFINITE:
            raise TypeError("The dataset is infinite.")
        if self._cardinality == UNKNOWN:
            raise TypeError("The dataset length is unknown.")
        return self._cardinality

    # ---- reading it: TF1, in a graph ----------------------------------------------------------------
    output_types = property(lambda self: nest.map_structure(lambda s: s.dtype, self._graph_spec()))
    output_shapes = property(lambda self: nest.map_structure(lambda s: s.shape, self._graph_spec()))
    output_classes = property(lambda self: nest.map_structure(lambda s: Tensor, self._graph_spec()))

    def make_one_shot_iterator(self) -> Iterator:
        """An iterator that starts itself on its first ``get_next()``; it cannot read placeholders."""
        for source in self._sources:
            if source.op.type == "Placeholder":
                raise ValueError(f"Cannot capture a placeholder (name:{source.op.name}, type:Placeholder) by value.")
        op = create_op(_IteratorOp("OneShotIterator", self, once=True), self._sources, "OneShotIterator")
        return Iterator(op, self._graph_spec())

    def make_initializable_iterator(self, shared_name=None) -> Iterator:
        """An iterator that starts (again) each time ``sess.run(iterator.initializer, feed_dict)`` runs."""
        iterator = Iterator.from_structure(self.output_types, self.output_shapes)
        iterator.initializer = iterator.make_initializer(self, name="MakeIterator")
        return iterator

    def _graph_spec(self):
        if self._spec is None:
            raise RuntimeError("this Dataset was made with eager execution on: iterate it with `for` instead")
        return self._spec

    def __repr__(self):
        if self._spec is None:
            return f"<Dataset cardinality={self._cardinality}>"
        return f"<DatasetV1Adapter shapes: {_nest_text(self.output_shapes)}, types: {_nest_text(self.output_types)}>"


class Iterator:
    """TF1's ``tf.data.Iterator``: ``get_next()`` gives tensors that take the next element at every run."""

    def __init__(self, op: Operation, spec):
        self._op, self._spec = op, spec
        self.initializer = None

    @staticmethod
    def from_structure(output_types, output_shapes=None, shared_name=None, output_classes=None) -> Iterator:
        """An iterator for any dataset of this structure: start it on one with ``make_initializer``."""
        types = nest.flatten(output_types)
        shapes = [None] * len(types) if output_shapes is None else _flatten_up_to(output_types, output_shapes)
        spec = nest.pack_sequence_as(output_types, [Component(dtypes.as_dtype(t), TensorShape(s))
                                                    for t, s in zip(types, shapes)])
        return Iterator(create_op(_IteratorOp("IteratorV2", None), [], "IteratorV2"), spec)

    output_types = property(lambda self: nest.map_structure(lambda s: s.dtype, self._spec))
    output_shapes = property(lambda self: nest.map_structure(lambda s: s.shape, self._spec))

    def make_initializer(self, dataset: Dataset, name=None) -> Operation:
        """The op that (re)starts this iterator on ``dataset``."""
        return create_op(_IteratorOp("MakeIterator", dataset, self._op), dataset._sources, name or "make_initializer")

    def get_next(self, name=None):
        """The next element's tensors (a nest like the dataset's elements)."""
        with get_default_graph().control_dependencies([self._op]):
            op = create_op(_GetNext(self._op, nest.flatten(self._spec)), [], name or "IteratorGetNext")
        return nest.pack_sequence_as(self._spec, op.outputs)


def make_one_shot_iterator(dataset: Dataset) -> Iterator:
    """``tf.data.make_one_shot_iterator(dataset)``: ``dataset.make_one_shot_iterator()``."""
    return dataset.make_one_shot_iterator()


def make_initializable_iterator(dataset: Dataset, shared_name=None) -> Iterator:
    """``tf.data.make_initializable_iterator(dataset)``: ``dataset.make_initializable_iterator()``."""
    return dataset.make_initializable_iterator(shared_name)


# ---- the iterator ops -----------------------------------------------------------------------
class _IteratorOp(Op):
    """An op of an iterator, without outputs: it starts ``iterator`` on ``dataset`` from the values of
    the dataset's sources (its inputs) -- ``MakeIterator`` (``iterator.initializer``) each time it
    runs, a ``OneShotIterator`` (itself the iterator) the first time it runs in a session only.  The
    ``IteratorV2`` of ``Iterator.from_structure`` starts nothing."""

    num_outputs = 0
    gradient = None
    stateful = True

    def __init__(self, type_: str, dataset: Dataset | None, iterator: Operation | None = None, once=False):
        self.type, self.dataset, self.iterator, self.once = type_, dataset, iterator, once

    def node_attrs(self, inputs) -> dict:
        return {}

    def infer(self, *sources):
        return []

    def kernel(self, op, session):
        target = self.iterator or op

        def start(*values):
            if self.dataset is not None and not (self.once and target in session.resources):
                session.resources[target] = iter(self.dataset._make_iterator([to_numpy(v) for v in values]))
            return ()

        return start


class _GetNext(Op):
    """The next element of the iterator's dataset, one output per component."""

    type = "IteratorGetNext"
    gradient = None
    stateful = True

    def __init__(self, iterator: Operation, flat_spec: list):
        self.iterator, self.flat_spec, self.num_outputs = iterator, flat_spec, len(flat_spec)

    def node_attrs(self, inputs) -> dict:
        return {"output_types": [s.dtype for s in self.flat_spec], "output_shapes": [s.shape for s in self.flat_spec]}

    def infer(self):
        pairs = [(s.dtype, s.shape) for s in self.flat_spec]
        return pairs[0] if self.num_outputs == 1 else pairs

    def kernel(self, op, session):
        def next_element():
            source = session.resources.get(self.iterator)
            if source is None:
                raise errors.FailedPreconditionError(None, None, (
                    "GetNext() failed because the iterator has not been initialized. Ensure that you have run "
                    "the initializer operation for this iterator before getting the next element."))
            try:
                element = next(source)
            except StopIteration:
                raise errors.OutOfRangeError(None, None, "End of sequence") from None
            leaves = [np.asarray(leaf, dtype=object) if s.dtype == dtypes.string else
                      from_numpy(np.asarray(leaf, dtype=s.dtype.as_numpy_dtype))
                      for leaf, s in zip(nest.flatten(element), self.flat_spec)]
            return leaves[0] if self.num_outputs == 1 else tuple(leaves)

        return next_element


# ---- helpers --------------------------------------------------------------------------------
class Component:
    """The dtype and static shape of one component of a graph dataset's elements (a leaf of its spec)."""

    __slots__ = ("dtype", "shape")

    def __init__(self, dtype, shape: TensorShape):
        self.dtype, self.shape = dtype, shape


def _flatten_up_to(structure, shapes) -> list:
    """``shapes`` split like ``structure`` (a shape is a list itself: it is a leaf here)."""
    if isinstance(structure, dict):
        return [s for key in sorted(structure) for s in _flatten_up_to(structure[key], shapes[key])]
    if isinstance(structure, (list, tuple)):
        return [s for item, shape in zip(structure, shapes) for s in _flatten_up_to(item, shape)]
    return [shapes]


def _eager() -> bool:
    return get_default_graph().executes_eagerly


def _structure(value, convert):
    """``value`` with ``convert`` applied to each component.  As in tf.data, tuples and dicts are
    structure and anything else is one component: a list is a tensor, ``[1, 2]``, not two."""
    if isinstance(value, dict):
        return {key: _structure(value[key], convert) for key in value}
    if isinstance(value, tuple):
        items = [_structure(item, convert) for item in value]
        return type(value)(*items) if hasattr(value, "_fields") else tuple(items)
    return convert(value)


def _sources(tensors):
    """(structure, leaves) of a dataset's source: numpy arrays eagerly, tensors of the graph otherwise
    (numpy arrays become Consts there, as TF1 embeds them)."""
    if _eager():
        structure = _structure(tensors, _numpy_of)
    else:
        count = itertools.count()
        with name_scope("tensors"):
            structure = _structure(tensors, lambda x: convert_to_tensor(x, name=f"component_{next(count)}"))
    return structure, nest.flatten(structure)


def _shape(leaf) -> list:
    return list(leaf.shape) if isinstance(leaf, np.ndarray) else (leaf.shape.as_list() or [])


def _length(leaf):
    shape = _shape(leaf)
    return shape[0] if shape else None


def _spec_of(structure, leaves, skip: int):
    """In a graph: the (dtype, shape) of each component, ``skip`` leading dimensions dropped."""
    if _eager():
        return None
    return nest.pack_sequence_as(structure, [Component(t.dtype.base_dtype, TensorShape(
        t.shape.dims[skip:] if t.shape.dims is not None else None)) for t in leaves])


def _element_function(fn, spec):
    """``fn`` as a function of one numpy element: eagerly it gets eager tensors; for a graph's dataset it
    is built once into a graph of its own, on placeholders of the element's spec, and run per element."""
    def arguments(tensors):
        return fn(*tensors) if isinstance(tensors, tuple) else fn(tensors)

    if spec is None:
        return (lambda element: _structure(arguments(nest.map_structure(constant, element)), _numpy_of)), None
    graph = Graph()
    with graph.as_default():
        inputs = nest.map_structure(lambda s: placeholder(s.dtype, s.shape), spec)
        outputs = _structure(arguments(inputs), convert_to_tensor)
    session = Session(graph=graph)
    feeds = nest.flatten(inputs)

    def call(element):
        return session.run(outputs, dict(zip(feeds, nest.flatten(element))))

    return call, nest.map_structure(lambda t: Component(t.dtype.base_dtype, t.shape), outputs)


def _numpy_of(value) -> np.ndarray:
    """An eager element's array; a Python value is converted as TF converts it (``[1, 2]`` is int32)."""
    return (value if hasattr(value, "numpy") else constant(value)).numpy()


def _nest_text(structure) -> str:
    """A nest as TF1's dataset repr writes it: ``((?, 2), ())``, ``{a: (), b: (1,)}``."""
    if isinstance(structure, dict):
        return "{" + ", ".join(f"{key}: {_nest_text(structure[key])}" for key in sorted(structure)) + "}"
    if isinstance(structure, (tuple, list)):
        return "(" + ", ".join(_nest_text(item) for item in structure) + ("," if len(structure) == 1 else "") + ")"
    return str(structure) if isinstance(structure, TensorShape) else repr(structure)


def _buffer_shuffle(source, buffer_size: int, rng):
    """TensorFlow's shuffle: keep ``buffer_size`` elements, hand out a random one, refill its place."""
    buffer = list(itertools.islice(source, buffer_size))
    for element in source:
        i = int(rng.integers(len(buffer)))
        yield buffer[i]
        buffer[i] = element
    order = rng.permutation(len(buffer))
    for i in order:
        yield buffer[i]


INFINITE_CARDINALITY, UNKNOWN_CARDINALITY = INFINITE, UNKNOWN
AUTOTUNE = -1
experimental = tf1_api.module("tf.data.experimental", AUTOTUNE=AUTOTUNE, INFINITE_CARDINALITY=INFINITE,
                              UNKNOWN_CARDINALITY=UNKNOWN)

__getattr__ = tf1_api.fallback(__name__)  # TF 1.15's other tf.data names: a clear error
