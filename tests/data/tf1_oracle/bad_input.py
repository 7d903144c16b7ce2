"""Bad input that TensorFlow 1 refuses: one small graph per case (see runner.py).

Cases that TF1 refuses while building return what they would have built all the same, so that
an engine which does not refuse shows what it would compute.  ``bad_input.tf1_15.json`` (and
``bad_input.tf2.json``) say what real TensorFlow raised; ``tests/test_bad_input.py`` compares.
"""
import numpy as np

from runner import Run, placeholder_run, registry

CASES, case = registry()


# ---- integer division by zero ------------------------------------------------------------------
@case
def floordiv_int32_by_zero(tf):
    return Run(tf.floordiv(tf.constant([7, 8]), tf.constant([2, 0]), name="div"))


@case
def floordiv_operator_by_zero_fed(tf):
    p = tf.placeholder(tf.int32, [2], name="p")
    return Run(p // tf.constant([0, 1]), {p: [3, 4]})


@case
def floormod_int32_by_zero(tf):
    return Run(tf.floormod(tf.constant([7, 8]), tf.constant([2, 0]), name="mod"))


@case
def mod_operator_int64_by_zero(tf):
    p = tf.placeholder(tf.int64, [None], name="p")
    return Run(p % tf.constant(0, tf.int64), {p: [3, 4]})


@case
def div_int32_by_zero(tf):
    return Run(tf.div(tf.constant(7), tf.constant(0), name="old_div"))


@case
def floordiv_int64_by_zero_fed(tf):
    x = tf.placeholder(tf.int64, name="x")
    y = tf.placeholder(tf.int64, name="y")
    return Run(tf.floordiv(x, y, name="fd"), {x: [1, 2], y: [1, 0]})


@case
def pow_int_negative_exponent(tf):
    return Run(tf.pow(tf.constant([2, 3]), tf.constant([1, -1]), name="power"))


# ---- gather --------------------------------------------------------------------------------------
@case
def gather_index_too_large(tf):
    return Run(tf.gather(tf.constant([1.0, 2.0, 3.0]), tf.constant([0, 5]), name="g"))


@case
def gather_negative_index(tf):
    return Run(tf.gather(tf.constant([1.0, 2.0, 3.0]), tf.constant([-1]), name="g"))


@case
def gather_axis1_index_too_large_fed(tf):
    idx = tf.placeholder(tf.int32, [None], name="idx")
    return Run(tf.gather(tf.ones([2, 3]), idx, axis=1, name="g"), {idx: [0, 3]})


@case
def gather_axis_out_of_range(tf):
    return tf.gather(tf.ones([2, 3]), [0], axis=2, name="g")


@case
def gather_float_indices(tf):
    return tf.gather(tf.ones([3]), tf.constant([0.0, 1.0]), name="g")


@case
def gather_from_scalar(tf):
    return tf.gather(tf.constant(1.0), [0], name="g")


@case
def embedding_lookup_id_too_large(tf):
    ids = tf.placeholder(tf.int32, [None], name="ids")
    return Run(tf.nn.embedding_lookup(tf.ones([4, 2]), ids, name="emb"), {ids: [1, 4]})


# ---- slice and strided_slice ---------------------------------------------------------------------
@case
def slice_size_past_the_end(tf):
    return tf.slice(tf.ones([3, 4]), [1, 0], [5, 2], name="s")


@case
def slice_negative_begin(tf):
    return tf.slice(tf.ones([3]), [-1], [1], name="s")


@case
def slice_past_the_end_fed(tf):
    return placeholder_run(tf, lambda p: tf.slice(p, [1], [3], name="s"), [1.0, 2.0, 3.0])


@case
def slice_begin_longer_than_rank(tf):
    return tf.slice(tf.ones([3]), [0, 0], [1, 1], name="s")


@case
def index_past_the_end(tf):
    return tf.constant([1, 2, 3])[5]


@case
def negative_index_past_the_start(tf):
    return tf.constant([1, 2, 3])[-4]


@case
def index_past_the_end_fed(tf):
    return placeholder_run(tf, lambda p: p[5], [1.0, 2.0, 3.0])


@case
def too_many_indices(tf):
    return tf.constant([1, 2, 3])[0, 0]


@case
def index_past_the_end_second_axis(tf):
    return tf.ones([2, 2])[:, 3]


@case
def strided_slice_zero_stride(tf):
    return tf.strided_slice(tf.ones([4]), [0], [4], [0], name="ss")


@case
def slice_with_zero_step(tf):
    return tf.ones([4])[::0]


@case
def index_with_a_float(tf):
    return tf.ones([4])[1.5]


@case
def index_with_a_string(tf):
    return tf.ones([4])["a"]


@case
def two_ellipses(tf):
    return tf.ones([2, 2, 2])[..., 0, ...]


# ---- axes out of range ---------------------------------------------------------------------------
@case
def softmax_axis_out_of_range(tf):
    return tf.nn.softmax(tf.ones([2, 3]), axis=5, name="sm")


@case
def log_softmax_axis_out_of_range(tf):
    return tf.nn.log_softmax(tf.ones([2, 3]), axis=-3, name="lsm")


@case
def softmax_of_a_scalar(tf):
    return tf.nn.softmax(tf.constant(1.0), name="sm")


@case
def reduce_sum_axis_out_of_range(tf):
    return tf.reduce_sum(tf.ones([2, 3]), axis=2, name="sum")


@case
def reduce_mean_negative_axis_out_of_range(tf):
    return tf.reduce_mean(tf.ones([2, 3]), axis=-3, name="mean")


@case
def reduce_max_axis_out_of_range_fed(tf):
    return placeholder_run(tf, lambda p: tf.reduce_max(p, axis=3, name="max"), np.ones([2, 3]))


@case
def reduce_sum_float_axis(tf):
    return tf.reduce_sum(tf.ones([2, 3]), axis=0.5, name="sum")


@case
def argmax_axis_out_of_range(tf):
    return tf.argmax(tf.ones([2, 3]), axis=2, name="am")


@case
def argmax_axis_out_of_range_fed(tf):
    return placeholder_run(tf, lambda p: tf.argmax(p, axis=2, name="am"), np.ones([2, 3]))


@case
def argmin_of_an_empty_axis_fed(tf):
    return placeholder_run(tf, lambda p: tf.argmin(p, axis=0, name="am"), np.ones([0, 3]))


@case
def concat_axis_out_of_range(tf):
    return tf.concat([tf.ones([2, 3]), tf.ones([2, 3])], axis=2, name="cat")


@case
def expand_dims_axis_out_of_range(tf):
    return tf.expand_dims(tf.ones([3]), 3, name="ed")


@case
def squeeze_a_dimension_that_is_not_1(tf):
    return tf.squeeze(tf.ones([2, 3]), [1], name="sq")


@case
def squeeze_axis_out_of_range(tf):
    return tf.squeeze(tf.ones([2, 1]), [2], name="sq")


@case
def squeeze_a_dimension_that_is_not_1_fed(tf):
    return placeholder_run(tf, lambda p: tf.squeeze(p, [0], name="sq"), np.ones([2, 3]), shape=[None, 3])


@case
def unstack_axis_out_of_range(tf):
    return tf.unstack(tf.ones([2, 3]), axis=2)


@case
def unstack_unknown_length(tf):
    return tf.unstack(tf.placeholder(tf.float32, [None]))


@case
def stack_axis_out_of_range(tf):
    return tf.stack([tf.ones([2]), tf.ones([2])], axis=3, name="st")


@case
def transpose_perm_too_short(tf):
    return tf.transpose(tf.ones([2, 3, 4]), [1, 0], name="tr")


@case
def transpose_perm_repeats_an_axis(tf):
    return Run(tf.transpose(tf.ones([2, 3]), [0, 0], name="tr"))


@case
def transpose_perm_out_of_range(tf):
    return Run(tf.transpose(tf.ones([2, 3]), [0, 2], name="tr"))


# ---- one_hot, split, tile, reshape ----------------------------------------------------------------
@case
def one_hot_of_floats(tf):
    return tf.one_hot(tf.constant([0.0, 1.0]), 3, name="oh")


@case
def one_hot_negative_depth(tf):
    return Run(tf.one_hot([0, 1], -1, name="oh"))


@case
def one_hot_depth_not_a_scalar(tf):
    return tf.one_hot([0, 1], [3, 4], name="oh")


@case
def split_does_not_divide(tf):
    return tf.split(tf.range(5), 2, name="sp")


@case
def split_sizes_do_not_sum(tf):
    return tf.split(tf.ones([5]), [2, 4], name="sp")


@case
def split_does_not_divide_fed(tf):
    return placeholder_run(tf, lambda p: tf.split(p, 2, num=2, name="sp"), np.ones(5))


@case
def split_sizes_do_not_sum_fed(tf):
    return placeholder_run(tf, lambda p: tf.split(p, [2, 4], name="sp"), np.ones(5), shape=[None])


@case
def split_axis_out_of_range(tf):
    return tf.split(tf.ones([4]), 2, axis=1, name="sp")


@case
def split_two_unknown_sizes(tf):
    return tf.split(tf.ones([4]), [-1, -1], name="sp")


@case
def tile_multiples_too_short(tf):
    return tf.tile(tf.ones([2, 3]), [2], name="tile")


@case
def tile_multiples_too_short_fed(tf):
    m = tf.placeholder(tf.int32, [None], name="m")
    return Run(tf.tile(tf.ones([2, 3]), m, name="tile"), {m: [2]})


@case
def tile_negative_multiple(tf):
    return Run(tf.tile(tf.ones([2]), [-1], name="tile"))


@case
def tile_float_multiples(tf):
    return tf.tile(tf.ones([2]), [1.5], name="tile")


@case
def reshape_to_an_impossible_size(tf):
    return tf.reshape(tf.ones([2, 3]), [4], name="rs")


@case
def reshape_not_divisible(tf):
    return tf.reshape(tf.ones([3, 4, 5]), [7, -1], name="rs")


@case
def reshape_two_unknowns(tf):
    return tf.reshape(tf.ones([2, 3]), [-1, -1], name="rs")


@case
def reshape_to_an_impossible_size_fed(tf):
    return placeholder_run(tf, lambda p: tf.reshape(p, [2, 2], name="rs"), [1.0, 2.0, 3.0])


@case
def reshape_not_divisible_fed(tf):
    return placeholder_run(tf, lambda p: tf.reshape(p, [2, -1], name="rs"), [1.0, 2.0, 3.0])


@case
def reshape_negative_size(tf):
    return tf.reshape(tf.ones([6]), [-2, -3], name="rs")


@case
def reshape_float_shape(tf):
    return tf.reshape(tf.ones([6]), [2.0, 3.0], name="rs")


# ---- matmul, concat, stack, elementwise shapes -----------------------------------------------------
@case
def matmul_inner_dimensions_differ(tf):
    return tf.matmul(tf.ones([2, 3]), tf.ones([4, 5]), name="mm")


@case
def matmul_of_a_vector(tf):
    return tf.matmul(tf.ones([3]), tf.ones([3, 2]), name="mm")


@case
def matmul_transpose_b_mismatch(tf):
    return tf.matmul(tf.ones([2, 3]), tf.ones([3, 4]), transpose_b=True, name="mm")


@case
def matmul_int_and_float(tf):
    return tf.matmul(tf.ones([2, 3], tf.int32), tf.ones([3, 4]), name="mm")


@case
def matmul_inner_dimensions_differ_fed(tf):
    a = tf.placeholder(tf.float32, [None, None], name="a")
    return Run(tf.matmul(a, tf.ones([4, 5]), name="mm"), {a: np.ones([2, 3])})


@case
def batch_matmul_batch_dimensions_differ(tf):
    return tf.matmul(tf.ones([2, 3, 4]), tf.ones([3, 4, 5]), name="mm")


@case
def concat_rank_mismatch(tf):
    return tf.concat([tf.ones([2, 3]), tf.ones([3])], 0, name="cat")


@case
def concat_other_dimension_differs(tf):
    return tf.concat([tf.ones([2, 3]), tf.ones([2, 4])], 0, name="cat")


@case
def concat_other_dimension_differs_fed(tf):
    p = tf.placeholder(tf.float32, [None, None], name="p")
    return Run(tf.concat([tf.ones([2, 3]), p], 0, name="cat"), {p: np.ones([2, 4])})


@case
def concat_dtypes_differ(tf):
    return tf.concat([tf.ones([2]), tf.ones([2], tf.int32)], 0, name="cat")


@case
def stack_shapes_differ(tf):
    return tf.stack([tf.ones([2]), tf.ones([3])], name="st")


@case
def stack_ranks_differ(tf):
    return tf.stack([tf.ones([2]), tf.ones([2, 2])], name="st")


@case
def stack_shapes_differ_fed(tf):
    p = tf.placeholder(tf.float32, [None], name="p")
    return Run(tf.stack([tf.ones([2]), p], name="st"), {p: np.ones(3)})


@case
def add_shapes_do_not_broadcast(tf):
    return tf.add(tf.ones([2, 3]), tf.ones([4]), name="plus")


@case
def add_shapes_do_not_broadcast_fed(tf):
    p = tf.placeholder(tf.float32, [None], name="p")
    return Run(tf.add(tf.ones([2, 3]), p, name="plus"), {p: np.ones(4)})


@case
def equal_shapes_do_not_broadcast(tf):
    return tf.equal(tf.ones([2]), tf.ones([3]), name="eq")


@case
def add_n_shapes_differ(tf):
    return tf.add_n([tf.ones([2]), tf.ones([3])], name="addn")


@case
def add_n_of_nothing(tf):
    return tf.add_n([], name="addn")


@case
def add_n_dtypes_differ(tf):
    return tf.add_n([tf.ones([2]), tf.ones([2], tf.int32)], name="addn")


@case
def where_shapes_differ(tf):
    return tf.where(tf.constant([True, False]), tf.ones([2]), tf.ones([3]), name="sel")


@case
def where_shapes_differ_fed(tf):
    p = tf.placeholder(tf.float32, [None], name="p")
    return Run(tf.where(tf.constant([True, False]), tf.ones([2]), p, name="sel"), {p: np.ones(3)})


@case
def broadcast_to_incompatible(tf):
    return Run(tf.broadcast_to(tf.ones([3]), [2, 4], name="bt"))


# ---- dtypes ---------------------------------------------------------------------------------------
@case
def add_int_and_float_tensors(tf):
    return tf.add(tf.constant(1), tf.constant(1.5), name="plus")


@case
def int_tensor_plus_python_float(tf):
    return tf.constant(1) + 1.5


@case
def int_constant_of_a_float(tf):
    return tf.constant(1.5, dtype=tf.int32)


@case
def string_plus_int(tf):
    return tf.constant("a") + 1


@case
def maximum_int_and_float(tf):
    return tf.maximum(tf.constant([1]), tf.constant([1.0]), name="mx")


@case
def sqrt_of_int(tf):
    return tf.sqrt(tf.constant([4, 9]), name="root")


@case
def exp_of_int(tf):
    return tf.exp(tf.constant([1, 2]), name="e")


@case
def log_of_int(tf):
    return tf.log(tf.constant([1, 2]), name="ln")


@case
def sigmoid_of_int(tf):
    return tf.sigmoid(tf.constant([1, 2]), name="sig")


@case
def softmax_of_int(tf):
    return tf.nn.softmax(tf.constant([[1, 2]]), name="sm")


@case
def logical_and_of_ints(tf):
    return tf.logical_and(tf.constant([1]), tf.constant([0]), name="land")


@case
def logical_not_of_floats(tf):
    return tf.logical_not(tf.constant([1.0]), name="lnot")


@case
def square_of_bool(tf):
    return tf.square(tf.constant([True]), name="sq")


@case
def l2_loss_of_int(tf):
    return tf.nn.l2_loss(tf.constant([1, 2]), name="l2")


@case
def reduce_mean_of_strings(tf):
    return tf.reduce_mean(tf.constant(["a", "b"]), name="mean")


@case
def argmax_of_bool(tf):
    return tf.argmax(tf.constant([True, False]), name="am")


@case
def cast_to_an_unknown_dtype(tf):
    return tf.cast(tf.constant(1), "foo")


@case
def cast_string_to_float(tf):
    return Run(tf.cast(tf.constant(["1.5"]), tf.float32, name="c"))


@case
def placeholder_of_an_unknown_dtype(tf):
    return tf.placeholder("nope")


@case
def placeholder_with_a_float_dimension(tf):
    return tf.placeholder(tf.float32, [2.5])


@case
def ragged_constant(tf):
    return tf.constant([[1, 2], [3]])


@case
def constant_of_an_object(tf):
    return tf.constant(object())


@case
def constant_too_many_elements(tf):
    return tf.constant([1, 2, 3], shape=[2])


@case
def zeros_of_a_negative_shape(tf):
    return Run(tf.zeros([2, -1], name="z"))


@case
def range_zero_delta(tf):
    return Run(tf.range(0, 5, 0, name="r"))


@case
def range_limit_below_start(tf):
    return Run(tf.range(5, 0, 1, name="r"))


@case
def random_uniform_int_empty_range(tf):
    return Run(tf.random_uniform([2], 5, 1, dtype=tf.int32, name="ru"))


@case
def random_uniform_int_without_maxval(tf):
    return tf.random_uniform([2], dtype=tf.int32, name="ru")


# ---- variables and assign --------------------------------------------------------------------------
@case
def assign_a_differently_shaped_constant(tf):
    v = tf.Variable([1.0, 2.0], name="v")
    return tf.assign(v, [1.0, 2.0, 3.0], name="set")


@case
def assign_a_differently_shaped_feed(tf):
    v = tf.Variable([1.0, 2.0], name="v")
    p = tf.placeholder(tf.float32, name="p")
    return Run(tf.assign(v, p, name="set"), {p: [1.0, 2.0, 3.0]}, [tf.global_variables_initializer()])


@case
def variable_assign_method_differently_shaped(tf):
    v = tf.Variable(tf.zeros([2, 2]), name="v")
    return v.assign(tf.zeros([3, 2]))


@case
def assign_add_differently_shaped(tf):
    v = tf.Variable([1.0, 2.0], name="v")
    return tf.assign_add(v, [1.0, 2.0, 3.0], name="inc")


@case
def assign_add_differently_shaped_feed(tf):
    v = tf.Variable([1.0, 2.0], name="v")
    p = tf.placeholder(tf.float32, name="p")
    return Run(tf.assign_add(v, p, name="inc"), {p: [1.0, 2.0, 3.0]}, [tf.global_variables_initializer()])


@case
def assign_an_int_tensor_to_a_float_variable(tf):
    v = tf.Variable([1.0, 2.0], name="v")
    return tf.assign(v, tf.constant([1, 2]), name="set")


@case
def assign_to_a_constant(tf):
    return tf.assign(tf.constant(1.0), 2.0)


@case
def uninitialized_variable(tf):
    v = tf.Variable(1.0, name="v")
    return Run(v * 2)


@case
def variable_without_initial_value(tf):
    return tf.Variable()


@case
def get_variable_twice(tf):
    tf.get_variable("w", [2])
    return tf.get_variable("w", [2])


@case
def get_variable_reuse_missing(tf):
    with tf.variable_scope("scope", reuse=True):
        return tf.get_variable("missing", [1])


@case
def get_variable_reuse_other_shape(tf):
    tf.get_variable("w", [2])
    with tf.variable_scope("", reuse=True):
        return tf.get_variable("w", [3])


@case
def get_variable_without_shape(tf):
    return tf.get_variable("w")


@case
def get_variable_constant_initializer_and_shape(tf):
    return tf.get_variable("w", [3], initializer=tf.constant([1.0, 2.0, 3.0]))


@case
def variable_int_assign_add_float(tf):
    v = tf.Variable(1, name="v")
    return tf.assign_add(v, 1.5)


# ---- feeding ----------------------------------------------------------------------------------------
@case
def unfed_placeholder(tf):
    p = tf.placeholder(tf.float32, [None, 3], name="x")
    return Run(p * 2)


@case
def unfed_placeholder_of_unknown_shape(tf):
    p = tf.placeholder(tf.int32, name="x")
    return Run(p + 1)


@case
def feed_a_string_to_a_float_placeholder(tf):
    return placeholder_run(tf, lambda p: p * 2, "abc")


@case
def feed_a_string_to_an_int_placeholder(tf):
    return placeholder_run(tf, lambda p: p * 2, "abc", dtype="int32")


@case
def feed_the_wrong_shape(tf):
    return placeholder_run(tf, lambda p: p * 2, [1.0, 2.0], shape=[3])


@case
def feed_the_wrong_rank(tf):
    return placeholder_run(tf, lambda p: p * 2, [[1.0, 2.0, 3.0]], shape=[None])


@case
def feed_a_tensor(tf):
    return placeholder_run(tf, lambda p: p * 2, tf.constant(1.0))


@case
def feed_a_ragged_list(tf):
    return placeholder_run(tf, lambda p: p * 2, [[1.0, 2.0], [3.0]])


@case
def feed_key_of_another_graph(tf):
    with tf.Graph().as_default():
        other = tf.placeholder(tf.float32)
    return Run(tf.constant(1.0), {other: 1.0})


@case
def feed_key_names_no_tensor(tf):
    return Run(tf.constant(1.0), {"nope:0": 1.0})


@case
def feed_key_is_an_operation_name(tf):
    tf.placeholder(tf.float32, name="p")
    return Run(tf.constant(1.0), {"p": 1.0})


@case
def feed_key_is_a_number(tf):
    return Run(tf.constant(1.0), {3: 1.0})


# ---- fetching ---------------------------------------------------------------------------------------
@case
def fetch_none(tf):
    tf.constant(1.0, name="c")
    return Run(None)


@case
def fetch_an_int(tf):
    tf.constant(1.0, name="c")
    return Run(3)


@case
def fetch_a_float_in_a_list(tf):
    return Run([tf.constant(1.0), 2.5])


@case
def fetch_a_numpy_array(tf):
    tf.constant(1.0, name="c")
    return Run(np.ones(2))


@case
def fetch_a_name_that_does_not_exist(tf):
    tf.constant(1.0, name="c")
    return Run("nope:0")


@case
def fetch_an_operation_name_that_does_not_exist(tf):
    tf.constant(1.0, name="c")
    return Run("nope")


@case
def fetch_an_output_that_does_not_exist(tf):
    tf.constant(1.0, name="c")
    return Run("c:1")


@case
def fetch_a_tensor_of_another_graph(tf):
    tf.constant(1.0, name="c")
    with tf.Graph().as_default():
        other = tf.constant(1.0)
    return Run(other)


@case
def fetch_from_a_closed_session(tf):
    c = tf.constant(1.0)

    def run(sess):
        sess.close()
        sess.run(c)
    return run


@case
def eval_without_a_session(tf):
    return tf.constant(1.0).eval()


@case
def combine_tensors_of_two_graphs(tf):
    with tf.Graph().as_default():
        other = tf.constant(1.0)
    return tf.add(tf.constant(2.0), other)


# ---- Python protocol on tensors ----------------------------------------------------------------------
@case
def tensor_as_a_bool(tf):
    if tf.constant(True):
        pass


@case
def iterate_over_a_tensor(tf):
    for _ in tf.ones([3]):
        pass


@case
def len_of_a_tensor(tf):
    return len(tf.ones([3]))


@case
def get_tensor_by_missing_name(tf):
    return tf.get_default_graph().get_tensor_by_name("nope:0")


@case
def get_operation_by_missing_name(tf):
    return tf.get_default_graph().get_operation_by_name("nope")


@case
def get_tensor_by_an_operation_name(tf):
    tf.constant(1.0, name="c")
    return tf.get_default_graph().get_tensor_by_name("c")


@case
def invalid_op_name(tf):
    return tf.constant(1.0, name="a b!")


@case
def invalid_name_scope(tf):
    with tf.name_scope("a b!"):
        return tf.constant(1.0)


@case
def control_dependency_on_a_number(tf):
    with tf.control_dependencies([3]):
        return tf.constant(1.0)


@case
def add_to_a_finalized_graph(tf):
    tf.get_default_graph().finalize()
    return tf.constant(1.0)


# ---- neural-network ops ----------------------------------------------------------------------------
@case
def conv2d_channels_differ(tf):
    return tf.nn.conv2d(tf.ones([1, 5, 5, 3]), tf.ones([3, 3, 2, 4]), [1, 1, 1, 1], "SAME", name="conv")


@case
def conv2d_of_rank_3(tf):
    return tf.nn.conv2d(tf.ones([5, 5, 3]), tf.ones([3, 3, 3, 4]), [1, 1, 1, 1], "SAME", name="conv")


@case
def conv2d_lowercase_padding(tf):
    return tf.nn.conv2d(tf.ones([1, 5, 5, 3]), tf.ones([3, 3, 3, 4]), [1, 1, 1, 1], "same", name="conv")


@case
def conv2d_filter_larger_than_input(tf):
    return tf.nn.conv2d(tf.ones([1, 3, 3, 1]), tf.ones([5, 5, 1, 1]), [1, 1, 1, 1], "VALID", name="conv")


@case
def conv2d_channels_differ_fed(tf):
    p = tf.placeholder(tf.float32, [None, None, None, None], name="p")
    return Run(tf.nn.conv2d(p, tf.ones([3, 3, 3, 4]), [1, 1, 1, 1], "SAME", name="conv"),
               {p: np.ones([1, 5, 5, 2])})


@case
def conv2d_three_strides(tf):
    return tf.nn.conv2d(tf.ones([1, 5, 5, 3]), tf.ones([3, 3, 3, 4]), [1, 1, 1], "SAME", name="conv")


@case
def max_pool_window_larger_than_input(tf):
    return tf.nn.max_pool(tf.ones([1, 2, 2, 1]), [1, 3, 3, 1], [1, 1, 1, 1], "VALID", name="pool")


@case
def max_pool_ksize_of_length_3(tf):
    return tf.nn.max_pool(tf.ones([1, 4, 4, 1]), [2, 2, 1], [1, 2, 2, 1], "VALID", name="pool")


@case
def bias_add_sizes_differ(tf):
    return tf.nn.bias_add(tf.ones([2, 3]), tf.ones([4]), name="ba")


@case
def bias_add_of_a_vector(tf):
    return tf.nn.bias_add(tf.ones([3]), tf.ones([3]), name="ba")


@case
def bias_add_sizes_differ_fed(tf):
    p = tf.placeholder(tf.float32, [None], name="p")
    return Run(tf.nn.bias_add(tf.ones([2, 3]), p, name="ba"), {p: np.ones(4)})


@case
def softmax_cross_entropy_shapes_differ(tf):
    return tf.nn.softmax_cross_entropy_with_logits_v2(labels=tf.ones([2, 3]), logits=tf.ones([2, 4]), name="xent")


@case
def softmax_cross_entropy_shapes_differ_fed(tf):
    p = tf.placeholder(tf.float32, [None, None], name="p")
    return Run(tf.nn.softmax_cross_entropy_with_logits_v2(labels=p, logits=tf.ones([2, 4]), name="xent"),
               {p: np.ones([2, 3])})


@case
def sparse_softmax_cross_entropy_label_out_of_range(tf):
    labels = tf.placeholder(tf.int32, [None], name="labels")
    loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=tf.ones([2, 3]), name="xent")
    return Run(loss, {labels: [0, 5]})


