"""Recurrent networks: tf.nn.rnn_cell / tf.contrib.rnn cells, dynamic_rnn, static_rnn, sequence_loss.

Expected values, variable names, static shapes and messages are what TensorFlow 1.15.5 printed for
the same graphs with the same weights (``weights`` below, loaded into every variable in
``tf.trainable_variables()`` order); gradients are also checked against finite differences, and
sequence_loss's reductions against their formula in numpy.
"""
import numpy as np
import pytest

import minitf as tf

X_VALUE = (np.arange(2 * 3 * 2, dtype=np.float32).reshape(2, 3, 2) - 5.5) / 6.0


def weights(shape, seed):
    return np.cos(np.arange(np.prod(shape), dtype=np.float32) * 0.7 + seed).reshape(shape) * 0.5


def load_weights(sess):
    for i, v in enumerate(tf.trainable_variables()):
        v.load(weights(v.shape.as_list(), i), sess)


def flat_state(state):
    return [state] if isinstance(state, tf.Tensor) else [t for s in state for t in flat_state(s)]


# cell -> (sequence_length, variable names, outputs, final state leaves, d loss / d X), from TF 1.15.5
TF_RESULTS = {
    "BasicLSTMCell": ([3, 1], ["rnn/basic_lstm_cell/kernel:0", "rnn/basic_lstm_cell/bias:0"],
                      [[[-0.1616737, -0.0622398], [-0.2735265, -0.1522074], [-0.327488, -0.2567667]],
                       [[-0.0816123, -0.1429865], [0, 0], [0, 0]]],
                      [[[-0.583035, -0.4112572], [-0.1569162, -0.2423175]],
                       [[-0.327488, -0.2567667], [-0.0816123, -0.1429865]]],
                      [[[-0.1033297, -0.0033172], [-0.1264932, 0.011933], [-0.1152268, 0.1289926]],
                       [[-0.1804588, 0.2545447], [0, 0], [0, 0]]]),
    "GRUCell": (None, ["rnn/gru_cell/gates/kernel:0", "rnn/gru_cell/gates/bias:0",
                       "rnn/gru_cell/candidate/kernel:0", "rnn/gru_cell/candidate/bias:0"],
                [[[0.0329131, 0.118507], [-0.0705796, 0.0400002], [-0.25444, -0.1591361]],
                 [[-0.3384849, -0.3035158], [-0.5818248, -0.5609072], [-0.7436429, -0.7385869]]],
                [[[-0.25444, -0.1591361], [-0.7436429, -0.7385869]]],
                [[[-0.1365769, -0.1290014], [-0.1397099, -0.1216796], [-0.2367917, -0.2370963]],
                 [[0.3890551, 0.4601585], [0.2999497, 0.3033443], [0.0689163, 0.0638048]]]),
    "BasicRNNCell": ([2, 0], ["rnn/basic_rnn_cell/kernel:0", "rnn/basic_rnn_cell/bias:0"],
                     [[[-0.2467225, -0.2219039], [0.1132163, -0.0872738], [0, 0]], [[0, 0], [0, 0], [0, 0]]],
                     [[[0.1132163, -0.0872738], [0, 0]]],
                     [[[-0.921134, 0.0438869], [0.9186221, -0.1038855], [0, 0]], [[0, 0], [0, 0], [0, 0]]]),
}


def build(cell_name, seqlen):
    X = tf.placeholder(tf.float32, [None, 3, 2])
    outputs, state = tf.nn.dynamic_rnn(getattr(tf.nn.rnn_cell, cell_name)(2), X, sequence_length=seqlen,
                                       dtype=tf.float32)
    loss = tf.reduce_sum(outputs ** 2) + tf.add_n([tf.reduce_sum(s) for s in flat_state(state)])
    return X, outputs, state, loss


