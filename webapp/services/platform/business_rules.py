"""Business figures kept in the database (the appeal period...), read where letters and rules need them."""

from sqlalchemy.orm import Session

from webapp.domain.registry import BUSINESS_RULE_DEFAULTS, BusinessRule
from webapp.domain.sla import RULES_STAMP
from webapp.services.platform.kept_rows import KeptRows

# Any write of business_rule moves the "rules" stamp (migration 0034) in the writing transaction, so every
# process reads an edited figure at its next use.
_RULES = KeptRows(BusinessRule, RULES_STAMP)


def business_rule(session: Session, key: str) -> int:
    """The figure's value: the table's row, or the value a new database starts with."""
    row = _RULES.get(session, key)
    return row.value if row is not None else BUSINESS_RULE_DEFAULTS[key]
