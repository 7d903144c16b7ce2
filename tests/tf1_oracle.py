"""The cases of tests/data/tf1_oracle (small TF1 graphs) and what real TensorFlow did with them."""
import importlib
import json
import sys
from pathlib import Path

ORACLE = Path(__file__).parent / "data" / "tf1_oracle"


def load_cases(name: str):
    """The module of cases ``tests/data/tf1_oracle/<name>.py`` (its ``runner`` is beside it)."""
    if str(ORACLE) not in sys.path:
        sys.path.insert(0, str(ORACLE))
    return importlib.import_module(name)


def recorded(name: str) -> dict:
    """``{case: what happened}`` as ``record_tf.py`` wrote it to ``<name>.json``."""
    return json.loads((ORACLE / f"{name}.json").read_text(encoding="utf-8"))["cases"]