@pytest.mark.parametrize("cell_name", sorted(TF_RESULTS))
def test_dynamic_rnn_matches_tf(cell_name):
    seqlen, names, outputs_tf, state_tf, grad_tf = TF_RESULTS[cell_name]
    X, outputs, state, loss = build(cell_name, seqlen)
    assert [v.name for v in tf.trainable_variables()] == names
    assert str(outputs.shape) == "(?, 3, 2)" and all(str(s.shape) == "(?, 2)" for s in flat_state(state))
    grad = tf.gradients(loss, X)[0]
    with tf.Session() as sess:
        load_weights(sess)
        got_outputs, got_state, got_grad = sess.run([outputs, flat_state(state), grad], {X: X_VALUE})
    np.testing.assert_allclose(got_outputs, outputs_tf, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got_state, state_tf, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got_grad, grad_tf, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("cell_name", sorted(TF_RESULTS))
def test_gradients_match_finite_differences(cell_name):
    X = tf.placeholder(tf.float64, [None, 3, 2])
    seqlen = TF_RESULTS[cell_name][0]
    outputs, state = tf.nn.dynamic_rnn(getattr(tf.nn.rnn_cell, cell_name)(2), X, sequence_length=seqlen,
                                       dtype=tf.float64)
    loss = tf.reduce_sum(outputs ** 2) + tf.add_n([tf.reduce_sum(s * 0.7) for s in flat_state(state)])
    variables = tf.trainable_variables()
    assert all(v.dtype.base_dtype == tf.float64 for v in variables)   # the inputs' dtype, as TF
    grads = tf.gradients(loss, [X] + variables)
    with tf.Session() as sess:
        for i, v in enumerate(variables):
            v.load(weights(v.shape.as_list(), i).astype(np.float64), sess)
        x = X_VALUE.astype(np.float64)
        got = sess.run(grads, {X: x})
        eps = 1e-6
        numeric = np.zeros_like(x)
        for index in np.ndindex(*x.shape):
            up, down = x.copy(), x.copy()
            up[index] += eps
            down[index] -= eps
            numeric[index] = (sess.run(loss, {X: up}) - sess.run(loss, {X: down})) / (2 * eps)
        np.testing.assert_allclose(got[0], numeric, rtol=1e-5, atol=1e-7)
        kernel, value = variables[0], sess.run(variables[0])
        numeric = np.zeros_like(value)
        for index in np.ndindex(*value.shape):
            for sign in (1, -1):
                moved = value.copy()
                moved[index] += sign * eps
                kernel.load(moved, sess)
                numeric[index] += sign * sess.run(loss, {X: x}) / (2 * eps)
        np.testing.assert_allclose(got[1], numeric, rtol=1e-5, atol=1e-7)


def test_hello_rnn_trains_as_tf():
    """Lab 12-1 ("hihello"): BasicLSTMCell, fully_connected, sequence_loss, 10 Adam steps."""
    x_one_hot = np.eye(5, dtype=np.float32)[np.array([[0, 1, 0, 2, 3, 3]])]
    y_data = np.array([[1, 0, 2, 3, 3, 4]])
    X = tf.placeholder(tf.float32, [None, 6, 5])
    Y = tf.placeholder(tf.int32, [None, 6])
    cell = tf.contrib.rnn.BasicLSTMCell(num_units=5, state_is_tuple=True)
    outputs, _ = tf.nn.dynamic_rnn(cell, X, initial_state=cell.zero_state(1, tf.float32), dtype=tf.float32)
    fc = tf.contrib.layers.fully_connected(inputs=tf.reshape(outputs, [-1, 5]), num_outputs=5, activation_fn=None)
    logits = tf.reshape(fc, [1, 6, 5])
    loss = tf.reduce_mean(tf.contrib.seq2seq.sequence_loss(logits=logits, targets=Y, weights=tf.ones([1, 6])))
    train = tf.train.AdamOptimizer(learning_rate=0.1).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        load_weights(sess)
        losses = [sess.run([loss, train], {X: x_one_hot, Y: y_data})[0] for _ in range(10)]
        prediction = sess.run(tf.argmax(logits, axis=2), {X: x_one_hot})
    np.testing.assert_allclose(losses, [1.62627375, 1.49575281, 1.37386465, 1.23622787, 1.08579099, 0.93621278,
                                        0.81738251, 0.72580904, 0.64351469, 0.57074618], rtol=1e-5)
    assert prediction.tolist() == [[0, 0, 2, 3, 3, 4]]


def test_variable_names_and_default_initializers():
    X = tf.placeholder(tf.float32, [None, 4, 3])
    cells = [tf.nn.rnn_cell.GRUCell(3), tf.nn.rnn_cell.LSTMCell(4, use_peepholes=True, num_proj=2),
             tf.nn.rnn_cell.BasicLSTMCell(2)]
    with tf.variable_scope("m"):
        outputs, state = tf.nn.dynamic_rnn(tf.nn.rnn_cell.MultiRNNCell(cells), X, dtype=tf.float32)
    shapes = {v.name: v.shape.as_list() for v in tf.trainable_variables()}
    assert shapes == {
        "m/rnn/multi_rnn_cell/cell_0/gru_cell/gates/kernel:0": [6, 6],
        "m/rnn/multi_rnn_cell/cell_0/gru_cell/gates/bias:0": [6],
        "m/rnn/multi_rnn_cell/cell_0/gru_cell/candidate/kernel:0": [6, 3],
        "m/rnn/multi_rnn_cell/cell_0/gru_cell/candidate/bias:0": [3],
        "m/rnn/multi_rnn_cell/cell_1/lstm_cell/kernel:0": [5, 16],
        "m/rnn/multi_rnn_cell/cell_1/lstm_cell/bias:0": [16],
        "m/rnn/multi_rnn_cell/cell_1/lstm_cell/w_f_diag:0": [4],
        "m/rnn/multi_rnn_cell/cell_1/lstm_cell/w_i_diag:0": [4],
        "m/rnn/multi_rnn_cell/cell_1/lstm_cell/w_o_diag:0": [4],
        "m/rnn/multi_rnn_cell/cell_1/lstm_cell/projection/kernel:0": [4, 2],
        "m/rnn/multi_rnn_cell/cell_2/basic_lstm_cell/kernel:0": [4, 8],
        "m/rnn/multi_rnn_cell/cell_2/basic_lstm_cell/bias:0": [8],
    }
    assert str(outputs) == 'Tensor("m/rnn/transpose_1:0", shape=(?, 4, 2), dtype=float32)'
    assert [str(s.shape) for s in flat_state(state)] == ["(?, 3)", "(?, 4)", "(?, 2)", "(?, 2)", "(?, 2)"]
    assert isinstance(state[1], tf.nn.rnn_cell.LSTMStateTuple)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        values = {v.name.split("/", 4)[-1]: sess.run(v) for v in tf.trainable_variables()}
    assert (values["gru_cell/gates/bias:0"] == 1).all() and (values["gru_cell/candidate/bias:0"] == 0).all()
    assert (values["basic_lstm_cell/bias:0"] == 0).all()
    kernel = values["basic_lstm_cell/kernel:0"]            # glorot uniform: |w| < sqrt(6 / (4 + 8))
    assert np.abs(kernel).max() < np.sqrt(6 / 12) and kernel.std() > 0.1


def test_a_second_rnn_in_the_same_scope_needs_reuse():
    X = tf.placeholder(tf.float32, [None, 4, 3])
    tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicLSTMCell(5), X, dtype=tf.float32)
    with pytest.raises(ValueError, match="Variable rnn/basic_lstm_cell/kernel already exists, disallowed"):
        tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicLSTMCell(5), X, dtype=tf.float32)
    with tf.variable_scope(tf.get_variable_scope(), reuse=True):   # a second model sharing the weights
        tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicLSTMCell(5), X, dtype=tf.float32)
    assert len(tf.trainable_variables()) == 2


