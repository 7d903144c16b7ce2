"""``tf.train.QueueRunner`` and ``tf.train.start_queue_runners``: who fills the queues.

A QueueRunner holds a queue and the enqueue ops that fill it (``tf.train.batch`` and the input
producers add one to ``GraphKeys.QUEUE_RUNNERS``).  In TensorFlow, ``start_queue_runners`` starts
a thread per enqueue op that runs it until its input ends (``OutOfRangeError``: the queue is
closed) or the coordinator says stop.  minitf is single-threaded: starting a runner hands its
"threads" to the queue in that session, and a dequeue that needs elements runs them
(``minitf.ops.data_flow_ops``).  ``join()`` and ``is_alive()`` answer as the threads would.
"""
from __future__ import annotations

from .. import errors
from ..graph import GraphKeys, add_to_collection, get_default_session
from ..ops.data_flow_ops import ResourceOp
from ..session import Session, ops_to_run


class QueueRunner:
    """The queue, its enqueue ops (one per thread) and the ops that close it."""

    def __init__(self, queue=None, enqueue_ops=None, close_op=None, cancel_op=None,
                 queue_closed_exception_types=None, queue_runner_def=None, import_scope=None):
        if queue is None or not enqueue_ops:
            raise ValueError("QueueRunner needs a queue and enqueue_ops")
        self._queue, self._enqueue_ops = queue, list(enqueue_ops)
        self._close_op = close_op if close_op is not None else queue.close()
        self._cancel_op = cancel_op if cancel_op is not None else queue.close(cancel_pending_enqueues=True)
        self._closed_types = tuple(queue_closed_exception_types or (errors.OutOfRangeError, errors.CancelledError))
        self._exceptions_raised: list = []

    queue = property(lambda self: self._queue)
    enqueue_ops = property(lambda self: self._enqueue_ops)
    close_op = property(lambda self: self._close_op)
    cancel_op = property(lambda self: self._cancel_op)
    queue_closed_exception_types = property(lambda self: self._closed_types)
    exceptions_raised = property(lambda self: list(self._exceptions_raised))
    name = property(lambda self: self._queue.name)

    def create_threads(self, sess, coord=None, daemon: bool = False, start: bool = False) -> list:
        """One thread per enqueue op (and, with ``coord``, one that closes the queue on a stop).
        ``start``: they begin filling the queue in ``sess`` (from its next dequeue on)."""
        for op in ops_to_run(self._enqueue_ops, graph=sess.graph):   # TF numbers queues and readers as
            if isinstance(op.kind, ResourceOp):                       # its threads create them
                op.kind.state_in(op, sess)
        state = self._queue.queue_op.kind.state_in(self._queue.queue_op, sess)
        if any(f.runner is self and not f.finished for f in state.feeders):
            return []   # already running in this session
        threads = [RunnerThread(self, sess, op, coord, daemon) for op in self._enqueue_ops]
        if coord is not None:
            threads.append(RunnerThread(self, sess, None, coord, daemon))
            for thread in threads:
                coord.register_thread(thread)
        if start:
            state.feeders.extend(t for t in threads if t.enqueue_op is not None)
        return threads

    def report(self, error: Exception) -> None:
        self._exceptions_raised.append(error)


class RunnerThread:
    """What stands for one of a QueueRunner's threads: ``step()`` runs its enqueue op once (a dequeue
    calls it); it ends when its input ends, when it fails, or when the coordinator says stop --
    then, as TF's last runner thread does, it closes the queue.  ``enqueue_op`` None: the thread
    that only waits for the coordinator's stop."""

    def __init__(self, runner: QueueRunner, sess, enqueue_op, coord, daemon: bool):
        self.runner, self.sess, self.enqueue_op, self.coord, self.daemon = runner, sess, enqueue_op, coord, daemon
        self.name = f"QueueRunnerThread-{runner.name}-{enqueue_op.name if enqueue_op is not None else 'close_on_stop'}"
        self._done = False

    def __repr__(self):
        state = "started" if self.is_alive() else "stopped"
        return f"<Thread({self.name}, {state}{' daemon' if self.daemon else ''} {id(self)})>"

    @property
    def finished(self) -> bool:
        """True once it has closed its queue (it may still have to, after a stop: see ``step``)."""
        return self._done

    def is_alive(self) -> bool:
        return not self._done and not (self.coord is not None and self.coord.should_stop())

    def join(self, timeout=None) -> None:
        """Returns at once: minitf's runners only run inside a dequeue."""

    def start(self) -> None:
        state = self.runner.queue.queue_op.kind.state_in(self.runner.queue.queue_op, self.sess)
        if self.enqueue_op is not None and self not in state.feeders:
            state.feeders.append(self)

    def step(self) -> None:
        """Run the enqueue op once; its input ending (or a stop) closes the queue, an error is reported."""
        if self.coord is not None and self.coord.should_stop():
            self._finish(self.runner.cancel_op)
            return
        try:
            self.sess.run(self.enqueue_op)
        except self.runner.queue_closed_exception_types:
            self._finish(self.runner.close_op)
        except errors.OpError as e:
            if self.coord is None:   # TensorFlow's thread would die and leave the program waiting forever
                raise
            self.runner.report(e)
            self.coord.request_stop(e)
            self._finish(self.runner.cancel_op)

    def _finish(self, close_op) -> None:
        self._done = True
        self.sess.run(close_op)


def add_queue_runner(qr: QueueRunner, collection: str = GraphKeys.QUEUE_RUNNERS) -> None:
    """Add ``qr`` to the graph's queue runners, for ``start_queue_runners``."""
    add_to_collection(collection, qr)


def start_queue_runners(sess=None, coord=None, daemon: bool = True, start: bool = True,
                        collection: str = GraphKeys.QUEUE_RUNNERS) -> list:
    """Start the graph's queue runners in ``sess`` (the default session if None); returns their threads."""
    if sess is None:
        sess = get_default_session()
        if sess is None:
            raise ValueError("Cannot start queue runners: No default session is registered. Use `with "
                             "sess.as_default()` or pass an explicit session to tf.start_queue_runners(sess=sess)")
    if not isinstance(sess, Session):
        raise TypeError(f"sess must be a `tf.Session` object. Given class: {sess.__class__}")
    threads = []
    for runner in sess.graph.get_collection(collection):
        threads.extend(runner.create_threads(sess, coord=coord, daemon=daemon, start=start))
    return threads
