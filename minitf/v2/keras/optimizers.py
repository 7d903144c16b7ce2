"""``tf.keras.optimizers``: ``SGD``, ``Adam`` and ``RMSprop`` on TF1's update kernels.

``optimizer.apply_gradients(zip(grads, variables))`` adds (in a traced step) or runs
(eagerly) one TF1 ``Apply*`` op per variable -- ``ApplyAdam``, ``ApplyGradientDescent``... of
``minitf/train/training_ops.py`` -- which update the variable's array in place, then adds 1
to ``optimizer.iterations``.  So the update rules are TF1's own; what differs are Keras's
defaults:

* ``Adam(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7)`` (TF1: epsilon 1e-8);
  the bias corrections use ``beta ** (iterations + 1)`` (TF1 multiplies ``beta1_power``
  variables step by step: the same numbers up to the last bit);
* ``RMSprop(learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7)`` with the mean square
  starting at 0 (TF1 starts it at 1);
* ``SGD(learning_rate=0.01, momentum=0.0)``; with momentum, TF1's ``ApplyMomentum``
  (Keras's form ``v = m*v - lr*g; w += v`` is the same update).

The learning rate is a variable (``optimizer.learning_rate``): changing it changes the next
steps, even those of a step function traced before.  Slots (Adam's ``m`` and ``v``) are
variables made the first time a variable is updated, named ``Adam/dense/kernel/m``.
"""
from __future__ import annotations

from ... import dtypes
from ...graph import name_scope
from ...ops.array_ops import zeros
from ...ops.math_ops import add, cast, pow_
from ...train import training_ops
from ..tape import GradientTape
from ..variables import Variable


class Optimizer:
    """Base class: subclasses name their slots (``_slot_names``) and their update op (``_apply_dense``)."""

    _slot_names: tuple = ()

    def __init__(self, name: str, learning_rate=0.001, **kwargs):
        if kwargs.pop("lr", None) is not None:
            raise TypeError("`lr` is deprecated in Keras optimizer, please use `learning_rate`.")
        for key in ("clipnorm", "clipvalue", "global_clipnorm", "decay"):
            if kwargs.get(key):
                raise NotImplementedError(f"minitf's Keras optimizers do not support {key}")
        self._name = name
        self._learning_rate = Variable(float(learning_rate), name=f"{name}/learning_rate", trainable=False)
        self.iterations = Variable(0, dtype=dtypes.int64, name=f"{name}/iter", trainable=False)
        self._slots: dict = {}    # id(variable) -> (variable, {slot name: slot variable})

    name = property(lambda self: self._name)

    @property
    def learning_rate(self) -> Variable:
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value) -> None:
        self._learning_rate.assign(float(value))

    lr = learning_rate

    # ---- the public API ---------------------------------------------------------------------
    def apply_gradients(self, grads_and_vars, name=None):
        """Update each variable with its gradient (pairs whose gradient is None are skipped)."""
        pairs = list(grads_and_vars)
        updates = [(g, v) for g, v in pairs if g is not None]
        if not updates:
            raise ValueError(f"No gradients provided for any variable: {[v.name for _, v in pairs]}.")
        with name_scope(name or self._name):
            step = self._prepare()
            for grad, variable in updates:
                slots = self._slots_of(variable)
                with name_scope("update_" + variable.name.split(":")[0]):
                    self._apply_dense(grad, variable, slots, step)
            return self.iterations.assign_add(1)

    def minimize(self, loss, var_list, tape=None):
        """``apply_gradients`` of ``loss`` (a tensor computed under ``tape``, or a function to call)."""
        if callable(loss):
            with GradientTape() as tape:
                loss = loss()
        elif tape is None:
            raise ValueError("`tape` is required when a `Tensor` loss is passed.")
        var_list = list(var_list() if callable(var_list) else var_list)
        grads = tape.gradient(loss, var_list)
        return self.apply_gradients(zip(grads, var_list))

    def get_slot(self, var, slot_name: str) -> Variable:
        return self._slots[id(var)][1][slot_name]

    def get_slot_names(self) -> list:
        return list(self._slot_names)

    def slot_variables(self) -> list:
        """``(variable, slot name, slot variable)`` for every slot made so far."""
        return [(variable, name, slot) for variable, slots in self._slots.values() for name, slot in slots.items()]

    def add_slots(self, variable) -> dict:
        """The slots of ``variable`` by name, made now if they do not exist yet (restoring a checkpoint)."""
        return self._slots_of(variable)

    def variables(self) -> list:
        """The optimizer's own variables: ``iterations``, then each variable's slots."""
        return [self.iterations] + [s for _, slots in self._slots.values() for s in slots.values()]

    def get_config(self) -> dict:
        return {"name": self._name, "learning_rate": float(self._learning_rate.numpy())}

    # ---- what subclasses define ----------------------------------------------------------------
    def _slots_of(self, variable) -> dict:
        entry = self._slots.get(id(variable))
        if entry is None:
            prefix = f"{self._name}/{variable.name.split(':')[0]}"
            slots = {name: Variable(self._slot_initial(name, variable), name=f"{prefix}/{name}", trainable=False)
                     for name in self._slot_names}
            entry = self._slots[id(variable)] = (variable, slots)
        return entry[1]

    def _slot_initial(self, slot_name: str, variable):
        return lambda: zeros(variable.shape, variable.dtype)

    def _prepare(self):
        """What every variable's update shares: the step number ``iterations + 1`` as a float."""
        return cast(add(self.iterations, 1), dtypes.float32)

    def _apply_dense(self, grad, variable, slots: dict, step):
        raise NotImplementedError

    def __repr__(self):
        return f"<tf.keras.optimizers.{type(self).__name__} learning_rate={float(self._learning_rate.numpy()):g}>"


