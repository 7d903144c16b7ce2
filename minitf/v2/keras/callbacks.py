"""``tf.keras.callbacks``: code that ``fit`` calls at the start and end of training, epochs and batches.

``fit`` always uses two: ``History`` (what it returns: ``history.history['loss']``, one value
per epoch) and ``ProgbarLogger`` (the progress line).  Pass more with ``callbacks=[...]``:
``EarlyStopping``, ``LambdaCallback``, or ``TrainingPlotCallback`` for a live plot of the
loss in the notebook.

The ``logs`` a callback receives hold the means so far in the epoch (``{'loss': 0.31,
'accuracy': 0.91}``), and at the end of an epoch also the validation results (``val_loss``).
"""
from __future__ import annotations

import math
import sys
import time

import numpy as np


class Callback:
    """Base class: override the ``on_...`` methods you need; ``self.model`` is the model being trained."""

    def __init__(self):
        self.model = None
        self.params: dict = {}

    def set_model(self, model) -> None:
        self.model = model

    def set_params(self, params: dict) -> None:
        self.params = params

    def on_train_begin(self, logs=None): ...
    def on_train_end(self, logs=None): ...
    def on_epoch_begin(self, epoch, logs=None): ...
    def on_epoch_end(self, epoch, logs=None): ...
    def on_train_batch_begin(self, batch, logs=None): ...
    def on_train_batch_end(self, batch, logs=None): ...
    def on_test_begin(self, logs=None): ...
    def on_test_end(self, logs=None): ...
    def on_test_batch_begin(self, batch, logs=None): ...
    def on_test_batch_end(self, batch, logs=None): ...
    def on_predict_begin(self, logs=None): ...
    def on_predict_end(self, logs=None): ...
    def on_predict_batch_begin(self, batch, logs=None): ...
    def on_predict_batch_end(self, batch, logs=None): ...


class CallbackList:
    """Several callbacks called in turn: ``callbacks.on_epoch_end(epoch, logs)`` calls each one's."""

    def __init__(self, callbacks, model, params: dict):
        self.callbacks = list(callbacks)
        for callback in self.callbacks:
            callback.set_model(model)
            callback.set_params(params)

    def __getattr__(self, name):
        if not name.startswith("on_"):
            raise AttributeError(name)

        def call_all(*args):
            for callback in self.callbacks:
                getattr(callback, name)(*args)

        return call_all


class History(Callback):
    """Keeps the logs of each epoch: ``history.history == {'loss': [...], 'accuracy': [...]}``."""

    def __init__(self):
        super().__init__()
        self.epoch: list = []
        self.history: dict = {}

    def on_train_begin(self, logs=None):
        self.epoch = []

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)
        self.model.history = self


class Progbar:
    """Keras's progress line: ``1875/1875 [==============================] - 3s 2ms/step - loss: 0.2206``.

    With ``verbose=1`` it is redrawn in place (at most every ``interval`` seconds) until the
    last step; with ``verbose=2`` only the finished line is printed.
    """

    def __init__(self, target: int, width: int = 30, verbose: int = 1, interval: float = 0.05, unit_name="step"):
        self.target, self.width, self.verbose, self.interval = target, width, verbose, interval
        self.unit_name = unit_name
        self._start = time.time()
        self._last_update = 0.0
        self._shown_width = 0

    def update(self, current: int, values=(), finalize=None) -> None:
        """Show progress ``current`` of ``target`` with the ``(name, value)`` pairs ``values``."""
        if finalize is None:
            finalize = current >= self.target
        now = time.time()
        if self.verbose == 1 and (finalize or now - self._last_update >= self.interval):
            self._draw(current, values, finalize, now)
            self._last_update = now
        elif self.verbose == 2 and finalize:
            elapsed = now - self._start
            line = f"{self._count(current)} - {elapsed:.0f}s{_values_text(values)} -" \
                   f"{_format_time(elapsed, 'epoch')} -{_format_time(elapsed / max(current, 1), self.unit_name)}"
            sys.stdout.write(line + "\n")
            sys.stdout.flush()

    def _count(self, current: int) -> str:
        return f"{current:{len(str(self.target))}d}/{self.target}"

    def _draw(self, current: int, values, finalize: bool, now: float) -> None:
        done = int(self.width * current / self.target) if self.target else 0
        bar = "=" * max(done - 1, 0) + (("=" if current >= self.target else ">") if done else "")
        line = f"{self._count(current)} [{bar}{'.' * (self.width - done)}]"
        elapsed = now - self._start
        per_step = elapsed / max(current, 1)
        if finalize:
            line += f" - {elapsed:.0f}s{_format_time(per_step, self.unit_name)}"
        else:
            line += f" - ETA: {_eta(per_step * (self.target - current))}"
        line += _values_text(values)
        padding = " " * max(self._shown_width - len(line), 0)
        self._shown_width = len(line)
        sys.stdout.write("\r" + line + padding + ("\n" if finalize else ""))
        sys.stdout.flush()


def _values_text(values) -> str:
    return "".join(f" - {name}: {value:.4f}" if abs(value) > 1e-3 or value == 0 else f" - {name}: {value:.4e}"
                   for name, value in values)


def _format_time(seconds: float, unit: str) -> str:
    if seconds >= 1 or seconds == 0:
        return f" {seconds:.0f}s/{unit}"
    if seconds >= 1e-3:
        return f" {seconds * 1e3:.0f}ms/{unit}"
    return f" {seconds * 1e6:.0f}us/{unit}"