def test_static_rnn_with_sequence_length_and_concatenated_state():
    X = tf.placeholder(tf.float32, [None, 3, 2])
    cell = tf.nn.rnn_cell.BasicLSTMCell(2, state_is_tuple=False)
    outputs, state = tf.nn.static_rnn(cell, tf.unstack(X, axis=1), sequence_length=[3, 1], dtype=tf.float32)
    assert len(outputs) == 3 and str(state.shape) == "(?, 4)"
    with tf.Session() as sess:
        load_weights(sess)
        got_outputs, got_state = sess.run([tf.stack(outputs, 1), state], {X: X_VALUE})
    _, _, outputs_tf, (c_tf, h_tf), _ = TF_RESULTS["BasicLSTMCell"]   # same numbers as dynamic_rnn's
    np.testing.assert_allclose(got_outputs, outputs_tf, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got_state, np.concatenate([c_tf, h_tf], 1), rtol=1e-5, atol=1e-6)


def test_time_major_and_dropout_wrapper():
    X = tf.placeholder(tf.float32, [3, None, 2])
    keep = tf.placeholder(tf.float32)
    cell = tf.contrib.rnn.DropoutWrapper(tf.contrib.rnn.GRUCell(2), input_keep_prob=keep, output_keep_prob=keep,
                                         state_keep_prob=keep)
    assert cell.state_size == 2 and cell.output_size == 2
    outputs, _ = tf.nn.dynamic_rnn(cell, X, dtype=tf.float32, time_major=True)
    assert str(outputs.shape) == "(3, ?, 2)"
    with tf.Session() as sess:
        load_weights(sess)
        kept = sess.run(outputs, {X: X_VALUE.transpose(1, 0, 2), keep: 1.0})
        dropped = sess.run(outputs, {X: X_VALUE.transpose(1, 0, 2), keep: 0.5})
    np.testing.assert_allclose(kept.transpose(1, 0, 2), TF_RESULTS["GRUCell"][2], rtol=1e-5, atol=1e-6)
    assert (dropped == 0).any()


