"""Known-wrong answers to 01 · Tensors (see tests/selfcheck/test_wrong_answers.py)."""
WRONG = {  # question: [(what is wrong, the answer cell, what the check must say)]
    "01.q1": [
        ("seq typed as a constant", """
zeros_3d = tf.zeros([3, 3, 3])
seq = tf.constant([6, 9, 12])
nines = tf.fill([2, 3], 9)
""", "not made by tf.range"),
        ("two dimensions instead of three", """
zeros_3d = tf.zeros([3, 3])
seq = tf.range(6, 15, 3)
nines = tf.fill([2, 3], 9)
""", "expected (3, 3, 3)"),
        ("the limit of tf.range included by hand", """
zeros_3d = tf.zeros([3, 3, 3])
seq = tf.range(6, 16, 3)
nines = tf.fill([2, 3], 9)
""", "`seq` has shape (4,)"),
        ("a float fill", """
zeros_3d = tf.zeros([3, 3, 3])
seq = tf.range(6, 15, 3)
nines = tf.fill([2, 3], 9.0)
""", "`nines` has dtype float32, expected int32"),
    ],
    "01.q2": [
        ("a scalar's shape as [0]", """
ranks = [0, 1, 2, 3]
shapes = [[0], [3], [2, 3], [2, 1, 3]]
""", "shapes[0] is [0]"),
        ("shapes as tuples", """
ranks = [0, 1, 2, 3]
shapes = [(), (3,), (2, 3), (2, 1, 3)]
""", "`shapes` should hold lists"),
        ("the innermost dimension forgotten", """
ranks = [0, 1, 2, 2]
shapes = [[], [3], [2, 3], [2, 3]]
""", "ranks[3] is 2"),
    ],
    "01.q3": [
        ("no division by 255", """
def flatten_images(images):
    return tf.cast(tf.reshape(images, [-1, 784]), tf.float32)
""", "divided by 255"),
        ("a fixed batch size", """
def flatten_images(images):
    return tf.cast(tf.reshape(images, [100, 784]), tf.float32) / 255.0
""", "expected (?, 784)"),
        ("float64 instead of float32", """
def flatten_images(images):
    return tf.cast(tf.reshape(images, [-1, 784]), tf.float64) / 255.0
""", "expected float32"),
    ],
    "01.q4": [
        ("int / int as float32", """
dtypes = [tf.int32, tf.float32, tf.string, tf.float32, tf.float32]
""", "dtypes[4]"),
        ("strings instead of dtypes", """
dtypes = ['int32', 'float32', 'string', 'float32', 'float64']
""", "not a dtype"),
        ("Python floats as float64", """
dtypes = [tf.int32, tf.float64, tf.string, tf.float32, tf.float64]
""", "dtypes[1]"),
    ],
    "01.q5": [
        ("the prices retyped as floats", """
prices = tf.constant([3., 5., 8.])
with_tax = prices * tf.constant(1.2)
""", "keep it as given"),
        ("cast to float64", """
prices = tf.constant([3, 5, 8])
with_tax = tf.cast(prices, tf.float64) * tf.constant(1.2, tf.float64)
""", "expected float32"),
        ("the result typed by hand", """
prices = tf.constant([3, 5, 8])
with_tax = tf.constant([3.6, 6.0, 9.6])
""", "does not convert `prices`"),
    ],
    "01.q6": [
        ("the second constant also called Const", """
printed = ['Tensor("Const:0", shape=(2, 2), dtype=int32)',
           'Tensor("Const:0", shape=(), dtype=float32)',
           'Tensor("zeros:0", shape=(2, 3), dtype=float32)',
           'Tensor("add:0", shape=(2, 2), dtype=int32)']
""", "the name you predicted for `b = tf.constant(2.5)`"),
        ("a scalar shape written (1,)", """
printed = ['Tensor("Const:0", shape=(2, 2), dtype=int32)',
           'Tensor("Const_1:0", shape=(1,), dtype=float32)',
           'Tensor("zeros:0", shape=(2, 3), dtype=float32)',
           'Tensor("add:0", shape=(2, 2), dtype=int32)']
""", "the shape you predicted for `b = tf.constant(2.5)`"),
        ("values instead of descriptions", """
printed = ['[[1 2] [3 4]]', '2.5', '[[0. 0. 0.] [0. 0. 0.]]', '[[2 4] [6 8]]']
""", "not what print shows for a tensor"),
    ],
}
