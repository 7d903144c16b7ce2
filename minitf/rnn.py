"""Recurrent networks: TF1's cells (``tf.nn.rnn_cell``, ``tf.contrib.rnn``), ``tf.nn.dynamic_rnn``,
``tf.nn.static_rnn`` and ``tf.contrib.seq2seq.sequence_loss``.

A cell computes one time step, ``output, new_state = cell(input_t, state)``; the rnn functions run
it over the steps of a sequence, feeding each step's state to the next::

    X = tf.placeholder(tf.float32, [None, 6, 5])             # [batch, time, features]
    cell = tf.nn.rnn_cell.BasicLSTMCell(num_units=2)
    outputs, state = tf.nn.dynamic_rnn(cell, X, dtype=tf.float32)
    # outputs: [batch, 6, 2]; state: LSTMStateTuple(c=[batch, 2], h=[batch, 2])

A cell is a layer (``minitf/layers.py``): it creates its variables on its first call inside a
variable scope named after it, ``rnn/basic_lstm_cell/kernel`` and ``.../bias``, and every later
step reuses them.  TF1 loops over the steps with a ``tf.while_loop``; minitf unrolls them into
ordinary ops (one copy of the cell's ops per step), so the time dimension must be known when the
graph is built, and gradients flow back through the steps like through any other ops.
"""
from __future__ import annotations

import collections
import hashlib
import numbers

from . import dtypes, nest, tf1_api
from .graph import Tensor, name_scope
from .init_ops import constant_initializer, zeros_initializer
from .layers import Layer
from .ops import array_ops, clip_ops, math_ops, nn_ops, shape_ops
from .ops.base import constant_value, convert_to_tensor
from .tensor_shape import TensorShape, dimension_value
from .variables import variable_scope


class LSTMStateTuple(collections.namedtuple("LSTMStateTuple", ("c", "h"))):
    """An LSTM's state: the memory ``c`` and the output ``h`` of the last step."""

    __slots__ = ()

    @property
    def dtype(self):
        c, h = self
        if c.dtype != h.dtype:
            raise TypeError(f"Inconsistent internal state: {c.dtype} vs {h.dtype}")
        return c.dtype


def _zeros(batch_size, size, dtype) -> Tensor:
    """Zeros of shape ``[batch_size] + size``; ``batch_size`` is an int or a scalar tensor."""
    dims = [size] if isinstance(size, numbers.Integral) else TensorShape(size).as_list()
    return array_ops.zeros([batch_size] + dims, dtype)


def _check_float(dtype) -> None:
    dtype = dtypes.as_dtype(dtype)
    if not (dtype.is_floating or dtype.is_complex):
        raise ValueError(f"RNN cell only supports floating point inputs, but saw dtype: <dtype: '{dtype.name}'>")


class RNNCell(Layer):
    """The base of every cell: ``call(inputs, state) -> (output, new_state)``, plus ``state_size``,
    ``output_size`` and ``zero_state``.  A subclass creates its variables in ``build``."""

    _input_ndim = None   # the rank a call's inputs must have (2 for the cells below)

    def __call__(self, inputs, state, scope=None):
        """One step.  With ``scope``, the cell's variables live right in that variable scope."""
        inputs = convert_to_tensor(inputs)
        if self._input_ndim is not None and inputs.shape.ndims not in (None, self._input_ndim):
            self._refuse_rank(inputs.shape, f"expected ndim={self._input_ndim}")
        if not self.built:
            if self.dtype is None:
                self.dtype = inputs.dtype.base_dtype
            _check_float(self.dtype)
        if scope is None:
            return super().__call__(inputs, state)
        with variable_scope(scope) as given:
            if self._scope is None:
                self._scope = given
            return super().__call__(inputs, state)

    @property
    def state_size(self):
        raise NotImplementedError("Abstract method")

    @property
    def output_size(self):
        raise NotImplementedError("Abstract method")

    def zero_state(self, batch_size, dtype):
        """The state before the first step: zeros ``[batch_size, size]`` for each size in ``state_size``."""
        with name_scope(type(self).__name__ + "ZeroState", values=[batch_size]):
            return nest.map_structure(lambda size: _zeros(batch_size, size, dtype), self.state_size)

    def get_initial_state(self, inputs=None, batch_size=None, dtype=None):
        if inputs is not None:
            inputs = convert_to_tensor(inputs, name="inputs")
            batch_size = inputs.shape[0].value or shape_ops.shape(inputs)[0]
            dtype = inputs.dtype
        if batch_size is None or dtype is None:
            raise ValueError("batch_size and dtype cannot be None while constructing initial state: "
                             f"batch_size={batch_size}, dtype={dtype}")
        return self.zero_state(batch_size, dtype)


