"""Known-wrong answers to 01 · Tensors (see tests/test_wrong_answers.py)."""
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
}
