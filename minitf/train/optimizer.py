"""Optimizers: ``minimize(loss)`` = ``compute_gradients`` + ``apply_gradients`` (notebook 05).

>>> train_op = tf.train.GradientDescentOptimizer(0.01).minimize(loss)
>>> sess.run(train_op)          # one step: every trainable variable moves against its gradient

``compute_gradients`` calls ``tf.gradients(loss, variables)``.  ``apply_gradients`` adds one
update op per variable (``GradientDescent/update_W/ApplyGradientDescent``), each writing the
variable's array in place (``training_ops.py``), and groups them into the op it returns
(a ``NoOp`` named after the optimizer, ``GradientDescent``).  Optimizers with state keep it
in *slot* variables next to each variable (``W/Adam``, ``W/Adam_1``) and in non-slot
variables (``beta1_power``); all are global, not trainable -- so create the initializer after
``minimize``.  Names, update rules and errors follow TF1's ``tf.train`` optimizers.
"""
from __future__ import annotations

from .. import dtypes, init_ops
from ..gradients import gradients
from ..graph import GraphKeys, get_default_graph, name_scope
from ..ops.base import convert_to_tensor
from ..ops.control_flow_ops import group
from ..ops.math_ops import cast
from ..ops.state_ops import assign_add
from ..variables import Variable, get_variable, trainable_variables, variable_scope
from . import training_ops

_VALID_DTYPES = (dtypes.float16, dtypes.float32, dtypes.float64)


class Optimizer:
    """Base class: subclasses say which slots they need (``_create_slots``), which constants
    (``_prepare``) and which update op one variable gets (``_apply_dense``)."""

    GATE_NONE, GATE_OP, GATE_GRAPH = 0, 1, 2

    def __init__(self, use_locking: bool, name: str):
        if not name:
            raise ValueError("Must specify the optimizer name")
        self._use_locking = use_locking
        self._name = name
        self._slots: dict = {}       # slot name -> {variable: slot variable}
        self._non_slots: dict = {}   # (name, graph) -> variable, e.g. Adam's beta1_power
        self._outer_scope = ""       # the name scope apply_gradients was called in

    def get_name(self) -> str:
        return self._name

    # ---- the public API -------------------------------------------------------------------
    def minimize(self, loss, global_step=None, var_list=None, gate_gradients=GATE_OP, aggregation_method=None,
                 colocate_gradients_with_ops=False, name=None, grad_loss=None):
        """Add the ops that take one step downhill on ``loss``; returns the training Operation.

        With ``global_step`` (an integer variable) the returned op also adds 1 to it after the update.
        """
        grads_and_vars = self.compute_gradients(loss, var_list=var_list, grad_loss=grad_loss)
        if all(g is None for g, _ in grads_and_vars):
            raise ValueError("No gradients provided for any variable, check your graph for ops that do not "
                             f"support gradients, between variables {[str(v) for _, v in grads_and_vars]} "
                             f"and loss {loss}.")
        return self.apply_gradients(grads_and_vars, global_step=global_step, name=name)

    def compute_gradients(self, loss, var_list=None, gate_gradients=GATE_OP, aggregation_method=None,
                          colocate_gradients_with_ops=False, grad_loss=None) -> list:
        """``[(gradient, variable), ...]`` for the trainable variables (or ``var_list``); None where unconnected."""
        if callable(loss):
            raise NotImplementedError("A callable loss is only for eager execution, which minitf does not have.")
        _check_dtype(loss)
        var_list = trainable_variables() if var_list is None else _flatten(var_list)
        if not var_list:
            raise ValueError("No variables to optimize.")
        for v in var_list:
            if not isinstance(v, Variable):
                raise NotImplementedError(f"Trying to update a Tensor {v}: optimizers update Variables only.")
        grads = gradients(loss, var_list, grad_ys=grad_loss, gate_gradients=gate_gradients == self.GATE_OP)
        return list(zip(grads, var_list))

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        """Add one update op per (gradient, variable) pair with a gradient; returns the op that runs them all."""
        grads_and_vars = [(None if g is None else convert_to_tensor(g), v) for g, v in grads_and_vars]
        if not grads_and_vars:
            raise ValueError("No variables provided.")
        var_list = [v for g, v in grads_and_vars if g is not None]
        if not var_list:
            raise ValueError(f"No gradients provided for any variable: {[str(v) for _, v in grads_and_vars]}.")
        graph = get_default_graph()
        self._outer_scope = graph.get_name_scope()   # where TF1 puts beta1_power: the caller's
        with graph.control_dependencies(None), graph.name_scope(None):   # TF1's init_scope
            self._create_slots(var_list)
        with name_scope(name, self._name) as scope:
            self._prepare()
            update_ops = []
            for grad, var in grads_and_vars:
                if grad is not None:
                    with name_scope("update_" + var.name.split(":")[0]):
                        update_ops.append(self._apply_dense(grad, var))
            if global_step is None:
                train_op = self._finish(update_ops, scope)
            else:
                with graph.control_dependencies([self._finish(update_ops, "update")]):
                    train_op = assign_add(global_step, 1, name=scope).op
        if train_op not in graph.get_collection_ref(GraphKeys.TRAIN_OP):
            graph.add_to_collection(GraphKeys.TRAIN_OP, train_op)
        return train_op

    def get_slot(self, var, name):
        """The slot variable ``name`` (e.g. ``'m'`` for Adam) of ``var``, or None."""
        return self._slots.get(name, {}).get(var)

    def get_slot_names(self) -> list:
        return sorted(self._slots)

    def variables(self) -> list:
        """This optimizer's slot and non-slot variables in the default graph."""
        graph = get_default_graph()
        own = [v for slots in self._slots.values() for v in slots.values()]
        own += [v for (_, g), v in self._non_slots.items() if g is graph]
        return sorted((v for v in own if v.graph is graph), key=lambda v: v.name)

    # ---- what subclasses define -----------------------------------------------------------
    def _create_slots(self, var_list) -> None:
        """Create the slot variables the update needs (none by default)."""

    def _prepare(self) -> None:
        """Create the constant tensors (learning rate...) in the optimizer's name scope."""

    def _apply_dense(self, grad, var):
        raise NotImplementedError

    def _finish(self, update_ops, name):
        return group(*update_ops, name=name)

    # ---- helpers for subclasses -----------------------------------------------------------
    def _slot(self, var, slot_name: str, initializer):
        """The slot variable ``<var>/<optimizer name>`` (then ``_1``...), created once per variable."""
        slots = self._slots.setdefault(slot_name, {})
        if var not in slots:
            with variable_scope(None, default_name=f"{var.name.split(':')[0]}/{self._name}"):
                slots[var] = get_variable("", shape=var.shape, dtype=var.dtype.base_dtype,
                                          initializer=initializer, trainable=False)
        return slots[var]

    def _zeros_slot(self, var, slot_name: str):
        return self._slot(var, slot_name, init_ops.zeros_initializer())

    def _non_slot(self, name: str, initial_value):
        """A variable shared by all the updates of this optimizer in this graph (``beta1_power``)."""
        graph = get_default_graph()
        key = (name, graph)
        if key not in self._non_slots:
            with graph.name_scope(self._outer_scope + "/" if self._outer_scope else None):
                self._non_slots[key] = Variable(initial_value, name=name, trainable=False)
        return self._non_slots[key]

    @staticmethod
    def _tensor(value, name):
        """A hyper-parameter as a tensor (a callable is called first, as TF1 allows)."""
        return convert_to_tensor(value() if callable(value) else value, name=name)


