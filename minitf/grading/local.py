"""Try a notebook's test cells in this process, without nbgrader or a sandbox: for authors.

    python -m minitf.grading.local solutions/05_regression/05_regression.ipynb
    python -m minitf.grading.local --blank solutions/05_regression/05_regression.ipynb

runs the notebook's cells in an IPython shell with the grading agent, and each test cell in the
judge's code (the check, then ``hidden_test``) in a thread of its own, talking to the agent
directly instead of through a grader; it prints each question's verdict. ``--blank`` first replaces each solution region by
``raise NotImplementedError()``, as the student version has it. It runs the notebook's code
unconfined: use it on your own notebooks, never on a submission (``nbgrader autograde`` is for those).
"""
from __future__ import annotations

import argparse
import queue
import re
import sys
import threading
from typing import Any

from .agent import Agent
from .autograde import split_test_cell
from .judge import run_test

_SOLUTION = re.compile(r"^([ \t]*)### BEGIN SOLUTION[ \t]*\n.*?^[ \t]*### END SOLUTION[ \t]*$", re.S | re.M)


class ThreadChannel:
    """The judge's channel to an agent in this process: the judge runs in a thread of its own
    (its default graphs apart from the notebook's, as in its own process), and the agent answers
    in the notebook's thread."""

    def __init__(self) -> None:
        self.requests: queue.Queue = queue.Queue()
        self.replies: queue.Queue = queue.Queue()

    def ask(self, text: str) -> dict:
        self.requests.put(text)
        return self.replies.get()


def judge(agent: Agent, message: dict) -> dict:
    """Run one test cell in the judge's code, serving its requests with ``agent``; its verdict."""
    channel, verdict = ThreadChannel(), {}

    def run() -> None:
        try:
            verdict.update(run_test(channel, message))
        finally:
            channel.requests.put(None)

    thread = threading.Thread(target=run, name=f"judge {message['question']}")
    thread.start()
    while (text := channel.requests.get()) is not None:
        channel.replies.put({"type": "reply", "text": agent.handle(text)})
    thread.join()
    return verdict


def blank(source: str) -> str:
    """A solution cell as the student version has it: each solution region becomes
    ``raise NotImplementedError()`` (what nbgrader's ClearSolutions writes)."""
    return _SOLUTION.sub(lambda m: f"{m.group(1)}raise NotImplementedError()", source)


def grade(notebook: Any, answered: bool = True) -> dict[str, dict]:
    """Run ``notebook`` (an nbformat notebook) top to bottom; the judge's verdict of each test cell."""
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell()
    agent = Agent(shell)
    verdicts = {}
    for cell in notebook.cells:
        info = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code":
            continue
        if info.get("grade") and not info.get("solution"):
            visible, hidden = split_test_cell(cell.source)
            question = info["grade_id"]
            verdicts[question] = judge(agent, {"question": question, "visible": visible, "hidden": hidden})
        else:
            shell.run_cell(cell.source if answered or not info.get("solution") else blank(cell.source))
    return verdicts


def main(argv: list[str] | None = None) -> int:
    import nbformat

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook")
    parser.add_argument("--blank", action="store_true", help="grade the student version (solutions removed)")
    args = parser.parse_args(argv)
    failed = 0
    for question, verdict in grade(nbformat.read(args.notebook, as_version=4), answered=not args.blank).items():
        error = verdict.get("error") or {}
        print(f"{question}: {'passed' if verdict['passed'] else 'FAILED'}", *(
            [f"  {error.get('ename')}: {error.get('evalue')}"] if error else []), sep="\n")
        failed += not verdict["passed"]
    return 1 if failed and not args.blank else 0


if __name__ == "__main__":
    sys.exit(main())