class SGD(Optimizer):
    """``w -= learning_rate * g``; with ``momentum``: ``v = momentum * v + g; w -= learning_rate * v``."""

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, name="SGD", **kwargs):
        if not 0 <= momentum <= 1:
            raise ValueError(f"`momentum` must be between [0, 1]. Received: momentum={momentum}")
        super().__init__(name, learning_rate, **kwargs)
        self.momentum, self.nesterov = float(momentum), bool(nesterov)
        self._slot_names = ("momentum",) if momentum else ()

    def _apply_dense(self, grad, variable, slots, step):
        if not self.momentum:
            return training_ops.apply_update(training_ops.ApplyGradientDescent(), [variable],
                                             [self._learning_rate, grad], "ApplyGradientDescent")
        return training_ops.apply_update(training_ops.ApplyMomentum(use_nesterov=self.nesterov),
                                         [variable, slots["momentum"]],
                                         [self._learning_rate, grad, self.momentum], "ApplyMomentum")


class Adam(Optimizer):
    """Adam with Keras's defaults (epsilon 1e-7), on TF1's ``ApplyAdam`` kernel."""

    _slot_names = ("m", "v")

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False, name="Adam",
                 **kwargs):
        if amsgrad:
            raise NotImplementedError("minitf's Adam does not implement amsgrad")
        super().__init__(name, learning_rate, **kwargs)
        self.beta_1, self.beta_2, self.epsilon = float(beta_1), float(beta_2), float(epsilon)

    def _prepare(self):
        step = super()._prepare()
        return pow_(self.beta_1, step), pow_(self.beta_2, step)

    def _apply_dense(self, grad, variable, slots, step):
        beta_1_power, beta_2_power = step
        return training_ops.apply_update(
            training_ops.ApplyAdam(), [variable, slots["m"], slots["v"]],
            [beta_1_power, beta_2_power, self._learning_rate, self.beta_1, self.beta_2, self.epsilon, grad],
            "ApplyAdam")


class RMSprop(Optimizer):
    """RMSprop with Keras's defaults, on TF1's ``ApplyRMSProp`` (``ApplyCenteredRMSProp``) kernel."""

    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False, name="RMSprop",
                 **kwargs):
        super().__init__(name, learning_rate, **kwargs)
        self.rho, self.momentum, self.epsilon, self.centered = float(rho), float(momentum), float(epsilon), centered
        self._slot_names = ("rms", "momentum", "mg") if centered else ("rms", "momentum")

    def _apply_dense(self, grad, variable, slots, step):
        values = [self._learning_rate, self.rho, self.momentum, self.epsilon, grad]
        if self.centered:
            return training_ops.apply_update(training_ops.ApplyCenteredRMSProp(),
                                             [variable, slots["mg"], slots["rms"], slots["momentum"]], values,
                                             "ApplyCenteredRMSProp")
        return training_ops.apply_update(training_ops.ApplyRMSProp(), [variable, slots["rms"], slots["momentum"]],
                                         values, "ApplyRMSProp")


_BY_NAME = {"sgd": SGD, "adam": Adam, "rmsprop": RMSprop}


def get(identifier) -> Optimizer:
    """An optimizer from a name (``'adam'``, with Keras's defaults) or an optimizer object."""
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, str) and identifier.lower() in _BY_NAME:
        return _BY_NAME[identifier.lower()]()
    raise ValueError(f"Could not interpret optimizer identifier: {identifier!r} (use one of {sorted(_BY_NAME)} "
                     "or an optimizer object)")
