"""Business figures kept in the database (the appeal period...), read where letters and rules need them."""

from typing import Any

from sqlalchemy.orm import Session

from webapp.domain.registry import BUSINESS_RULE_DEFAULTS, BusinessRule
from webapp.domain.sla import RULES_STAMP
from webapp.services.platform.reference_stamp import stamp_counters

# Per figure: the "rules" stamp it was read under and its value. Any write of business_rule moves the stamp
# (migration 0034) in the writing transaction, so every process reads an edited figure at its next use.
_KEPT: dict[str, tuple[Any, int]] = {}


def business_rule(session: Session, key: str) -> int:
    """The figure's value: the table's row, or the value a new database starts with; kept per process while
    the "rules" stamp read in this transaction holds."""
    stamp = stamp_counters(session)[RULES_STAMP]
    kept = _KEPT.get(key)
    if kept is not None and kept[0] == stamp:
        return kept[1]
    row = session.get(BusinessRule, key)
    value = row.value if row is not None else BUSINESS_RULE_DEFAULTS[key]
    _KEPT[key] = (stamp, value)
    return value
