"""tf.app and tf.flags: the command-line flags and ``main`` of TF1 tutorial scripts.

::

    tf.app.flags.DEFINE_integer("epochs", 10, "how many passes over the data")
    FLAGS = tf.app.flags.FLAGS
    def main(_):
        print(FLAGS.epochs)
    tf.app.run()          # parses --epochs=3 from the command line, then calls main(argv)

As in TF1, reading a flag parses ``sys.argv`` first if nobody has (ignoring arguments it does
not know, so the flags also work in a notebook, whose argv holds the kernel's own options).
"""
from __future__ import annotations

import argparse
import sys

from . import tf1_api


class _FlagValues:
    """``FLAGS``: each defined flag as an attribute, its value parsed from the command line."""

    def __init__(self):
        object.__setattr__(self, "_parser", argparse.ArgumentParser(add_help=False))
        object.__setattr__(self, "_values", {})
        object.__setattr__(self, "_parsed", False)
        object.__setattr__(self, "_booleans", set())

    def _define(self, name: str, default, help_text: str, kind) -> None:
        self._values[name] = default
        if kind is bool:   # --fast, --nofast, --fast=false
            self._booleans.add(name)
            self._parser.add_argument(f"--{name}", action="store_true", default=default, help=help_text)
            self._parser.add_argument(f"--no{name}", dest=name, action="store_false")
        else:
            self._parser.add_argument(f"--{name}", type=kind, default=default, help=help_text)

    def __call__(self, argv) -> list:
        """Parse ``argv`` (flags it does not know are left over) and return the rest."""
        known, rest = self._parser.parse_known_args([self._spell(arg) for arg in list(argv)[1:]])
        self._values.update(vars(known))
        object.__setattr__(self, "_parsed", True)
        return list(argv)[:1] + rest

    def _spell(self, arg: str) -> str:
        """``--fast=false`` as ``--nofast`` (argparse's switches take no value)."""
        name, equals, value = arg[2:].partition("=")
        if arg.startswith("--") and equals and name in self._booleans:
            return f"--{name}" if _boolean(value) else f"--no{name}"
        return arg

    def __getattr__(self, name: str):
        if not self._parsed:
            self(sys.argv)
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(f"Unknown command line flag '{name}'") from None

    def __setattr__(self, name: str, value) -> None:
        self._values[name] = value


def _boolean(text: str) -> bool:
    if text.lower() in ("true", "t", "1", "yes"):
        return True
    if text.lower() in ("false", "f", "0", "no"):
        return False
    raise ValueError(f"Non-boolean argument to boolean flag: {text!r}")


FLAGS = _FlagValues()


def _definer(kind):
    def define(name: str, default, help: str = "", **kwargs) -> None:  # noqa: A002  (TF1's argument name)
        FLAGS._define(name, default, help, kind)

    return define


flags = tf1_api.module(
    "tf.flags",
    FLAGS=FLAGS, DEFINE_string=_definer(str), DEFINE_integer=_definer(int), DEFINE_float=_definer(float),
    DEFINE_boolean=_definer(bool), DEFINE_bool=_definer(bool),
)


def run(main=None, argv=None) -> None:
    """``tf.app.run``: parse the flags, call ``main(remaining argv)``, and exit with its result."""
    rest = FLAGS(sys.argv if argv is None else argv)
    main = main or sys.modules["__main__"].main
    sys.exit(main(rest))


__getattr__ = tf1_api.fallback(__name__)  # TF 1.15's other names: an alias, a stand-in, or a clear error
