"""Known-wrong answers to 08 · From TF1 to TF2 (see tests/selfcheck/test_wrong_answers.py)."""
WRONG = {  # question: [(what is wrong, the answer cell, what the check must say)]
    "08.q1": [
        ("a TF1 graph tensor", """
with tf1.Graph().as_default():
    product = tf1.matmul(a, b)
product_value = None
""", "should be an eager tensor"),
        ("the element-wise product", """
product = tf.multiply(a, b)
product_value = product.numpy()
""", "expected the product of a (2x2) and b (2x1)"),
        ("the tensor instead of its value", """
product = tf.matmul(a, b)
product_value = product
""", "should be the numpy array"),
    ],
    "08.q2": [
        ("no tf.function", """
def layer(x):
    return tf.nn.relu(tf.matmul(x, W) + b)
""", "should be a tf.function"),
        ("no relu", """
@tf.function
def layer(x):
    return tf.matmul(x, W) + b
""", "expected relu(x @ W + b)"),
        ("copies of the variables' values", """
w_value, b_value = W.numpy(), b.numpy()

@tf.function
def layer(x):
    return tf.nn.relu(tf.matmul(x, w_value) + b_value)
""", "it should use the variables W and b"),
    ],
    "08.q3": [
        ("a constant the tape does not watch", """
def slope_at(x0):
    x = tf.constant(float(x0))
    with tf.GradientTape() as tape:
        y = x ** 3 - 2 * x
    return tape.gradient(y, x)
""", "the tape did not watch x"),
        ("the value of f instead of its slope", """
def slope_at(x0):
    x = tf.Variable(float(x0))
    with tf.GradientTape() as tape:
        y = x ** 3 - 2 * x
    return float(y)
""", "the slope of f(x) = x³ - 2x"),
        ("the slope of x³ only", """
def slope_at(x0):
    x = tf.Variable(float(x0))
    with tf.GradientTape() as tape:
        y = x ** 3
    return float(tape.gradient(y, x))
""", "the slope of f(x) = x³ - 2x"),
    ],
    "08.q4": [  # each starts from fresh variables: the answers before it trained the shared ones
        ("no tf.function", """
w, b = tf.Variable(0.0, name="w"), tf.Variable(0.0, name="b")

def train_step(x, y):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(w * x + b - y))
    optimizer.apply_gradients(zip(tape.gradient(loss, [w, b]), [w, b]))
    return loss

for step in range(200):
    loss = train_step(x_line, y_line)
""", "should be a tf.function"),
        ("the gradients are never applied", """
w, b = tf.Variable(0.0, name="w"), tf.Variable(0.0, name="b")

@tf.function
def train_step(x, y):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(w * x + b - y))
    grads = tape.gradient(loss, [w, b])
    return loss

for step in range(200):
    loss = train_step(x_line, y_line)
""", "updates no variable"),
        ("five steps instead of 200", """
w, b = tf.Variable(0.0, name="w"), tf.Variable(0.0, name="b")

@tf.function
def train_step(x, y):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(w * x + b - y))
    optimizer.apply_gradients(zip(tape.gradient(loss, [w, b]), [w, b]))
    return loss

for step in range(5):
    loss = train_step(x_line, y_line)
""", "the data lie near y = 3x + 2"),
    ],
    "08.q5": [
        ("not compiled", """
model = tf.keras.models.Sequential([tf.keras.layers.Flatten(), tf.keras.layers.Dense(10, activation='softmax')])
test_accuracy = 0.98
""", "is not compiled"),
        ("an accuracy made up", """
model = tf.keras.models.Sequential([tf.keras.layers.Flatten(), tf.keras.layers.Dense(10, activation='softmax')])
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
model.fit(x_train[:1000], y_train[:1000], epochs=1, verbose=0)
test_accuracy = 0.99
""", "but `model` scores"),
        ("far too little training", """
model = tf.keras.models.Sequential([tf.keras.layers.Flatten(), tf.keras.layers.Dense(10, activation='softmax')])
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
model.fit(x_train[:100], y_train[:100], epochs=1, verbose=0)
_, test_accuracy = model.evaluate(x_test, y_test, verbose=0)
""", "the target is"),
    ],
}
