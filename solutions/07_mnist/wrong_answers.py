"""Known-wrong answers to 07 · MNIST (see tests/selfcheck/test_wrong_answers.py)."""
WRONG = {  # question: [(what is wrong, the answer cell, what the check must say)]
    "07.q1": [
        ("the label row instead of the digit", """
first_image = mnist.test.images[0].reshape(28, 28)
first_digit = mnist.test.labels[0]
""", "expected an integer"),
        ("pixels as bytes", """
first_image = (mnist.test.images[0] * 255).astype(np.uint8).reshape(28, 28)
first_digit = int(np.argmax(mnist.test.labels[0]))
""", "does not hold the pixels"),
        ("the first training image", """
first_image = mnist.train.images[0].reshape(28, 28)
first_digit = int(np.argmax(mnist.train.labels[0]))
""", "does not hold the pixels"),
    ],
    "07.q2": [
        ("softmax, then log", """
def loss_fn(logits, labels):
    probabilities = tf.nn.softmax(logits)
    return tf.reduce_mean(-tf.reduce_sum(labels * tf.log(probabilities), axis=1))
""", "stays finite"),
        ("softmax before the library function", """
def loss_fn(logits, labels):
    return tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=tf.nn.softmax(logits)))
""", "without softmax first"),
        ("no mean", """
def loss_fn(logits, labels):
    return tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits)
""", "the loss should be one number"),
    ],
    "07.q3": [
        ("trained on the test images", """
tf.set_random_seed(0)
X = tf.placeholder(tf.float32, [None, 784])
Y = tf.placeholder(tf.float32, [None, 10])
hidden = tf.layers.dense(X, 200, tf.nn.relu)
logits = tf.layers.dense(hidden, 10)
loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=Y, logits=logits))
train_op = tf.train.AdamOptimizer(0.001).minimize(loss)
sess = tf.Session()
sess.run(tf.global_variables_initializer())
for _ in range(300):
    sess.run(train_op, {X: mnist.test.images, Y: mnist.test.labels})
test_accuracy = float(np.mean(sess.run(tf.argmax(logits, 1), {X: mnist.test.images}) == mnist.test.labels.argmax(1)))
""", "learned the test images"),
        ("far too little training", """
X = tf.placeholder(tf.float32, [None, 784])
logits = tf.layers.dense(X, 10)
sess = tf.Session()
sess.run(tf.global_variables_initializer())
test_accuracy = float(np.mean(sess.run(tf.argmax(logits, 1), {X: mnist.test.images}) == mnist.test.labels.argmax(1)))
""", "the target is"),
        ("the session closed", """
X = tf.placeholder(tf.float32, [None, 784])
logits = tf.layers.dense(X, 10)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
test_accuracy = 0.98
""", "must stay open"),
    ],
    "07.q4": [
        ("trained on the full training set", """
X_small = tf.placeholder(tf.float32, [None, 784])
Y_small = tf.placeholder(tf.float32, [None, 10])
hidden = tf.layers.dense(X_small, 200, tf.nn.relu)
logits_small = tf.layers.dense(hidden, 10)
loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=Y_small, logits=logits_small))
step = tf.train.AdamOptimizer(0.001).minimize(loss)
sess_small = tf.Session()
sess_small.run(tf.global_variables_initializer())
for _ in range(100):   # two epochs of the training set: far from memorising any 100 images
    batch_x, batch_y = mnist.train.next_batch(100)
    sess_small.run(step, {X_small: batch_x, Y_small: batch_y})
def measured(images, labels):
    predicted = sess_small.run(tf.argmax(logits_small, 1), {X_small: images})
    return float(np.mean(predicted == labels.argmax(1)))
small_train_accuracy = measured(few_images, few_labels)
small_test_accuracy = measured(mnist.test.images, mnist.test.labels)
""", "not memorised them yet"),
        ("accuracies written down, not measured", """
X_small = tf.placeholder(tf.float32, [None, 784])
logits_small = tf.layers.dense(X_small, 10)
sess_small = tf.Session()
sess_small.run(tf.global_variables_initializer())
small_train_accuracy, small_test_accuracy = 1.0, 0.7
""", "but the network in sess_small scores"),
    ],
    "07.q5": [
        ("SAME everywhere", """
predicted_shapes = ['(?, 28, 28, 16)', '(?, 14, 14, 16)', '(?, 7, 7, 32)', '(?, 1568)']
""", "`h1`"),
        ("stride 2 rounded down", """
predicted_shapes = ['(?, 26, 26, 16)', '(?, 13, 13, 16)', '(?, 6, 6, 32)', '(?, 1568)']
""", "`h2`"),
        ("the batch size as -1", """
predicted_shapes = ['(?, 26, 26, 16)', '(?, 13, 13, 16)', '(?, 7, 7, 32)', '(-1, 1568)']
""", "`flat`"),
    ],
}
