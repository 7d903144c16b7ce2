"""The machinery behind ``check("03.q2")``: a registry of questions, helpful failures, a time limit.

A question's check is a plain function registered with :func:`question`. It receives the
student's answers (looked up by name in the notebook's globals) and calls :func:`expect` for
each thing it verifies; the first unmet expectation stops it with a :class:`CheckFailed` whose
message says what was expected and where to look::

    @question("01.q1", "zeros_3d")
    def _(zeros_3d):
        expect_tensor(zeros_3d, "zeros_3d")
        expect(zeros_3d.shape.as_list() == [3, 3, 3], f"`zeros_3d` has shape {zeros_3d.shape}, "
               "expected (3, 3, 3).", "the shape argument of tf.zeros(shape).")

Checks run in a fresh default graph (so op names are predictable) and under a time limit, so
an answer with an endless loop stops with a clear message instead of hanging the kernel.
"""
from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
import traceback
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

from ..graph import Graph, Operation, Tensor
from ..session import Session
from ..variables import Variable, global_variables_initializer

DEFAULT_TIMEOUT = 60.0


class CheckFailed(AssertionError):
    """An answer is not right yet; the message says what was expected and what to look at.

    It is an ``AssertionError``, so a failed check also fails an nbgrader test cell.
    """

    def _render_traceback_(self) -> list[str]:
        """What IPython shows: the message, after the traceback of the student's code if that
        is what raised, but never the checker's own frames."""
        lines = []
        cause = self.__cause__
        if cause is not None:
            student_frames = cause.__traceback__.tb_next if cause.__traceback__ else None
            lines = "".join(traceback.format_exception(type(cause), cause, student_frames)).splitlines()
            lines.append("")
        return lines + f"✘ {self}".splitlines()


class CheckTimeout(CheckFailed):
    """A check ran longer than its time limit (usually an endless loop in the answer)."""


@dataclass(frozen=True)
class Question:
    """One exercise: its id (``"05.q2"``), the notebook names it reads, and its check."""

    id: str
    names: tuple[str, ...]
    verify: Callable[..., None]
    timeout: float
    fresh_graph: bool


QUESTIONS: dict[str, Question] = {}


def question(qid: str, *names: str, timeout: float = DEFAULT_TIMEOUT, fresh_graph: bool = True):
    """Register the decorated function as the check of question ``qid``.

    ``names`` are the notebook globals the check receives, in order, as arguments. The check
    runs in a new default graph unless ``fresh_graph`` is False (to look at the notebook's own).
    """
    def register(verify: Callable[..., None]) -> Callable[..., None]:
        if qid in QUESTIONS:
            raise ValueError(f"Question {qid!r} is registered twice.")
        QUESTIONS[qid] = Question(qid, names, verify, timeout, fresh_graph)
        return verify
    return register


def check(qid: str, namespace: dict[str, Any] | None = None) -> None:
    """Check your answer to question ``qid``: prints a pass, or raises :class:`CheckFailed`.

    The answers are read from ``namespace``, by default the globals of the caller (the
    notebook), so run the cell with your answer first::

        from minitf.selfcheck import check
        check("01.q1")          # ✔ 01.q1 passed.
    """
    if qid not in QUESTIONS:
        known = ", ".join(sorted(QUESTIONS))
        raise KeyError(f"There is no question {qid!r}. The questions are: {known}.")
    q = QUESTIONS[qid]
    if namespace is None:
        namespace = sys._getframe(1).f_globals
    missing = [name for name in q.names if name not in namespace]
    if missing:
        raise CheckFailed(f"{qid}: `{missing[0]}` is not defined yet.\n"
                          f"  Look at: write your answer in the cell above and run it (Shift+Enter) first.")
    answers = [namespace[name] for name in q.names]
    with Graph().as_default() if q.fresh_graph else contextlib.nullcontext():
        try:
            _run_with_time_limit(lambda: q.verify(*answers), q.timeout)
        except CheckFailed as failure:
            failure.args = (f"{qid}: {failure}",)
            raise
    print(f"✔ {qid} passed.")


def expect(condition: Any, problem: str, hint: str = "") -> None:
    """Fail the check with ``problem`` (what is wrong) and ``hint`` (where to look) unless ``condition``."""
    if not condition:
        raise CheckFailed(problem + (f"\n  Look at: {hint}" if hint else ""))


def call(function: Any, *args: Any, name: str, hints: dict | None = None) -> Any:
    """Call the student's ``function``, turning an exception it raises into a helpful failure.

    ``hints`` maps exception classes to advice for that error (the default: read the traceback).
    """
    expect(callable(function), f"`{name}` should be a function (def {name}(...): ...), "
                               f"got {type(function).__name__}.")
    try:
        return function(*args)
    except NotImplementedError:
        raise CheckFailed(f"`{name}` is not written yet.\n  Look at: replace `raise NotImplementedError()` "
                          f"with your code.") from None
    except Exception as error:
        hint = next((advice for kind, advice in (hints or {}).items() if isinstance(error, kind)),
                    "the traceback above shows the line of your code that failed.")
        raise CheckFailed(f"`{name}` raised {type(error).__name__}: {error}\n  Look at: {hint}") from error


def expect_tensor(value: Any, name: str, hint: str = "") -> Tensor:
    """``value`` itself, after checking that it is a ``tf.Tensor``."""
    expect(isinstance(value, Tensor), f"`{name}` should be a tf.Tensor, got {type(value).__name__} {value!r:.60}.",
           hint or "build it with minitf ops (tf.constant, tf.add, ...); do not run it in a session.")
    return value


