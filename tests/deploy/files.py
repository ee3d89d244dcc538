"""What the deploy tests read: the deploy/ folder, the environment variables the portal's
code reads, and the tools that check the files (nginx, systemd-analyze, openssl)."""

import ast
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
ENV_FILE = DEPLOY / "portal.env.example"
NGINX_SITE = DEPLOY / "nginx" / "portal.conf"
SYSTEMD = DEPLOY / "systemd"
README = (ROOT / "README.md").read_text()

# Folders whose code is not the portal's: the tests, the benchmarks, what is installed.
_NOT_THE_PORTAL = {"tests", "bench", ".venv", "node_modules", ".git", "staticfiles"}


def require_tool(name: str, *, candidates: tuple[str, ...] = (), install: str) -> str:
    """The tool's path; skip with the reason when it is missing, and fail under CI (which
    installs it: .ci/run)."""
    path = shutil.which(name) or next((c for c in candidates if os.access(c, os.X_OK)), None)
    if path:
        return path
    message = f"{name} not found: install it with `{install}`."
    if os.environ.get("CI"):
        pytest.fail(message + " The deploy checks are required in CI.")
    pytest.skip(message)


# --- Environment variables read by the code -------------------------------------------

NO_DEFAULT = object()  # read without a default, or with one that is not a plain literal


class DynamicRead(Exception):
    """The code reads a variable whose name is not written out, so no list can hold it."""


def _is_os_environ(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "environ"
        and isinstance(node.value, ast.Name)
        and node.value.id == "os"
    )


def _literal(node: ast.AST | None) -> object:
    """A default written as a literal (or a product of numbers, 60 * 60 * 3), else NO_DEFAULT."""
    if node is None:
        return NO_DEFAULT
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
        left, right = _literal(node.left), _literal(node.right)
        if isinstance(left, int) and isinstance(right, int):
            return left * right
        return NO_DEFAULT
    try:
        return ast.literal_eval(node)
    except ValueError:
        return NO_DEFAULT


def _read_of(node: ast.Call) -> tuple[ast.AST, ast.AST | None] | None:
    """(name, default) of a call that reads the environment, else None."""
    func = node.func
    default = node.args[1] if len(node.args) > 1 else None
    if not node.args:
        return None
    if (
        isinstance(func, ast.Attribute)
        and func.attr in {"get", "setdefault", "pop"}
        and _is_os_environ(func.value)
    ):
        return node.args[0], default
    if (
        isinstance(func, ast.Attribute)
        and func.attr == "getenv"
        and isinstance(func.value, ast.Name)
        and func.value.id == "os"
    ):
        return node.args[0], default
    if isinstance(func, ast.Name) and func.id.startswith("_env_"):
        return node.args[0], default
    return None


def env_reads_in_source(source: str, filename: str = "<source>") -> dict[str, list[object]]:
    """Each variable the source reads from the environment, with the defaults it gives."""
    tree = ast.parse(source, filename)
    found: dict[str, list[object]] = {}
    # The helpers (_env_int ...) read the name they are given; their callers are counted.
    helpers = {
        id(inner)
        for fn in ast.walk(tree)
        if isinstance(fn, ast.FunctionDef) and fn.name.startswith("_env_")
        for inner in ast.walk(fn)
    }

    def record(name_node: ast.AST, default: object, line: int) -> None:
        if isinstance(name_node, ast.Constant) and isinstance(name_node.value, str):
            found.setdefault(name_node.value, []).append(default)
        elif id(name_node) not in helpers:
            raise DynamicRead(f"{filename}:{line} reads a variable whose name is not written out")

    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            read = _read_of(node)
            if read:
                record(read[0], _literal(read[1]), node.lineno)
        elif isinstance(node, ast.Subscript) and _is_os_environ(node.value):
            record(node.slice, NO_DEFAULT, node.lineno)
        elif isinstance(node, ast.Compare) and any(_is_os_environ(c) for c in node.comparators):
            record(node.left, NO_DEFAULT, node.lineno)
    return found


def portal_python_files() -> list[Path]:
    return sorted(
        path
        for path in ROOT.rglob("*.py")
        if not _NOT_THE_PORTAL.intersection(path.relative_to(ROOT).parts)
    )


def env_reads_of_the_portal() -> dict[str, list[object]]:
    found: dict[str, list[object]] = {}
    for path in portal_python_files():
        reads = env_reads_in_source(path.read_text(), str(path.relative_to(ROOT)))
        for name, defaults in reads.items():
            found.setdefault(name, []).extend(defaults)
    return found


# --- The environment file -------------------------------------------------------------

_VARIABLE_LINE = re.compile(r"^(?P<off>#?)(?P<name>[A-Z][A-Z0-9_]*)=(?P<value>.*)$")


@dataclass(frozen=True)
class EnvLine:
    name: str
    value: str
    set: bool  # VAR=value; False for #VAR=default
    comment: str  # the comment line just above


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def parse_env_file(text: str) -> dict[str, EnvLine]:
    """The variables of the file; raises ValueError for a line of no known kind, a
    variable listed twice or without its comment line."""
    lines: dict[str, EnvLine] = {}
    previous = ""
    for number, line in enumerate(text.splitlines(), 1):
        match = _VARIABLE_LINE.match(line)
        if match:
            name = match["name"]
            if name in lines:
                raise ValueError(f"line {number}: {name} is listed twice")
            if not previous.startswith("# "):
                raise ValueError(f"line {number}: {name} has no comment line above it")
            value = match["value"]
            if " " in value and _unquote(value) == value:
                raise ValueError(f"line {number}: {name}'s value has spaces and no quotes")
            lines[name] = EnvLine(name, _unquote(value), not match["off"], previous[2:])
        elif line and not line.startswith("# ") and line != "#":
            raise ValueError(f"line {number}: neither a comment nor VAR=value: {line!r}")
        previous = line
    return lines


def env_file() -> dict[str, EnvLine]:
    return parse_env_file(ENV_FILE.read_text())


def rendered_default(default: object) -> str:
    """How a default of the code is written in the file."""
    if isinstance(default, bool):
        return "1" if default else "0"
    if isinstance(default, list):
        return ",".join(default)
    return str(default)
