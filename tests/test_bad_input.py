"""Bad input, TF1 to the letter: every case of tests/data/tf1_oracle/bad_input.py against real TensorFlow.

Each case is a small graph that real TensorFlow 1.15 refuses.  ``record_tf.py`` ran the cases
under TF 1.15 and TF 2 (``bad_input.tf1_15.json``, ``.tf2.json``); here they run under minitf, which must
refuse them at the same moment (while building, or in ``Session.run``), with the same exception
class and the same message.  Messages compare by their first line, the key TF prints before the
node it failed in; a shape error raised while building names its node the way TF 2 prints it
(``for '{{node mm}} = MatMul[...](a, b)'``), TF 1.15 as ``for 'mm' (op: 'MatMul')``: both are
reduced to ``for 'mm'``.  A run-time error must be a ``tf.errors`` class whose ``op`` is the
node TF1 names, and the message must name it too.
"""
import re

import pytest

import minitf as tf
from tf1_oracle import load_cases, recorded

cases = load_cases("bad_input")
runner = load_cases("runner")
TF1 = recorded("bad_input.tf1_15")
TF2 = recorded("bad_input.tf2")

# Cases where minitf prints what TensorFlow 2's tf.compat.v1 prints, as the acceptance probe
# (../shared/acceptance/probes) pins it, rather than TF 1.15's wording.
FOLLOWS_TF2 = {
    **dict.fromkeys([
        "fetch_none", "fetch_an_int", "fetch_a_float_in_a_list", "fetch_a_numpy_array",
        "fetch_a_name_that_does_not_exist", "fetch_an_operation_name_that_does_not_exist",
        "fetch_an_output_that_does_not_exist", "fetch_a_tensor_of_another_graph",
    ], "fetch errors: 'Argument `fetch` = ...' (TF 1.15: 'Fetch argument ...')"),
    **dict.fromkeys(["feed_the_wrong_shape", "feed_the_wrong_rank"],
                    "feed shapes unquoted: 'for Tensor p:0, which has shape (3,)'"),
    **dict.fromkeys(["int_constant_of_a_float", "variable_int_assign_add_float"],
                    "a Python float for an integer: 'Expected int32, but got 1.5 of type 'float'.'"),
    "get_variable_without_shape": "'Variable w did not get an initializer, so its `shape` argument must be specified.'",
    "combine_tensors_of_two_graphs": "names both graphs: '... (graphs are <Graph ...> and <Graph ...>).'",
    "add_int_and_float_tensors": "tf.add makes an AddV2 op, as TF 2 does (TF 1.15: Add)",
}


# Cases whose message is numpy's own, which newer numpy versions extend: minitf's must begin with TF1's.
NUMPY_MESSAGE = {"feed_a_ragged_list"}


def key(message: str) -> str:
    """The first line of a message, with the node of a shape error named as ``for 'name'``, and what
    differs from process to process (addresses, TF1's count of py_funcs) left out."""
    first = message.split("\n")[0]
    first = re.sub(r"for '([^']*)' \(op: '\w+'\)", r"for '\1'", first)
    first = re.sub(r"for '\{\{node ([^}]*)\}\} = [^']*'", r"for '\1'", first)
    first = re.sub(r"<[\w.]*Graph object at 0x[0-9a-f…]+>", "<Graph object>", first)
    first = re.sub(r"0x[0-9a-f]+", "0x…", first)
    return re.sub(r"pyfunc_\d+", "pyfunc_N", first)


def expected(name: str) -> dict:
    return (TF2 if name in FOLLOWS_TF2 else TF1)[name]


def test_every_case_raises_under_tf1():
    assert len(cases.CASES) >= 115 and set(cases.CASES) == set(TF1)
    assert all(TF1[name]["phase"] != "none" for name in cases.CASES)


@pytest.mark.parametrize("name", list(cases.CASES))
def test_bad_input_is_refused_as_tf1_refuses_it(name):
    want = expected(name)
    got = runner.outcome(tf, cases.CASES[name])
    assert (got["phase"], got.get("error")) == (want["phase"], want["error"]), got.get("message")
    if name in NUMPY_MESSAGE:
        assert key(got["message"]).startswith(key(want["message"]))
    else:
        assert key(got["message"]) == key(want["message"])
    if want["op"] is not None:   # an error of a running op: name it as TF1 does
        assert isinstance(getattr(tf.errors, want["error"], None), type)
        assert want["op"] == got["op"]
        assert want["op"] in got["message"]
