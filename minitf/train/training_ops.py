"""Training ops: the ``Apply*`` kernels that update a variable in place (notebook 05).

An optimizer's update step is one op per variable, as in TF1: ``ApplyGradientDescent``
computes ``var -= lr * grad`` *inside the variable's own array*.  Its first inputs are
references (``W``, and slots such as ``W/Adam``): the kernel fetches those arrays from the
session and writes them; the other inputs (learning rate, gradient) arrive as values.

Every formula is TF1's kernel (``core/kernels/training_ops.cc``), evaluated in the variable's
dtype in the same order, so float32 training matches TF1 to the last bit or so.  The
intermediate results go to scratch arrays allocated once per kernel: a training step
allocates nothing for the update.
"""
from __future__ import annotations

from ..backend import name as backend_name
from ..backend import xp
from ..errors import InvalidArgumentError
from ..graph import name_scope
from ..ops.base import Op, ShapeError, convert_to_tensor, create_op


_BLOCK = 1 << 17 if backend_name == "numpy" else None   # elements updated at a time (see ApplyOp)


class ApplyOp(Op):
    """Base of the Apply ops: inputs ``ref_inputs`` are variables updated in place by ``update``.

    ``update(scratch, *variables, *values)`` gets the variables' arrays, then the other
    inputs' values (in the op's input order), and writes the variables; the op's output is
    the updated variable.  Updates are element-wise, so on the CPU the kernel feeds ``update``
    blocks of 131072 elements: the dozen passes of an Adam step then run in the CPU caches (half
    a MiB per array) instead of streaming megabytes of arrays from memory a dozen times, and a
    block is long enough that the ufunc calls' own cost is small (4-6 % less CPU per step than
    blocks of 32768 on the MNIST MLP and CNN).
    """

    gradient = None
    returns_stored = True
    scratch = 1       # how many temporary arrays ``update`` needs
    grad_input = -1   # which input is the gradient

    def __init__(self, use_locking=False):
        self.use_locking = bool(use_locking)

    def infer(self, var, *inputs):
        grad = (var, *inputs)[self.grad_input]
        if not var.shape.is_compatible_with(grad.shape):
            raise ShapeError(f"Shapes must be equal rank, but are {var.shape.ndims} and {grad.shape.ndims}"
                             if var.shape.ndims != grad.shape.ndims else
                             f"Dimensions must be equal, but are {var.shape} and {grad.shape}")
        return var.dtype, var.shape

    def kernel(self, op, session):
        read = session.variable_value
        refs = [op.inputs[i].op for i in self.ref_inputs]
        update, n_scratch = self.update, self.scratch
        grad_at = self.grad_input if self.grad_input < 0 else self.grad_input - len(refs)
        scratch: list = []   # made on the first run, reused by every later one

        def apply(*values):
            arrays = [read(ref) for ref in refs]
            var, grad = arrays[0], values[grad_at]
            if var.shape != grad.shape:
                raise InvalidArgumentError(None, None, f"var and grad do not have the same shape"
                                                       f"{list(var.shape)} {list(grad.shape)}")
            if not all(a.flags.c_contiguous for a in arrays):   # rare (e.g. a transpose was assigned)
                update([xp.empty_like(var) for _ in range(n_scratch)], *arrays, *values)
                return var
            block = min(var.size, _BLOCK or var.size)
            if not scratch or scratch[0].size != block or scratch[0].dtype != var.dtype:
                scratch[:] = [xp.empty(block, var.dtype) for _ in range(n_scratch)]
            flat = [a.reshape(-1) for a in arrays]              # views of the variables' buffers
            values, grad = list(values), grad.reshape(-1)
            for start in range(0, var.size, block):
                stop = min(start + block, var.size)
                values[grad_at] = grad[start:stop]
                update([t[:stop - start] for t in scratch], *(a[start:stop] for a in flat), *values)
            return var

        return apply

    def update(self, tmp, *arrays):
        raise NotImplementedError


class ApplyGradientDescent(ApplyOp):
    """``var -= grad * lr``."""

    type = "ApplyGradientDescent"
    ref_inputs = (0,)

    def update(self, tmp, var, lr, grad):
        t, = tmp
        xp.multiply(grad, lr, out=t)
        var -= t


class ApplyMomentum(ApplyOp):
    """``accum = accum * momentum + grad``; ``var -= accum * lr``.

    With Nesterov momentum: ``var -= grad * lr + accum * momentum * lr``.
    """

    type = "ApplyMomentum"
    ref_inputs = (0, 1)
    grad_input = 3    # TF1's input order: var, accum, lr, grad, momentum
    scratch = 2

    def __init__(self, use_locking=False, use_nesterov=False):
        super().__init__(use_locking)
        self.use_nesterov = bool(use_nesterov)

    def update(self, tmp, var, accum, lr, grad, momentum):
        t, u = tmp
        accum *= momentum
        accum += grad
        if self.use_nesterov:
            xp.multiply(grad, lr, out=t)
            xp.multiply(accum, momentum, out=u)
            u *= lr
            t += u
        else:
            xp.multiply(accum, lr, out=t)
        var -= t


