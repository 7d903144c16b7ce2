"""Inputs the way TensorFlow 1 takes them: lists of tensors, any-rank inputs, numpy scalars (see runner.py).

Each case builds something TF1 accepts and returns the tensors to run; ``inputs.tf1_15.json``
holds their static shapes, dtypes and values under real TF 1.15, and ``tests/test_tf1_values.py``
compares minitf's.
"""
import numpy as np

from runner import Run, registry

CASES, case = registry()

LOGITS = np.array([[[1.0, 2.0, 0.5, -1.0], [0.0, 0.0, 3.0, 1.0], [2.0, -2.0, 0.0, 1.0]],
                   [[0.5, 0.5, 0.5, 0.5], [-1.0, 4.0, 1.0, 0.0], [3.0, 1.0, 2.0, 2.0]]], np.float32)   # [2, 3, 4]
LABELS = np.array([[[0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0], [0.5, 0.0, 0.0, 0.5]],
                   [[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 0.0, 1.0]]], np.float32)
SPARSE_LABELS = np.array([[1, 2, 0], [0, 1, 3]], np.int32)


# ---- cross entropy on any rank (TF1 flattens the outer dimensions into a batch) -----------------------
@case
def softmax_xent_v2_rank3(tf):
    return tf.nn.softmax_cross_entropy_with_logits_v2(labels=LABELS, logits=LOGITS)


@case
def softmax_xent_v1_rank3(tf):
    return tf.nn.softmax_cross_entropy_with_logits(labels=tf.constant(LABELS), logits=tf.constant(LOGITS))


@case
def softmax_xent_rank3_axis1(tf):
    return tf.nn.softmax_cross_entropy_with_logits_v2(labels=np.swapaxes(LABELS, 1, 2), logits=np.swapaxes(LOGITS, 1, 2),
                                                      axis=1)


@case
def softmax_xent_rank1(tf):
    return tf.nn.softmax_cross_entropy_with_logits_v2(labels=LABELS[0, 0], logits=LOGITS[0, 0])


@case
def softmax_xent_rank3_fed_unknown_batch(tf):
    x = tf.placeholder(tf.float32, [None, 3, 4], name="x")
    y = tf.placeholder(tf.float32, [None, 3, 4], name="y")
    return Run(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=x), {x: LOGITS, y: LABELS})


@case
def softmax_xent_rank3_gradient(tf):
    logits = tf.constant(LOGITS)
    loss = tf.nn.softmax_cross_entropy_with_logits_v2(labels=LABELS, logits=logits)
    return tf.gradients(tf.reduce_sum(loss * [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]), logits)[0]


@case
def sparse_softmax_xent_rank3(tf):
    return tf.nn.sparse_softmax_cross_entropy_with_logits(labels=SPARSE_LABELS, logits=LOGITS)


@case
def sparse_softmax_xent_rank3_gradient(tf):
    logits = tf.constant(LOGITS)
    loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=SPARSE_LABELS, logits=logits)
    return tf.gradients(tf.reduce_sum(loss * [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]), logits)[0]


@case
def sparse_softmax_xent_int64_labels_fed(tf):
    labels = tf.placeholder(tf.int64, [None, 3], name="labels")
    loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=LOGITS)
    return Run(loss, {labels: SPARSE_LABELS})


@case
def losses_softmax_cross_entropy_rank3(tf):
    return tf.losses.softmax_cross_entropy(LABELS, LOGITS)


@case
def losses_sparse_softmax_cross_entropy_rank3(tf):
    return tf.losses.sparse_softmax_cross_entropy(SPARSE_LABELS, LOGITS)


@case
def softmax_rank3(tf):
    return tf.nn.softmax(LOGITS)


@case
def log_softmax_rank3_axis1(tf):
    return tf.nn.log_softmax(LOGITS, axis=1)


# ---- lists and tuples holding tensors -------------------------------------------------------------------
@case
def reduce_sum_of_a_list_of_tensors(tf):
    return tf.reduce_sum([tf.constant(1.0), tf.constant(2.0), 3.0])


@case
def add_a_list_of_tensors_and_a_number(tf):
    return tf.add([tf.constant(1), tf.constant(2)], 10)


@case
def reshape_to_a_list_with_a_tensor(tf):
    x = tf.placeholder(tf.float32, [None, 2, 3], name="x")
    return Run(tf.reshape(x, [tf.shape(x)[0], -1]), {x: np.arange(12.0).reshape(2, 2, 3)})


