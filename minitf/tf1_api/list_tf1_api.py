"""Write ``tf1_15.json``: every public symbol of TensorFlow 1.15's main modules, and what it is.

Run it with any Python, naming an interpreter that has TensorFlow 1.15 installed (a Python 3.7
venv: the last TF1 wheels are for cp37).  TensorFlow is only the oracle here, never a dependency::

    python minitf/tf1_api/list_tf1_api.py /path/to/tf1.15/venv/bin/python

The script re-runs itself under that interpreter to walk the modules, so everything below
``--walk`` must stay Python 3.7 code.  Each module in ``MODULES`` is listed one level deep
(its submodules appear as ``module`` entries); ``tf.contrib`` only at its top level.
"""
import argparse
import inspect
import json
import os
import subprocess
import sys

# The modules whose public names are listed (their own submodules appear as "module" entries).
MODULES = [
    "tf", "tf.nn", "tf.train", "tf.layers", "tf.losses", "tf.math", "tf.random", "tf.summary",
    "tf.initializers", "tf.errors", "tf.image", "tf.linalg", "tf.strings", "tf.data", "tf.keras",
    "tf.contrib", "tf.contrib.layers", "tf.app", "tf.flags", "tf.logging", "tf.compat", "tf.dtypes",
]
OUTPUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tf1_15.json")


def kind_of(value) -> str:
    if inspect.ismodule(value):
        return "module"
    if inspect.isclass(value):
        return "class"
    if callable(value):
        return "function"
    return "constant"


def walk() -> dict:
    """{"symbols": {path: kind}, "same_object": [[paths naming one function/class/module]]}."""
    import tensorflow as tf

    symbols, by_id, keep = {}, {}, []
    for module_path in MODULES:
        module = tf
        for part in module_path.split(".")[1:]:
            module = getattr(module, part)
        for name in sorted(dir(module)):
            if name.startswith("_"):
                continue
            value = getattr(module, name)
            path = module_path + "." + name
            kind = kind_of(value)
            symbols[path] = kind
            if kind != "constant":           # ints, None and dtypes are shared objects, not aliases
                keep.append(value)           # keep ids unique while walking
                by_id.setdefault(id(value), []).append(path)
    groups = sorted(sorted(paths) for paths in by_id.values() if len(paths) > 1)
    return {"tensorflow_version": tf.__version__, "modules": MODULES, "symbols": symbols, "same_object": groups}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("python", nargs="?", help="a Python interpreter with TensorFlow 1.15 installed")
    parser.add_argument("--walk", action="store_true", help="(internal) walk TensorFlow, print JSON")
    args = parser.parse_args()
    if args.walk:
        json.dump(walk(), sys.stdout)
        return
    if not args.python:
        parser.error("name the Python interpreter that has TensorFlow 1.15")
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    proc = subprocess.run([args.python, os.path.abspath(__file__), "--walk"], stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, env=env, check=True)
    listing = json.loads(proc.stdout.decode())
    with open(OUTPUT, "w", encoding="utf-8") as f:
        json.dump(listing, f, indent=0, sort_keys=True)
        f.write("\n")
    print("{}: {} symbols of TensorFlow {}".format(OUTPUT, len(listing["symbols"]),
                                                   listing["tensorflow_version"]))


if __name__ == "__main__":
    main()