def _flatten(var_list) -> list:
    out = []
    for v in (var_list.values() if isinstance(var_list, dict) else var_list):
        out.extend(_flatten(v) if isinstance(v, (list, tuple, dict)) else [v])
    return out


def _check_dtype(loss) -> None:
    dtype = loss.dtype.base_dtype
    if dtype not in _VALID_DTYPES:
        raise ValueError(f"Invalid type {dtype!r} for {loss.name}, expected: [tf.float32, tf.float64, tf.float16, "
                         "tf.bfloat16].")


# ---- the optimizers ----------------------------------------------------------------------------
class GradientDescentOptimizer(Optimizer):
    """``var -= learning_rate * grad``."""

    def __init__(self, learning_rate, use_locking=False, name="GradientDescent"):
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate

    def _prepare(self):
        self._lr_t = self._tensor(self._learning_rate, "learning_rate")

    def _apply_dense(self, grad, var):
        dtype = var.dtype.base_dtype
        kind = training_ops.ApplyGradientDescent(self._use_locking)
        return training_ops.apply_update(kind, [var], [cast(self._lr_t, dtype), grad], "ApplyGradientDescent")


class MomentumOptimizer(Optimizer):
    """Gradient descent with a velocity: ``accum = momentum * accum + grad``; ``var -= lr * accum``."""

    def __init__(self, learning_rate, momentum, use_locking=False, name="Momentum", use_nesterov=False):
        super().__init__(use_locking, name)
        self._learning_rate, self._momentum, self._use_nesterov = learning_rate, momentum, use_nesterov

    def _create_slots(self, var_list):
        for v in var_list:
            self._zeros_slot(v, "momentum")

    def _prepare(self):
        self._lr_t = self._tensor(self._learning_rate, "learning_rate")
        self._momentum_t = self._tensor(self._momentum, "momentum")

    def _apply_dense(self, grad, var):
        dtype = var.dtype.base_dtype
        kind = training_ops.ApplyMomentum(self._use_locking, self._use_nesterov)
        return training_ops.apply_update(kind, [var, self.get_slot(var, "momentum")],
                                         [cast(self._lr_t, dtype), grad, cast(self._momentum_t, dtype)],
                                         "ApplyMomentum")