@case
def sparse_softmax_cross_entropy_float_labels(tf):
    return tf.nn.sparse_softmax_cross_entropy_with_logits(labels=tf.constant([0.0, 1.0]), logits=tf.ones([2, 3]))


@case
def sparse_softmax_cross_entropy_one_hot_labels(tf):
    return tf.nn.sparse_softmax_cross_entropy_with_logits(labels=tf.ones([2, 3], tf.int32), logits=tf.ones([2, 3]))


@case
def sigmoid_cross_entropy_shapes_differ(tf):
    return tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.ones([2, 3]), logits=tf.ones([2, 4]))


@case
def dropout_keep_prob_zero(tf):
    return tf.nn.dropout(tf.ones([2]), keep_prob=0.0)


@case
def dropout_rate_one(tf):
    return tf.nn.dropout(tf.ones([2]), rate=1.0)


@case
def dropout_of_ints(tf):
    return tf.nn.dropout(tf.ones([2], tf.int32), rate=0.5)


@case
def top_k_larger_than_the_last_axis(tf):
    return tf.nn.top_k(tf.ones([2, 3]), 5, name="top")


@case
def top_k_larger_than_the_last_axis_fed(tf):
    return placeholder_run(tf, lambda p: tf.nn.top_k(p, 5, name="top"), np.ones([2, 3]))