def _activation(activation):
    """The cell's nonlinearity: ``activation`` itself, or tanh when it is None."""
    if activation is None:
        return math_ops.tanh
    if not callable(activation):
        raise ValueError(f"minitf's RNN cells take the activation as a function (e.g. tf.nn.relu), got "
                         f"{activation!r}")
    return activation


def _input_depth(input_shape) -> int:
    depth = input_shape[-1].value if input_shape.ndims is not None else None
    if depth is None:
        shown = "?" if input_shape.dims is None else tuple(input_shape.as_list())
        raise ValueError(f"Expected inputs.shape[-1] to be known, saw shape: {shown}")
    return depth


def _linear(inputs, state, kernel, bias) -> Tensor:
    """``concat([inputs, state]) @ kernel + bias``: every cell's affine step."""
    return nn_ops.bias_add(math_ops.matmul(array_ops.concat([inputs, state], 1), kernel), bias)


class BasicRNNCell(RNNCell):
    """``h = activation([x, h] @ kernel + bias)``: output and state are the same ``[batch, num_units]``."""

    _base_name = "basic_rnn_cell"
    _input_ndim = 2

    def __init__(self, num_units, activation=None, reuse=None, name=None, dtype=None, **kwargs):
        super().__init__(name=name, dtype=dtype, _reuse=reuse, **kwargs)
        self._num_units = num_units
        self._activation = _activation(activation)

    state_size = output_size = property(lambda self: self._num_units)

    def build(self, input_shape):
        self._kernel = self.add_weight("kernel", [_input_depth(input_shape) + self._num_units, self._num_units])
        self._bias = self.add_weight("bias", [self._num_units], initializer=zeros_initializer(dtype=self.dtype))

    def call(self, inputs, state):
        output = self._activation(_linear(inputs, state, self._kernel, self._bias))
        return output, output


class GRUCell(RNNCell):
    """A gated recurrent unit: gates ``r, u = sigmoid([x, h] @ gates/kernel + gates/bias)``, candidate
    ``c = tanh([x, r * h] @ candidate/kernel + candidate/bias)``, new ``h = u * h + (1 - u) * c``."""

    _base_name = "gru_cell"
    _input_ndim = 2

    def __init__(self, num_units, activation=None, reuse=None, kernel_initializer=None, bias_initializer=None,
                 name=None, dtype=None, **kwargs):
        super().__init__(name=name, dtype=dtype, _reuse=reuse, **kwargs)
        self._num_units = num_units
        self._activation = _activation(activation)
        self._kernel_initializer, self._bias_initializer = kernel_initializer, bias_initializer

    state_size = output_size = property(lambda self: self._num_units)

    def build(self, input_shape):
        rows, units = _input_depth(input_shape) + self._num_units, self._num_units
        self._gate_kernel = self.add_weight("gates/kernel", [rows, 2 * units], initializer=self._kernel_initializer)
        self._gate_bias = self.add_weight("gates/bias", [2 * units], initializer=(
            self._bias_initializer or constant_initializer(1.0, dtype=self.dtype)))   # gates start open
        self._candidate_kernel = self.add_weight("candidate/kernel", [rows, units],
                                                 initializer=self._kernel_initializer)
        self._candidate_bias = self.add_weight("candidate/bias", [units], initializer=(
            self._bias_initializer or zeros_initializer(dtype=self.dtype)))

    def call(self, inputs, state):
        r, u = array_ops.split(math_ops.sigmoid(_linear(inputs, state, self._gate_kernel, self._gate_bias)), 2, 1)
        c = self._activation(_linear(inputs, r * state, self._candidate_kernel, self._candidate_bias))
        new_h = u * state + (1 - u) * c
        return new_h, new_h


