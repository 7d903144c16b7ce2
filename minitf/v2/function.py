"""``tf.function``: a Python function traced into a TF1 graph, then run like ``Session.run``.

The first call with a new kind of argument (dtype and shape of each tensor, value of each
Python number) *traces* the function: it runs once with eager execution off, inside a new
``FuncGraph``, with a ``Placeholder`` per tensor argument, so every ``tf.*`` call adds an op
instead of computing.  That graph is an ordinary minitf Graph -- draw it with
``minitf.widgets.show_graph(f.get_concrete_function(x).graph)`` -- and each later call with
the same kind of arguments runs it through a Session, feeding the arguments to the
placeholders:

>>> @tf.function
... def square(a):
...     return tf.matmul(a, a)
>>> square(tf.constant([[2.]]))             # traces, then runs
<tf.Tensor: shape=(1, 1), dtype=float32, numpy=array([[4.]], dtype=float32)>
>>> square(tf.constant([[3.]]))             # same signature: runs the same graph

TF1 in one line: placeholders are the arguments, ``Session.run`` is the call.  Variables the
function uses are *captured*: the graph reads and updates their arrays in place.  Ops that
write variables or have other effects (``tf.print``) run even when nothing returned depends
on them, in the order they were written (TensorFlow 2's automatic control dependencies).
"""
from __future__ import annotations

import functools
import inspect

import numpy as np

from .. import dtypes, nest
from ..backend import from_numpy
from ..graph import Graph, Operation, Tensor, get_default_graph
from ..ops.array_ops import placeholder
from ..ops.base import convert_to_tensor, create_op
from ..ops.state_ops import VariableV2
from ..session import Session
from ..tensor_shape import TensorShape
from .eager import EagerTensor, context
from .variables import Variable


class TensorSpec:
    """``tf.TensorSpec(shape, dtype)``: the kind of tensor an argument is (``None`` dims take any size)."""

    def __init__(self, shape, dtype=dtypes.float32, name=None):
        self.shape = TensorShape(shape)
        self.dtype = dtypes.as_dtype(dtype).base_dtype
        self.name = name

    @classmethod
    def from_tensor(cls, tensor, name=None) -> "TensorSpec":
        return cls(tensor.shape, tensor.dtype, name)

    def _key(self):
        return ("tensor", self.dtype.name, self.shape.as_tuple())

    def __repr__(self):
        return f"TensorSpec(shape={self.shape}, dtype=tf.{self.dtype.name}, name={self.name!r})"


# ---- the graph of a traced function ---------------------------------------------------------
class FuncGraph(Graph):
    """The graph a ``tf.function`` traces into: a Graph that also captures variables.

    The first time the function uses a ``tf.Variable``, the graph gets a ``VariableV2`` op
    named after it; reads and updates go through that op, and running the graph reads
    and writes the variable's own array (see ``_CapturedVariables``).
    """

    building_function = True   # TF2 code: == on its tensors compares values

    def __init__(self, name: str):
        super().__init__()
        self.name = name
        self.seed = context().seed      # tf.random.set_seed holds inside functions too
        self.inputs: list = []          # the placeholders, in argument order
        self.outputs: list = []         # the tensors returned, flattened
        self.structured_outputs = None
        self.variables: dict = {}       # VariableV2 op -> the tf.Variable it stands for
        self._refs: dict = {}           # id(variable) -> its ref tensor in this graph

    def capture_variable(self, variable: Variable) -> Tensor:
        """The reference tensor of ``variable`` in this graph (its ``VariableV2`` op, made once)."""
        ref = self._refs.get(id(variable))
        if ref is None:
            with self.as_default(), self.control_dependencies(None), self.name_scope(None):
                kind = VariableV2(shape=variable.shape, dtype=variable.dtype)
                ref = create_op(kind, [], variable.name.split(":")[0], self).outputs[0]
            self._refs[id(variable)] = ref
            self.variables[ref.op] = variable
        return ref

    def __repr__(self):
        return f"FuncGraph(name={self.name}, id={id(self)})"


class _CapturedVariables:
    """``session.variables`` of a function's Session: a captured ``VariableV2`` op's array is
    its ``tf.Variable``'s own buffer, so updates inside the graph change the variable."""

    def __init__(self, graph: FuncGraph):
        self._variables = graph.variables

    def __getitem__(self, op):
        return self._variables[op].array

    def get(self, op, default=None):
        variable = self._variables.get(op)
        return default if variable is None else variable.array

    def __setitem__(self, op, array) -> None:
        self._variables[op].assign_array(array)

    def __contains__(self, op) -> bool:
        return op in self._variables

    def clear(self) -> None:
        """Closing the Session leaves the variables alone: they belong to Python objects."""


