"""Deploying: every bad input is refused with sentences that name the file or element at fault."""

from pathlib import Path

import pytest

from tests.workflows.conftest import WORKFLOWS
from tests.workflows.samples import sample_bpmn
from webapp.domain.errors import WorkflowInvalid
from webapp.engine import DeployedProcess, ProcessEngine, UserTaskInfo

BPMN = (WORKFLOWS / "ssdm_programme_application.bpmn").read_bytes()
DMN = (WORKFLOWS / "programme_eligibility.dmn").read_bytes()
SSDM_FILES = {"ssdm_programme_application.bpmn": BPMN, "programme_eligibility.dmn": DMN}


def problems_of(engine: ProcessEngine, process_id: str, files: dict[str, bytes]) -> list[str]:
    with pytest.raises(WorkflowInvalid) as refused:
        engine.deploy(process_id, files)
    assert refused.value.problems
    return refused.value.problems


def test_the_workflows_folder_deploys_the_ssdm_process(deployed: dict[str, DeployedProcess]) -> None:
    process = deployed["ssdm_programme_application"]

    assert process.name == "SSDM programme application"
    assert set(process.files) == {"ssdm_programme_application.bpmn", "programme_eligibility.dmn"}
    assert UserTaskInfo("intake", "Take the application", "commune_assistant", "application_intake") in (
        process.user_tasks
    )
    lanes = {task.spec_name: task.lane for task in process.user_tasks}
    assert lanes["check_documents"] == "district_ssdm_assistant"
    assert lanes["provide_missing_document"] == "commune_assistant"
    assert len(process.user_tasks) == 11


def test_the_content_hash_is_stable_and_follows_the_content(engine: ProcessEngine) -> None:
    first = engine.deploy("ssdm_programme_application", SSDM_FILES)
    reordered = engine.deploy("ssdm_programme_application", dict(reversed(list(SSDM_FILES.items()))))
    changed = engine.deploy(
        "ssdm_programme_application",
        {**SSDM_FILES, "programme_eligibility.dmn": DMN.replace(b"&lt; 60", b"&lt; 65")},
    )

    assert first.content_hash == reordered.content_hash
    assert first.spec_json == reordered.spec_json
    assert changed.content_hash != first.content_hash
    assert len(first.content_hash) == 64


def test_text_that_is_not_xml_is_refused(engine: ProcessEngine) -> None:
    problems = problems_of(engine, "sample", {"sample.bpmn": b"this is not <xml"})

    assert problems[0].startswith("sample.bpmn is not well-formed XML")


def test_a_doctype_with_entities_is_refused(engine: ProcessEngine) -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        b"<bpmn:definitions xmlns:bpmn='http://www.omg.org/spec/BPMN/20100524/MODEL'>&lol2;</bpmn:definitions>"
    )

    assert problems_of(engine, "sample", {"sample.bpmn": bomb}) == [
        "sample.bpmn declares a DOCTYPE or entities, which are not allowed."
    ]


def test_an_external_entity_in_utf16_is_refused(engine: ProcessEngine) -> None:
    xxe = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'

    problems = problems_of(engine, "sample", {"sample.bpmn": xxe.encode("utf-16")})

    assert "DOCTYPE" in problems[0]


def test_a_file_over_two_megabytes_is_refused(engine: ProcessEngine) -> None:
    padding = b"<!--" + b"x" * (2 * 1024 * 1024) + b"-->"

    problems = problems_of(engine, "sample", {"sample.bpmn": sample_bpmn() + padding})

    assert problems == ["sample.bpmn is larger than 2 MB."]


def test_a_process_id_missing_from_the_files_is_refused(engine: ProcessEngine) -> None:
    problems = problems_of(engine, "elsewhere", {"elsewhere.bpmn": sample_bpmn(process_id="sample")})

    assert problems == ["The process 'elsewhere' is not in the files (found: sample)."]


def test_a_user_task_without_form_key_is_refused(engine: ProcessEngine) -> None:
    problems = problems_of(engine, "sample", {"sample.bpmn": sample_bpmn(user_task_extensions="")})

    assert problems == ["User task 'ask' has no formKey property."]


def test_a_user_task_outside_any_lane_is_refused(engine: ProcessEngine) -> None:
    problems = problems_of(engine, "sample", {"sample.bpmn": sample_bpmn(lane=None)})

    assert problems == ["User task 'ask' is in no lane; every user task needs a lane named after a role."]


