"""Signs that a submission tampers with the machinery instead of answering.

Hidden tests run outside the student's kernel, so a hook or a patch there cannot make one pass;
but a notebook that installs one is trying, and an instructor should look at it rather than
have it scored silently. Two witnesses, each covering the other's blind spot:

* :class:`Fingerprint` runs inside the kernel. Loaded before the first cell, it remembers what
  IPython's input pipeline, the builtins, the interpreter's hooks and every function and class
  of numpy and minitf are; when the grader asks for an answer it says what has changed since.
  It is exact, but the notebook could switch it off (by patching it, which it reports, or by
  swapping modules behind its back).
* :func:`scan` reads the submitted source in the grader, where nothing can switch it off. It
  looks for the constructs those tricks need (IPython's hooks, ``builtins``, ``sys.modules``,
  assigning into a library module, ``ctypes``, ``exec``...), none of which a course answer uses.

Crashing is not tampering: ``sys.exit``, ``os._exit``, killing processes, endless loops, memory
and fork bombs cost the question they are in and nothing else (the grader contains them).
"""
from __future__ import annotations

import ast
import builtins
import sys
import threading
import types
from typing import Any

# Names IPython and ipykernel set and reset in builtins around every cell.
_IPYTHON_BUILTINS = {"input", "exit", "quit", "get_ipython", "display", "copyright", "credits", "license", "help"}
# IPython machinery whose replacement would let a notebook rewrite or skip later cells.
_SHELL_METHODS = ("run_cell", "run_cell_async", "run_code", "run_ast_nodes", "transform_cell", "transform_ast",
                  "should_run_async", "showtraceback", "_showtraceback", "ex", "ev")
_SHELL_LISTS = ("input_transformers_cleanup", "input_transformers_post", "ast_transformers")
# Callbacks that well-known packages register on IPython's events.
_KNOWN_CALLBACK_MODULES = ("IPython", "ipykernel", "matplotlib", "matplotlib_inline", "ipywidgets", "comm",
                           "tqdm", "anywidget", "minitf.widgets")
_WATCHED_PACKAGES = ("numpy", "minitf")


class Fingerprint:
    """What the kernel looked like before the notebook ran; :meth:`changes` says what differs."""

    def __init__(self, shell: Any):
        self.shell = shell
        self.builtins = self._builtins()
        self.shell_lists = {name: self._ids(getattr(shell, name, [])) for name in _SHELL_LISTS}
        self.callbacks = {event: self._ids(callbacks) for event, callbacks in shell.events.callbacks.items()}
        self.methods = self._methods()
        self.hooks = self._hooks()
        self.modules = {name: id(module) for name, module in sys.modules.items() if _watched(name)}
        self.library = self._library()

    @staticmethod
    def _ids(items: Any) -> list:
        return [_identity(item) for item in items]

    @staticmethod
    def _builtins() -> dict[str, Any]:
        return {name: _identity(value) for name, value in vars(builtins).items()
                if not name.startswith("_") and name not in _IPYTHON_BUILTINS}

    def _methods(self) -> dict[str, Any]:
        own = vars(self.shell)
        return {name: _identity(own[name] if name in own else getattr(type(self.shell), name, None))
                for name in _SHELL_METHODS}

    @staticmethod
    def _hooks() -> dict[str, int]:
        hooks = {"sys.settrace": sys.gettrace(), "sys.setprofile": sys.getprofile(),
                 "threading.settrace": threading.gettrace() if hasattr(threading, "gettrace") else None,
                 "sys.breakpointhook": sys.breakpointhook}
        ids = {name: _identity(value) for name, value in hooks.items()}
        ids["sys.meta_path"] = tuple(map(_identity, sys.meta_path))
        ids["sys.path_hooks"] = tuple(map(_identity, sys.path_hooks))
        return ids

    @staticmethod
    def _library() -> dict[str, int]:
        """Every function and class of numpy and minitf, and the methods of minitf's classes."""
        found = {}
        for name, module in list(sys.modules.items()):
            if not _watched(name) or not isinstance(module, types.ModuleType):
                continue
            for attr, value in list(vars(module).items()):
                if _is_code(value):
                    found[f"{name}.{attr}"] = id(value)
                if isinstance(value, type) and getattr(value, "__module__", "") == name and name.startswith("minitf"):
                    for method, member in list(vars(value).items()):
                        if _is_code(member) or isinstance(member, (property, staticmethod, classmethod)):
                            found[f"{name}.{attr}.{method}"] = id(member)
        return found

    def changes(self) -> list[str]:
        """What the notebook changed in the machinery, one line each (empty when nothing)."""
        found = []
        now = self._builtins()
        found += [f"builtins.{name} was replaced" for name, old in self.builtins.items() if now.get(name) != old]
        for name, old in self.shell_lists.items():
            if self._ids(getattr(self.shell, name, [])) != old:
                found.append(f"IPython's {name} were changed (a hook that rewrites cells)")
        for event, callbacks in self.shell.events.callbacks.items():
            added = [c for c in callbacks if _identity(c) not in self.callbacks.get(event, [])]
            found += [f"a callback was registered on IPython's {event!r} event" for c in added
                      if not str(getattr(c, "__module__", "")).startswith(_KNOWN_CALLBACK_MODULES)]
        methods = self._methods()
        found += [f"IPython's {name} was replaced" for name, old in self.methods.items() if methods[name] != old]
        now_hooks = self._hooks()
        found += [f"{name} was changed" for name, old in self.hooks.items() if now_hooks[name] != old]
        found += [f"the module {name} in sys.modules was replaced" for name, old in self.modules.items()
                  if id(sys.modules.get(name)) != old]
        library = self._library()
        found += [f"{name} was replaced" for name, old in self.library.items() if library.get(name, old) != old]
        return found