class _FunctionSession(Session):
    """The Session a traced function runs in: its variables are the captured tf.Variables."""

    def __init__(self, graph: FuncGraph):
        super().__init__(graph=graph)
        self.variables = _CapturedVariables(graph)


# ---- one traced graph ------------------------------------------------------------------------------
class ConcreteFunction:
    """One trace of a ``tf.function``: its ``graph``, ``inputs`` (placeholders) and ``outputs``.

    Calling it feeds the tensor arguments to the placeholders and runs the graph.
    """

    def __init__(self, graph: FuncGraph, runs: list):
        self.graph = graph
        self._session = _FunctionSession(graph)
        outputs = [t for t in graph.outputs if isinstance(t, Tensor)]
        self._fetches = outputs + runs
        self._num_outputs = len(outputs)

    inputs = property(lambda self: list(self.graph.inputs))
    outputs = property(lambda self: [t for t in self.graph.outputs if isinstance(t, Tensor)])
    structured_outputs = property(lambda self: self.graph.structured_outputs)
    variables = property(lambda self: list(self.graph.variables.values()))
    name = property(lambda self: self.graph.name)

    def __call__(self, *args, **kwargs):
        tensors = [leaf for leaf in nest.flatten((args, kwargs)) if _is_tensor_argument(leaf)]
        if len(tensors) != len(self.graph.inputs):
            raise TypeError(f"{self.name} takes {len(self.graph.inputs)} tensor arguments, got {len(tensors)}")
        return self._run(tensors)

    def _run(self, tensors):
        feed = {ph: _feed_value(value) for ph, value in zip(self.graph.inputs, tensors)}
        for variable in self.graph.variables.values():
            variable.writable_array()    # copy-on-write before the graph updates it in place
        values = self._session.run(self._fetches, feed)[:self._num_outputs]
        results = iter(EagerTensor(from_numpy(np.asarray(v)), t.dtype.base_dtype)
                       for v, t in zip(values, self._fetches))
        flat = [next(results) if isinstance(t, Tensor) else None if isinstance(t, Operation) else t
                for t in self.graph.outputs]
        return nest.pack_sequence_as(self.graph.structured_outputs, flat)

    def __repr__(self):
        return f"<ConcreteFunction {self.name}({', '.join(t.op.name for t in self.inputs)})>"


def _is_tensor_argument(value) -> bool:
    return isinstance(value, (Tensor, np.ndarray)) and not isinstance(value, Variable)


def _feed_value(value):
    return np.asarray(value) if isinstance(value, EagerTensor) else value


# ---- the decorator ---------------------------------------------------------------------------------
class Function:
    """What ``@tf.function`` makes: a callable that traces once per kind of arguments and runs graphs."""

    def __init__(self, python_function, input_signature=None, name=None):
        self.python_function = python_function
        self.input_signature = None if input_signature is None else list(input_signature)
        self._name = name or getattr(python_function, "__name__", "function")
        self._signature = inspect.signature(python_function)
        self._concrete: dict = {}    # key of the arguments -> ConcreteFunction
        functools.update_wrapper(self, python_function)

    def __call__(self, *args, **kwargs):
        graph = get_default_graph()
        if not graph.executes_eagerly or graph.tapes:
            # Called while another graph is built: its ops go there.  Under a recording
            # GradientTape: run the Python code eagerly, so the tape sees (and differentiates) its ops.
            return self.python_function(*args, **kwargs)
        bound = self._bind(args, kwargs)
        return self._concrete_for(bound)._run(_tensor_leaves(bound))

    def get_concrete_function(self, *args, **kwargs) -> ConcreteFunction:
        """The traced graph for these arguments (traced now if it is the first time).

        Arguments may be tensors or ``tf.TensorSpec``s (``None`` dims accept any size).
        """
        return self._concrete_for(self._bind(args, kwargs) if args or kwargs or self.input_signature is None
                                  else self._bind(self.input_signature, {}))

    def _concrete_for(self, bound) -> ConcreteFunction:
        if self.input_signature is not None:   # one graph for every call
            key, bound = "input_signature", self._bind(self.input_signature, {})
        else:
            key = _key(bound)
        concrete = self._concrete.get(key)
        if concrete is None:
            concrete = self._concrete[key] = self._trace(bound)
        return concrete

    def experimental_get_tracing_count(self) -> int:
        """How many graphs this function has traced."""
        return len(self._concrete)

    def _bind(self, args, kwargs) -> list:
        """The arguments by parameter name, in order, defaults filled in."""
        if self.input_signature is not None:
            if kwargs or len(args) != len(self.input_signature):
                raise TypeError(f"{self._name} takes {len(self.input_signature)} positional arguments by its "
                                f"input_signature, got {len(args)}")
            args = [_conform(a, spec) for a, spec in zip(args, self.input_signature)]
        bound = self._signature.bind(*args, **kwargs)
        bound.apply_defaults()
        return list(bound.arguments.items())

    def _trace(self, bound) -> ConcreteFunction:
        graph = FuncGraph(self._name)
        with graph.as_default():
            args = {name: nest.map_structure(lambda leaf: _placeholder_for(leaf, name, graph), value)
                    for name, value in bound}
            outputs = self._call_with(args)
            graph.structured_outputs = outputs
            graph.outputs = [_graph_value(leaf) for leaf in nest.flatten(outputs)]
        # what writes variables or has other effects (tf.print) runs even if nothing returned needs it
        runs = [op for op in graph.get_operations() if op.kind.ref_inputs or op.kind.stateful]
        return ConcreteFunction(graph, runs)

    def _call_with(self, arguments: dict):
        args, kwargs = [], {}
        for name, param in self._signature.parameters.items():
            value = arguments[name]
            if param.kind is param.VAR_POSITIONAL:
                args.extend(value)
            elif param.kind is param.VAR_KEYWORD:
                kwargs.update(value)
            elif param.kind is param.KEYWORD_ONLY:
                kwargs[name] = value
            else:
                args.append(value)
        return self.python_function(*args, **kwargs)

    def __get__(self, instance, owner=None):
        """``@tf.function`` on a method: one Function per instance, with ``self`` bound."""
        if instance is None:
            return self
        bound = instance.__dict__.get(("tf.function", self._name))
        if bound is None:
            bound = Function(functools.partial(self.python_function, instance), self.input_signature, self._name)
            instance.__dict__[("tf.function", self._name)] = bound
        return bound

    def __repr__(self):
        return f"<minitf.v2.function {self._name} (traced {len(self._concrete)} times)>"


