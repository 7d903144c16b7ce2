"""Known-wrong answers to 05 · Regression (see tests/selfcheck/test_wrong_answers.py)."""
WRONG = {  # question: [(what is wrong, the answer cell, what the check must say)]
    "05.q1": [
        ("summed and divided by 3", """
def mse(hypothesis, Y):
    return tf.reduce_sum(tf.square(hypothesis - Y)) / 3
""", "the mean over all four squared differences"),
        ("the mean of each row only", """
def mse(hypothesis, Y):
    return tf.reduce_mean(tf.square(hypothesis - Y), axis=-1)
""", "the loss should be one number"),
        ("absolute instead of squared", """
def mse(hypothesis, Y):
    return tf.reduce_mean(tf.abs(hypothesis - Y))
""", "expected"),
        ("the sum", """
def mse(hypothesis, Y):
    return tf.reduce_sum(tf.square(hypothesis - Y))
""", "not their sum"),
    ],
    "05.q2": [
        ("the gradient sign flipped", """
def gradient_step(cost, learning_rate):
    return tf.train.GradientDescentOptimizer(-learning_rate).minimize(cost)
""", "one step should move W"),
        ("a fixed learning rate", """
def gradient_step(cost, learning_rate):
    return tf.train.GradientDescentOptimizer(0.01).minimize(cost)
""", "one step should move W"),
        ("the gradients instead of the step", """
def gradient_step(cost, learning_rate):
    return tf.gradients(cost, tf.trainable_variables())
""", "should return the training op"),
    ],
    "05.q3": [
        ("training data fixed in the function", """
def fit_line(x_data, y_data, steps, learning_rate):
    W = tf.Variable(tf.random_uniform([1], -1.0, 1.0))
    b = tf.Variable(tf.random_uniform([1], -1.0, 1.0))
    X = tf.placeholder(tf.float32)
    Y = tf.placeholder(tf.float32)
    cost = tf.reduce_mean(tf.square(W * X + b - Y))
    train_op = tf.train.GradientDescentOptimizer(learning_rate).minimize(cost)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(steps):
            sess.run(train_op, feed_dict={X: [1, 2, 3], Y: [1, 2, 3]})
        W_value, b_value = sess.run([W, b])
    return float(W_value[0]), float(b_value[0])
""", "use the x_data and y_data passed to fit_line"),
        ("arrays instead of floats", """
def fit_line(x_data, y_data, steps, learning_rate):
    W = tf.Variable(tf.random_uniform([1], -1.0, 1.0))
    b = tf.Variable(tf.random_uniform([1], -1.0, 1.0))
    X = tf.placeholder(tf.float32)
    Y = tf.placeholder(tf.float32)
    cost = tf.reduce_mean(tf.square(W * X + b - Y))
    train_op = tf.train.GradientDescentOptimizer(learning_rate).minimize(cost)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(steps):
            sess.run(train_op, feed_dict={X: x_data, Y: y_data})
        return tuple(sess.run([W, b]))
""", "two Python floats"),
        ("Adam instead of gradient descent", """
def fit_line(x_data, y_data, steps, learning_rate):
    W = tf.Variable(tf.random_uniform([1], -1.0, 1.0))
    b = tf.Variable(tf.random_uniform([1], -1.0, 1.0))
    X = tf.placeholder(tf.float32)
    Y = tf.placeholder(tf.float32)
    cost = tf.reduce_mean(tf.square(W * X + b - Y))
    train_op = tf.train.AdamOptimizer(0.1).minimize(cost)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(steps * 3):
            sess.run(train_op, feed_dict={X: x_data, Y: y_data})
        W_value, b_value = sess.run([W, b])
    return float(W_value[0]), float(b_value[0])
""", "GradientDescentOptimizer"),
    ],
    "05.q4": [
        ("the notebook's limit for other data", """
largest_rate = 0.18
""", "does not converge"),
        ("a safe but small rate", """
largest_rate = 0.05
""", "a rate 5 % larger still does"),
        ("the first rate that diverges", """
largest_rate = 0.12
""", "does not converge"),
    ],
    "05.q5": [
        ("unchanged", """
def fit(x_data, y_data, steps=500):
    X = tf.placeholder(tf.float32, [None, 1])
    Y = tf.placeholder(tf.float32, [None])
    W = tf.Variable(tf.zeros([1, 1]))
    b = tf.Variable(tf.zeros([1]))
    hypothesis = tf.matmul(X, W) + b
    cost = tf.reduce_mean(tf.square(hypothesis - Y))
    train_op = tf.train.GradientDescentOptimizer(0.05).minimize(cost)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(steps):
            sess.run(train_op, feed_dict={X: x_data, Y: y_data})
        return sess.run([W, b])
""", "broadcasts to (?, ?)"),
        ("a larger learning rate instead of the shapes", """
def fit(x_data, y_data, steps=500):
    X = tf.placeholder(tf.float32, [None, 1])
    Y = tf.placeholder(tf.float32, [None])
    W = tf.Variable(tf.zeros([1, 1]))
    b = tf.Variable(tf.zeros([1]))
    hypothesis = tf.matmul(X, W) + b
    cost = tf.reduce_mean(tf.square(hypothesis - Y))
    train_op = tf.train.GradientDescentOptimizer(0.1).minimize(cost)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(steps * 2):
            sess.run(train_op, feed_dict={X: x_data, Y: y_data})
        return sess.run([W, b])
""", "Make the two shapes agree"),
    ],
    "05.q6": [
        ("the sum instead of the mean", """
predicted_gradients = [12.0, 6.0]
predicted_after_step = [-0.2, 0.4]
""", "the gradients at W = 1, b = 1"),
        ("a step along the gradient", """
predicted_gradients = [4.0, 2.0]
predicted_after_step = [1.4, 1.2]
""", "after one step"),
        ("without the factor 2", """
predicted_gradients = [2.0, 1.0]
predicted_after_step = [0.8, 0.9]
""", "the gradients at W = 1, b = 1"),
    ],
}
