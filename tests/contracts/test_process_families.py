"""The casework core names no process family: families plug in through the registry, never by name."""

import ast
from pathlib import Path

import pytest

from webapp.services.assembly.installed import FAMILIES, install
from webapp.services.casework.families import family_of

SERVICES = Path(__file__).resolve().parents[2] / "webapp" / "services"
SHARED = ("casework", "processes", "correspondence", "notifications", "deadlines", "platform")
FAMILY_PACKAGES = ("applications", "grievances", "registry", "nssf")


def _string_literals(package: str) -> set[str]:
    found: set[str] = set()
    for path in (SERVICES / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.add(node.value)
    return found


@pytest.mark.parametrize("package", SHARED)
def test_a_shared_package_names_no_process_of_any_family(package):
    processes = {process for family in FAMILIES for process in family.processes}
    assert not processes & _string_literals(package)


@pytest.mark.parametrize("package", SHARED)
def test_a_shared_package_imports_no_family_package(package):
    families = tuple(f"webapp.services.{name}" for name in FAMILY_PACKAGES)
    for path in (SERVICES / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith(families), path


def test_every_family_package_is_installed_and_owns_its_processes():
    install()
    assert {family.name for family in FAMILIES} == set(FAMILY_PACKAGES)
    for family in FAMILIES:
        assert family.processes
        for process in family.processes:
            assert family_of(process) is family
    assert family_of("a_process_no_family_drives") is None


def test_every_services_package_says_what_it_is_for_in_one_line():
    for init in SERVICES.glob("*/__init__.py"):
        docstring = ast.get_docstring(ast.parse(init.read_text()))
        assert docstring and "\n" not in docstring.strip(), init
