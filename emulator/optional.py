"""The packages only some features need. The default install has them all; a light install
(docs/installation.md: the package without its dependencies, then the others) leaves them out,
and those features then fail saying what to install, instead of an ImportError deep inside:
a code_interpreter run fails with that message, a file that needs a missing reader fails to
index (its `last_error` says so); searching itself needs no package."""

from __future__ import annotations

import functools
import importlib.util

#: Per feature, the distributions it needs (as pyproject.toml names them) and the module each provides.
FEATURES: dict[str, dict[str, str]] = {
    "code_interpreter": {
        "restrictedpython": "RestrictedPython",
        "numpy": "numpy",
        "pandas": "pandas",
        "matplotlib": "matplotlib",
        "openpyxl": "openpyxl",
    },
    "file_search": {
        "pypdf": "pypdf",
        "python-docx": "docx",
        "python-pptx": "pptx",
        "lxml": "lxml",
    },
}


class MissingPackages(RuntimeError):
    """A feature was used without the packages it needs; the message names them."""


@functools.cache
def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def missing(feature: str, *distributions: str) -> list[str]:
    """Of `feature`'s distributions (or of those named), the ones whose module is not importable."""
    wanted = FEATURES[feature]
    return [name for name in distributions or wanted if not _installed(wanted[name])]


def require(feature: str, *distributions: str, what: str | None = None) -> None:
    """Raise `MissingPackages` if `feature` (or `what`, e.g. "reading .pdf files") lacks any of
    its distributions (or of those named)."""
    absent = missing(feature, *distributions)
    if absent:
        names = " ".join(absent)
        raise MissingPackages(
            f"{what or feature} needs {', '.join(absent)}, not installed here (a light install of "
            f"assistants-emulator leaves them out; see its installation page): python3 -m pip install {names}"
        )
