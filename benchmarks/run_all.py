#!/usr/bin/env python3
"""Run every benchmark (each in its own process) and print one table against the goals.

    python benchmarks/run_all.py                        # numpy vs minitf
    tfvenv/bin/python benchmarks/run_all.py --with-tf   # and real TF1 beside them (see README.md)
    OPENBLAS_NUM_THREADS=1 python benchmarks/run_all.py # steadier on a busy 2-core machine

The JSON of all results goes to ``benchmarks/results/latest.json`` (``--out`` to change), with the
BLAS settings, threads and the share of the machine other processes used during each run.
Every ratio is measured inside one process, minitf's steps interleaved with numpy's (and TF1's).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import _common

HERE = Path(__file__).resolve().parent

# (benchmark script and its arguments, whether it takes --with-tf)
RUNS = [
    (["mlp_mnist.py", "--opt", "sgd", "--steps", "600"], True),    # one epoch: its accuracy beside TF1's
    (["mlp_mnist.py", "--opt", "adam", "--steps", "600"], True),
    (["softmax_tutorial.py"], True),
    (["session_overhead.py"], True),
    (["import_memory.py"], False),
    (["cnn_mnist.py", "--steps", "300"], True),                # numpy's products, minitf [and TF1], interleaved
    (["cnn_mnist.py", "--only", "minitf", "--steps", "200"], False),   # alone: the peak RSS of a CNN run
    (["cnn_mnist.py", "--only", "tf1", "--steps", "200"], None),       # (only with --with-tf)
]


def run(args: list[str], with_tf: bool) -> dict | None:
    if not (HERE / args[0]).exists():
        return None
    command = [sys.executable, str(HERE / args[0]), *args[1:]] + (["--with-tf"] if with_tf else [])
    print("$", " ".join(command[1:]), flush=True)
    done = subprocess.run(command, capture_output=True, text=True, cwd=HERE)
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    print("\n".join(line for line in done.stdout.splitlines() if not line.startswith("RESULT ")), flush=True)
    if done.returncode or not lines:
        print(done.stderr[-2000:], file=sys.stderr)
        return {"bench": args[0], "error": done.stderr.strip().splitlines()[-1:] or ["no RESULT line"]}
    return json.loads(lines[-1][len("RESULT "):])


def table(results: list[dict]) -> list[str]:
    """The markdown rows: measure, numpy, minitf, ratio, [TF1, its ratio], goal, accuracy, and the machine's
    load while it ran (uptime's 1-minute load average as it ended; the share of CPU other processes used)."""
    by_bench = {r.get("bench"): r for r in results}
    rows = []

    def add(result, row):
        load = result.get("loadavg_1_5_15")
        rows.append(row + [(f"{load[0]:.1f}; " if load else "") + f"{result.get('foreign_cpu_frac', float('nan')):.0%}"])

    def training(bench, label, unit, key, goal):
        r = next((v for k, v in by_bench.items() if k and k.startswith(bench)), None)
        if not r or "systems" not in r:
            return
        s = r["systems"]
        tf = s.get("tf1")
        versus = f" ({s['minitf']['ratio_vs_tf1']:.2f}× TF1)" if tf else ""
        add(r, [label, f"{s['numpy'][key]:.3g} {unit}", f"{s['minitf'][key]:.3g} {unit}{versus}",
                     f"{s['minitf']['ratio_vs_numpy']:.2f}×",
                     f"{tf[key]:.3g} {unit} ({tf['ratio_vs_numpy']:.2f}×)" if tf else "–",
                     goal, "yes" if r.get("accuracies_agree") else "NO"])

    training("mlp_sgd", "MNIST MLP, SGD", "s/epoch", "s_per_epoch", "≤ 1.05×")
    training("mlp_adam", "MNIST MLP, Adam", "s/epoch", "s_per_epoch", "≤ 1.00× and ≤ TF1")
    training("softmax_logits", "softmax tutorial", "µs/step", "us_per_step", "≤ 1.5×")
    cnn = by_bench.get("cnn_mnist")
    if cnn and "systems" in cnn:
        s = cnn["systems"]
        tf = s.get("tf1")
        versus = f" ({s['minitf']['ratio_vs_tf1']:.2f}× TF1)" if tf else ""
        add(cnn, ["MNIST CNN (Deep MNIST, batch 50), ms/step", f"{s['numpy']['ms_per_step']:.1f} (products)",
                     f"{s['minitf']['ms_per_step']:.1f}{versus}", f"{s['minitf']['ratio_vs_numpy_floor']:.2f}×",
                     f"{tf['ms_per_step']:.1f} ({tf['ratio_vs_numpy_floor']:.2f}×)" if tf else "–", "≤ TF1",
                     f"{s['minitf']['test_accuracy']:.4f} / {tf['test_accuracy']:.4f}" if tf else ""])
    alone = {r["system"]: r for r in results if r.get("bench", "").startswith("cnn_") and "system" in r}
    if "minitf" in alone:
        add(alone["minitf"], ["CNN peak RSS (alone)", "–", f"{alone['minitf']['peak_rss_mib']:.0f} MiB", "",
                     f"{alone['tf1']['peak_rss_mib']:.0f} MiB" if "tf1" in alone else "–", "beside TF1's", ""])
    overhead = by_bench.get("session_overhead")
    if overhead and "cases" in overhead:
        goals = {"trivial": "≤ 15 µs", "chain100": "≤ 150 µs", "furwings_adam": "≤ TF1",
                 "furwings_gd": "≤ TF1"}
        for case, row in overhead["cases"].items():
            tf = row.get("tf1")
            add(overhead, [f"sess.run: {case}", f"{row['numpy']['us']:.1f} µs", f"{row['minitf']['us']:.1f} µs",
                         f"{row['minitf']['ratio_vs_numpy']:.2f}×", f"{tf['us']:.1f} µs" if tf else "–",
                         goals[case], ""])
        build = overhead["graph_build_us_per_op"]
        add(overhead, ["graph building per op", "–", f"{build['minitf']:.1f} µs", "",
                     f"{build['tf1']:.1f} µs" if "tf1" in build else "–", "≤ 25 µs", ""])
    memory = by_bench.get("import_memory")
    if memory and "import_s" in memory:
        cpu = memory["import_cpu_s"]
        add(memory, ["import (wall; CPU)", f"{memory['import_s']['numpy']:.3f} s; {cpu['numpy']:.3f} s",
                     f"{memory['import_s']['minitf']:.3f} s; {cpu['minitf']:.3f} s", "", "–", "≤ 0.3 s", ""])
        rss = memory["mlp_peak_rss_mib"]
        add(memory, ["MLP peak RSS", f"{rss['numpy']:.0f} MiB", f"{rss['minitf']:.0f} MiB", "", "–",
                     "≤ 350 MiB", ""])
    header = ["measure", "numpy", "minitf", "minitf / numpy", "TF1 (/ numpy)", "goal", "accuracy", "load; foreign CPU"]
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)] + ["| " + " | ".join(r) + " |" for r in rows]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--with-tf", action="store_true", help="also real TF1 (run with a Python that has tensorflow)")
    ap.add_argument("--out", default=str(HERE / "results" / "latest.json"))
    args = ap.parse_args()
    runs = [(script, args.with_tf and takes_tf) for script, takes_tf in RUNS if takes_tf is not None or args.with_tf]
    results = [r for script, with_tf in runs if (r := run(script, with_tf)) is not None]
    print("\n".join(table(results)))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    settings = {"env": {k: os.environ.get(k) for k in _common.SETTINGS}, "blas": _common.blas()}
    print(f"numpy BLAS: {settings['blas']}; environment: {settings['env']}")
    for r in results:
        print(f"{r.get('bench')}: other processes used {r.get('foreign_cpu_frac')} of the machine; "
              f"load average (1, 5, 15 min) at its end {r.get('loadavg_1_5_15')}")
    out.write_text(json.dumps({**settings, "results": results}, indent=1, sort_keys=True) + "\n")
    print(f"results: {out}")


if __name__ == "__main__":
    main()