def _conform(value, spec):
    """An argument checked against its ``TensorSpec`` (converted if it is a Python or numpy value)."""
    if not isinstance(spec, TensorSpec) or isinstance(value, TensorSpec):
        return value
    tensor = value if isinstance(value, Tensor) else convert_to_tensor(value, dtype=spec.dtype)
    if tensor.dtype.base_dtype != spec.dtype or not spec.shape.is_compatible_with(tensor.shape):
        raise ValueError(f"Python inputs incompatible with input_signature: got a {tensor.dtype.name} tensor of "
                         f"shape {tensor.shape} for {spec}")
    return tensor


def _key(bound) -> tuple:
    """What decides whether a call can reuse a trace: tensor dtypes and shapes, Python values."""
    def leaf_key(leaf):
        if isinstance(leaf, TensorSpec):
            return leaf._key()
        if isinstance(leaf, Variable):
            return ("variable", id(leaf))
        if isinstance(leaf, (Tensor, np.ndarray)):
            return ("tensor", dtypes.as_dtype(leaf.dtype).base_dtype.name, tuple(leaf.shape))
        try:
            hash(leaf)
            return ("python", type(leaf).__name__, leaf)
        except TypeError:
            return ("object", id(leaf))

    return tuple((name, nest.structure_key(value), tuple(leaf_key(leaf) for leaf in nest.flatten(value)))
                 for name, value in bound)


def _placeholder_for(leaf, name, graph):
    if isinstance(leaf, TensorSpec):
        dtype, shape = leaf.dtype, leaf.shape
    elif isinstance(leaf, (Tensor, np.ndarray)) and not isinstance(leaf, Variable):
        dtype, shape = dtypes.as_dtype(leaf.dtype).base_dtype, TensorShape(tuple(leaf.shape))
    else:
        return leaf
    ph = placeholder(dtype, shape, name=name)
    graph.inputs.append(ph)
    return ph


def _graph_value(leaf):
    """A returned value as the graph holds it: tensors as they are, variables read, Python values kept."""
    if isinstance(leaf, (Tensor, Operation)):
        return leaf
    if isinstance(leaf, Variable):
        return leaf.value()
    return leaf


def _tensor_leaves(bound) -> list:
    return [leaf for _, value in bound for leaf in nest.flatten(value) if _is_tensor_argument(leaf)]


def function(func=None, input_signature=None, autograph=True, jit_compile=None, reduce_retracing=False,
             experimental_relax_shapes=None, name=None):
    """``@tf.function`` (or ``tf.function(f)``): trace ``func`` into a graph, run the graph on each call."""
    if func is None:
        return lambda f: Function(f, input_signature, name)
    return Function(func, input_signature, name)