class LSTMCell(RNNCell):
    """A long short-term memory cell: ``i, j, f, o = split([x, h] @ kernel + bias, 4)`` (TF's gate
    order), memory ``c = sigmoid(f + forget_bias) * c + sigmoid(i) * tanh(j)``, output
    ``h = sigmoid(o) * tanh(c)``; optionally with peepholes, clipping and a projection of ``h``."""

    _base_name = "lstm_cell"
    _input_ndim = 2

    def __init__(self, num_units, use_peepholes=False, cell_clip=None, initializer=None, num_proj=None,
                 proj_clip=None, num_unit_shards=None, num_proj_shards=None, forget_bias=1.0, state_is_tuple=True,
                 activation=None, reuse=None, name=None, dtype=None, **kwargs):
        super().__init__(name=name, dtype=dtype, _reuse=reuse, **kwargs)
        if num_unit_shards is not None or num_proj_shards is not None:
            raise ValueError("minitf's LSTMCell keeps each variable whole: leave num_unit_shards and "
                             "num_proj_shards unset")
        self._num_units, self._use_peepholes, self._cell_clip = num_units, use_peepholes, cell_clip
        self._initializer, self._num_proj, self._proj_clip = initializer, num_proj, proj_clip
        self._forget_bias, self._state_is_tuple = forget_bias, state_is_tuple
        self._activation = _activation(activation)
        h_size = num_proj or num_units
        self._state_size = LSTMStateTuple(num_units, h_size) if state_is_tuple else num_units + h_size
        self._output_size = h_size

    state_size = property(lambda self: self._state_size)
    output_size = property(lambda self: self._output_size)

    def build(self, input_shape):
        units, h_size = self._num_units, self._output_size
        self._kernel = self.add_weight("kernel", [_input_depth(input_shape) + h_size, 4 * units],
                                       initializer=self._initializer)
        self._bias = self.add_weight("bias", [4 * units], initializer=zeros_initializer(dtype=self.dtype))
        if self._use_peepholes:
            self._w_f_diag, self._w_i_diag, self._w_o_diag = (
                self.add_weight(name, [units], initializer=self._initializer)
                for name in ("w_f_diag", "w_i_diag", "w_o_diag"))
        if self._num_proj is not None:
            self._proj_kernel = self.add_weight("projection/kernel", [units, self._num_proj],
                                                initializer=self._initializer)

    def call(self, inputs, state):
        c_prev, h_prev = _split_lstm_state(state, self._state_is_tuple, self._num_units)
        i, j, f, o = array_ops.split(_linear(inputs, h_prev, self._kernel, self._bias), 4, 1)
        if self._use_peepholes:
            f, i = f + self._w_f_diag * c_prev, i + self._w_i_diag * c_prev
        c = math_ops.sigmoid(f + self._forget_bias) * c_prev + math_ops.sigmoid(i) * self._activation(j)
        if self._cell_clip is not None:
            c = clip_ops.clip_by_value(c, -self._cell_clip, self._cell_clip)
        if self._use_peepholes:
            o = o + self._w_o_diag * c
        h = math_ops.sigmoid(o) * self._activation(c)
        if self._num_proj is not None:
            h = math_ops.matmul(h, self._proj_kernel)
            if self._proj_clip is not None:
                h = clip_ops.clip_by_value(h, -self._proj_clip, self._proj_clip)
        return h, _join_lstm_state(c, h, self._state_is_tuple)


