"""The application's letters: the notice of receipt at intake, the result at the close, the card on approval.

Each is queued for the worker (correspondence.queue_letter) and rendered once the request has committed.
"""

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from webapp.domain.cases import Case, Outcome
from webapp.domain.clock import local_today
from webapp.domain.people import User
from webapp.domain.registry import APPEAL_DAYS
from webapp.services.correspondence.letters import as_date, queue_letter
from webapp.services.platform.business_rules import business_rule

APPROVED = Outcome.APPROVED


def queue_received_letter(session: Session, *, case: Case, actor: User, today: date, documents: int) -> None:
    """The notice the commune hands out when it opens an application."""
    fields = {"programme": case.programme.name, "received_on": today, "documents": documents}
    queue_letter(session, case=case, key="application_received", fields=fields, actor=actor, today=today)


def queue_result_letters(session: Session, case: Case, data: Mapping[str, Any], actor: User | None) -> None:
    """The family's close hook: the result letter, and the new member's card with an approval."""
    today = local_today()
    programme = case.programme
    with session.no_autoflush:  # a figure read: the closing step is written by the step's one flush
        appeal_days = business_rule(session, APPEAL_DAYS)
    fields = {
        "outcome": case.outcome,
        "programme": programme.name,
        "rule": programme.rule,
        "reason": case.outcome_reason or "",
        "benefit_start": as_date(data.get("benefit_start")),
        "amount_khr": programme.monthly_benefit_khr,
        "appeal_days": appeal_days,
    }
    queue_letter(session, case=case, key="application_result", fields=fields, actor=actor, today=today)
    if case.outcome == APPROVED:
        card = {"programme": programme.name, "member_since": today}
        queue_letter(session, case=case, key="membership_card", fields=card, actor=actor, today=today)
