"""Random damage to the shipped diagram never crashes the publishing checks: each gives located problems."""

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.publishing_samples import APPLICATION, shipped_files
from webapp.domain.people import ROLES
from webapp.engine.validation import Vocabulary, validate_process
from webapp.services.deadlines.calendars import create_process_engine

ENGINE = create_process_engine()
FILES = shipped_files()
BPMN = FILES[f"{APPLICATION}.bpmn"]
VOCABULARY = Vocabulary(roles=frozenset(ROLES), forms=frozenset(), variables=frozenset())


def _check(bpmn: bytes) -> None:
    found = validate_process(
        APPLICATION, {**FILES, f"{APPLICATION}.bpmn": bpmn}, engine=ENGINE, vocabulary=VOCABULARY
    )
    # With no forms known, even an intact diagram has problems: the property is that it never raises and
    # every problem reads as a sentence with a fix.
    assert found
    for problem in found:
        assert (problem.message % dict(problem.params)).strip()
        assert problem.hint.strip()


@settings(max_examples=150, deadline=None)
@given(start=st.integers(0, len(BPMN) - 1), length=st.integers(1, 400), junk=st.binary(max_size=40))
def test_a_random_slice_replaced_by_random_bytes(start: int, length: int, junk: bytes) -> None:
    _check(BPMN[:start] + junk + BPMN[start + length :])


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=2000))
def test_random_bytes(data: bytes) -> None:
    _check(data)
