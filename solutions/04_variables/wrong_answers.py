"""Known-wrong answers to 04 · Variables (see tests/selfcheck/test_wrong_answers.py)."""
WRONG = {  # question: [(what is wrong, the answer cell, what the check must say)]
    "04.q1": [
        ("the initialiser never run", """
def read_weights():
    W = tf.Variable(tf.truncated_normal([5, 5], stddev=0.1), name='weights')
    init = tf.global_variables_initializer()
    with tf.Session() as sess:
        return sess.run(W)
""", "raised FailedPreconditionError"),
        ("numpy values instead of the variable", """
def read_weights():
    return np.random.normal(0, 0.1, (5, 5)).astype(np.float32).clip(-0.2, 0.2)
""", "expected one, 'weights'"),
        ("a second variable on the way", """
def read_weights():
    W = tf.Variable(tf.truncated_normal([5, 5], stddev=0.1), name='weights')
    extra = tf.Variable(tf.zeros([5, 5]), name='weights_copy')
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(W)
""", "expected one, 'weights'"),
    ],
    "04.q2": [
        ("one run too many", """
def count_to(n):
    counter = tf.Variable(0, name='counter')
    increment = tf.assign_add(counter, 1)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(n + 1):
            sess.run(increment)
        return sess.run(counter)
""", "count_to(3) returned 4"),
        ("counted in Python", """
def count_to(n):
    counter = 0
    for _ in range(n):
        counter += 1
    return counter
""", "does not use tf.assign_add"),
        ("a new session for every step", """
def count_to(n):
    counter = tf.Variable(0, name='counter')
    increment = tf.assign_add(counter, 1)
    value = 0
    for _ in range(n):
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            value = sess.run(increment)
    return value
""", "count_to(3) returned 1"),
    ],
    "04.q3": [
        ("one scope for both layers", """
def two_layers(x):
    with tf.variable_scope('layers'):
        relu1 = dense_relu(x, 10, 128)
        return dense_relu(relu1, 128, 256)
""", "each dense_relu call needs its own variable scope"),
        ("name scopes instead of variable scopes", """
def two_layers(x):
    with tf.name_scope('layer1'):
        relu1 = dense_relu(x, 10, 128)
    with tf.name_scope('layer2'):
        return dense_relu(relu1, 128, 256)
""", "each dense_relu call needs its own variable scope"),
        ("the second layer fed the input", """
def two_layers(x):
    with tf.variable_scope('layer1'):
        relu1 = dense_relu(x, 10, 128)
    with tf.variable_scope('layer2'):
        return dense_relu(tf.tile(x, [1, 13])[:, :128], 128, 256)
""", "not layer 2 applied to the output"),
    ],
    "04.q4": [
        ("x1 used twice", """
def shared_model(x1, x2):
    with tf.variable_scope('model'):
        out1 = dense_relu(x1, 10, 10)
    with tf.variable_scope('model', reuse=True):
        out2 = dense_relu(x1, 10, 10)
    return out1, out2
""", "out2 is not dense_relu(x2"),
        ("two scopes, no sharing", """
def shared_model(x1, x2):
    with tf.variable_scope('model1'):
        out1 = dense_relu(x1, 10, 10)
    with tf.variable_scope('model2'):
        out2 = dense_relu(x2, 10, 10)
    return out1, out2
""", "expected only"),
        ("reuse without the first scope", """
def shared_model(x1, x2):
    with tf.variable_scope('model', reuse=True):
        out1 = dense_relu(x1, 10, 10)
        out2 = dense_relu(x2, 10, 10)
    return out1, out2
""", "reopen the same scope with reuse=True"),
    ],
    "04.q5": [
        ("global_step trainable", """
global_step = tf.Variable(0, name='global_step')
my_int_variable = tf.get_variable('my_int_variable', [1, 2, 3], dtype=tf.int32, initializer=tf.zeros_initializer)
""", "not trainable"),
        ("the dtype as the second argument", """
global_step = tf.Variable(0, tf.int32, name='global_step')
my_int_variable = tf.get_variable('my_int_variable', [1, 2, 3], dtype=tf.int32, initializer=tf.zeros_initializer)
""", "not trainable"),
        ("a float variable", """
global_step = tf.Variable(0, trainable=False, name='global_step')
my_int_variable = tf.get_variable('my_int_variable', [1, 2, 3], initializer=tf.zeros_initializer)
""", "expected int32"),
        ("both non-trainable", """
global_step = tf.Variable(0, trainable=False, name='global_step')
my_int_variable = tf.get_variable('my_int_variable', [1, 2, 3], dtype=tf.int32,
                                  initializer=tf.zeros_initializer, trainable=False)
""", "`my_int_variable` is not trainable"),
    ],
    "04.q6": [
        ("the positional tf.float32 read as the dtype", """
predicted_dtypes = ['float32_ref', 'float32_ref', 'float32_ref', 'float32_ref']
predicted_trainable = [True, True, False, True]
""", "v1 = tf.Variable([1, 2], tf.float32)"),
        ("a local variable taken as not trainable", """
predicted_dtypes = ['int32_ref', 'float32_ref', 'float32_ref', 'float32_ref']
predicted_trainable = [True, True, False, False]
""", "v4 = "),
        ("dtypes without _ref", """
predicted_dtypes = ['int32', 'float32', 'float32', 'float32']
predicted_trainable = [True, True, False, True]
""", "ends in _ref"),
    ],
    "04.q7": [
        ("unchanged", """
def train_counter(steps):
    init = tf.global_variables_initializer()
    counter = tf.Variable(0, name='counter')
    step = tf.assign_add(counter, 1)
    with tf.Session() as sess:
        sess.run(init)
        for _ in range(steps):
            sess.run(step)
        return sess.run(counter)
""", "raised FailedPreconditionError"),
        ("the steps counted in Python", """
def train_counter(steps):
    counter = tf.Variable(0, name='counter')
    step = tf.assign_add(counter, 1)
    return steps
""", "not the counter's value as the session gives it"),
        ("the initialiser run after the steps", """
def train_counter(steps):
    counter = tf.Variable(0, name='counter')
    step = tf.assign_add(counter, 1)
    init = tf.global_variables_initializer()
    with tf.Session() as sess:
        sess.run(init)
        for _ in range(steps):
            sess.run(step)
        sess.run(init)
        return sess.run(counter)
""", "train_counter(4) returned 0"),
    ],
}