@case
def top_k_negative(tf):
    return tf.nn.top_k(tf.ones([2, 3]), -1, name="top")


@case
def in_top_k_batch_sizes_differ(tf):
    return tf.nn.in_top_k(tf.ones([2, 3]), tf.constant([0, 1, 2]), 1, name="itk")


@case
def layers_dense_of_a_vector(tf):
    return tf.layers.dense(tf.ones([3]), 2)


@case
def layers_dense_unknown_last_dimension(tf):
    return tf.layers.dense(tf.placeholder(tf.float32, [None, None]), 2)


@case
def layers_conv2d_of_rank_3(tf):
    return tf.layers.conv2d(tf.ones([5, 5, 3]), 4, 3)


# ---- control flow, py_func ----------------------------------------------------------------------
@case
def cond_on_a_python_bool(tf):
    return tf.cond(True, lambda: tf.constant(1), lambda: tf.constant(2))


@case
def cond_on_a_float_tensor(tf):
    return tf.cond(tf.constant(1.0), lambda: tf.constant(1), lambda: tf.constant(2))


@case
def cond_branch_not_callable(tf):
    return tf.cond(tf.constant(True), tf.constant(1), lambda: tf.constant(2))


@case
def cond_branches_return_different_structures(tf):
    return tf.cond(tf.constant(True), lambda: tf.constant(1), lambda: [tf.constant(1), tf.constant(2)])