class BasicLSTMCell(LSTMCell):
    """:class:`LSTMCell` without peepholes, clipping or projection (``forget_bias`` 1.0 by default)."""

    _base_name = "basic_lstm_cell"

    def __init__(self, num_units, forget_bias=1.0, state_is_tuple=True, activation=None, reuse=None, name=None,
                 dtype=None, **kwargs):
        super().__init__(num_units, forget_bias=forget_bias, state_is_tuple=state_is_tuple, activation=activation,
                         reuse=reuse, name=name, dtype=dtype, **kwargs)


def _split_lstm_state(state, state_is_tuple: bool, num_units: int):
    """``(c, h)`` of an LSTM state: the tuple's fields, or the two parts of ``concat([c, h], 1)``."""
    if state_is_tuple:
        return state
    return state[:, :num_units], state[:, num_units:]


def _join_lstm_state(c, h, state_is_tuple: bool):
    return LSTMStateTuple(c, h) if state_is_tuple else array_ops.concat([c, h], 1)


class MultiRNNCell(RNNCell):
    """Cells stacked in layers: each step, the output of ``cells[i]`` is the input of ``cells[i + 1]``
    (variables under ``multi_rnn_cell/cell_<i>/``); the state is the tuple of their states."""

    _base_name = "multi_rnn_cell"

    def __init__(self, cells, state_is_tuple=True):
        super().__init__()
        if not cells:
            raise ValueError("Must specify at least one cell for MultiRNNCell.")
        if not isinstance(cells, (list, tuple)):
            raise TypeError(f"cells must be a list or tuple, but saw: {cells}.")
        if not state_is_tuple and any(isinstance(c.state_size, tuple) for c in cells):
            raise ValueError("Some cells return tuples of states, but the flag state_is_tuple is not set.  State "
                             f"sizes are: {[c.state_size for c in cells]}")
        self._cells, self._state_is_tuple = list(cells), state_is_tuple

    @property
    def state_size(self):
        sizes = tuple(cell.state_size for cell in self._cells)
        return sizes if self._state_is_tuple else sum(sizes)

    output_size = property(lambda self: self._cells[-1].output_size)

    def zero_state(self, batch_size, dtype):
        if not self._state_is_tuple:
            return super().zero_state(batch_size, dtype)
        with name_scope("MultiRNNCellZeroState", values=[batch_size]):
            return tuple(cell.zero_state(batch_size, dtype) for cell in self._cells)

    variables = weights = property(lambda self: [v for cell in self._cells for v in cell.variables])
    trainable_variables = trainable_weights = property(
        lambda self: [v for cell in self._cells for v in cell.trainable_variables])

    def call(self, inputs, state):
        if self._state_is_tuple and not isinstance(state, (list, tuple)):
            raise ValueError(f"Expected state to be a tuple of length {len(self.state_size)}, but received: {state}")
        output, new_states, start = inputs, [], 0
        for i, cell in enumerate(self._cells):
            with variable_scope(f"cell_{i}"):
                if self._state_is_tuple:
                    cell_state = state[i]
                else:
                    cell_state, start = state[:, start:start + cell.state_size], start + cell.state_size
                output, new_state = cell(output, cell_state)
                new_states.append(new_state)
        return output, tuple(new_states) if self._state_is_tuple else array_ops.concat(new_states, 1)


class _Wrapper(RNNCell):
    """A cell around ``cell``: the same state and output sizes and variables, no variable scope of its own."""

    def __init__(self, cell, dtype=None, **kwargs):
        super().__init__(dtype=dtype, **kwargs)
        _assert_like_rnncell("cell", cell)
        self.cell = cell

    wrapped_cell = property(lambda self: self.cell)
    state_size = property(lambda self: self.cell.state_size)
    output_size = property(lambda self: self.cell.output_size)
    variables = weights = property(lambda self: self.cell.variables)
    trainable_variables = trainable_weights = property(lambda self: self.cell.trainable_variables)

    def zero_state(self, batch_size, dtype):
        with name_scope(type(self).__name__ + "ZeroState", values=[batch_size]):
            return self.cell.zero_state(batch_size, dtype)


