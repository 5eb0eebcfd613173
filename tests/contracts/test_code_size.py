"""Sala's code stays easy to read and change: no function of webapp/ is longer than 40 lines, counted from its
`def` to its last line, its docstring left out (a nested function counts within its outer one, and alone)."""

import ast
from pathlib import Path

import webapp

MAX_LINES = 40
ROOT = Path(webapp.__file__).parent


def _length(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    lines = (node.end_lineno or node.lineno) - node.lineno + 1
    first = node.body[0] if node.body else None
    if (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    ):
        lines -= (first.end_lineno or first.lineno) - first.lineno + 1
    return lines


def long_functions(root: Path, limit: int) -> list[str]:
    """'path:line name (n lines)' for every function under `root` longer than `limit` lines."""
    found = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and _length(node) > limit:
                found.append(
                    f"{path.relative_to(root.parent)}:{node.lineno} {node.name} ({_length(node)} lines)"
                )
    return found


def test_no_function_of_webapp_is_longer_than_40_lines():
    offenders = long_functions(ROOT, MAX_LINES)
    assert not offenders, f"Split these into smaller functions (at most {MAX_LINES} lines):\n" + "\n".join(
        offenders
    )


def test_a_long_function_is_named_with_its_length(tmp_path):
    def body(lines: int) -> str:
        return "".join(f"    x{n} = {n}\n" for n in range(lines))

    (tmp_path / "long.py").write_text(
        f'def long():\n    """Docstring lines do not count."""\n{body(MAX_LINES)}'
    )
    (tmp_path / "short.py").write_text(f'def short():\n    """Docstring."""\n{body(MAX_LINES - 1)}')

    assert long_functions(tmp_path, MAX_LINES) == [f"{tmp_path.name}/long.py:1 long (41 lines)"]
