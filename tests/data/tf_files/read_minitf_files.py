"""Show what real TensorFlow reads from files minitf wrote (the other direction, by hand).

    python tests/data/tf_files/read_minitf_files.py PYTHON_WITH_TENSORFLOW

Saves make_tf_files.py's classifier, trained by minitf, (checkpoint, ``.meta``, ``graph.pb``) into a
temporary directory, then runs ``PYTHON_WITH_TENSORFLOW`` (TensorFlow 1.15, or 2.x through
``tensorflow.compat.v1``) on this file to restore the checkpoint through ``import_meta_graph``,
run the graph, and import ``graph.pb``, printing what TensorFlow computed beside what minitf did.
"""
import json
import os
import subprocess
import sys
import tempfile

X_DATA = [[0, 0], [1, 0], [1, 1], [0, 0], [0, 0], [0, 1]]
Y_DATA = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0], [1, 0, 0], [0, 0, 1]]


def write_with_minitf(directory: str) -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:0] = [os.path.join(here, "..", "..", ".."), here]

    import minitf as tf

    from make_tf_files import build_mlp  # the classifier the reference files hold

    X, Y, logits, _, _, cost, train_op = build_mlp(tf)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(5):
            sess.run(train_op, {X: X_DATA, Y: Y_DATA})
        prefix = tf.train.Saver().save(sess, os.path.join(directory, "model.ckpt"), global_step=5)
        minitf_logits = sess.run(logits, {X: X_DATA}).tolist()
        minitf_cost = float(sess.run(cost, {X: X_DATA, Y: Y_DATA}))
    tf.train.write_graph(tf.get_default_graph(), directory, "graph.pb", as_text=False)
    with open(os.path.join(directory, "minitf.json"), "w") as f:
        json.dump({"prefix": prefix, "logits": minitf_logits, "cost": minitf_cost}, f)
    print("minitf wrote:", sorted(os.listdir(directory)))


def read_with_tensorflow(directory: str) -> None:
    import numpy as np
    import tensorflow as real_tf

    tf = real_tf.compat.v1
    tf.disable_eager_execution()
    with open(os.path.join(directory, "minitf.json")) as f:
        minitf = json.load(f)
    print("TensorFlow", real_tf.__version__)
    print("list_variables:", tf.train.list_variables(minitf["prefix"]))
    saver = tf.train.import_meta_graph(minitf["prefix"] + ".meta")
    with tf.Session() as sess:
        saver.restore(sess, minitf["prefix"])
        print("output/b2 restored:", sess.run("output/b2:0").round(4).tolist())
        logits = sess.run("output/logits:0", {"X:0": X_DATA})
        cost = sess.run("optimizer/cost:0", {"X:0": X_DATA, "Y:0": Y_DATA})
    print("logits: max |TF - minitf| =", float(np.abs(logits - np.array(minitf["logits"])).max()))
    print("cost: TF %.7f minitf %.7f" % (cost, minitf["cost"]))
    tf.reset_default_graph()
    graph_def = tf.GraphDef()
    with open(os.path.join(directory, "graph.pb"), "rb") as f:
        graph_def.ParseFromString(f.read())
    tf.import_graph_def(graph_def, name="")
    print("graph.pb imported:", len(graph_def.node), "nodes; logits",
          tf.get_default_graph().get_tensor_by_name("output/logits:0"))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--read":
        read_with_tensorflow(sys.argv[2])
    elif len(sys.argv) == 2:
        with tempfile.TemporaryDirectory() as directory:
            write_with_minitf(directory)
            subprocess.run([sys.argv[1], os.path.abspath(__file__), "--read", directory],
                           check=True)
    else:
        sys.exit(__doc__)