class DropoutWrapper(_Wrapper):
    """``cell`` with dropout on its inputs, outputs and states (each kept with its keep probability, a
    float or a tensor such as a placeholder fed 0.5 while training and 1.0 when testing).  A new mask
    is drawn at every step; the memory ``c`` of an LSTM state is never dropped."""

    def __init__(self, cell, input_keep_prob=1.0, output_keep_prob=1.0, state_keep_prob=1.0,
                 variational_recurrent=False, input_size=None, dtype=None, seed=None, **kwargs):
        super().__init__(cell, dtype=dtype, **kwargs)
        if variational_recurrent:
            raise ValueError("minitf's DropoutWrapper draws a new mask at every step: leave variational_recurrent "
                             "False")
        self._seed = seed
        with name_scope("DropoutWrapperInit"):
            self._input_keep_prob, self._state_keep_prob, self._output_keep_prob = (
                _keep_prob(prob, what) for prob, what in ((input_keep_prob, "input_keep_prob"),
                                                          (state_keep_prob, "state_keep_prob"),
                                                          (output_keep_prob, "output_keep_prob")))

    def __call__(self, inputs, state, scope=None):
        """The wrapped cell's step with dropout around it."""
        if _drops(self._input_keep_prob):
            inputs = nest.map_structure(self._dropper("input", self._input_keep_prob), inputs)
        output, new_state = self.cell(inputs, state, scope=scope)
        if _drops(self._state_keep_prob):
            new_state = _map_except_memory(self._dropper("state", self._state_keep_prob), new_state)
        if _drops(self._output_keep_prob):
            output = nest.map_structure(self._dropper("output", self._output_keep_prob), output)
        return output, new_state

    def _dropper(self, salt: str, keep_prob):
        """A function dropping one tensor; with a ``seed``, inputs, states and outputs each draw their own
        mask (TF's seed for each: the first 8 hex digits of md5(seed + salt + index))."""
        count = iter(range(1 << 30))

        def drop(value):
            seed = None
            if self._seed is not None:
                digest = hashlib.md5(f"{self._seed}{salt}_{next(count)}".encode()).hexdigest()
                seed = int(digest[:8], 16) & 0x7FFFFFFF
            return nn_ops.dropout(value, rate=1.0 - keep_prob, seed=seed)

        return drop


def _keep_prob(prob, what: str):
    """A keep probability as a float when the graph fixes its value, else as a tensor."""
    tensor = convert_to_tensor(prob)
    value = constant_value(tensor)
    if value is None:
        return tensor
    if not 0 <= value <= 1:
        raise ValueError("Parameter %s must be between 0 and 1: %d" % (what, value))
    return float(value)


def _drops(keep_prob) -> bool:
    return not isinstance(keep_prob, float) or keep_prob < 1


def _map_except_memory(fn, state):
    """``fn`` applied to each tensor of ``state`` but the ``c`` of its LSTM states (TF's default filter)."""
    if isinstance(state, LSTMStateTuple):
        return LSTMStateTuple(state.c, _map_except_memory(fn, state.h))
    if isinstance(state, (list, tuple)):
        return type(state)(_map_except_memory(fn, s) for s in state)
    return fn(state)


def _add_inputs(inputs, outputs):
    """ResidualWrapper's default: ``inputs + outputs``, leaf by leaf."""
    return nest.pack_sequence_as(outputs, [i + o for i, o in zip(nest.flatten(inputs), nest.flatten(outputs))])


class ResidualWrapper(_Wrapper):
    """``cell`` whose output is its input plus the wrapped cell's output (``residual_fn(inputs, outputs)``
    to combine them otherwise)."""

    def __init__(self, cell, residual_fn=None, **kwargs):
        super().__init__(cell, **kwargs)
        self._residual_fn = residual_fn or _add_inputs

    def __call__(self, inputs, state, scope=None):
        output, new_state = self.cell(inputs, state, scope=scope)
        return self._residual_fn(inputs, output), new_state