class ApplyAdam(ApplyOp):
    """Adam (Kingma & Ba) as TF1 computes it, with the bias correction folded into the step size::

        alpha = lr * sqrt(1 - beta2_power) / (1 - beta1_power)
        m += (grad - m) * (1 - beta1)
        v += (grad**2 - v) * (1 - beta2)
        var -= m * alpha / (sqrt(v) + epsilon)
    """

    type = "ApplyAdam"
    ref_inputs = (0, 1, 2)
    scratch = 2

    def __init__(self, use_locking=False, use_nesterov=False):
        super().__init__(use_locking)
        self.use_nesterov = bool(use_nesterov)

    def update(self, tmp, var, m, v, beta1_power, beta2_power, lr, beta1, beta2, epsilon, grad):
        t, u = tmp
        one = var.dtype.type(1)
        alpha = lr * xp.sqrt(one - beta2_power) / (one - beta1_power)
        xp.subtract(grad, m, out=t)
        t *= one - beta1
        m += t
        xp.square(grad, out=t)
        t -= v
        t *= one - beta2
        v += t
        if self.use_nesterov:   # (grad * (1 - beta1) + beta1 * m) * alpha
            xp.multiply(grad, one - beta1, out=u)
            xp.multiply(m, beta1, out=t)
            u += t
            u *= alpha
        else:
            xp.multiply(m, alpha, out=u)
        xp.sqrt(v, out=t)
        t += epsilon
        u /= t
        var -= u


class ApplyRMSProp(ApplyOp):
    """``ms += (grad**2 - ms) * (1 - rho)``; ``mom = mom * momentum + grad * lr / sqrt(ms + epsilon)``; ``var -= mom``."""

    type = "ApplyRMSProp"
    ref_inputs = (0, 1, 2)
    scratch = 2

    def update(self, tmp, var, ms, mom, lr, rho, momentum, epsilon, grad):
        t, u = tmp
        _mean_square(t, ms, grad, rho)
        xp.add(ms, epsilon, out=t)
        _momentum_step(t, u, var, mom, lr, momentum, grad)


class ApplyCenteredRMSProp(ApplyOp):
    """RMSProp divided by the gradient's spread: ``mg`` tracks the mean gradient, ``sqrt(ms - mg**2 + epsilon)``."""

    type = "ApplyCenteredRMSProp"
    ref_inputs = (0, 1, 2, 3)
    scratch = 2

    def update(self, tmp, var, mg, ms, mom, lr, rho, momentum, epsilon, grad):
        t, u = tmp
        _mean_square(t, ms, grad, rho)
        xp.subtract(grad, mg, out=t)
        t *= var.dtype.type(1) - rho
        mg += t
        xp.square(mg, out=t)
        xp.subtract(ms, t, out=t)
        t += epsilon
        _momentum_step(t, u, var, mom, lr, momentum, grad)


def _mean_square(t, ms, grad, rho):
    """``ms += (grad**2 - ms) * (1 - rho)``, using ``t`` as scratch."""
    xp.square(grad, out=t)
    t -= ms
    t *= ms.dtype.type(1) - rho
    ms += t


def _momentum_step(denominator, u, var, mom, lr, momentum, grad):
    """``mom = mom * momentum + grad * lr / sqrt(denominator)``; ``var -= mom`` (``u`` is scratch)."""
    xp.sqrt(denominator, out=denominator)
    xp.multiply(grad, lr, out=u)
    u /= denominator
    mom *= momentum
    mom += u
    var -= mom


class ApplyAdagrad(ApplyOp):
    """``accum += grad**2``; ``var -= grad * lr / sqrt(accum)``."""

    type = "ApplyAdagrad"
    ref_inputs = (0, 1)
    scratch = 2

    def __init__(self, use_locking=False, update_slots=True):
        super().__init__(use_locking)
        self.update_slots = bool(update_slots)

    def update(self, tmp, var, accum, lr, grad):
        t, u = tmp
        if self.update_slots:
            xp.square(grad, out=t)
            accum += t
        xp.multiply(grad, lr, out=t)
        xp.sqrt(accum, out=u)
        t /= u
        var -= t



def apply_update(kind: ApplyOp, variables, values, name: str):
    """Add an Apply op: the variables' references first, then ``values`` (tensors of the variable's dtype)."""
    refs = [v._ref() if hasattr(v, "_ref") else v for v in variables]
    with name_scope(name, None, refs) as scope:
        inputs = [convert_to_tensor(v, dtype=refs[0].dtype.base_dtype) for v in values]
        return create_op(kind, refs + inputs, scope)