def test_sequence_loss_reductions():
    logits = tf.constant(np.linspace(-1, 1, 2 * 3 * 4, dtype=np.float32).reshape(2, 3, 4))
    targets = tf.constant([[0, 1, 3], [2, 2, 0]])
    w = tf.constant([[1.0, 1.0, 0.0], [1.0, 0.5, 1.0]])
    loss = tf.contrib.seq2seq.sequence_loss
    results = [loss(logits, targets, w), loss(logits, targets, w, average_across_timesteps=False),
               loss(logits, targets, w, average_across_batch=False),
               loss(logits, targets, w, average_across_timesteps=False, average_across_batch=False),
               loss(logits, targets, w, False, False, sum_over_timesteps=True, sum_over_batch=True)]
    assert [str(r.shape) for r in results] == ["()", "(3,)", "(2,)", "(2, 3)", "()"]
    assert results[0].name == "sequence_loss/div_no_nan:0"
    with tf.Session() as sess:
        got = sess.run(results)
    x = np.linspace(-1, 1, 24).reshape(6, 4)
    crossent = (np.log(np.exp(x).sum(1)) - x[range(6), [0, 1, 3, 2, 2, 0]]).reshape(2, 3) * [[1, 1, 0], [1, .5, 1]]
    np.testing.assert_allclose(got[0], crossent.sum() / 4.5, rtol=1e-5)
    np.testing.assert_allclose(got[1], crossent.sum(0) / [2.0, 1.5, 1.0], rtol=1e-5)
    np.testing.assert_allclose(got[2], crossent.sum(1) / [2.0, 2.5], rtol=1e-5)
    np.testing.assert_allclose(got[3], crossent, rtol=1e-5)
    np.testing.assert_allclose(got[4], crossent.sum() / 5, rtol=1e-5)


