"""DType inference (API_SURFACE §4) and static shape inference with `?` and unknown rank (§3, §6)."""
import numpy as np
import pytest

import minitf as tf


@pytest.mark.parametrize("value, dtype", [
    (7, tf.int32), (1.5, tf.float32), (True, tf.bool), ("hi", tf.string), (b"hi", tf.string),
    ([1, 2], tf.int32), ([1, 2.5], tf.float32), (2 ** 40, tf.int64), (np.array([1.0]), tf.float64),
    (np.array([1], np.int64), tf.int64), (np.float32(1), tf.float32), (np.float64(1), tf.float64),
    ([[1, 2, 3], [4, 5, 6]], tf.int32),
])
def test_constant_dtype_inference(value, dtype):
    assert tf.constant(value).dtype == dtype


def test_dtype_objects():
    assert tf.float32 == np.float32 and tf.float32.name == "float32" and tf.string.name == "string"
    assert str(tf.float32) == "<dtype: 'float32'>" and repr(tf.int32) == "tf.int32"
    assert tf.float32.as_numpy_dtype is np.float32
    assert tf.as_dtype("float32_ref").base_dtype is tf.float32
    assert tf.as_dtype(np.int64) is tf.int64


# As TF 1.15 has them: DataType enum number and name, and the TensorProto field of the values.
@pytest.mark.parametrize("dtype, enum, datatype, field", [
    (tf.float16, 19, "DT_HALF", "half_val"), (tf.float32, 1, "DT_FLOAT", "float_val"),
    (tf.float64, 2, "DT_DOUBLE", "double_val"), (tf.int8, 6, "DT_INT8", "int_val"),
    (tf.int16, 5, "DT_INT16", "int_val"), (tf.int32, 3, "DT_INT32", "int_val"),
    (tf.int64, 9, "DT_INT64", "int64_val"), (tf.uint8, 4, "DT_UINT8", "int_val"),
    (tf.uint16, 17, "DT_UINT16", "int_val"), (tf.uint32, 22, "DT_UINT32", "uint32_val"),
    (tf.uint64, 23, "DT_UINT64", "uint64_val"), (tf.bool, 10, "DT_BOOL", "bool_val"),
    (tf.string, 7, "DT_STRING", "string_val"), (tf.complex64, 8, "DT_COMPLEX64", "scomplex_val"),
    (tf.complex128, 18, "DT_COMPLEX128", "dcomplex_val"),
])
def test_dtype_table(dtype, enum, datatype, field):
    ref = dtype._as_ref
    assert (dtype.as_datatype_enum, dtype.datatype_name, dtype.value_field) == (enum, datatype, field)
    assert (ref.as_datatype_enum, ref.datatype_name, ref.name) == (enum + 100, datatype + "_REF", dtype.name + "_ref")
    assert tf.as_dtype(enum) is dtype and tf.as_dtype(enum + 100) is ref


def test_creation_defaults():
    made = [tf.zeros([1]), tf.ones([1]), tf.fill([2], 9), tf.range(6, 15, 3), tf.linspace(2.0, 3.0, 5),
            tf.random_uniform([2], -1, 1), tf.random_normal([2]), tf.truncated_normal([2])]
    assert [t.dtype for t in made] == [tf.float32, tf.float32, tf.int32, tf.int32, tf.float32, tf.float32,
                                       tf.float32, tf.float32]
    assert [tf.Variable(5).dtype, tf.Variable(5.0).dtype, tf.Variable([1, 2.5]).dtype] == [
        tf.as_dtype("int32_ref"), tf.as_dtype("float32_ref"), tf.as_dtype("float32_ref")]
    assert tf.argmax([[1.0]], 1).dtype == tf.int64


def test_python_operands_take_the_tensor_dtype():
    f = tf.constant(1.0)
    assert (f + 1).dtype == tf.float32
    assert (f + np.float64(2)).dtype == tf.float32
    assert (f + np.array([2.0])).dtype == tf.float32