def test_a_lane_that_is_not_a_role_id_is_refused(engine: ProcessEngine) -> None:
    problems = problems_of(engine, "sample", {"sample.bpmn": sample_bpmn(lane="Commune assistant")})

    assert problems == ["User task 'ask' is in lane 'Commune assistant', which is not a role id."]


def test_a_condition_using_a_dunder_attribute_is_refused(engine: ProcessEngine) -> None:
    problems = problems_of(
        engine, "sample", {"sample.bpmn": sample_bpmn(condition="greeting.__class__ is str")}
    )

    assert problems == [
        "The condition of 'to_ask' in sample.bpmn uses a double-underscore name or attribute, "
        "which scripts may not use."
    ]


def test_a_script_that_does_not_compile_is_refused(engine: ProcessEngine) -> None:
    problems = problems_of(engine, "sample", {"sample.bpmn": sample_bpmn(script="if greeting")})

    assert len(problems) == 1
    assert problems[0].startswith("The script of 'prepare' in sample.bpmn does not compile")


def test_a_business_rule_task_without_its_decision_file_is_refused(engine: ProcessEngine) -> None:
    problems = problems_of(engine, "ssdm_programme_application", {"ssdm_programme_application.bpmn": BPMN})

    assert "programme_eligibility" in problems[0]
    assert "evaluate_eligibility" in problems[0]


def test_a_bpmn_file_breaking_the_schema_is_refused(engine: ProcessEngine) -> None:
    broken = sample_bpmn().replace(
        b'<bpmn:startEvent id="start">', b'<bpmn:startEvent id="start" colour="red">'
    )

    problems = problems_of(engine, "sample", {"sample.bpmn": broken})

    assert "colour" in problems[0]
    assert "sample.bpmn" in problems[0]


def test_a_decision_entry_starting_with_a_word_is_refused(engine: ProcessEngine) -> None:
    dmn = DMN.replace(b"<text>? in (", b"<text>in (", 1)

    problems = problems_of(
        engine, "ssdm_programme_application", {**SSDM_FILES, "programme_eligibility.dmn": dmn}
    )

    assert problems == [
        "The input entry 'rule_01_programme' in programme_eligibility.dmn starts with a word; "
        "write it with a question mark, e.g. "
        '\'? in ("fp_pregnant_child", "fp_disability", "fp_elderly", "fp_base", "fp_hiv", "scholarship")\'.'
    ]


def test_a_file_that_is_neither_bpmn_nor_dmn_is_refused(engine: ProcessEngine) -> None:
    problems = problems_of(engine, "sample", {"sample.bpmn": sample_bpmn(), "notes.xml": b"<notes/>"})

    assert problems == ["notes.xml is neither a BPMN file (.bpmn) nor a DMN file (.dmn)."]


def test_a_folder_with_a_broken_process_reports_it_by_file(engine: ProcessEngine, tmp_path: Path) -> None:
    (tmp_path / "good.bpmn").write_bytes(sample_bpmn(process_id="good"))
    (tmp_path / "bad.bpmn").write_bytes(sample_bpmn(process_id="bad", user_task_extensions=""))

    with pytest.raises(WorkflowInvalid) as refused:
        engine.read_directory(tmp_path)

    assert refused.value.problems == ["User task 'ask' has no formKey property."]


def test_a_folder_of_valid_processes_deploys_each_under_its_file_name(
    engine: ProcessEngine, tmp_path: Path
) -> None:
    (tmp_path / "first.bpmn").write_bytes(sample_bpmn(process_id="first"))
    (tmp_path / "second.bpmn").write_bytes(sample_bpmn(process_id="second"))

    assert [process.process_id for process in engine.read_directory(tmp_path)] == ["first", "second"]


def test_a_condition_with_an_indented_second_line_is_refused(engine: ProcessEngine) -> None:
    problems = problems_of(engine, "sample", {"sample.bpmn": sample_bpmn(condition="True\n      ")})

    assert problems == [
        "The condition of 'to_ask' in sample.bpmn does not compile: unexpected indent (line 2)."
    ]


def test_a_decision_file_not_named_after_its_decision_is_refused(engine: ProcessEngine) -> None:
    problems = problems_of(
        engine, "ssdm_programme_application", {"ssdm_programme_application.bpmn": BPMN, "rules.dmn": DMN}
    )

    assert problems == [
        "rules.dmn must hold one decision whose id is 'rules' (found: 'programme_eligibility')."
    ]
