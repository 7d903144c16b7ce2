"""nbgrader configuration of the minitf course (see docs/grading.md).

The course directory is the folder holding this file:

    solutions/<assignment>/<assignment>.ipynb   nbgrader's "source": solutions and hidden tests
    exercises/<assignment>/<assignment>.ipynb   nbgrader's "release": the student versions

so ``nbgrader generate_assignment "*" --force --no-db`` run here regenerates every student
version (``--no-db``: the repo keeps no gradebook; tests/grading/test_nbgrader.py fails when a committed
one is stale). Copied into a grading folder, collected work goes to
``submitted/<student>/<assignment>/``, grades to ``autograded/`` and ``gradebook.db``, feedback to
``feedback/``, as nbgrader does by default.

Autograding runs each submission's code in a sandbox (bubblewrap: ``apt-get install bubblewrap``)
and its test cells in a second one, on the answers handed over as data; see
``minitf/grading/__init__.py`` and docs/grading.md.
"""
from nbgrader.converters import Autograde
from nbgrader.preprocessors import Execute, GetGrades, SaveAutoGrades

from minitf.grading.autograde import FlagForReview, HideHiddenTests, SandboxedExecute

c = get_config()  # noqa: F821  (provided by traitlets when it loads this file)

c.CourseDirectory.course_id = "minitf-course"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
# The known-wrong answers kept beside each solution (tests/selfcheck/test_wrong_answers.py) stay with the
# instructor: never released to students, never copied into a submission.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "wrong_answers.py"]

# A cell that runs longer than this many seconds is stopped (its sandbox killed) and its question
# scores 0; grading goes on with the next question, in a new sandbox. The longest legitimate cell is the
# MNIST training of exercises 07 on the full data set.
c.Execute.timeout = 600
c.SandboxedExecute.test_timeout = 300   # one test cell, the student's code it calls included

# Limits of each sandbox (the student's kernel, and the judge running the tests).
c.Sandbox.memory_mb = 4096
c.Sandbox.cpu_seconds = 3600
c.Sandbox.processes = 256
c.Sandbox.disk_mb = 512

# A deleted test cell is put back (at the end of the notebook), so it is graded, not skipped.
c.OverwriteCells.add_missing_cells = True


def _autograde_steps() -> list:
    steps = []
    for step in Autograde.class_traits()["autograde_preprocessors"].default():
        steps.append(SandboxedExecute if step is Execute else step)
        if step is SaveAutoGrades:
            steps.append(FlagForReview)
    return steps


c.Autograde.autograde_preprocessors = _autograde_steps()
c.GenerateFeedback.preprocessors = [GetGrades, HideHiddenTests, "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor"]
