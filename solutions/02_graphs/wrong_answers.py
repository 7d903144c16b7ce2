"""Known-wrong answers to 02 · Graphs (see tests/selfcheck/test_wrong_answers.py)."""
WRONG = {  # question: [(what is wrong, the answer cell, what the check must say)]
    "02.q1": [
        ("numbering from _0", """
predicted_names = ['Const_0:0', 'Const_1:0', 'add:0', 'MyConst:0', 'MyAdd:0', 'mul:0']
""", "`a`"),
        ("names without the output index", """
predicted_names = ['Const', 'Const_1', 'add', 'MyConst', 'MyAdd', 'mul']
""", "`a`"),
        ("the Python variable as the name", """
predicted_names = ['a:0', 'b:0', 'total:0', 'c:0', 'd:0', 'e:0']
""", "`a`"),
        ("the multiplication named after the addition", """
predicted_names = ['Const:0', 'Const_1:0', 'add:0', 'MyConst:0', 'MyAdd:0', 'add_1:0']
""", "`e`"),
    ],
    "02.q2": [
        ("only the sum in the scope", """
def scaled_sum(x, y):
    with tf.name_scope('scaled_sum'):
        total = x + y
    return total * 2
""", "expected 'scaled_sum/mul:0'"),
        ("the scope reused by its full name", """
def scaled_sum(x, y):
    with tf.name_scope('scaled_sum/'):
        return (x + y) * 2
""", "expected 'scaled_sum_1/mul:0'"),
    ],
    "02.q3": [
        ("direct inputs only", """
def ops_needed(tensor):
    return {tensor.op.name} | {t.op.name for t in tensor.op.inputs}
""", "the inputs of the inputs count too"),
        ("every op of the graph", """
def ops_needed(tensor):
    return {op.name for op in tensor.graph.get_operations()}
""", "expected"),
        ("tensor names instead of op names", """
def ops_needed(tensor):
    needed, pending = set(), [tensor]
    while pending:
        t = pending.pop()
        needed.add(t.name)
        pending.extend(t.op.inputs)
    return needed
""", "expected"),
        ("a list instead of a set", """
def ops_needed(tensor):
    needed, pending = [], [tensor.op]
    while pending:
        op = pending.pop()
        needed.append(op.name)
        pending.extend(t.op for t in op.inputs)
    return needed
""", "should return a set"),
    ],
    "02.q4": [
        ("the constant in the default graph", """
g2 = tf.Graph()
tf.constant(42, name='answer')
""", "g2 has no op named 'answer'"),
        ("the default graph itself", """
g2 = tf.get_default_graph()
with g2.as_default():
    tf.constant(42, name='answer')
""", "is the default graph"),
        ("a float 42", """
g2 = tf.Graph()
with g2.as_default():
    tf.constant(42.0, name='answer')
""", "the integer 42"),
    ],
    "02.q5": [
        ("None written as None", """
predicted_shapes = ['(None, 10)', '(None,)', '()', '(None, 28, 28, 1)']
""", "`logits`"),
        ("a reduction that keeps its axis", """
predicted_shapes = ['(?, 10)', '(?, 1)', '()', '(?, 28, 28, 1)']
""", "`per_example`"),
        ("-1 taken literally", """
predicted_shapes = ['(?, 10)', '(?,)', '()', '(-1, 28, 28, 1)']
""", "`image`"),
    ],
    "02.q6": [
        ("sigmoid's slope at 0 taken as its value", """
predicted_slopes = [0.5, 1.0, 1.0, 0.0, 0.0]
""", "sigmoid at 0"),
        ("ReLU's slope equal to its input", """
predicted_slopes = [0.25, 1.0, 3.0, 0.0, 0.0]
""", "ReLU at 3"),
        ("tanh's slope at 0 taken as its value", """
predicted_slopes = [0.25, 0.0, 1.0, 0.0, 0.0]
""", "tanh at 0"),
    ],
}
