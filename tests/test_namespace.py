"""TF 1.15's whole public API (minitf/tf1_api/tf1_15.json) accounted for, symbol by symbol.

Every listed symbol either works in minitf, as the kind of thing TF 1.15 has there, or raises
the one error ``NotInMinitfError`` naming the symbol and what to use instead.
"""
import inspect

import pytest

import minitf as tf
from minitf.tf1_api import NotInMinitfError, resolve, symbols

LISTED = symbols()


def test_the_list_covers_tf_1_15s_main_modules():
    modules = {path.rpartition(".")[0] for path in LISTED}
    for name in ("tf", "tf.nn", "tf.train", "tf.layers", "tf.losses", "tf.math", "tf.random", "tf.summary",
                 "tf.initializers", "tf.errors", "tf.image", "tf.linalg", "tf.strings", "tf.data", "tf.keras",
                 "tf.contrib"):
        assert name in modules
    assert len(LISTED) > 1500 and LISTED["tf.nn.relu"] == "function" and LISTED["tf.Session"] == "class"
    assert LISTED["tf.float32"] == "constant" and LISTED["tf.nn.rnn_cell"] == "module"


def _looks_like(value, kind: str) -> bool:
    if kind in ("function", "class"):
        return callable(value)
    if kind == "module":
        return not callable(value) and (inspect.ismodule(value) or hasattr(value, "__dict__"))
    return True


def test_every_symbol_works_or_says_what_to_use_instead():
    works, missing = [], []
    for path, kind in LISTED.items():
        try:
            value = resolve(path)
        except NotInMinitfError as e:
            message = str(e)
            assert message.startswith(f"minitf does not implement {path} (a TensorFlow 1.15 {kind}); "), message
            assert e.symbol == path and len(message) > len(path) + 60
            missing.append(path)
        else:
            assert _looks_like(value, kind), (path, kind, value)
            works.append(path)
    assert len(works) >= 600, len(works)


@pytest.mark.parametrize("path", ["tf.to_float", "tf.to_int32", "tf.to_int64", "tf.div", "tf.initialize_all_variables",
                                  "tf.all_variables", "tf.Print", "tf.nn.softmax_cross_entropy_with_logits",
                                  "tf.train.checkpoint_exists", "tf.NoGradient", "tf.arg_max", "tf.arg_min",
                                  "tf.to_double", "tf.initialize_variables", "tf.initialize_local_variables",
                                  "tf.floor_div", "tf.reverse_v2", "tf.log_sigmoid"])
def test_deprecated_aliases_that_tf1_still_exports_work(path):
    assert callable(resolve(path))


def test_tf1_aliases_are_the_same_function():
    assert tf.math.log is tf.log and tf.random.normal is tf.random_normal and tf.linalg.matmul is tf.matmul
    assert tf.initializers.zeros is tf.zeros_initializer and tf.nn.sigmoid is tf.sigmoid
    assert tf.app.flags is tf.flags and tf.compat.v1 is tf and tf.math.reduce_sum is tf.reduce_sum


def test_one_error_for_missing_symbols_that_hasattr_understands():
    with pytest.raises(NotInMinitfError) as info:
        tf.image.resize_bicubic
    assert str(info.value).startswith("minitf does not implement tf.image.resize_bicubic (a TensorFlow 1.15 "
                                      "function); ")
    assert isinstance(info.value, AttributeError)
    assert not hasattr(tf.nn, "ctc_loss") and not hasattr(tf.contrib, "slim") and not hasattr(tf, "keras_x")
    assert "tf.nn.raw_rnn" in str(pytest.raises(NotInMinitfError, getattr, tf.nn, "raw_rnn").value)
    assert "tf.keras.layers" in str(pytest.raises(NotInMinitfError, getattr, tf.keras, "layers").value)


def test_names_tf1_does_not_have_raise_pythons_usual_error():
    with pytest.raises(AttributeError) as info:
        tf.mul            # removed in TF 1.0
    assert not isinstance(info.value, NotInMinitfError)
    assert str(info.value) == "module 'minitf' has no attribute 'mul'"
    with pytest.raises(AttributeError, match="^module 'minitf.nn' has no attribute 'nope'$"):
        tf.nn.nope
