"""What the officers deciding an application see beside the form: the eligibility result with the rule's
reason, and the household facts the commune recorded at intake."""

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.domain.cases import Case
from webapp.domain.history import CaseEvent
from webapp.domain.messages import N_
from webapp.domain.tasks import COMPLETED, Task
from webapp.services.applications.progress import ELIGIBILITY_EVENT
from webapp.services.casework.families import Fact

INTAKE_STEP = "intake"
EQUITY_CARDS = {
    "none": N_("No equity card"),
    "poor_1": N_("Poor level 1"),
    "poor_2": N_("Poor level 2"),
    "at_risk": N_("At-risk household"),
}
# The intake's facts in the order a decider reads them: field, label (the form's), how it is shown.
HOUSEHOLD_FACTS = (
    ("household_size", N_("People in the household"), "number"),
    ("age", N_("Age of the applicant"), "number"),
    ("equity_card", N_("Equity card"), "message"),
    ("disability", N_("The applicant has a disability"), "yes_no"),
    ("pregnant", N_("The applicant is pregnant"), "yes_no"),
    ("living_with_hiv", N_("The applicant lives with HIV"), "yes_no"),
    ("enrolled_in_school", N_("The applicant is enrolled in school"), "yes_no"),
)


def decision_context(session: Session, case: Case) -> list[Fact]:
    """The family's decision hook: eligibility first (the headline), then the household."""
    return _eligibility(session, case) + _household(session, case)


def _eligibility(session: Session, case: Case) -> list[Fact]:
    after = session.scalar(
        select(CaseEvent.after_json)
        .where(CaseEvent.case_id == case.id, CaseEvent.kind == ELIGIBILITY_EVENT)
        .order_by(CaseEvent.at.desc(), CaseEvent.id.desc())
        .limit(1)
    )
    if after is None:
        return []
    decided = json.loads(after or "{}")
    verdict = N_("Eligible") if decided.get("eligible") else N_("Not eligible")
    facts = [Fact(N_("Eligibility"), verdict, "message", headline=True)]
    if decided.get("reason"):
        facts.append(Fact(N_("The rule's reason"), str(decided["reason"]), "message", headline=True))
    return facts


def _household(session: Session, case: Case) -> list[Fact]:
    submitted = session.scalar(
        select(Task.submitted_json)
        .where(Task.case_id == case.id, Task.spec_name == INTAKE_STEP, Task.status == COMPLETED)
        .order_by(Task.completed_at.desc(), Task.id.desc())
        .limit(1)
    )
    facts: dict[str, Any] = json.loads(submitted or "{}")
    shown = []
    for field, label, kind in HOUSEHOLD_FACTS:
        if field not in facts:
            continue
        value = facts[field]
        if field == "equity_card":
            value = EQUITY_CARDS.get(str(value), str(value))
        shown.append(Fact(label, value, kind))
    return shown
