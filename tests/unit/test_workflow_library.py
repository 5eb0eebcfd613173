"""The workflow library's pure parts: content hashes, safe XML, folder pairing and catalog extraction."""

import io
from pathlib import Path

import pytest

from tests.workflows.samples import sample_bpmn
from webapp.domain.errors import WorkflowInvalid
from webapp.engine import ProcessEngine
from webapp.engine.library import content_hash, directory_files
from webapp.engine.messages import extract_workflow, translatable_strings
from webapp.engine.safe_xml import UnsafeXml, kind, parse

WORKFLOWS = Path(__file__).resolve().parents[2] / "workflows"


def test_content_hash_ignores_file_order_but_not_names_or_bytes() -> None:
    files = {"a.bpmn": b"<a/>", "b.dmn": b"<b/>"}

    assert content_hash(files) == content_hash(dict(reversed(list(files.items()))))
    assert content_hash(files) != content_hash({"a.bpmn": b"<a/>", "c.dmn": b"<b/>"})
    assert content_hash(files) != content_hash({"a.bpmn": b"<a/> ", "b.dmn": b"<b/>"})
    # Moving bytes from a name into its content must not give the same hash.
    assert content_hash({"ab": b"c"}) != content_hash({"a": b"bc"})


def test_each_bpmn_file_of_a_folder_is_deployed_with_every_dmn_file(tmp_path: Path) -> None:
    (tmp_path / "first.bpmn").write_bytes(b"<first/>")
    (tmp_path / "second.bpmn").write_bytes(b"<second/>")
    (tmp_path / "rules.dmn").write_bytes(b"<rules/>")
    (tmp_path / "README.md").write_text("not deployed")

    assert directory_files(tmp_path) == {
        "first": {"first.bpmn": b"<first/>", "rules.dmn": b"<rules/>"},
        "second": {"second.bpmn": b"<second/>", "rules.dmn": b"<rules/>"},
    }


def test_safe_parse_knows_bpmn_from_dmn() -> None:
    assert kind(parse("p.bpmn", (WORKFLOWS / "ssdm_programme_application.bpmn").read_bytes())) == "bpmn"
    assert kind(parse("d.dmn", (WORKFLOWS / "programme_eligibility.dmn").read_bytes())) == "dmn"
    assert kind(parse("x.xml", b"<x/>")) == ""


def test_safe_parse_refuses_an_external_entity_whatever_the_encoding() -> None:
    xxe = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'

    with pytest.raises(UnsafeXml, match="DOCTYPE"):
        parse("x.bpmn", xxe.encode("utf-16"))


def test_deploy_refuses_a_file_that_is_not_utf8() -> None:
    latin1 = (
        sample_bpmn()
        .replace(b'encoding="UTF-8"', b'encoding="ISO-8859-1"')
        .replace(b"Ask", "Ça".encode("latin-1"))
    )

    with pytest.raises(WorkflowInvalid) as refused:
        ProcessEngine().deploy("sample", {"sample.bpmn": latin1})

    assert refused.value.problems == ["sample.bpmn is not UTF-8 text."]


def test_extraction_gives_every_bpmn_label_with_its_line_and_leaves_lanes_out() -> None:
    path = WORKFLOWS / "ssdm_programme_application.bpmn"
    with path.open("rb") as fileobj:
        found = list(extract_workflow(fileobj, ["_"], [], {}))

    texts = {text for _, _, text, _ in found}
    assert {
        "SSDM programme application",
        "Take the application",
        "Document check",
        "Eligible?",
        "Yes",
    } <= texts
    assert {"Application received", "Result announced", "Confirm the entitlement", "Not eligible"} <= texts
    assert not any(text.startswith(("commune_assistant", "back_office_")) for text in texts)
    lines = path.read_text().splitlines()
    for line, function, text, comments in found:
        assert function is None
        assert comments == []
        assert f'name="{text}"' in lines[line - 1]


def test_extraction_gives_the_decision_reasons_but_not_codes() -> None:
    with (WORKFLOWS / "programme_eligibility.dmn").open("rb") as fileobj:
        texts = {text for _, _, text, _ in extract_workflow(fileobj, ["_"], [], {})}

    assert "The programme is not known." in texts
    assert "The applicant meets the programme's rules." in texts
    assert "The applicant is younger than 60." in texts
    assert not any("_" in text or text in ("True", "False") for text in texts)


def test_translatable_strings_of_the_folder_are_what_extraction_finds() -> None:
    extracted = set()
    for path in [*WORKFLOWS.glob("*.bpmn"), *WORKFLOWS.glob("*.dmn")]:
        with path.open("rb") as fileobj:
            extracted |= {text for _, _, text, _ in extract_workflow(fileobj, [], [], {})}

    assert translatable_strings(WORKFLOWS) == extracted
    assert "Announce the result at the commune" in extracted


def test_extraction_refuses_an_unsafe_file() -> None:
    bomb = io.BytesIO(b'<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>')

    with pytest.raises(UnsafeXml):
        list(extract_workflow(bomb, [], [], {}))
