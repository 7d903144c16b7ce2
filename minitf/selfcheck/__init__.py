"""Self-checks for the course exercises: ``check("03.q2")`` says whether your answer is right.

Each exercise notebook (``exercises/``) ends every question with a check cell::

    from minitf.selfcheck import check
    check("03.q2")

It prints ``✔ 03.q2 passed.``, or stops with a :class:`CheckFailed` that says what was
expected and what to look at. The checks ship inside minitf, so they work wherever minitf is
installed (Jupyter, Colab), without nbgrader and without the notebook being a file on disk.
They never hang the kernel: a check that runs longer than its time limit stops with
:class:`CheckTimeout`; an answer that catches every stop (``except`` clauses nested in a loop)
has its kernel ended a moment later, with a message saying so. An instructor grading with nbgrader runs the same checks plus hidden tests.

The checks of one notebook live in the module named after its chapter (``tensors.py`` for
exercises 01, ...); :mod:`~minitf.selfcheck.core` holds the machinery.
"""
from . import classification, graphs, mnist, regression, sessions, tensors, tf2, variables  # noqa: F401 (registers)
from .core import QUESTIONS, CheckFailed, CheckTimeout, check

__all__ = ["QUESTIONS", "CheckFailed", "CheckTimeout", "check"]