@case
def cond_branches_return_different_dtypes(tf):
    return tf.cond(tf.constant(True), lambda: tf.constant(1), lambda: tf.constant(2.0))


@case
def while_loop_cond_not_callable(tf):
    return tf.while_loop(True, lambda i: i + 1, [tf.constant(0)])


@case
def while_loop_body_returns_too_many(tf):
    return tf.while_loop(lambda i: i < 3, lambda i: (i + 1, i), [tf.constant(0)])


@case
def while_loop_shape_changes(tf):
    return tf.while_loop(lambda x: tf.size(x) < 4, lambda x: tf.concat([x, x], 0), [tf.constant([1])])


@case
def py_func_raises_key_error(tf):
    return Run(tf.py_func(lambda x: {}["missing"], [tf.constant(1.0)], tf.float32, name="pyf"))


@case
def py_func_raises_value_error(tf):
    def bad(x):
        raise ValueError("bad value")
    return Run(tf.py_func(bad, [tf.constant(1.0)], tf.float32, name="pyf"))


@case
def py_func_raises_zero_division(tf):
    def divide(x):
        return x // 0 if isinstance(x, int) else 1 // 0
    return Run(tf.py_func(divide, [tf.constant(1)], tf.int32, name="pyf"))


@case
def py_func_raises_stop_iteration(tf):
    def done(x):
        raise StopIteration()
    return Run(tf.py_func(done, [tf.constant(1.0)], tf.float32, name="pyf"))


