"""English message ids for the stored codes shown on pages (statuses, outcomes, kinds)."""

from flask_babel import lazy_gettext as _l

DOCUMENT_KIND_LABELS = {
    "family_book": _l("Family book"),
    "birth_certificate": _l("Birth certificate"),
    "id_card": _l("ID card"),
    "other": _l("Other document"),
}
STATUS_LABELS = {
    "open": _l("Open"),
    "closed": _l("Closed"),
    "completed": _l("Completed"),
    "cancelled": _l("Cancelled"),
}
OUTCOME_LABELS = {"approved": _l("Approved"), "rejected": _l("Rejected")}
SEX_LABELS = {"female": _l("Female"), "male": _l("Male")}
EQUITY_CARD_LABELS = {
    "none": _l("No equity card"),
    "poor_1": _l("Poor level 1"),
    "poor_2": _l("Poor level 2"),
    "at_risk": _l("At-risk household"),
}
ID_KIND_LABELS = {"national_id": _l("National ID card"), "family_book": _l("Family book")}
SECTOR_LABELS = {
    "social_affairs": _l("Social affairs"),
    "health": _l("Health"),
    "education": _l("Education"),
    "labour": _l("Labour"),
    "rural_development": _l("Rural development"),
}


def label_globals() -> dict[str, object]:
    return {
        "DOCUMENT_KIND_LABELS": DOCUMENT_KIND_LABELS,
        "STATUS_LABELS": STATUS_LABELS,
        "OUTCOME_LABELS": OUTCOME_LABELS,
        "SEX_LABELS": SEX_LABELS,
        "EQUITY_CARD_LABELS": EQUITY_CARD_LABELS,
        "ID_KIND_LABELS": ID_KIND_LABELS,
        "SECTOR_LABELS": SECTOR_LABELS,
    }