def evaluate(fetches: Any, feed_dict: dict | None = None, init: bool = False, first: Sequence = ()) -> Any:
    """Run ``fetches`` in a new session on their graph.

    ``init`` initialises the variables first; the ops in ``first`` (training steps, say) then
    run once each, in order, before the fetches.
    """
    elements = list(fetches) if isinstance(fetches, (list, tuple)) else [fetches]
    graph = next(e.graph for e in elements + list(first) if isinstance(e, (Tensor, Operation, Variable)))
    with Session(graph=graph) as sess:
        if init:
            with graph.as_default():
                sess.run(global_variables_initializer())
        for op in first:
            sess.run(op, feed_dict=feed_dict)
        return sess.run(fetches, feed_dict=feed_dict)


def same_values(actual: Any, expected: Any, rtol: float = 1e-5, atol: float = 1e-6) -> bool:
    """Whether two arrays (or nests of numbers) have the same shape and close values."""
    actual, expected = np.asarray(actual), np.asarray(expected)
    if actual.shape != expected.shape:
        return False
    if actual.dtype.kind in "OSU" or expected.dtype.kind in "OSU":
        return bool(np.all(actual == expected))
    return bool(np.allclose(actual, expected, rtol=rtol, atol=atol))


class _TimeUp(BaseException):
    """Raised inside the answer when time is up; a BaseException so `except Exception` cannot swallow it."""


REPEAT = 0.05  # seconds between the stops sent to an answer that swallowed the first one
GRACE = 2.0    # seconds an answer may still run after its time is up before its process is ended


def _run_with_time_limit(body: Callable[[], None], seconds: float) -> None:
    """Run ``body``, stopping it with :class:`CheckTimeout` after ``seconds``.

    In the main thread of a Unix kernel (Jupyter, Colab) a timer signal interrupts the answer
    where it is. An answer may catch that (``except: pass`` in a loop), so once time is up the
    signal comes again every :data:`REPEAT` seconds and every line of the answer that still runs
    raises again, its ``except`` lines included. An answer can still outlast that (``except``
    clauses nested in a loop catch the stop raised in the inner one), so the limit is also hard:
    a watchdog thread ends the process (the kernel) if the answer still runs :data:`GRACE`
    seconds after its time, saying so first. Elsewhere (Windows, other threads) the body runs in
    a helper thread that is left behind when time is up, so the message asks for a kernel restart.
    """
    timeout = CheckTimeout(f"the check was stopped after {seconds:g} s: your code did not finish.\n"
                           f"  Look at: a loop that never ends, or far more training steps than the "
                           f"exercise asks for.")
    if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
        _run_in_main_thread(body, seconds, timeout)
        return
    outcome: list[BaseException] = []

    def guarded() -> None:
        try:
            body()
        except BaseException as error:  # handed over to the calling thread below
            outcome.append(error)
    worker = threading.Thread(target=guarded, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise CheckTimeout(f"{timeout}\n  It is still running in the background: restart the kernel to stop it.")
    if outcome:
        raise outcome[0]


def _run_in_main_thread(body: Callable[[], None], seconds: float, timeout: CheckTimeout) -> None:
    guard = sys._getframe()          # frames below this one are the answer's; this one and above are ours

    def inside_answer(frame: Any) -> bool:
        frame = frame.f_back if frame is not guard else None
        while frame is not None and frame is not guard:
            frame = frame.f_back
        return frame is guard

    def stop_line(frame: Any, event: str, arg: Any) -> Any:
        if event in ("line", "call") and inside_answer(frame):
            raise _TimeUp   # raising ends tracing in CPython; the next signal sets it again
        return stop_line

    def time_up(signum: int, frame: Any) -> None:
        if frame is None or not inside_answer(frame):
            return
        sys.settrace(stop_line)       # every new call raises, and every line of the calls running now
        while frame is not guard:
            frame.f_trace, frame.f_trace_lines = stop_line, True
            frame = frame.f_back
        raise _TimeUp

    previous_trace = sys.gettrace()
    previous = signal.signal(signal.SIGALRM, time_up)
    finished = threading.Event()
    threading.Thread(target=_end_process_unless, args=(finished, seconds + GRACE, timeout),
                     name="selfcheck watchdog", daemon=True).start()
    signal.setitimer(signal.ITIMER_REAL, seconds, REPEAT)
    try:
        body()
    except _TimeUp:
        raise timeout from None
    finally:
        finished.set()
        sys.settrace(previous_trace)
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _end_process_unless(finished: threading.Event, seconds: float, timeout: CheckTimeout) -> None:
    """The hard limit: unless ``finished`` within ``seconds``, the answer has caught every stop
    Python can send it, and only ending its process stops it; say so where the student looks."""
    if finished.wait(seconds):
        return
    stderr = sys.stderr or sys.__stderr__
    with contextlib.suppress(Exception):   # the message is a courtesy: the process ends regardless
        stderr.write(f"\n✘ {str(timeout).splitlines()[0]}\n  Your code caught every stop (an `except` that "
                     f"swallows exceptions, in a loop), so the check ended this Python process (the kernel: "
                     f"restart it, then run the cells above again).\n  {timeout.args[0].splitlines()[-1].strip()}\n")
        stderr.flush()
        time.sleep(0.5)                    # Jupyter sends the message on its own thread
    os.kill(os.getpid(), signal.SIGKILL)