@case
def py_func_raises_not_implemented(tf):
    def todo(x):
        raise NotImplementedError("later")
    return Run(tf.py_func(todo, [tf.constant(1.0)], tf.float32, name="pyf"))


@case
def py_func_returns_the_wrong_dtype(tf):
    return Run(tf.py_func(lambda x: np.float64(x), [tf.constant(1.0)], tf.float32, name="pyf"))


@case
def py_func_returns_too_few_values(tf):
    return Run(tf.py_func(lambda x: x, [tf.constant(1.0)], [tf.float32, tf.float32], name="pyf"))


# ---- training ---------------------------------------------------------------------------------------
@case
def minimize_without_variables(tf):
    return tf.train.GradientDescentOptimizer(0.1).minimize(tf.constant(1.0))


@case
def minimize_a_loss_that_ignores_the_variables(tf):
    tf.Variable(1.0, name="v")
    return tf.train.GradientDescentOptimizer(0.1).minimize(tf.constant(1.0))


@case
def minimize_an_int_loss(tf):
    v = tf.Variable(1, name="v")
    return tf.train.GradientDescentOptimizer(0.1).minimize(v * 2)


@case
def saver_without_variables(tf):
    return tf.train.Saver()


# ---- TF1's wider math and array ops ------------------------------------------------------------------
@case
def assert_equal_fails_when_run(tf):
    p = tf.placeholder(tf.int32, [2], name="p")
    with tf.control_dependencies([tf.assert_equal(p, [1, 3], name="check")]):
        return Run(tf.identity(p, name="checked"), {p: [1, 2]})


