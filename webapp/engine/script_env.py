"""The restricted script environment of BPMN scripts, conditions and DMN entries, and its static checks."""

import ast
import re
from collections.abc import Callable, Mapping
from typing import Any

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment

from webapp.domain.clock import local_today


def date_today() -> str:
    """Today's date in Cambodia as an ISO string: task data stays plain JSON."""
    return local_today().isoformat()


HELPERS: Mapping[str, Callable[..., Any]] = {
    "abs": abs,
    "all": all,
    "any": any,
    "bool": bool,
    "float": float,
    "int": int,
    "len": len,
    "max": max,
    "min": min,
    "round": round,
    "sorted": sorted,
    "str": str,
    "date_today": date_today,
}


def create_script_engine(extra_helpers: Mapping[str, Callable[..., Any]] | None = None) -> PythonScriptEngine:
    """A script engine whose scripts see only the helpers: empty __builtins__ hide open, eval, __import__."""
    environment_globals: dict[str, Any] = {"__builtins__": {}}
    environment_globals.update(HELPERS)
    environment_globals.update(extra_helpers or {})
    return PythonScriptEngine(environment=TaskDataEnvironment(environment_globals))


def script_problems(source: str, *, mode: str, where: str) -> list[str]:
    """Why a script (mode "exec") or expression (mode "eval") may not be deployed; empty when it may."""
    try:
        tree = ast.parse(source, mode=mode)
        compile(source, where, mode)
    except SyntaxError as error:
        return [f"{where} does not compile: {error.msg} (line {error.lineno})."]
    if _uses_dunder(tree):
        return [f"{where} uses a double-underscore name or attribute, which scripts may not use."]
    return []


# The DMN engine of SpiffWorkflow writes "?" for the column's input and accepts entries such as "< 60" or
# "in (...)" that only parse once the input is put on their left.
_DMN_PLACEHOLDER = re.compile(r"""\?(?=(?:[^'"]|['"][^'"]*['"])*$)""")


def dmn_entry_problems(entry: str | None, *, where: str) -> list[str]:
    """Why a DMN input entry may not be deployed, using the same rewriting as SpiffWorkflow's DMN engine."""
    text = (entry or "").strip()
    if text in ("", "-"):
        return []
    text = _DMN_PLACEHOLDER.sub("dmn_input", text)
    if _parses(text):
        return script_problems(text, mode="eval", where=where)
    # SpiffWorkflow glues such an entry to the input with no space: "in (1, 2)" would become "agein (1, 2)".
    if text[0].isalpha() or text[0] == "_":
        return [f"{where} starts with a word; write it with a question mark, e.g. '? {text}'."]
    return script_problems(f"dmn_input{text}", mode="eval", where=where)


def _parses(expression: str) -> bool:
    try:
        ast.parse(expression, mode="eval")
    except SyntaxError:
        return False
    return True


def _uses_dunder(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and "__" in node.attr:
            return True
        if isinstance(node, ast.Name) and "__" in node.id:
            return True
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and "__" in node.value:
            return True
    return False
