"""Smaller TF1 APIs tutorial scripts use: tf.app/tf.flags, tf.Print, tf.py_func, tf.random, tf.math."""
import logging
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import minitf as tf

SCRIPT = textwrap.dedent("""
    import minitf as tf
    tf.app.flags.DEFINE_integer("epochs", 10, "passes over the data")
    tf.app.flags.DEFINE_string("name", "mnist", "data set")
    tf.app.flags.DEFINE_boolean("fast", False, "quick run")
    FLAGS = tf.app.flags.FLAGS

    def main(argv):
        print(FLAGS.epochs, FLAGS.name, FLAGS.fast, argv[1:])

    tf.app.run()
""")


def run_script(tmp_path, *args):
    path = tmp_path / "train.py"
    path.write_text(SCRIPT)
    out = subprocess.run([sys.executable, str(path), *args], capture_output=True, text=True, check=True)
    return out.stdout.strip()


def test_app_run_parses_flags_and_passes_the_rest_to_main(tmp_path):
    assert run_script(tmp_path) == "10 mnist False []"
    assert run_script(tmp_path, "--epochs=3", "--fast", "extra") == "3 mnist True ['extra']"
    assert run_script(tmp_path, "--name", "fashion", "--fast=false") == "10 fashion False []"


def test_flags_ignore_unknown_arguments_like_a_notebook_kernels(monkeypatch):
    monkeypatch.setattr(sys, "argv", ["ipykernel_launcher.py", "-f", "/tmp/kernel.json"])
    values = tf.app._FlagValues()
    values._define("learning_rate", 0.5, "step size", float)
    assert values.learning_rate == 0.5


def test_list_enum_and_repeated_flags(monkeypatch):
    monkeypatch.setattr(tf.app, "FLAGS", tf.app._FlagValues())
    tf.flags.DEFINE_list("layers", "64,32", "hidden sizes")
    tf.flags.DEFINE_enum("mode", "train", ["train", "eval"], "what to do")
    tf.flags.DEFINE_multi_integer("seed", [1], "seeds")
    flags = tf.app.FLAGS
    assert flags(["prog", "--layers=8,4", "--mode=eval", "--seed=3", "--seed=4", "rest"]) == ["prog", "rest"]
    assert (flags.layers, flags.mode, flags.seed) == (["8", "4"], "eval", [3, 4])
    assert tf.app._FlagValues()._define("x", 1, "", int) is None


def test_logging_levels_and_repeated_messages():
    seen = []
    handler = logging.Handler()
    handler.emit = lambda record: seen.append(f"{record.levelname}:{record.getMessage()}")
    logging.getLogger("minitf").addHandler(handler)
    try:
        for i in range(5):
            tf.logging.log_every_n(tf.logging.WARN, "every %d", 2, i)
            tf.logging.log_first_n(tf.logging.WARN, "first %d", 2, i)
        tf.logging.log(tf.logging.ERROR, "plain")
        tf.logging.vlog(tf.logging.DEBUG, "hidden")
        tf.logging.flush()
    finally:
        logging.getLogger("minitf").removeHandler(handler)
    assert seen == ["WARNING:every 0", "WARNING:first 0", "WARNING:first 1", "WARNING:every 2", "WARNING:every 4",
                    "ERROR:plain"]


def test_error_codes_and_classes():
    assert tf.errors.exception_type_from_error_code(tf.errors.INVALID_ARGUMENT) is tf.errors.InvalidArgumentError
    assert tf.errors.error_code_from_exception_type(tf.errors.NotFoundError) == tf.errors.NOT_FOUND == 5
    assert (tf.errors.ABORTED, tf.errors.INTERNAL, tf.errors.UNAUTHENTICATED) == (10, 13, 16)
    for code in range(1, 17):
        assert tf.errors.exception_type_from_error_code(code).error_code == code


def test_print_passes_its_input_through_and_prints(capfd):
    x = tf.constant([1.0, 2.0, 3.0, 4.0])
    y = tf.Print(x * 2, [x, tf.reduce_sum(x)], "x and sum: ")
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(y), [2.0, 4.0, 6.0, 8.0])
    err = capfd.readouterr().err
    assert err == "x and sum: [1 2 3...][10]\n"   # TF 1.15's words: 3 entries, floats without a trailing "."


def test_py_func_runs_python_on_the_values():
    x = tf.placeholder(tf.float32, [None])
    y = tf.py_func(lambda a: np.sort(a)[::-1], [x], tf.float32)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(y, {x: [3.0, 1.0, 2.0]}), [3.0, 2.0, 1.0])
    assert y.dtype == tf.float32


def test_tf_random_and_tf_math_spellings():
    tf.random.set_random_seed(1)
    values = [tf.random.normal([3]), tf.random.uniform([3]), tf.math.log(tf.constant([1.0]))]
    assert [v.op.name for v in values] == ["random_normal", "random_uniform/RandomUniform", "Log"]
    with tf.Session() as sess:
        assert sess.run(values)[2][0] == 0.0