def _identity(value: Any) -> Any:
    """What stays the same while an object is not replaced: its id, or for a bound method (made
    anew at each access) the ids of its object and function."""
    if hasattr(value, "__self__") and hasattr(value, "__func__"):
        return id(value.__self__), id(value.__func__)
    return id(value)


def _watched(module_name: str) -> bool:
    return module_name.split(".")[0] in _WATCHED_PACKAGES


def _is_code(value: Any) -> bool:
    """Functions, classes, ufuncs, numpy's dispatchers: anything callable that is not a module."""
    return callable(value) and not isinstance(value, types.ModuleType)


# ---------------------------------------------------------------------------------------------
# Reading the source
# ---------------------------------------------------------------------------------------------

_SUSPECT_NAMES = {
    "get_ipython": "uses get_ipython() (IPython's machinery)",
    "__builtins__": "reaches __builtins__",
    "builtins": "imports builtins",
    "ctypes": "imports ctypes",
    "gc": "imports gc (reaches other objects)",
    "inspect": "imports inspect",
    "importlib": "imports importlib",
    "_ih": "reads the input history (_ih)",
    "_oh": "reads the output history (_oh)",
    "In": "reads the input history (In)",
    "Out": "reads the output history (Out)",
}
_EVERYDAY_MAGICS = {"matplotlib", "pip", "time", "timeit"}
_SUSPECT_CALLS = {
    "exec": "calls exec", "eval": "calls eval", "compile": "calls compile", "__import__": "calls __import__",
    "setattr": "calls setattr", "delattr": "calls delattr", "globals": "calls globals()", "vars": "calls vars()",
}
_SUSPECT_ATTRIBUTES = {
    "modules": "sys.modules", "settrace": "sys.settrace", "setprofile": "sys.setprofile", "meta_path": "sys.meta_path",
    "input_transformers_cleanup": "IPython's input transformers", "input_transformers_post": "IPython's input transformers",
    "ast_transformers": "IPython's AST transformers", "events": "IPython's events", "__code__": "a function's code object", "__globals__": "a function's globals", "f_back": "the calling frame",
    "f_globals": "a frame's globals", "_getframe": "the calling frame",
}


def scan(cells: list[str]) -> dict[int, list[str]]:
    """The suspicious constructs in the student's cells, by cell number (cells without any are left out).

    Each cell is first turned into Python as IPython would run it (``%magics`` and ``!shell``
    become calls of ``get_ipython()``; the everyday magics ``%matplotlib``, ``%pip``, ``%time``
    and ``%timeit`` are fine). A cell that does not parse fails in the kernel: nothing to report.
    """
    trees = {index: _parse(source) for index, source in enumerate(cells)}
    modules = {alias for tree in trees.values() if tree is not None for alias in _imported_names(tree)}
    found = {}
    for index, tree in trees.items():
        lines = [] if tree is None else _suspects(tree, modules)
        if lines:
            found[index] = lines
    return found


def _parse(source: str) -> ast.AST | None:
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        return ast.parse(TransformerManager().transform_cell(source))
    except Exception:  # the grader reports it rather than guessing
        return None


def _imported_names(tree: ast.AST) -> set[str]:
    """The names a cell binds to modules or their members (``np``, ``tf``, ``Session``...)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
    return names


def _suspects(tree: ast.AST, modules: set[str]) -> list[str]:
    found = []
    everyday = {id(node.func.value.func) for node in ast.walk(tree) if _is_everyday_magic(node)}
    for node in ast.walk(tree):
        if id(node) in everyday:
            continue
        if isinstance(node, ast.Name) and node.id in _SUSPECT_NAMES:
            found.append(_SUSPECT_NAMES[node.id])
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            imported = [alias.name for alias in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            found += [_SUSPECT_NAMES[m.split(".")[0]] for m in imported if m.split(".")[0] in _SUSPECT_NAMES]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _SUSPECT_CALLS:
            found.append(_SUSPECT_CALLS[node.func.id])
        elif isinstance(node, ast.Attribute) and node.attr in _SUSPECT_ATTRIBUTES:
            found.append(f"uses {_SUSPECT_ATTRIBUTES[node.attr]}")
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)):
            targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
            found += [f"assigns to {ast.unparse(t)}, inside an imported module" for t in targets
                      if isinstance(t, ast.Attribute) and _root(t) in modules | {"np", "tf", "numpy", "minitf"}]
    return list(dict.fromkeys(found))


def _is_everyday_magic(node: ast.AST) -> bool:
    """``get_ipython().run_line_magic('matplotlib', 'inline')`` and the like."""
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("run_line_magic", "run_cell_magic") and isinstance(node.func.value, ast.Call)
            and isinstance(node.func.value.func, ast.Name) and node.func.value.func.id == "get_ipython"
            and bool(node.args) and isinstance(node.args[0], ast.Constant) and node.args[0].value in _EVERYDAY_MAGICS)


def _root(target: ast.Attribute) -> str | None:
    """The plain name an attribute chain starts from: ``np`` for ``np.linalg.norm``."""
    node = target.value
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None