@case
def assert_equal_of_constants_fails_while_building(tf):
    return tf.assert_equal(tf.constant([1, 2], name="a"), tf.constant([1, 3], name="b"), name="check")


@case
def assert_positive_fails_when_run(tf):
    p = tf.placeholder(tf.float32, [3], name="p")
    with tf.control_dependencies([tf.assert_positive(p, name="check")]):
        return Run(tf.identity(p, name="checked"), {p: [1.0, -2.0, 3.0]})


@case
def assert_rank_of_a_static_shape(tf):
    return tf.assert_rank(tf.constant([1, 2], name="v"), 2)


@case
def pad_with_paddings_for_another_rank(tf):
    return tf.pad(tf.ones([2, 3]), [[1, 1]], name="pad")


@case
def pad_with_an_unknown_mode(tf):
    return tf.pad(tf.ones([2, 3]), [[1, 1], [0, 0]], mode="WRAP")


@case
def diag_of_a_scalar(tf):
    return tf.diag(tf.constant(1.0), name="diag")


@case
def diag_part_of_an_odd_rank(tf):
    return tf.diag_part(tf.ones([2, 2, 2]), name="dp")


@case
def cumsum_on_an_axis_out_of_range(tf):
    return tf.cumsum(tf.ones([2, 3]), axis=2, name="cs")


