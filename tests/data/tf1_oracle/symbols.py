"""TF1 symbols beyond the course's core, each on a small input: what TF 1.15 computes (see runner.py).

``symbols.tf1_15.json`` holds TF 1.15's static shapes, dtypes and values; ``tests/test_tf1_values.py``
compares minitf's.  Deprecated aliases that TF 1.15 still exports are here too (``tf.arg_max``).
"""
import numpy as np

from runner import Run, registry

CASES, case = registry()

X = np.array([[1.0, -2.0, 3.0], [0.5, 4.0, -1.5]], np.float32)


# ---- deprecated aliases TF 1.15 still exports ------------------------------------------------------------
@case
def arg_max_and_arg_min(tf):
    return [tf.arg_max(X, 1), tf.arg_min(X, 0), tf.arg_max(X, 0, output_type=tf.int32)]


@case
def to_double_and_complex(tf):
    return [tf.to_double(X), tf.to_complex64(X), tf.to_complex128([1.0, 2.0])]


@case
def initialize_local_variables_and_variables(tf):
    v = tf.Variable(3.0, name="v")
    w = tf.Variable(4.0, name="w", collections=[tf.GraphKeys.LOCAL_VARIABLES])
    return Run([v + w], before=[tf.initialize_variables([v]), tf.initialize_local_variables()])


@case
def floor_div_and_realdiv(tf):
    return [tf.floor_div(tf.constant([7, -7]), tf.constant([2, 2])), tf.realdiv(X, 2.0)]


@case
def truncatediv_and_truncatemod(tf):
    return [tf.truncatediv(tf.constant([7, -7]), tf.constant([2, 2])),
            tf.truncatemod(tf.constant([7, -7]), tf.constant([2, 2]))]


# ---- math ---------------------------------------------------------------------------------------------
@case
def log_sigmoid_and_logical_xor(tf):
    return [tf.log_sigmoid(X), tf.logical_xor([True, True, False], [True, False, False])]


@case
def is_nan_inf_finite(tf):
    values = tf.constant([1.0, np.nan, np.inf, -np.inf])
    return [tf.is_nan(values), tf.is_inf(values), tf.is_finite(values)]


@case
def scalar_mul(tf):
    return tf.scalar_mul(2.5, tf.constant(X))


@case
def count_nonzero(tf):
    return [tf.count_nonzero(tf.constant([[0, 1, 2], [0, 0, 3]])), tf.count_nonzero(X > 0, axis=1)]


@case
def reduce_logsumexp(tf):
    return [tf.reduce_logsumexp(X), tf.reduce_logsumexp(X, axis=1, keepdims=True)]


@case
def cumsum_and_cumprod(tf):
    return [tf.cumsum(X, axis=1), tf.cumsum(X, axis=0, exclusive=True), tf.cumsum(X, axis=1, reverse=True),
            tf.cumprod(X, axis=1)]


@case
def trigonometry(tf):
    x = tf.constant([0.25, 0.5], tf.float32)
    return [tf.tan(x), tf.asin(x), tf.acos(x), tf.atan(x), tf.sinh(x), tf.cosh(x), tf.atan2(x, x + 1)]


@case
def erf_expm1_rint(tf):
    return [tf.erf(X), tf.expm1(X), tf.rint(tf.constant([0.5, 1.5, 2.4, -0.5]))]


# ---- arrays ---------------------------------------------------------------------------------------------
@case
def reverse(tf):
    return [tf.reverse(X, [1]), tf.reverse_v2(X, [0, 1])]


@case
def pad(tf):
    return [tf.pad(X, [[1, 0], [0, 2]]), tf.pad(X, [[0, 0], [1, 1]], constant_values=9.0),
            tf.pad(X, [[1, 1], [2, 2]], mode="REFLECT"), tf.pad(X, [[1, 1], [1, 1]], mode="SYMMETRIC")]


@case
def matrix_transpose_diag_trace_eye(tf):
    return [tf.matrix_transpose(X), tf.diag([1.0, 2.0]), tf.diag_part(tf.constant([[1.0, 2.0], [3.0, 4.0]])),
            tf.trace(tf.constant([[1.0, 2.0], [3.0, 4.0]])), tf.eye(2, 3), tf.eye(2, dtype=tf.int32)]


