"""Business figures kept in the database (the appeal period...), read where letters and rules need them."""

from sqlalchemy.orm import Session

from webapp.domain.registry import BUSINESS_RULE_DEFAULTS, BusinessRule


def business_rule(session: Session, key: str) -> int:
    """The figure's value: the table's row, or the value a new database starts with."""
    row = session.get(BusinessRule, key)
    return row.value if row is not None else BUSINESS_RULE_DEFAULTS[key]