@case
def scalar_mul_by_a_vector(tf):
    return tf.scalar_mul(tf.constant([2.0, 3.0]), tf.ones([2]))


@case
def boolean_mask_with_a_scalar_mask(tf):
    return tf.boolean_mask(tf.ones([2]), True)


@case
def norm_with_an_unknown_ord(tf):
    return tf.norm(tf.ones([2, 2]), ord="nuc")


@case
def is_nan_of_integers(tf):
    return tf.is_nan(tf.constant([1, 2]), name="isnan")


@case
def reverse_on_an_axis_out_of_range(tf):
    return tf.reverse(tf.ones([2, 3]), [2], name="rev")


@case
def matrix_transpose_of_a_vector(tf):
    return tf.matrix_transpose(tf.ones([3]))


@case
def gather_nd_index_out_of_range(tf):
    return tf.gather_nd(tf.ones([2, 3]), [[0, 1], [2, 0]], name="gnd")


@case
def gather_nd_index_vectors_too_long(tf):
    return tf.gather_nd(tf.ones([2, 3]), [[0, 1, 1]], name="gnd")


@case
def scatter_nd_index_out_of_range(tf):
    return tf.scatter_nd([[1], [5]], [1.0, 2.0], [4], name="snd")


@case
def unique_of_a_matrix(tf):
    return tf.unique(tf.ones([2, 2]), name="uniq")