def test_division_and_integer_mean():
    a, b = tf.constant(11), tf.constant(5)
    assert (a / b).dtype == tf.float64 and (a // b).dtype == tf.int32
    with tf.Session() as sess:
        assert sess.run(a / b) == 2.2
        assert sess.run(tf.constant(-7) // 2) == -4 and sess.run(tf.constant(-7) % 3) == 2
        mean = sess.run(tf.reduce_mean(tf.constant([1, 2])))
        assert mean == 1 and mean.dtype == np.int32


def test_constant_values_and_shapes():
    with tf.Session() as sess:
        value = sess.run(tf.constant(1, dtype=tf.float32))
        assert value == 1.0 and type(value) is np.float32
        np.testing.assert_array_equal(sess.run(tf.constant(0, shape=[2, 3])), np.zeros((2, 3), np.int32))
        np.testing.assert_array_equal(sess.run(tf.constant(0.0, shape=[3])), np.zeros(3, np.float32))
        np.testing.assert_array_equal(sess.run(tf.cast([1.7, -1.7], tf.int32)), [1, -1])
        np.testing.assert_array_equal(sess.run(tf.cast([True, False], tf.float32)), [1.0, 0.0])
        assert sess.run(tf.constant("Hello world!")) == b"Hello world!"


def test_tensor_shape_and_dimension():
    s = tf.TensorShape([None, 3])
    assert str(s) == "(?, 3)" and repr(s) == "TensorShape([Dimension(None), Dimension(3)])"
    assert str(tf.TensorShape(None)) == "<unknown>" and repr(tf.TensorShape(None)) == "TensorShape(None)"
    assert str(tf.TensorShape([])) == "()" and str(tf.TensorShape([3])) == "(3,)"
    assert s.as_list() == [None, 3] and s.ndims == 2 and tf.TensorShape(None).ndims is None
    d = s[1]
    assert repr(d) == "Dimension(3)" and str(s[0]) == "?" and d.value == 3 and int(d) == 3 and d == 3
    with pytest.raises(ValueError, match="as_list\\(\\) is not defined on an unknown TensorShape."):
        tf.TensorShape(None).as_list()
    assert tf.zeros([3]).shape == (3,)


def test_dimensions_are_accepted_in_shapes():
    x = tf.placeholder(tf.float32, [None, 784])
    w = tf.get_variable("W", [x.get_shape()[1], 200])
    assert w.shape == (784, 200)


@pytest.mark.parametrize("a, b, expected", [
    ([2, 2], [2, 1], (2, 2)), ([3], [2, 1], (2, 3)), ([None, 3], [3], (None, 3)), (None, [1], None),
])
def test_broadcast_shapes(a, b, expected):
    x, y = tf.placeholder(tf.float32, a), tf.placeholder(tf.float32, b)
    assert (x + y).shape.as_tuple() == expected


def test_shape_inference_of_matmul_reductions_and_reshape():
    x = tf.placeholder(tf.float32, [None, 784])
    u = tf.placeholder(tf.float32)
    assert tf.matmul(x, tf.zeros([784, 200])).shape.as_list() == [None, 200]
    assert tf.matmul(u, tf.zeros([784, 200])).shape.ndims is None
    p = tf.placeholder(tf.float32, [None, 3])
    assert tf.reduce_mean(p).shape == () and tf.reduce_mean(u).shape == ()
    assert tf.reduce_sum(p, axis=1).shape.as_list() == [None]
    assert tf.argmax(p, axis=1).shape.as_list() == [None]
    assert tf.reduce_sum(u, axis=1).shape.ndims is None
    assert tf.reduce_sum(p, axis=1, keepdims=True).shape.as_list() == [None, 1]
    ones = tf.ones([3, 4, 5])
    m = tf.reshape(ones, [6, 10])
    assert [m.shape, tf.reshape(m, [3, -1]).shape, tf.reshape(m, [4, 3, -1]).shape] == [(6, 10), (3, 20), (4, 3, 5)]
    assert tf.reshape(p, [-1]).shape.as_list() == [None]
    assert tf.nn.softmax_cross_entropy_with_logits_v2(
        labels=tf.placeholder(tf.float32, [None, 10]), logits=tf.placeholder(tf.float32, [None, 10])
    ).shape.as_list() == [None]


def test_array_op_shapes_and_values():
    a = tf.constant([[1, 2], [3, 4]])
    parts = [tf.concat([a, a], 0), tf.concat([a, a], 1), tf.stack([a, a]), tf.transpose(a),
             tf.expand_dims(a, 0), tf.squeeze(tf.zeros([1, 2, 1])), tf.tile(a, [1, 2]), tf.one_hot([0, 2], 3),
             tf.gather(a, [1, 0]), tf.where(tf.constant([True, False]), [1, 2], [3, 4])]
    assert [p.shape.as_tuple() for p in parts] == [(4, 2), (2, 4), (2, 2, 2), (2, 2), (1, 2, 2), (2,), (2, 4),
                                                    (2, 3), (2, 2), (2,)]
    with tf.Session() as sess:
        values = sess.run(parts)
    n = np.array([[1, 2], [3, 4]])
    expected = [np.concatenate([n, n]), np.concatenate([n, n], 1), np.stack([n, n]), n.T, n[None],
                np.zeros(2), np.tile(n, [1, 2]), np.eye(3)[[0, 2]], n[[1, 0]], [1, 4]]
    for got, want in zip(values, expected):
        np.testing.assert_array_equal(got, want)


def test_strided_slice_matches_python_indexing():
    x = tf.constant(np.arange(24).reshape(2, 3, 4))
    a = tf.strided_slice(x, [0, 1, 0], [2, 3, 4], [1, 1, 2])
    b = tf.strided_slice(x, [1, 0, 0], [2, 0, 0], shrink_axis_mask=1, end_mask=6)
    n = np.arange(24).reshape(2, 3, 4)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(a), n[0:2, 1:3, 0:4:2])
        np.testing.assert_array_equal(sess.run(b), n[1])
    assert a.shape == (2, 2, 2) and b.shape == (3, 4)