# ---- running a cell over a sequence -----------------------------------------------------------------
def _assert_like_rnncell(cell_name: str, cell) -> None:
    """TF's TypeError for something that is not a cell."""
    problems = [problem for problem, ok in (
        ("'output_size' property is missing", hasattr(cell, "output_size")),
        ("'state_size' property is missing", hasattr(cell, "state_size")),
        ("either 'zero_state' or 'get_initial_state' method is required",
         hasattr(cell, "zero_state") or hasattr(cell, "get_initial_state")),
        ("is not callable", callable(cell))) if not ok]
    if problems:
        raise TypeError(f"The argument {cell_name!r} ({cell}) is not an RNNCell: {', '.join(problems)}.")


def _initial_state(cell, initial_state, batch_size, dtype, missing_dtype: str):
    if initial_state is not None:
        return initial_state
    if not dtype:
        raise ValueError(missing_dtype)
    if getattr(cell, "get_initial_state", None) is not None:
        return cell.get_initial_state(batch_size=batch_size, dtype=dtype)
    return cell.zero_state(batch_size, dtype)


def _state_dtype(dtype, state):
    if dtype is not None:
        return dtype
    kinds = {leaf.dtype.base_dtype for leaf in nest.flatten(state)}
    if len(kinds) != 1:
        raise ValueError("State has tensors of different inferred_dtypes. Unable to infer a single "
                         "representative dtype." if kinds else "Unable to infer dtype from empty state.")
    return kinds.pop()


def _sequence_length(sequence_length, message: str):
    """``sequence_length`` as an int32 vector named ``sequence_length`` (TF's error if it is not a vector)."""
    sequence_length = math_ops.cast(sequence_length, dtypes.int32)
    if sequence_length.shape.ndims not in (None, 1):
        raise ValueError(message.format(shape=sequence_length.shape))
    return array_ops.identity(sequence_length, name="sequence_length")


def _unroll(cell, steps: list, state, varscope, sequence_length=None, zero_output=None):
    """Run ``cell`` over ``steps`` (the inputs of each time step): the list of outputs and the final state.

    With ``sequence_length``, a sequence that has ended gets ``zero_output`` and keeps its last state:
    ``where(t >= length, old, new)`` picks, row by row, what each step passes on.
    """
    outputs = []
    for t, step in enumerate(steps):
        if t > 0:
            varscope.reuse_variables()
        output, new_state = cell(step, state)
        if sequence_length is not None:
            ended = math_ops.greater_equal(t, sequence_length)
            output = _pick(ended, zero_output, output)
            new_state = _pick(ended, state, new_state)
        outputs.append(output)
        state = new_state
    return outputs, state


def _pick(ended, old, new):
    return nest.pack_sequence_as(new, [array_ops.where(ended, o, n)
                                       for o, n in zip(nest.flatten(old), nest.flatten(new))])


def _zero_output(cell, batch_size, dtype):
    return nest.map_structure(lambda size: _zeros(batch_size, size, dtype), cell.output_size)


def _transpose_batch_time(x: Tensor) -> Tensor:
    """``[batch, time, ...]`` <-> ``[time, batch, ...]``."""
    rank = x.shape.ndims
    return x if rank < 2 else array_ops.transpose(x, [1, 0] + list(range(2, rank)))


_UNKNOWN_DEPTH = "Input size (depth of inputs) must be accessible via shape inference, but saw value None."