@case
def boolean_mask_and_sequence_mask(tf):
    return [tf.boolean_mask(X, [True, False]), tf.boolean_mask(X, X > 0), tf.sequence_mask([1, 3], 4)]


@case
def norm(tf):
    return [tf.norm(X), tf.norm(X, axis=1), tf.norm(X, ord=1, axis=0)]


@case
def is_tensor_and_dimension_value(tf):
    return tf.constant([tf.is_tensor(tf.constant(1)), tf.is_tensor(3)])


# ---- tf.nn and tf.losses ---------------------------------------------------------------------------------
@case
def nn_l2_normalize(tf):
    return [tf.nn.l2_normalize(X, axis=1), tf.nn.l2_normalize(X, 0)]


@case
def nn_softsign_selu_relu_layer(tf):
    return [tf.nn.softsign(X), tf.nn.selu(X), tf.nn.relu_layer(X, tf.ones([3, 2]), tf.constant([0.5, -20.0]))]


@case
def nn_weighted_cross_entropy(tf):
    return tf.nn.weighted_cross_entropy_with_logits(targets=tf.constant([[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]]),
                                                    logits=X, pos_weight=2.0)


@case
def losses_regression(tf):
    labels = tf.constant([[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]])
    probs = tf.sigmoid(X)
    return [tf.losses.absolute_difference(labels, X), tf.losses.huber_loss(labels, X),
            tf.losses.huber_loss(labels, X, delta=0.5), tf.losses.log_loss(labels, probs),
            tf.losses.hinge_loss(labels, X)]


# ---- tf.train schedules ----------------------------------------------------------------------------------
@case
def learning_rate_schedules(tf):
    step = tf.constant(30)
    return [tf.train.polynomial_decay(0.1, step, 100, 0.01), tf.train.natural_exp_decay(0.1, step, 10, 0.5),
            tf.train.inverse_time_decay(0.1, step, 10, 0.5), tf.train.cosine_decay(0.1, step, 100),
            tf.train.polynomial_decay(0.1, step, 20, 0.01, power=2.0, cycle=True)]


# ---- checks ----------------------------------------------------------------------------------------------
@case
def asserts_that_hold(tf):
    x = tf.constant([1, 2])
    checks = [tf.assert_equal(x, [1, 2]), tf.assert_positive(x), tf.assert_less(x, 3), tf.assert_rank(x, 1),
              tf.assert_non_negative(x), tf.assert_greater_equal(x, 1)]
    with tf.control_dependencies(checks):
        return tf.identity(x)


# ---- more of TF1's array and math ops tutorials use ----------------------------------------------------
@case
def sort_and_argsort(tf):
    values = tf.constant([[3.0, 1.0, 2.0], [0.5, -1.0, 4.0]])
    return [tf.sort(values), tf.sort(values, direction="DESCENDING"), tf.sort(values, axis=0),
            tf.argsort(values), tf.argsort(values, axis=0, direction="DESCENDING"), tf.sort(tf.constant([3, 1, 2]))]


@case
def unique(tf):
    y, idx = tf.unique(tf.constant([4, 1, 4, 2, 1, 7]))
    z, idx64 = tf.unique(tf.constant([2.5, 2.5, -1.0]), out_idx=tf.int64)
    return [y, idx, z, idx64]


@case
def tensordot(tf):
    a = tf.constant(np.arange(24.0, dtype=np.float32).reshape(2, 3, 4))
    b = tf.constant(np.arange(12.0, dtype=np.float32).reshape(4, 3))
    return [tf.tensordot(a, b, 1), tf.tensordot(a, b, [[1, 2], [1, 0]]), tf.tensordot(X, X, [[0], [0]]),
            tf.tensordot([1.0, 2.0], [3.0, 4.0], 0)]


@case
def gather_nd_and_scatter_nd(tf):
    params = tf.constant(np.arange(24.0, dtype=np.float32).reshape(2, 3, 4))
    return [tf.gather_nd(params, [[0, 1], [1, 2]]), tf.gather_nd(params, [[[1, 0, 3]], [[0, 2, 1]]]),
            tf.gather_nd(X, [1]), tf.scatter_nd([[1], [3], [1]], [10.0, 20.0, 5.0], [5]),
            tf.scatter_nd([[0, 1]], [[1, 2, 3]], [2, 2, 3])]


