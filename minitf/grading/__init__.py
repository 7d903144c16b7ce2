"""Grading the course's exercises with nbgrader, with grades an instructor can trust.

nbgrader's workflow stays as it is (generate, release, collect, autograde, formgrader,
feedback, the gradebook); ``nbgrader_config.py`` swaps the step that runs the notebooks:

* :mod:`~minitf.grading.sandbox` and :mod:`~minitf.grading.launch`: every submission's kernel
  runs in a bubblewrap sandbox that sees its own files, the installed packages and read-only
  data; no network, no course folder, no other process; limits on memory, CPU, processes, disk;
* :mod:`~minitf.grading.autograde`: the nbgrader preprocessors; test cells never reach the
  student's kernel; every failure costs only its question;
* :mod:`~minitf.grading.judge`: a second sandbox runs the test cells (the course's check, then
  the hidden tests) on the answers, asked for as data through
  :mod:`~minitf.grading.agent`, the kernel's side, in the format of :mod:`~minitf.grading.wire`;
* :mod:`~minitf.grading.evidence`: hooks and patches a submission installs are reported and its
  points held back for the instructor.

docs/grading.md explains the design, how to write a hidden test, and how to run it.
"""