def dynamic_rnn(cell, inputs, sequence_length=None, initial_state=None, dtype=None, parallel_iterations=None,
                swap_memory=False, time_major=False, scope=None):
    """``tf.nn.dynamic_rnn``: run ``cell`` over ``inputs`` ``[batch, time, depth]`` (``[time, batch, depth]``
    with ``time_major``) from ``initial_state`` (zeros of ``dtype`` when None).

    Returns ``(outputs, state)``: every step's output ``[batch, time, output_size]`` and the last state.
    With ``sequence_length`` (one length per sequence), outputs past a sequence's end are zeros and its
    state is the one after its last step.  Variables live under ``scope`` (default ``rnn``).
    """
    _assert_like_rnncell("cell", cell)
    with variable_scope(scope or "rnn") as varscope:
        flat_input = [convert_to_tensor(x) for x in nest.flatten(inputs)]
        if any(x.shape.ndims is None for x in flat_input):
            raise ValueError(_UNKNOWN_DEPTH)
        if not time_major:
            flat_input = [_transpose_batch_time(x) for x in flat_input]
        if sequence_length is not None:
            sequence_length = _sequence_length(sequence_length, "sequence_length must be a vector of length "
                                                                "batch_size, but saw shape: {shape}")
        shapes = [x.shape.with_rank_at_least(3) for x in flat_input]
        time_steps, batch_size = shapes[0].as_list()[:2]
        for shape in shapes:
            if not shape[2:].is_fully_defined():
                raise ValueError(_UNKNOWN_DEPTH)
            if shape[0].value != time_steps:
                raise ValueError("Time steps is not the same for all the elements in the input in a batch.")
            if shape[1].value != batch_size:
                raise ValueError("Batch_size is not the same for all the elements in the input.")
        if time_steps is None:
            raise ValueError(f"minitf's dynamic_rnn unrolls the time steps, so their number must be known when the "
                             f"graph is built, but the inputs have shape {_batch_major(shapes[0], time_major)}: "
                             f"give the time dimension a size (e.g. tf.placeholder(tf.float32, [None, seq_len, "
                             f"depth])), padding shorter sequences and passing their sequence_length")
        batch_size = batch_size or shape_ops.shape(flat_input[0])[1]
        state = _initial_state(cell, initial_state, batch_size, dtype,
                               "If there is no initial_state, you must give a dtype.")
        zero_output = None if sequence_length is None else _zero_output(cell, batch_size,
                                                                         _state_dtype(dtype, state))
        steps = [nest.pack_sequence_as(inputs, step) for step in zip(*(array_ops.unstack(x) for x in flat_input))]
        outputs, state = _unroll(cell, steps, state, varscope, sequence_length, zero_output)
        flat_outputs = [array_ops.stack(step) for step in zip(*(nest.flatten(output) for output in outputs))]
        if not time_major:
            flat_outputs = [_transpose_batch_time(output) for output in flat_outputs]
        return nest.pack_sequence_as(cell.output_size, flat_outputs), state


def _batch_major(shape: TensorShape, time_major: bool) -> TensorShape:
    """The inputs' shape as the caller gave it (``shape`` is time-major)."""
    dims = shape.as_list()
    return TensorShape(dims if time_major else [dims[1], dims[0]] + dims[2:])


def static_rnn(cell, inputs, initial_state=None, dtype=None, sequence_length=None, scope=None):
    """``tf.nn.static_rnn``: run ``cell`` over a list of inputs, one ``[batch, depth]`` tensor per step
    (e.g. ``tf.unstack(x, axis=1)``).  Returns the list of outputs and the final state; with
    ``sequence_length``, as :func:`dynamic_rnn`."""
    _assert_like_rnncell("cell", cell)
    if not isinstance(inputs, (list, tuple)):
        raise TypeError("inputs must be a sequence")
    if not inputs:
        raise ValueError("inputs must not be empty")
    with variable_scope(scope or "rnn") as varscope:
        first = nest.flatten(inputs[0])[0]
        batch_size = None
        for x in nest.flatten(inputs[0]):
            shape = convert_to_tensor(x).shape.with_rank_at_least(2)
            batch_size = batch_size or shape[0].value
            for i, size in enumerate(shape[1:].dims or ()):
                if dimension_value(size) is None:
                    raise ValueError(f"Input size (dimension {i} of inputs) must be accessible via shape "
                                     "inference, but saw value None.")
        batch_size = batch_size or shape_ops.shape(first)[0]
        state = _initial_state(cell, initial_state, batch_size, dtype,
                               "If no initial_state is provided, dtype must be specified")
        zero_output = None
        if sequence_length is not None:
            sequence_length = _sequence_length(sequence_length, "sequence_length must be a vector of length "
                                                                "batch_size")
            zero_output = _zero_output(cell, batch_size, _state_dtype(dtype, state))
        return _unroll(cell, list(inputs), state, varscope, sequence_length, zero_output)