@case
def gather_nd_gradient(tf):
    params = tf.constant(X)
    picked = tf.gather_nd(params, [[0, 2], [1, 0], [0, 2]])
    return tf.gradients(tf.reduce_sum(picked * [1.0, 2.0, 3.0]), params)[0]


@case
def meshgrid(tf):
    return tf.meshgrid([1.0, 2.0, 3.0], [4.0, 5.0]) + tf.meshgrid([1, 2, 3], [4, 5], indexing="ij")


@case
def reduce_variance_and_std(tf):
    return [tf.math.reduce_variance(X), tf.math.reduce_std(X, axis=1), tf.math.reduce_variance(X, 0, keepdims=True)]


@case
def nn_local_response_normalization(tf):
    x = tf.constant(np.linspace(-2.0, 3.0, 2 * 2 * 2 * 7, dtype=np.float32).reshape(2, 2, 2, 7))
    return [tf.nn.local_response_normalization(x), tf.nn.lrn(x, depth_radius=2, bias=2.0, alpha=0.5, beta=0.75)]


@case
def nn_lrn_gradient(tf):
    x = tf.constant(np.linspace(-2.0, 3.0, 1 * 2 * 1 * 6, dtype=np.float32).reshape(1, 2, 1, 6))
    y = tf.nn.lrn(x, depth_radius=2, bias=1.0, alpha=0.3, beta=0.5)
    return tf.gradients(tf.reduce_sum(y * np.arange(12.0, dtype=np.float32).reshape(1, 2, 1, 6)), x)[0]


@case
def nn_conv2d_transpose(tf):
    value = tf.constant(np.linspace(-1.0, 1.0, 2 * 3 * 3 * 2, dtype=np.float32).reshape(2, 3, 3, 2))
    filters = tf.constant(np.linspace(-0.5, 0.5, 3 * 3 * 4 * 2, dtype=np.float32).reshape(3, 3, 4, 2))
    return [tf.nn.conv2d_transpose(value, filters, [2, 6, 6, 4], [1, 2, 2, 1]),
            tf.nn.conv2d_transpose(value, filters, [2, 7, 7, 4], [1, 2, 2, 1], padding="VALID")]


@case
def multinomial_of_certain_classes(tf):
    logits = tf.constant([[0.0, -np.inf, -np.inf], [-np.inf, -np.inf, 2.0]])
    return [tf.multinomial(logits, 4, seed=3), tf.random.categorical(logits, 3, dtype=tf.int32)]


# ---- tf.image ---------------------------------------------------------------------------------------
IMAGE = np.arange(2 * 3 * 3, dtype=np.uint8).reshape(2, 3, 3) * 9   # [height, width, channels]


@case
def image_flips(tf):
    batch = tf.constant(np.stack([IMAGE, IMAGE[::-1]]))
    return [tf.image.flip_left_right(IMAGE), tf.image.flip_up_down(IMAGE), tf.image.flip_left_right(batch),
            tf.image.flip_up_down(batch)]


@case
def image_random_flips_of_symmetric_images(tf):
    symmetric = tf.ones([2, 4, 4, 3]) * [0.5, 0.25, 1.0]
    return [tf.image.random_flip_left_right(symmetric[0], seed=1), tf.image.random_flip_up_down(symmetric, seed=2)]