def _eta(seconds: float) -> str:
    if seconds > 3600:
        return f"{int(seconds // 3600)}:{int(seconds % 3600 // 60):02d}:{int(seconds % 60):02d}"
    if seconds > 60:
        return f"{int(seconds // 60)}:{int(seconds % 60):02d}"
    return f"{int(seconds)}s"


class ProgbarLogger(Callback):
    """Prints ``Epoch 1/5`` and a ``Progbar`` per epoch (``fit``) or one for the whole run (``evaluate``)."""

    def __init__(self, verbose: int = 1):
        super().__init__()
        self.verbose = verbose
        self._bar = None

    def on_epoch_begin(self, epoch, logs=None):
        if self.verbose:
            print(f"Epoch {epoch + 1}/{self.params['epochs']}")
        self._bar = Progbar(self.params["steps"], verbose=self.verbose)

    def on_train_batch_end(self, batch, logs=None):
        self._bar.update(batch + 1, list((logs or {}).items()), finalize=False)

    def on_epoch_end(self, epoch, logs=None):
        self._bar.update(self.params["steps"], list((logs or {}).items()), finalize=True)

    def on_test_begin(self, logs=None):
        if not self.params.get("epochs"):    # evaluate(), not fit()'s validation
            self._bar = Progbar(self.params["steps"], verbose=self.verbose)

    def on_test_batch_end(self, batch, logs=None):
        if not self.params.get("epochs"):
            self._bar.update(batch + 1, list((logs or {}).items()))

    def on_predict_begin(self, logs=None):
        self._bar = Progbar(self.params["steps"], verbose=self.verbose)

    def on_predict_batch_end(self, batch, logs=None):
        self._bar.update(batch + 1)


class LambdaCallback(Callback):
    """A callback from functions: ``LambdaCallback(on_epoch_end=lambda epoch, logs: print(logs))``."""

    def __init__(self, on_epoch_begin=None, on_epoch_end=None, on_batch_begin=None, on_batch_end=None,
                 on_train_begin=None, on_train_end=None):
        super().__init__()
        for name, fn in (("on_epoch_begin", on_epoch_begin), ("on_epoch_end", on_epoch_end),
                         ("on_train_batch_begin", on_batch_begin), ("on_train_batch_end", on_batch_end),
                         ("on_train_begin", on_train_begin), ("on_train_end", on_train_end)):
            if fn is not None:
                setattr(self, name, fn)


class EarlyStopping(Callback):
    """Stop ``fit`` when ``monitor`` (default ``val_loss``) has not improved for ``patience`` epochs."""

    def __init__(self, monitor="val_loss", min_delta=0.0, patience=0, verbose=0, mode="auto", baseline=None,
                 restore_best_weights=False):
        super().__init__()
        self.monitor, self.min_delta, self.patience, self.verbose = monitor, abs(min_delta), patience, verbose
        if mode == "auto":
            mode = "max" if "acc" in monitor else "min"
        self.sign = 1.0 if mode == "min" else -1.0
        self.baseline, self.restore_best_weights = baseline, restore_best_weights

    def on_train_begin(self, logs=None):
        self.wait, self.stopped_epoch, self.best_weights = 0, 0, None
        self.best = math.inf if self.baseline is None else self.sign * self.baseline

    def on_epoch_end(self, epoch, logs=None):
        value = (logs or {}).get(self.monitor)
        if value is None:
            return
        if self.sign * value < self.best - self.min_delta:
            self.best, self.wait = self.sign * value, 0
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            return
        self.wait += 1
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True
            if self.restore_best_weights and self.best_weights is not None:
                self.model.set_weights(self.best_weights)

    def on_train_end(self, logs=None):
        if self.stopped_epoch and self.verbose:
            print(f"Epoch {self.stopped_epoch + 1}: early stopping")


class TrainingPlotCallback(Callback):
    """A live plot of the loss and metrics while ``fit`` runs (``minitf.widgets.TrainingPlot``).

    >>> plot = tf.keras.callbacks.TrainingPlotCallback()
    >>> model.fit(x, y, epochs=5, callbacks=[plot])      # the plot appears above the progress line

    Training values are plotted every ``every`` steps (the epoch's running means), validation
    values at the end of each epoch.  ``plot`` is the widget (pass your own to reuse one).
    """

    def __init__(self, plot=None, every: int = 20, title: str | None = None):
        super().__init__()
        self.plot, self.every, self.title = plot, every, title
        self._step = 0

    def on_train_begin(self, logs=None):
        if self.plot is None:
            from ...widgets import TrainingPlot

            self.plot = TrainingPlot((), title=self.title)
            _display(self.plot)

    def on_train_batch_end(self, batch, logs=None):
        self._step += 1
        if self._step % self.every == 0:
            self.plot.update(self._step, **{k: v for k, v in (logs or {}).items() if np.isfinite(v)})

    def on_epoch_end(self, epoch, logs=None):
        self.plot.update(self._step, **{k: v for k, v in (logs or {}).items() if k.startswith("val_")})

    def on_train_end(self, logs=None):
        self.plot.refresh()


def _display(widget) -> None:
    """Show ``widget`` in the notebook (outside IPython there is nothing to show it in)."""
    try:
        from IPython.display import display
    except ImportError:
        return
    display(widget)
