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

    def _define(self, name: str, default, help_text: str, kind, **argparse_options) -> None:
        self._values[name] = default
        if kind is bool:   # --fast, --nofast, --fast=false
            self._booleans.add(name)
            self._parser.add_argument(f"--{name}", action="store_true", default=default, help=help_text)
            self._parser.add_argument(f"--no{name}", dest=name, action="store_false")
        else:
            self._parser.add_argument(f"--{name}", type=kind, default=default, help=help_text, **argparse_options)

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


class _Repeated(argparse.Action):
    """``--seed=3 --seed=4`` is ``[3, 4]``: the values given replace the default list."""

    def __call__(self, parser, namespace, value, option_string=None):
        given = getattr(namespace, self.dest)
        setattr(namespace, self.dest, ([] if given is self.default else given) + [value])


def _definer(kind, multi=False):
    """A ``DEFINE_*`` function; a ``multi`` flag may be given several times and is a list."""
    def define(name: str, default, help: str = "", **kwargs) -> None:  # noqa: A002  (TF1's argument name)
        if multi:
            default = None if default is None else list(default) if isinstance(default, (list, tuple)) else [default]
            FLAGS._define(name, default, help, kind, action=_Repeated)
        else:
            FLAGS._define(name, default, help, kind)

    return define


def _comma_list(text: str) -> list:
    return [item.strip() for item in text.split(",") if item.strip()]


def DEFINE_list(name: str, default, help: str = "", **kwargs) -> None:  # noqa: N802, A002  (TF1's names)
    """A flag holding a list: ``--layers=64,32`` is ``['64', '32']``."""
    FLAGS._define(name, _comma_list(default) if isinstance(default, str) else default, help, _comma_list)


def DEFINE_enum(name: str, default, enum_values, help: str = "", **kwargs) -> None:  # noqa: N802, A002
    """A string flag that must be one of ``enum_values``."""
    FLAGS._define(name, default, help, str, choices=list(enum_values))


flags = tf1_api.module(
    "tf.flags",
    FLAGS=FLAGS, DEFINE_string=_definer(str), DEFINE_integer=_definer(int), DEFINE_float=_definer(float),
    DEFINE_boolean=_definer(bool), DEFINE_bool=_definer(bool), DEFINE_list=DEFINE_list, DEFINE_enum=DEFINE_enum,
    DEFINE_multi_string=_definer(str, multi=True), DEFINE_multi_integer=_definer(int, multi=True),
    DEFINE_multi_float=_definer(float, multi=True),
)


def run(main=None, argv=None) -> None:
    """``tf.app.run``: parse the flags, call ``main(remaining argv)``, and exit with its result."""
    rest = FLAGS(sys.argv if argv is None else argv)
    main = main or sys.modules["__main__"].main
    sys.exit(main(rest))


__getattr__ = tf1_api.fallback(__name__)  # TF 1.15's other names: an alias, a stand-in, or a clear error