@case
def zeros_of_a_list_with_a_tensor(tf):
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    return Run(tf.zeros([tf.shape(x)[0], 3]), {x: np.ones([4, 2])})


@case
def ones_of_a_shape_tensor(tf):
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    return Run(tf.ones(tf.shape(x), dtype=tf.int32), {x: np.ones([3, 2])})


@case
def fill_with_a_tensor_dimension(tf):
    n = tf.constant(3)
    return tf.fill([n, 2], 7.0)


@case
def tile_by_a_list_with_a_tensor(tf):
    x = tf.constant([[1, 2]])
    return tf.tile(x, [tf.size(x), 1])


@case
def convert_to_tensor_of_a_mixed_list(tf):
    return tf.convert_to_tensor([tf.constant(1.5), 2.0, np.float32(3.0)])


@case
def maximum_of_a_list_of_tensors(tf):
    return tf.maximum([tf.constant(-1.0), tf.constant(2.0)], 0.0)


@case
def gather_by_a_list_with_a_tensor(tf):
    return tf.gather([10, 20, 30], [tf.constant(2), 0])


@case
def stack_a_tuple_of_numbers_and_tensors(tf):
    return tf.stack((1.0, tf.constant(2.0), np.float32(3.0)))


@case
def concat_a_tuple_with_a_python_list(tf):
    return tf.concat(([[1, 2]], tf.constant([[3, 4]])), axis=0)


@case
def concat_a_single_tensor_not_in_a_list(tf):
    return tf.concat([tf.constant([1, 2])], 0)


@case
def matmul_of_nested_lists(tf):
    return tf.matmul([[1.0, 2.0]], [[3.0], [4.0]])


@case
def add_n_of_lists(tf):
    return tf.add_n([[1.0, 2.0], tf.constant([3.0, 4.0])])


@case
def reshape_by_a_stacked_shape(tf):
    return tf.reshape(tf.range(6), tf.stack([2, -1]))


@case
def reshape_by_a_tuple(tf):
    return tf.reshape(tf.range(6), (3, -1))


@case
def reshape_by_a_numpy_shape(tf):
    return tf.reshape(tf.range(6), np.array([2, 3], np.int64))


@case
def reshape_by_numpy_ints(tf):
    return tf.reshape(tf.range(6), [np.int64(2), np.int32(-1)])


@case
def equal_to_a_python_list(tf):
    return tf.equal(tf.constant([1, 2, 3]), [1, 0, 3])


@case
def where_on_python_lists(tf):
    return tf.where([True, False], [1.0, 2.0], [3.0, 4.0])


@case
def one_hot_of_a_list_with_a_tensor(tf):
    return tf.one_hot([tf.constant(2), 0], 3)


@case
def clip_a_python_list(tf):
    return tf.clip_by_value([-1.0, 0.5, 2.0], 0.0, 1.0)


@case
def transpose_a_nested_list(tf):
    return tf.transpose([[1, 2, 3], [4, 5, 6]])


@case
def softmax_of_a_python_list(tf):
    return tf.nn.softmax([1.0, 2.0, 3.0])


@case
def relu_of_python_ints(tf):
    return tf.nn.relu([-1, 2])


@case
def embedding_lookup_by_a_python_list(tf):
    return tf.nn.embedding_lookup(tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]), [2, 0, 2])


@case
def mean_squared_error_of_lists(tf):
    return tf.losses.mean_squared_error([1.0, 2.0, 3.0], [1.5, 2.0, 2.0])


@case
def reduce_mean_of_python_ints(tf):
    return tf.reduce_mean([1, 2, 4])


@case
def argmax_of_a_python_list(tf):
    return tf.argmax([[1, 5, 3], [7, 2, 9]], axis=1)


# ---- Python and numpy scalars of every dtype --------------------------------------------------------------
@case
def constants_of_numpy_scalars(tf):
    return [tf.constant(v) for v in (np.float16(1.5), np.float32(1.5), np.float64(1.5), np.int8(-3), np.int16(-3),
                                     np.int32(-3), np.int64(-3), np.uint8(200), np.uint16(60000), np.bool_(True),
                                     np.complex64(1 + 2j), np.complex128(1 - 2j))]


@case
def constants_of_python_scalars(tf):
    return [tf.constant(v) for v in (True, 3, 2 ** 40, 1.5, 1 + 2j)]