@case
def conv2d_transpose_with_mismatched_channels(tf):
    return tf.nn.conv2d_transpose(tf.ones([1, 3, 3, 2]), tf.ones([3, 3, 4, 5]), [1, 6, 6, 4], [1, 2, 2, 1])


@case
def sort_in_an_unknown_direction(tf):
    return tf.sort(tf.constant([3.0, 1.0]), direction="UP")


@case
def tensordot_with_unequal_axes(tf):
    return tf.tensordot(tf.ones([2, 3]), tf.ones([3, 2]), [[1], [0, 1]])


@case
def lrn_of_a_matrix(tf):
    return tf.nn.lrn(tf.ones([2, 3]))


@case
def meshgrid_with_unknown_indexing(tf):
    return tf.meshgrid([1, 2], [3, 4], indexing="xz")


@case
def pad_with_negative_paddings(tf):
    return tf.pad(tf.ones([2, 3]), [[-1, 0], [0, 0]], name="pad")


@case
def reflect_pad_as_wide_as_the_tensor(tf):
    return tf.pad(tf.ones([2, 3]), [[2, 0], [0, 0]], mode="REFLECT", name="pad")


@case
def symmetric_pad_wider_than_the_tensor(tf):
    return tf.pad(tf.ones([2, 3]), [[3, 0], [0, 0]], mode="SYMMETRIC", name="pad")


@case
def reverse_an_axis_twice(tf):
    return tf.reverse(tf.ones([2, 3]), [1, -1], name="rev")


@case
def cumsum_of_a_scalar(tf):
    return tf.cumsum(tf.constant(1.0), name="cs")


@case
def diag_part_of_a_non_square_matrix(tf):
    return placeholder_run(tf, lambda p: tf.diag_part(p, name="dp"), np.ones((2, 3), np.float32), shape=[None, None])


@case
def boolean_mask_of_another_shape(tf):
    return tf.boolean_mask(tf.ones([2, 3]), [True, False, True])


@case
def tensordot_of_mismatched_sizes(tf):
    return tf.tensordot(tf.ones([2, 3]), tf.ones([4, 2]), 1)


@case
def gather_nd_with_float_indices(tf):
    return tf.gather_nd(tf.ones([2, 3]), [[0.0, 1.0]], name="gnd")


@case
def cumprod_of_strings(tf):
    return tf.cumprod(tf.constant(["a", "b"]), name="cp")


@case
def truncatemod_by_zero(tf):
    return tf.truncatemod(tf.constant([7, -7]), tf.constant([2, 0]), name="tm")


@case
def atan2_of_integers(tf):
    return tf.atan2(tf.constant([1, 2]), tf.constant([3, 4]), name="at")


@case
def conv2d_transpose_output_shape_that_cannot_be(tf):
    return tf.nn.conv2d_transpose(tf.ones([1, 3, 3, 2]), tf.ones([3, 3, 4, 2]), [1, 9, 9, 4], [1, 2, 2, 1],
                                  name="deconv")


@case
def where_with_a_scalar_condition_of_unequal_shapes(tf):
    p = tf.placeholder(tf.float32, None, name="p")
    return Run(tf.where(tf.constant(True), p, tf.ones([3]), name="sel"), {p: [1.0, 2.0]})