@pytest.mark.parametrize("make, error, message", [
    (lambda X: tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicRNNCell(2), tf.placeholder(tf.int32, [None, 4, 3]),
                                 dtype=tf.float32),
     ValueError, "RNN cell only supports floating point inputs, but saw dtype: <dtype: 'int32'>"),
    (lambda X: tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicRNNCell(2), X),
     ValueError, "If there is no initial_state, you must give a dtype."),
    (lambda X: tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicRNNCell(2), tf.placeholder(tf.float32, [None, 4, None]),
                                 dtype=tf.float32),
     ValueError, "Input size (depth of inputs) must be accessible via shape inference, but saw value None."),
    (lambda X: tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicRNNCell(2), tf.placeholder(tf.float32, [None, 4]),
                                 dtype=tf.float32),
     ValueError, "Shape (4, ?) must have rank at least 3"),
    (lambda X: tf.nn.dynamic_rnn("cell", X, dtype=tf.float32), TypeError,
     "The argument 'cell' (cell) is not an RNNCell: 'output_size' property is missing, 'state_size' property is "
     "missing, either 'zero_state' or 'get_initial_state' method is required, is not callable."),
    (lambda X: tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicRNNCell(2), X, sequence_length=[[1]], dtype=tf.float32),
     ValueError, "sequence_length must be a vector of length batch_size, but saw shape: (1, 1)"),
    (lambda X: tf.nn.rnn_cell.BasicRNNCell(2, name="c")(X, tf.zeros([1, 2])), ValueError,
     "Input 0 of layer c is incompatible with the layer: expected ndim=2, found ndim=3. Full shape received: "
     "[None, 4, 3]"),
    (lambda X: tf.nn.rnn_cell.BasicRNNCell(2)(tf.placeholder(tf.float32, [None, None]), tf.zeros([1, 2])),
     ValueError, "Expected inputs.shape[-1] to be known, saw shape: (None, None)"),
    (lambda X: tf.nn.static_rnn(tf.nn.rnn_cell.BasicRNNCell(2), X, dtype=tf.float32), TypeError,
     "inputs must be a sequence"),
    (lambda X: tf.nn.static_rnn(tf.nn.rnn_cell.BasicRNNCell(2), [], dtype=tf.float32), ValueError,
     "inputs must not be empty"),
    (lambda X: tf.nn.rnn_cell.MultiRNNCell([]), ValueError, "Must specify at least one cell for MultiRNNCell."),
    (lambda X: tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.BasicRNNCell(2), output_keep_prob=1.5), ValueError,
     "Parameter output_keep_prob must be between 0 and 1: 1"),
    (lambda X: tf.contrib.seq2seq.sequence_loss(tf.zeros([2, 3]), tf.zeros([2, 3], tf.int32), tf.ones([2, 3])),
     ValueError, "Logits must be a [batch_size x sequence_length x logits] tensor"),
])
def test_errors_as_tf(make, error, message):
    X = tf.placeholder(tf.float32, [None, 4, 3])
    with pytest.raises(error) as info:
        make(X)
    assert str(info.value) == message


def test_unknown_number_of_steps_is_refused_clearly():
    X = tf.placeholder(tf.float32, [None, None, 3])
    with pytest.raises(ValueError, match=r"minitf's dynamic_rnn unrolls the time steps.*\(\?, \?, 3\)"):
        tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicRNNCell(2), X, dtype=tf.float32)


def test_namespaces_and_zero_state():
    assert tf.contrib.rnn.BasicLSTMCell is tf.nn.rnn_cell.BasicLSTMCell
    assert tf.contrib.rnn.static_rnn is tf.nn.static_rnn
    cell = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.BasicLSTMCell(3)] * 2)
    assert cell.state_size == ((3, 3), (3, 3)) and cell.output_size == 3
    zero = cell.zero_state(7, tf.float32)
    assert zero[1].h.name == "MultiRNNCellZeroState/BasicLSTMCellZeroState_1/zeros_1:0"
    assert str(zero[0].c.shape) == "(7, 3)"
    with pytest.raises(tf.tf1_api.NotInMinitfError, match="tf.nn.bidirectional_dynamic_rnn"):
        getattr(tf.nn, "bidirectional_dynamic_rnn")