def test_multinomial_draws_each_class_as_often_as_softmax_says():
    probabilities = np.array([[0.2, 0.5, 0.3], [0.9, 0.05, 0.05]])
    samples = tf.multinomial(tf.constant(np.log(probabilities), tf.float32), 20000, seed=1)
    assert samples.shape.as_list() == [2, 20000] and samples.dtype == tf.int64
    with tf.Session() as sess:
        drawn = sess.run(samples)
    with tf.Session() as sess:   # seeded: a new session draws the same
        np.testing.assert_array_equal(sess.run(samples), drawn)
    frequencies = [np.bincount(row, minlength=3) / row.size for row in drawn]
    np.testing.assert_allclose(frequencies, probabilities, atol=0.015)   # about 4 standard deviations


def test_a_failing_assert_names_its_data_and_stops_the_run():
    x = tf.placeholder(tf.float32, [3], name="x")
    with tf.control_dependencies([tf.assert_non_negative(x, message="x must not be negative")]):
        y = tf.sqrt(x)
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(y, {x: [0.0, 4.0, 9.0]}), [0.0, 2.0, 3.0])
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"^assertion failed: \[x must not be negative\] "
                           r"\[Condition x >= 0 did not hold element-wise:\] \[x \(x:0\) = \] \[1 -4 9\]"):
            sess.run(y, {x: [1.0, -4.0, 9.0]})


def test_random_crops_and_flips_draw_anew_at_each_run():
    image = np.arange(4 * 5 * 2, dtype=np.float32).reshape(4, 5, 2)
    crop = tf.random_crop(image, [2, 3, 2])
    flip = tf.image.random_flip_left_right(image)
    batch_flip = tf.image.random_flip_up_down(np.stack([image] * 8))
    windows = {(i, j) for i in range(3) for j in range(3)}
    with tf.Session() as sess:
        seen, flips = set(), set()
        for _ in range(60):
            got, flipped, batch = sess.run([crop, flip, batch_flip])
            corner = np.argwhere(image == got[0, 0, 0])[0]
            np.testing.assert_array_equal(got, image[corner[0]:corner[0] + 2, corner[1]:corner[1] + 3])
            seen.add(tuple(corner[:2]))
            assert np.array_equal(flipped, image) or np.array_equal(flipped, image[:, ::-1])
            flips.add(np.array_equal(flipped, image))
            assert all(np.array_equal(b, image) or np.array_equal(b, image[::-1]) for b in batch)
        assert seen == windows and flips == {True, False}
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"^assertion failed: \[Need value.shape >= size"):
            sess.run(tf.random_crop(image, [5, 1, 1]))


def test_compat_helpers():
    assert tf.compat.v1 is tf and tf.compat.as_bytes("é") == b"\xc3\xa9" and tf.compat.as_text(b"ab") == "ab"
    assert tf.compat.as_str_any(3) == "3" and tf.compat.path_to_str(Path("a")) == "a"
    assert tf.dimension_value(tf.Dimension(3)) == 3 and tf.compat.dimension_value(None) is None
    assert tf.compat.dimension_at_index(tf.TensorShape([2, 3]), 1).value == 3
    assert isinstance(np.int64(1), tf.compat.integral_types) and isinstance(b"", tf.compat.bytes_or_text_types)
    assert tf.compat.forward_compatible(2019, 1, 1) and not tf.compat.forward_compatible(2020, 1, 1)
    with tf.compat.forward_compatibility_horizon(2021, 1, 1):
        assert tf.compat.forward_compatible(2020, 1, 1)
    with pytest.raises(TypeError, match="Expected binary or unicode string, got 3"):
        tf.compat.as_bytes(3)


def test_tf1_code_can_load_mnist_with_keras_and_one_hot_it(monkeypatch):
    """TF 1.13+ scripts load MNIST with tf.keras, then build a TF1 graph: that works without eager execution."""
    from minitf.datasets.mnist import SMALL_SAMPLE_DIR

    monkeypatch.setenv("MNIST_DIR", str(SMALL_SAMPLE_DIR))
    (x_train, y_train), (x_test, y_test) = tf.keras.datasets.mnist.load_data()
    assert x_train.dtype == np.uint8 and x_train.shape[1:] == (28, 28) and len(x_train) == len(y_train) > 0
    one_hot = tf.keras.utils.to_categorical(y_train, 10)
    assert one_hot.shape == (len(y_train), 10) and (one_hot.argmax(1) == y_train).all()
    assert not tf.executing_eagerly()
    x = tf.placeholder(tf.float32, [None, 784])
    with tf.Session() as sess:
        assert sess.run(tf.reduce_sum(x, 1), {x: x_train[:2].reshape(2, 784)}).shape == (2,)
    with pytest.raises(tf.tf1_api.NotInMinitfError, match="tf.keras.layers .*build the model with tf.layers"):
        _ = tf.keras.layers
