"""Known-wrong answers to 06 · Classification (see tests/selfcheck/test_wrong_answers.py)."""
WRONG = {  # question: [(what is wrong, the answer cell, what the check must say)]
    "06.q1": [
        ("as many classes as the labels show", """
def to_one_hot(labels):
    return tf.one_hot(labels, depth=len(set(labels)))
""", "depth=3"),
        ("integer one-hot", """
def to_one_hot(labels):
    return tf.one_hot(labels, depth=3, dtype=tf.int32)
""", "expected float32"),
        ("the labels themselves", """
def to_one_hot(labels):
    return tf.cast(tf.constant(labels), tf.float32)
""", "has shape (6,), expected (6, 3)"),
    ],
    "06.q2": [
        ("summed over everything", """
def cross_entropy(model, Y):
    return -tf.reduce_sum(Y * tf.log(model))
""", "expected"),
        ("the mean over every entry", """
def cross_entropy(model, Y):
    return tf.reduce_mean(-Y * tf.log(model))
""", "expected"),
        ("the sign forgotten", """
def cross_entropy(model, Y):
    return tf.reduce_mean(tf.reduce_sum(Y * tf.log(model), axis=1))
""", "expected"),
        ("two examples assumed", """
def cross_entropy(model, Y):
    return -tf.reduce_sum(Y * tf.log(model)) / 2
""", "for 6 examples of 4 classes"),
    ],
    "06.q3": [
        ("the mean of the booleans without a cast", """
def accuracy(model, Y):
    return tf.reduce_sum(tf.cast(tf.equal(tf.argmax(model, axis=1), tf.argmax(Y, axis=1)), tf.float32))
""", "should be 0.5"),
        ("argmax along the wrong axis", """
def accuracy(model, Y):
    is_correct = tf.equal(tf.argmax(model, axis=0), tf.argmax(Y, axis=0))
    return tf.reduce_mean(tf.cast(is_correct, tf.float32))
""", "should be 0.5"),
        ("three classes assumed", """
def accuracy(model, Y):
    model, Y = model[:, :3], Y[:, :3]
    is_correct = tf.equal(tf.argmax(model, axis=1), tf.argmax(Y, axis=1))
    return tf.reduce_mean(tf.cast(is_correct, tf.float32))
""", "assume a batch size or 3 classes"),
    ],
    "06.q4": [
        ("gradient descent instead of Adam", """
def train_classifier(x_data, y_data, steps):
    X = tf.placeholder(tf.float32)
    Y = tf.placeholder(tf.float32)
    W1 = tf.Variable(tf.random_uniform([2, 10], -1., 1.))
    W2 = tf.Variable(tf.random_uniform([10, 3], -1., 1.))
    b1 = tf.Variable(tf.zeros([10]))
    b2 = tf.Variable(tf.zeros([3]))
    model = tf.matmul(tf.nn.relu(tf.matmul(X, W1) + b1), W2) + b2
    cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=Y, logits=model))
    train_op = tf.train.GradientDescentOptimizer(0.01).minimize(cost)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(steps):
            sess.run(train_op, feed_dict={X: x_data, Y: y_data})
        return sess.run(tf.argmax(model, axis=1), feed_dict={X: x_data})
""", "after 300 steps"),
        ("the tutorial's animals instead of the data passed in", """
def train_classifier(x_data, y_data, steps):
    return np.array([0, 1, 2, 0, 0, 2])
""", "one predicted class per row"),
        ("the one-layer network with ReLU on the output", """
def train_classifier(x_data, y_data, steps):
    X = tf.placeholder(tf.float32)
    Y = tf.placeholder(tf.float32)
    W = tf.Variable(tf.random_uniform([2, 3], -1., 1.))
    b = tf.Variable(tf.zeros([3]))
    model = tf.nn.relu(tf.matmul(X, W) + b)
    cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=Y, logits=model))
    train_op = tf.train.AdamOptimizer(0.01).minimize(cost)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(steps):
            sess.run(train_op, feed_dict={X: x_data, Y: y_data})
        return sess.run(tf.argmax(model, axis=1), feed_dict={X: x_data})
""", "a hidden layer of 10 ReLU units"),
    ],
    "06.q5": [
        ("one over the number of classes", """
import math
predicted_initial_loss = 1 / 10
def initial_loss(features, labels, num_classes):
    return float(math.log(num_classes))
""", "does not start at a loss of 0.1"),
        ("the loss computed by formula, not measured", """
import math
predicted_initial_loss = math.log(10)
def initial_loss(features, labels, num_classes):
    return math.log(num_classes)
""", "should return the loss it measured"),
        ("large random weights", """
import math
predicted_initial_loss = math.log(10)
def initial_loss(features, labels, num_classes):
    W = tf.Variable(tf.random_normal([features.shape[1], num_classes], stddev=1.0))
    logits = tf.matmul(tf.constant(features), W)
    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(
        labels=tf.one_hot(labels, depth=num_classes), logits=logits))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(loss)
""", "starts near ln 10"),
    ],
    "06.q6": [
        ("unchanged", """
def restore_model(path):
    with tf.Graph().as_default():
        weights = tf.Variable(tf.zeros([2, 3]))
        bias = tf.Variable(tf.zeros([3]), name='bias')
        saver = tf.train.Saver()
        with tf.Session() as sess:
            saver.restore(sess, path)
            return sess.run([weights, bias])
""", "raised NotFoundError"),
        ("initialised instead of restored", """
def restore_model(path):
    with tf.Graph().as_default():
        weights = tf.Variable(tf.zeros([2, 3]), name='weights')
        bias = tf.Variable(tf.zeros([3]), name='bias')
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            return sess.run([weights, bias])
""", "does not return the values stored in the checkpoint"),
        ("the Saver made before the variables", """
def restore_model(path):
    with tf.Graph().as_default():
        weights = tf.Variable(tf.zeros([2, 3]), name='weights')
        saver = tf.train.Saver()
        bias = tf.Variable(tf.zeros([3]), name='bias')
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            saver.restore(sess, path)
            return sess.run([weights, bias])
""", "does not return the values stored in the checkpoint"),
    ],
}
