"""tf.image.resize_images, resize_bilinear and resize_nearest_neighbor against TensorFlow 1.15.

The cases (tests/data/tf1_oracle/image_resize.py) resize random images up, down and to odd
sizes with each pixel mapping (legacy, align_corners, half_pixel_centers); the expected static
shapes, dtypes, values, gradients and errors are what TF 1.15.5 recorded for them.  The other
tests check op names, types and attrs as TF 1.15 printed them.
(Gradients are checked against finite differences in tests/test_gradients.py.)
"""
from __future__ import annotations

import numpy as np
import pytest
from tf1_oracle import assert_same_results, load_cases, recorded

import minitf as tf

runner = load_cases("runner")
CASES = load_cases("image_resize").CASES
TF1 = recorded("image_resize.tf1_15")


def test_the_cases_are_the_recorded_ones():
    assert set(CASES) == set(TF1)


@pytest.mark.parametrize("name", list(CASES))
def test_minitf_resizes_as_tf1_does(name):
    got, want = runner.outcome(tf, CASES[name]), TF1[name]
    assert got["phase"] == want["phase"], got.get("message")
    if want["phase"] == "none":
        assert_same_results(got["results"], want["results"], name)
    else:   # (the first line: minitf's session adds the input shapes to the node TF names after it)
        assert (got["error"], got["message"].split("\n")[0], got["op"]) == \
            (want["error"], want["message"].split("\n")[0], want["op"])


def test_graph_as_tf1_builds_it():
    """Names, types, static shapes and inputs as TF 1.15 printed them."""
    x = tf.placeholder(tf.float32, [None, 28, 28, 3])
    r = tf.image.resize_images(x, [14, 14])
    assert repr(r) == "<tf.Tensor 'resize/ResizeBilinear:0' shape=(?, 14, 14, 3) dtype=float32>"
    assert [t.name for t in r.op.inputs] == ["Placeholder:0", "resize/size:0"]
    assert r.op.inputs[1].op.type == "Const" and r.op.inputs[1].dtype == tf.int32
    assert (r.op.get_attr("align_corners"), r.op.get_attr("half_pixel_centers")) == (False, False)
    n = tf.image.resize_images(x, [14, 7], method=tf.image.ResizeMethod.NEAREST_NEIGHBOR)
    assert str(n) == 'Tensor("resize_1/ResizeNearestNeighbor:0", shape=(?, 14, 7, 3), dtype=float32)'
    assert str(tf.image.resize_bilinear(x, [5, 6])) == 'Tensor("ResizeBilinear:0", shape=(?, 5, 6, 3), dtype=float32)'
    u8 = tf.image.resize_nearest_neighbor(tf.placeholder(tf.uint8, [2, 4, 4, 1]), [8, 8], align_corners=True)
    assert str(u8) == 'Tensor("ResizeNearestNeighbor:0", shape=(2, 8, 8, 1), dtype=uint8)'
    one = tf.image.resize_images(tf.placeholder(tf.uint8, [4, 5, 3]), [8, 9])
    assert str(one) == 'Tensor("resize_2/Squeeze:0", shape=(8, 9, 3), dtype=float32)'
    assert one.op.inputs[0].op.type == "ResizeBilinear"
    assert tf.image.resize_images(x, [28, 28]) is x            # already that size: unchanged
    assert str(tf.image.resize_images(x, tf.placeholder(tf.int32, [2]))) == \
        'Tensor("resize_4/ResizeBilinear:0", shape=(?, ?, ?, 3), dtype=float32)'
    assert str(tf.image.resize_images(x, [10, 20], preserve_aspect_ratio=True)) == \
        'Tensor("resize_5/ResizeBilinear:0", shape=(?, 10, 10, 3), dtype=float32)'
    assert str(tf.image.resize_nearest_neighbor(tf.placeholder(tf.float32), [6, 6])) == \
        'Tensor("ResizeNearestNeighbor_1:0", shape=(?, 6, 6, ?), dtype=float32)'
    assert tf.image.resize is tf.image.resize_images
    assert (tf.image.ResizeMethod.BILINEAR, tf.image.ResizeMethod.NEAREST_NEIGHBOR,
            tf.image.ResizeMethod.BICUBIC, tf.image.ResizeMethod.AREA) == (0, 1, 2, 3)


def test_gradient_ops_as_tf1_builds_them():
    x = tf.placeholder(tf.float32, [None, 4, 4, 1])
    g = tf.gradients(tf.image.resize_images(x, [6, 6]), x)[0]
    assert str(g) == 'Tensor("gradients/resize/ResizeBilinear_grad/ResizeBilinearGrad:0", shape=(?, 4, 4, 1), ' \
                     'dtype=float32)'
    assert [t.name for t in g.op.inputs] == ["gradients/Fill:0", "Placeholder:0"]
    g = tf.gradients(tf.image.resize_nearest_neighbor(x, [6, 6]), x)[0]
    assert g.op.type == "ResizeNearestNeighborGrad" and g.shape.as_list() == [None, 4, 4, 1]
    assert g.op.inputs[1].name == "gradients_1/ResizeNearestNeighbor_grad/ResizeNearestNeighborGrad/size:0"


def test_build_errors_as_tf1_raises_them():
    with pytest.raises(TypeError, match="DataType string not in list of allowed values: int8, uint8"):
        tf.image.resize_bilinear(tf.placeholder(tf.string, [1, 4, 4, 1]), [3, 3])
    with pytest.raises(ValueError, match="^Shape must be rank 4 but is rank 3 for "):
        tf.image.resize_bilinear(tf.placeholder(tf.float32, [4, 4, 3]), [2, 2])
    with pytest.raises(ValueError, match="^'images' contains no shape.$"):
        tf.image.resize_images(tf.placeholder(tf.float32), [2, 2])
    with pytest.raises(ValueError, match="^'size' must be a 1-D int32 Tensor$"):
        tf.image.resize_images(tf.placeholder(tf.float32, [1, 4, 4, 1]), [2.5, 2])


@pytest.mark.parametrize("method", [tf.image.ResizeMethod.BICUBIC, tf.image.ResizeMethod.AREA])
def test_methods_minitf_does_not_compute_say_so(method):
    with pytest.raises(NotImplementedError, match="BILINEAR and NEAREST_NEIGHBOR only"):
        tf.image.resize_images(np.zeros((1, 4, 4, 1), np.float32), [2, 2], method=method)
