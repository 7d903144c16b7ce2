"""Known-wrong answers to 03 · Sessions (see tests/selfcheck/test_wrong_answers.py)."""
WRONG = {  # question: [(what is wrong, the answer cell, what the check must say)]
    "03.q1": [
        ("computed in Python", """
r_add, r_sub, r_mul, r_div = 11 + 5, 11 - 5, 11 * 5, 11 / 5
""", "computed in Python"),
        ("floor division", """
a = tf.constant(11)
b = tf.constant(5)
with tf.Session() as sess:
    r_add, r_sub, r_mul, r_div = sess.run([tf.add(a, b), tf.subtract(a, b), tf.multiply(a, b), a // b])
""", "`r_div`"),
        ("float constants", """
a = tf.constant(11.0)
b = tf.constant(5.0)
with tf.Session() as sess:
    r_add, r_sub, r_mul, r_div = sess.run([tf.add(a, b), tf.subtract(a, b), tf.multiply(a, b), tf.divide(a, b)])
""", "gives an integer"),
    ],
    "03.q2": [
        ("a fixed batch of two", """
X = tf.placeholder(tf.float32, [2, 3], name='X')
expr = tf.matmul(X, weights) + bias
with tf.Session() as sess:
    expr_value = sess.run(expr, feed_dict={X: x_data})
""", "expected float32 and (?, 3)"),
        ("the bias left out", """
X = tf.placeholder(tf.float32, [None, 3], name='X')
expr = tf.matmul(X, weights)
with tf.Session() as sess:
    expr_value = sess.run(expr, feed_dict={X: x_data})
""", "`expr` is not tf.matmul(X, weights) + bias"),
        ("unnamed placeholder", """
X = tf.placeholder(tf.float32, [None, 3])
expr = tf.matmul(X, weights) + bias
with tf.Session() as sess:
    expr_value = sess.run(expr, feed_dict={X: x_data})
""", "expected 'X:0'"),
    ],
    "03.q3": [
        ("two runs", """
with tf.Session() as sess:
    o1 = sess.run(out1)
    o2 = sess.run(out2)
""", "two different draws"),
        ("vec fetched and shifted in Python", """
with tf.Session() as sess:
    o1 = sess.run(vec)
    o2 = o1 + 1
""", "between 1 and 2"),
    ],
    "03.q4": [
        ("the string decoded", """
hello = tf.constant('Hello, TensorFlow!')
with tf.Session() as sess:
    hello_value = sess.run(hello).decode()
    init_value = sess.run(tf.global_variables_initializer())
""", "sess.run returns a string tensor as bytes"),
        ("the initialiser itself instead of its result", """
hello = tf.constant('Hello, TensorFlow!')
with tf.Session() as sess:
    hello_value = sess.run(hello)
    init_value = tf.global_variables_initializer()
""", "running an op returns None"),
    ],
    "03.q5": [
        ("one draw per fetched tensor", """
draws = 9
b_matches_a = True
""", "not 9"),
        ("one draw for the session", """
draws = 1
b_matches_a = True
""", "not 1"),
        ("a new draw for every fetch", """
draws = 6
b_matches_a = False
""", "share one draw"),
    ],
    "03.q6": [
        ("the missing feed left missing", """
feed = {scale: 1.5}
with tf.Session() as sess:
    result_value = 5.0
""", "gives no value to `shift`"),
        ("the feeds swapped", """
feed = {scale: 4.0, shift: 1.5}
with tf.Session() as sess:
    result_value = sess.run(result, feed_dict=feed)
""", "scale the value 1.5"),
        ("another feed in the run than the one stored", """
feed = {scale: 1.5, shift: 4.0}
with tf.Session() as sess:
    result_value = sess.run(result, feed_dict={scale: 1.5, shift: 0.0})
""", "but result with that feed is 7"),
    ],
}