@case
def constants_of_numpy_arrays(tf):
    return [tf.constant(np.array([1, 2], dtype)) for dtype in (np.float16, np.float32, np.float64, np.int8,
                                                               np.int16, np.int32, np.int64, np.uint8, np.uint16,
                                                               np.bool_)]


@case
def float32_tensor_plus_numpy_float64(tf):
    return tf.constant(1.5) + np.float64(2.25)


@case
def numpy_float64_plus_float32_tensor(tf):
    return np.float64(2.25) + tf.constant(1.5)


@case
def int64_tensor_times_python_int(tf):
    return tf.constant(3, tf.int64) * 4


@case
def float16_tensor_plus_python_float(tf):
    return tf.constant(1.5, tf.float16) + 0.25


@case
def float64_tensor_plus_python_float(tf):
    return tf.constant(1.5, tf.float64) + 0.1


@case
def int8_tensor_minus_numpy_int8(tf):
    return tf.constant(5, tf.int8) - np.int8(7)


@case
def uint8_tensor_plus_python_int(tf):
    return tf.constant([250], tf.uint8) + 3


@case
def cast_a_numpy_scalar(tf):
    return tf.cast(np.float64(2.7), tf.int32)


@case
def dtype_arguments_as_numpy_types_and_strings(tf):
    return [tf.zeros([2], dtype=np.int32), tf.ones([2], dtype="float64"), tf.fill([2], np.float16(0.5)),
            tf.constant([1, 2], dtype=np.int64), tf.cast([1.7], "int32"), tf.range(3, dtype=np.float32)]


@case
def placeholder_of_a_numpy_dtype(tf):
    p = tf.placeholder(np.float64, [2], name="p")
    return Run(p * 2, {p: [1.0, 2.5]})


@case
def range_of_numpy_and_float_scalars(tf):
    return [tf.range(np.int64(4)), tf.range(4.0), tf.range(tf.constant(3)), tf.range(1, 2.5, 0.5)]


@case
def one_hot_of_int64_numpy_indices(tf):
    return tf.one_hot(np.array([0, 2], np.int64), 3)


@case
def axes_as_numpy_ints_and_tuples(tf):
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    return [tf.reduce_sum(x, axis=np.int32(1)), tf.reduce_sum(x, axis=(0, 1)), tf.reduce_max(x, tf.constant(0)),
            tf.expand_dims(x, np.int64(0)), tf.argmax(x, np.int64(1)), tf.concat([x, x], np.int32(1))]


@case
def tile_by_a_numpy_array(tf):
    return tf.tile(tf.constant([[1, 2]]), np.array([2, 1]))


@case
def variable_of_numpy_values(tf):
    a = tf.Variable(np.float64(1.5), name="a")
    b = tf.Variable(np.array([1, 2], np.int8), name="b")
    return Run([a + 1, b * 2], before=[tf.global_variables_initializer()])


@case
def assign_numpy_float64_to_a_float32_variable(tf):
    v = tf.Variable([1.0, 2.0], name="v")
    return Run(tf.assign(v, np.array([3.5, 4.5])), before=[tf.global_variables_initializer()])


@case
def feed_numpy_scalars_of_other_dtypes(tf):
    f = tf.placeholder(tf.float32, [], name="f")
    i = tf.placeholder(tf.int32, [], name="i")
    b = tf.placeholder(tf.bool, [], name="b")
    return Run([f * 2, i * 2, tf.logical_not(b)], {f: np.float64(1.25), i: np.int64(21), b: np.bool_(False)})


@case
def feed_a_list_of_numpy_floats_to_int32(tf):
    p = tf.placeholder(tf.int32, [None], name="p")
    return Run(p + 1, {p: [np.float64(1.7), np.float32(-2.7)]})


@case
def matmul_of_a_numpy_array_and_a_tensor(tf):
    return tf.matmul(np.ones((2, 3), np.float32), tf.ones([3, 2]))


@case
def python_bool_into_logical_and(tf):
    return tf.logical_and(tf.constant([True, False]), True)


@case
def multiply_bool_like_numpy_by_float_tensor(tf):
    return tf.constant([1.0, 2.0]) * np.array([1, 0], np.float32)


# ---- a variable whose shape may change: only with validate_shape=False --------------------------------------
@case
def assign_another_shape_without_validate_shape(tf):
    v = tf.Variable([1.0, 2.0], name="v")
    p = tf.placeholder(tf.float32, name="p")
    return Run(tf.assign(v, p, validate_shape=False), {p: [3.0, 4.0, 5.0]}, before=[tf.global_variables_initializer()])
