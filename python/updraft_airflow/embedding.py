"""Import a package from source text held in memory: how a self-contained DAG file carries this package.

The exporter copies this module's code into the DAG file, followed by the package's sources as text;
`load_package(name, sources)` then makes them importable as package `name` (a name keyed by their hash,
so DAG files written by different updraft versions never share modules). Modules run only when first
imported; tracebacks show their lines.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import linecache
import sys
from collections.abc import Sequence
from types import CodeType, ModuleType


class SourceFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds and loads the modules of one package from {relative path: source text}."""

    def __init__(self, name: str, sources: dict[str, str], origin: str) -> None:
        self.name, self.sources, self.origin = name, sources, origin

    def _path(self, fullname: str) -> str | None:
        if fullname == self.name:
            return "__init__.py"
        if not fullname.startswith(self.name + "."):
            return None
        rel = fullname[len(self.name) + 1 :].replace(".", "/")
        for path in (rel + ".py", rel + "/__init__.py"):
            if path in self.sources:
                return path
        return None

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        rel = self._path(fullname)
        if rel is None:
            return None
        return importlib.util.spec_from_loader(fullname, self, is_package=rel.endswith("__init__.py"))

    def get_code(self, fullname: str) -> CodeType:
        rel = self._path(fullname) or ""
        filename = "%s <%s>" % (self.origin, rel)
        text = self.sources[rel]
        linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
        return compile(text, filename, "exec", dont_inherit=True)

    def exec_module(self, module: ModuleType) -> None:
        exec(self.get_code(module.__name__), module.__dict__)


def load_package(name: str, sources: dict[str, str], module: str, origin: str = "embedded") -> ModuleType:
    """Make `sources` importable as package `name` (once per process) and import `name.module`."""
    if not any(isinstance(f, SourceFinder) and f.name == name for f in sys.meta_path):
        sys.meta_path.append(SourceFinder(name, sources, origin))
    return importlib.import_module("%s.%s" % (name, module))