class AdamOptimizer(Optimizer):
    """Adam: steps scaled by running averages of the gradient (``m``) and its square (``v``)."""

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-08, use_locking=False, name="Adam"):
        super().__init__(use_locking, name)
        self._lr, self._beta1, self._beta2, self._epsilon = learning_rate, beta1, beta2, epsilon

    def _create_slots(self, var_list):
        self._non_slot("beta1_power", self._beta1)
        self._non_slot("beta2_power", self._beta2)
        for v in var_list:
            self._zeros_slot(v, "m")
            self._zeros_slot(v, "v")

    def _beta_powers(self):
        graph = get_default_graph()
        return self._non_slots[("beta1_power", graph)], self._non_slots[("beta2_power", graph)]

    def _prepare(self):
        self._lr_t = self._tensor(self._lr, "learning_rate")
        self._beta1_t = self._tensor(self._beta1, "beta1")
        self._beta2_t = self._tensor(self._beta2, "beta2")
        self._epsilon_t = self._tensor(self._epsilon, "epsilon")

    def _apply_dense(self, grad, var):
        dtype = var.dtype.base_dtype
        beta1_power, beta2_power = self._beta_powers()
        values = [cast(t, dtype) for t in (beta1_power, beta2_power, self._lr_t, self._beta1_t, self._beta2_t,
                                           self._epsilon_t)]
        return training_ops.apply_update(training_ops.ApplyAdam(self._use_locking),
                                         [var, self.get_slot(var, "m"), self.get_slot(var, "v")],
                                         values + [grad], "ApplyAdam")

    def _finish(self, update_ops, name):
        """After the updates: ``beta1_power *= beta1``, ``beta2_power *= beta2``."""
        beta1_power, beta2_power = self._beta_powers()
        with get_default_graph().control_dependencies(update_ops):
            update_beta1 = beta1_power.assign(beta1_power * self._beta1_t, use_locking=self._use_locking)
            update_beta2 = beta2_power.assign(beta2_power * self._beta2_t, use_locking=self._use_locking)
        return group(*update_ops, update_beta1, update_beta2, name=name)


class RMSPropOptimizer(Optimizer):
    """RMSProp: divide the step by a running root-mean-square of the gradient (optionally centered)."""

    def __init__(self, learning_rate, decay=0.9, momentum=0.0, epsilon=1e-10, use_locking=False, centered=False,
                 name="RMSProp"):
        super().__init__(use_locking, name)
        self._learning_rate, self._decay, self._momentum = learning_rate, decay, momentum
        self._epsilon, self._centered = epsilon, centered

    def _create_slots(self, var_list):
        for v in var_list:
            self._slot(v, "rms", init_ops.ones_initializer())
            if self._centered:
                self._zeros_slot(v, "mg")
            self._zeros_slot(v, "momentum")

    def _prepare(self):
        self._lr_t = self._tensor(self._learning_rate, "learning_rate")
        self._decay_t = self._tensor(self._decay, "decay")
        self._momentum_t = self._tensor(self._momentum, "momentum")
        self._epsilon_t = self._tensor(self._epsilon, "epsilon")

    def _apply_dense(self, grad, var):
        dtype = var.dtype.base_dtype
        values = [cast(t, dtype) for t in (self._lr_t, self._decay_t, self._momentum_t, self._epsilon_t)]
        slots = [self.get_slot(var, "rms"), self.get_slot(var, "momentum")]
        if self._centered:
            return training_ops.apply_update(training_ops.ApplyCenteredRMSProp(self._use_locking),
                                             [var, self.get_slot(var, "mg"), *slots], values + [grad],
                                             "ApplyCenteredRMSProp")
        return training_ops.apply_update(training_ops.ApplyRMSProp(self._use_locking), [var, *slots],
                                         values + [grad], "ApplyRMSProp")


class AdagradOptimizer(Optimizer):
    """Adagrad: ``accum += grad**2``; ``var -= lr * grad / sqrt(accum)`` (accumulators start at 0.1)."""

    def __init__(self, learning_rate, initial_accumulator_value=0.1, use_locking=False, name="Adagrad"):
        if initial_accumulator_value <= 0.0:
            raise ValueError(f"initial_accumulator_value must be positive: {initial_accumulator_value}")
        super().__init__(use_locking, name)
        self._learning_rate, self._initial_accumulator_value = learning_rate, initial_accumulator_value

    def _create_slots(self, var_list):
        for v in var_list:
            self._slot(v, "accumulator", init_ops.constant_initializer(self._initial_accumulator_value))

    def _prepare(self):
        self._lr_t = self._tensor(self._learning_rate, "learning_rate")

    def _apply_dense(self, grad, var):
        return training_ops.apply_update(training_ops.ApplyAdagrad(self._use_locking),
                                         [var, self.get_slot(var, "accumulator")],
                                         [cast(self._lr_t, var.dtype.base_dtype), grad], "ApplyAdagrad")