_CELLS = dict(RNNCell=RNNCell, BasicRNNCell=BasicRNNCell, GRUCell=GRUCell, LSTMCell=LSTMCell,
              BasicLSTMCell=BasicLSTMCell, LSTMStateTuple=LSTMStateTuple, MultiRNNCell=MultiRNNCell,
              DropoutWrapper=DropoutWrapper, ResidualWrapper=ResidualWrapper)
rnn_cell = tf1_api.module("tf.nn.rnn_cell", **_CELLS)
contrib_rnn = tf1_api.module("tf.contrib.rnn", static_rnn=static_rnn, **_CELLS)   # TF1's older home of the same


# ---- the loss of a sequence of predictions ------------------------------------------------------------
def sequence_loss(logits, targets, weights, average_across_timesteps=True, average_across_batch=True,
                  sum_over_timesteps=False, sum_over_batch=False, softmax_loss_function=None, name=None):
    """``tf.contrib.seq2seq.sequence_loss``: the cross entropy of ``logits`` ``[batch, time, classes]``
    against the class ids ``targets`` ``[batch, time]``, each weighted by ``weights`` ``[batch, time]``.

    By default the weighted mean over all steps (a scalar); ``average_across_timesteps=False`` keeps
    one value per step ``[time]``, ``average_across_batch=False`` one per sequence ``[batch]``.  The
    ``sum_over_*`` flags divide by the number of nonzero weights instead of their sum.
    """
    if logits.shape.ndims != 3:
        raise ValueError("Logits must be a [batch_size x sequence_length x logits] tensor")
    if targets.shape.ndims != 2:
        raise ValueError("Targets must be a [batch_size x sequence_length] tensor")
    if weights.shape.ndims != 2:
        raise ValueError("Weights must be a [batch_size x sequence_length] tensor")
    if average_across_timesteps and sum_over_timesteps:
        raise ValueError("average_across_timesteps and sum_over_timesteps cannot be set to True at same time.")
    if average_across_batch and sum_over_batch:
        raise ValueError("average_across_batch and sum_over_batch cannot be set to True at same time.")
    with name_scope(name, "sequence_loss", [logits, targets, weights]):
        logits_flat = shape_ops.reshape(logits, [-1, shape_ops.shape(logits)[2]])
        flat_targets = shape_ops.reshape(targets, [-1])
        loss_function = softmax_loss_function or nn_ops.sparse_softmax_cross_entropy_with_logits
        crossent = loss_function(labels=flat_targets, logits=logits_flat) * shape_ops.reshape(weights, [-1])
        if average_across_timesteps and average_across_batch:
            return _weighted_mean(crossent, weights, None, by_count=False)
        if sum_over_timesteps and sum_over_batch:
            return _weighted_mean(crossent, weights, None, by_count=True)
        crossent = shape_ops.reshape(crossent, shape_ops.shape(logits)[0:2])
        if average_across_timesteps or average_across_batch:
            return _weighted_mean(crossent, weights, [0] if average_across_batch else [1], by_count=False)
        if sum_over_timesteps or sum_over_batch:
            return _weighted_mean(crossent, weights, [0] if sum_over_batch else [1], by_count=True)
        return crossent


def _weighted_mean(crossent, weights, axis, by_count: bool) -> Tensor:
    """The sum of ``crossent`` over ``axis`` divided by the sum of the weights there (or by how many
    are nonzero), 0 where that is 0."""
    total = math_ops.reduce_sum(crossent, axis=axis)
    count = (math_ops.cast(math_ops.count_nonzero(weights, axis=axis), crossent.dtype) if by_count
             else math_ops.reduce_sum(weights, axis=axis))
    return math_ops.div_no_nan(total, count)


contrib_seq2seq = tf1_api.module("tf.contrib.seq2seq", sequence_loss=sequence_loss)