@case
def image_per_image_standardization(tf):
    return [tf.image.per_image_standardization(IMAGE), tf.image.per_image_standardization(tf.ones([2, 2, 2, 1])),
            tf.image.per_image_standardization(np.stack([IMAGE, IMAGE // 2]).astype(np.float32))]


@case
def image_convert_image_dtype(tf):
    floats = tf.constant([[[0.0], [0.5]], [[0.999], [1.0]]])
    convert = tf.image.convert_image_dtype
    return [convert(IMAGE, tf.float32), convert(floats, tf.uint8), convert(IMAGE, tf.int32),
            convert(tf.constant([[[70000]]]), tf.uint16), convert(floats, tf.float64),
            convert(floats * 2.0, tf.uint8, saturate=True)]


@case
def image_rgb_to_grayscale(tf):
    return [tf.image.rgb_to_grayscale(IMAGE), tf.image.rgb_to_grayscale(IMAGE.astype(np.float32) / 255.0)]


@case
def random_crop_of_the_whole_and_of_a_row(tf):
    row = tf.constant(np.full((2, 3, 3), 7.0, np.float32))
    return [tf.random_crop(IMAGE, [2, 3, 3]), tf.image.random_crop(row, [1, 2, 3], seed=4)]


@case
def layers_conv2d_transpose(tf):
    x = np.linspace(-1.0, 1.0, 2 * 3 * 3 * 2, dtype=np.float32).reshape(2, 3, 3, 2)
    kernel = tf.constant_initializer(np.linspace(-0.5, 0.5, 3 * 3 * 4 * 2).reshape(3, 3, 4, 2))
    narrow = tf.constant_initializer(np.linspace(0.3, -0.4, 3 * 2 * 1 * 2).reshape(3, 2, 1, 2))
    p = tf.placeholder(tf.float32, [None, None, 3, 2], name="p")
    same = tf.layers.conv2d_transpose(x, 4, 3, strides=2, padding="same", kernel_initializer=kernel,
                                      bias_initializer=tf.constant_initializer(0.1))
    valid = tf.layers.conv2d_transpose(p, 1, (3, 2), strides=(2, 1), kernel_initializer=narrow, activation=tf.nn.relu)
    layer = tf.layers.Conv2DTranspose(4, 3, strides=2, kernel_initializer=kernel, use_bias=False)
    return Run([same, valid, layer(x), tf.gradients(tf.reduce_sum(valid), p)[0]], {p: x},
               before=[tf.global_variables_initializer()])


@case
def nn_swish_crelu_zero_fraction(tf):
    return [tf.nn.swish(X), tf.nn.crelu(X), tf.nn.crelu(X, axis=0), tf.nn.zero_fraction(tf.nn.relu(X)),
            tf.nn.zero_fraction(tf.constant([0, 1, 0, 3]))]


@case
def nn_pool_v2_and_conv_backprops(tf):
    x = tf.constant(np.linspace(-1.0, 1.0, 1 * 4 * 4 * 2, dtype=np.float32).reshape(1, 4, 4, 2))
    w = tf.constant(np.linspace(0.5, -0.5, 2 * 2 * 2 * 3, dtype=np.float32).reshape(2, 2, 2, 3))
    dy = tf.constant(np.linspace(-0.3, 0.7, 1 * 2 * 2 * 3, dtype=np.float32).reshape(1, 2, 2, 3))
    return [tf.nn.max_pool2d(x, 2, 2, "VALID"), tf.nn.max_pool_v2(x, [1, 3, 3, 1], [1, 1, 1, 1], "SAME"),
            tf.nn.avg_pool_v2(x, 2, 2, "SAME"),
            tf.nn.conv2d_backprop_input([1, 4, 4, 2], w, dy, [1, 2, 2, 1], "SAME"),
            tf.nn.conv2d_backprop_filter(x, [2, 2, 2, 3], dy, [1, 2, 2, 1], "VALID")]


@case
def where_with_a_scalar_condition(tf):
    return [tf.where(tf.constant(False), X, X * 2.0), tf.where(True, [1, 2], [3, 4])]


@case
def exponential_moving_average(tf):
    w = tf.Variable([1.0, 2.0], name="w")
    b = tf.Variable(3.0, name="b")
    loss = tf.reduce_sum(w) * b
    ema = tf.train.ExponentialMovingAverage(0.9)
    step = tf.Variable(4, name="step")
    ema_of_loss = tf.train.ExponentialMovingAverage(0.99, num_updates=step, name="avg")
    update = tf.group(ema.apply([w, b]), ema_of_loss.apply([loss]))
    move = tf.group(tf.assign_add(w, [1.0, -1.0]), tf.assign_add(b, 0.5))
    return Run([ema.average(w), ema.average(b), ema_of_loss.average(loss), tf.moving_average_variables()[1]],
               before=[tf.global_variables_initializer(), move, update, move, update])
