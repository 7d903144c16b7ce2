"""``tf.train.Coordinator``: how the threads of a TF1 program agree to stop.

    coord = tf.train.Coordinator()
    threads = tf.train.start_queue_runners(sess=sess, coord=coord)
    try:
        while not coord.should_stop():
            sess.run(train_op)
    except tf.errors.OutOfRangeError:
        print('Done: the epochs are over')
    finally:
        coord.request_stop()
    coord.join(threads)         # raises what a queue runner failed with, if anything

minitf's queue runners are not threads (``minitf.train.queue_runner``), but they stop as
TensorFlow's do when the coordinator says so, and report their errors to it.
"""
from __future__ import annotations

import contextlib
import sys

from .. import errors


class Coordinator:
    """A stop flag shared by the training loop and the queue runners, and the first error reported."""

    def __init__(self, clean_stop_exception_types=None):
        self._clean_stop = tuple(clean_stop_exception_types or (errors.OutOfRangeError,))
        self._stopped = False
        self._exc_info = None
        self._threads: list = []
        self._joined = False

    def should_stop(self) -> bool:
        """True once ``request_stop()`` was called (by the loop, or by a runner that failed)."""
        return self._stopped

    def request_stop(self, ex=None) -> None:
        """Ask everyone to stop; ``ex`` (an exception, or ``sys.exc_info()``) is raised later by
        ``join()``, unless it is a clean stop (``OutOfRangeError``: the input is exhausted)."""
        if ex is not None and self._exc_info is None and not self._joined:
            exc_info = ex if isinstance(ex, tuple) else (type(ex), ex, ex.__traceback__)
            if not issubclass(exc_info[0], self._clean_stop):
                self._exc_info = exc_info
        self._stopped = True

    def clear_stop(self) -> None:
        """Forget the stop request and the error, to start threads again."""
        self._stopped, self._exc_info, self._joined = False, None, False

    @contextlib.contextmanager
    def stop_on_exception(self):
        """``with coord.stop_on_exception():`` -- an exception in the block requests a stop with it."""
        try:
            yield
        except Exception:  # noqa: BLE001  (reported to join(), as TensorFlow does)
            self.request_stop(ex=sys.exc_info())

    def wait_for_stop(self, timeout=None) -> bool:
        """Whether a stop was requested (nothing else can request one while this program waits)."""
        return self._stopped

    def register_thread(self, thread) -> None:
        """Have ``join()`` wait for ``thread`` too."""
        self._threads.append(thread)

    def join(self, threads=None, stop_grace_period_secs=120, ignore_live_threads=False) -> None:
        """Wait for the threads, then raise the error a stop was requested with, if any."""
        for thread in list(threads or []) + self._threads:
            thread.join()
        self._threads = []
        self._joined = True
        self.raise_requested_exception()

    @property
    def joined(self) -> bool:
        return self._joined

    def raise_requested_exception(self) -> None:
        """Raise the error a stop was requested with, if any."""
        if self._exc_info is not None:
            _, value, traceback = self._exc_info
            raise value.with_traceback(traceback)
