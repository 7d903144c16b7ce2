"""nbgrader configuration of the minitf course (see docs/exercises.md, "For instructors").

The course directory is the folder holding this file:

    solutions/<assignment>/<assignment>.ipynb   nbgrader's "source": solutions and hidden tests
    exercises/<assignment>/<assignment>.ipynb   nbgrader's "release": the student versions

so ``nbgrader generate_assignment "*" --force --no-db`` run here regenerates every student
version (``--no-db``: the repo keeps no gradebook; tests/test_nbgrader.py fails when a committed
one is stale). Copied into a grading folder, collected work goes to
``submitted/<student>/<assignment>/``, grades to ``autograded/`` and ``gradebook.db``, feedback to
``feedback/``, as nbgrader does by default.
"""
from jupyter_core.utils import run_sync
from nbclient.exceptions import DeadKernelError
from nbformat.v4 import new_output
from nbgrader.converters import Autograde
from nbgrader.preprocessors import ClearHiddenTests, Execute, GetGrades
from nbgrader.utils import is_grade

c = get_config()  # noqa: F821  (provided by traitlets when it loads this file)

c.CourseDirectory.course_id = "minitf-course"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
# The known-wrong answers kept beside each solution (tests/test_wrong_answers.py) stay with the
# instructor: never released to students, never copied into a submission.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "wrong_answers.py"]

# Grading runs every cell of a submission; a cell that runs longer than this many seconds (an
# endless loop, say) is interrupted, marked as an error, and grading goes on with the next cell.
# The longest legitimate cell is the MNIST training of exercises 07 on the full data set.
c.Execute.timeout = 600
c.Execute.interrupt_on_timeout = True


class ExecuteSurvivingCrashes(Execute):
    """nbgrader's Execute, except that a cell killing the kernel fails only itself.

    nbgrader gives up on the whole notebook when the kernel dies (a crash, or memory exhausted):
    every question of the submission would score 0. Here the cell gets an error output, a new
    kernel replays the cells before it that ran without error, and grading goes on.
    """

    def preprocess_cell(self, cell, resources, index):
        try:
            return super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            self.log.warning("The kernel died in cell %d; restarting it and replaying the cells before", index)
            cell.outputs.append(new_output("error", ename="DeadKernelError", evalue="the kernel died running this cell",
                                           traceback=["DeadKernelError: the kernel died running this cell "
                                                      "(a crash, or all memory used up)"]))
            run_sync(self.km.restart_kernel)(now=True)
            self.kc.stop_channels()
            self.start_new_kernel_client()
            for earlier in self.nb.cells[:index]:
                if earlier.cell_type == "code" and not any(o.output_type == "error" for o in earlier.outputs):
                    self.wait_for_reply(self.kc.execute(earlier.source, silent=True, store_history=False))
            return cell, self.resources


c.Autograde.autograde_preprocessors = [ExecuteSurvivingCrashes if step is Execute else step
                                       for step in Autograde.class_traits()["autograde_preprocessors"].default()]


class HideHiddenTests(ClearHiddenTests):
    """Feedback shows whether each hidden test passed, never the test's code.

    nbgrader's feedback renders the autograded notebook, in which the hidden tests have been put
    back: their source, and tracebacks quoting their lines, would reach the students
    (jupyter/nbgrader#917). This removes the hidden regions from the test cells, as
    ``generate_assignment`` does, and shortens their error tracebacks to the last line
    (``AssertionError: <message>``).
    """

    def preprocess_cell(self, cell, resources, cell_index):
        cell, resources = super().preprocess_cell(cell, resources, cell_index)
        if cell.cell_type == "code" and is_grade(cell):
            for output in cell.outputs:
                if output.output_type == "error":
                    output.traceback = [f"{output.ename}: {output.evalue}"]
        return cell, resources


c.GenerateFeedback.preprocessors = [GetGrades, HideHiddenTests, "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor"]
