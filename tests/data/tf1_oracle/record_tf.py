"""Run every case of a module of cases under real TensorFlow and write what happened (see runner.py).

    python tests/data/tf1_oracle/record_tf.py bad_input /path/to/tf1.15/bin/python     # bad_input.tf1_15.json
    python tests/data/tf1_oracle/record_tf.py bad_input /path/to/tf2/bin/python --tf2  # bad_input.tf2.json
    python tests/data/tf1_oracle/record_tf.py inputs /path/to/tf1.15/bin/python        # inputs.tf1_15.json

TensorFlow is the oracle here, never a dependency: the script re-runs itself under the given
interpreter (Python 3.7 for TF 1.15).  TF 2 is driven through ``tf.compat.v1`` with v2 behaviour
disabled, as ``../shared/acceptance/tfimpl.py`` does.  Messages are stored without the parts that
name this machine: TF1's "(defined at file:line)", its "Original stack trace" section and the
frames of tracebacks quoted in a message.
"""
import argparse
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def _clean(message):
    message = message.split("\n\nOriginal stack trace for ")[0]
    message = re.sub(r" \(defined at [^)]*\) ", "", message)
    message = re.sub(r"\n *File \"[^\"]*\", line \d+, in [^\n]*(\n    [^\n]*)?", "", message)  # tracebacks
    message = re.sub(r"0x[0-9a-f]+", "0x…", message)
    return message


def record(cases_module: str, tf2: bool) -> dict:
    import logging
    import warnings

    warnings.simplefilter("ignore")
    import tensorflow as real_tf

    logging.getLogger("tensorflow").setLevel(logging.ERROR)
    tf = real_tf.compat.v1
    if tf2:
        tf.disable_v2_behavior()
    sys.path.insert(0, HERE)
    from runner import outcome
    cases = __import__(cases_module).CASES

    results = {}
    for name, fn in cases.items():
        result = outcome(tf, fn)
        if result.get("message") is not None:
            result["message"] = _clean(result["message"])
        results[name] = result
    return {"tensorflow_version": real_tf.__version__, "cases": results}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cases", help="the module of cases to run: bad_input, inputs or symbols")
    parser.add_argument("python", nargs="?", help="a Python interpreter with TensorFlow installed")
    parser.add_argument("--tf2", action="store_true", help="the interpreter has TensorFlow 2 (writes tf2.json)")
    parser.add_argument("--record", action="store_true", help="(internal) run the cases here, print JSON")
    args = parser.parse_args()
    if args.record:
        json.dump(record(args.cases, args.tf2), sys.stdout)
        return
    if not args.python:
        parser.error("name the Python interpreter that has TensorFlow")
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", CUDA_VISIBLE_DEVICES="")
    command = [args.python, os.path.abspath(__file__), args.cases, "--record"] + (["--tf2"] if args.tf2 else [])
    proc = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=HERE)
    if proc.returncode:
        sys.exit(proc.stderr.decode()[-3000:])
    results = json.loads(proc.stdout.decode())
    out = os.path.join(HERE, args.cases + (".tf2.json" if args.tf2 else ".tf1_15.json"))
    with open(out, "w", encoding="utf-8") as f:
        json.dump(results, f, indent=1, sort_keys=True, ensure_ascii=False)
        f.write("\n")
    raised = sum(r["phase"] != "none" for r in results["cases"].values())
    print("{}: {} cases, {} raise under TensorFlow {}".format(out, len(results["cases"]), raised,
                                                              results["tensorflow_version"]))


if __name__ == "__main__":
    main()
