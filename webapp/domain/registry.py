"""The people Sala serves (the social protection registry), their households, the programmes they apply to.

The registry is the single source of truth about a person (the once-only principle): applications, grievances,
letters and NSSF members point to `Person` rows. Names are kept as typed for display (through
`khmer_names.clean_name`) beside their matching keys (`name_km_key`, `name_latin_key`); identity numbers are
stored in one form (`khmer_names.id_number_key`); every person has a Sala identifier (`spid`, see
`domain.spid`). A registered person is never changed silently: a change is a `PersonChangeRequest` the
district approves, and every state of the record is a `PersonVersion`. Duplicates are merged into a survivor
(`PersonMerge`): the merged record stays, pointing at the survivor through `merged_into_id`.
"""

import json
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.domain.areas import Area
from webapp.domain.base import Base, utcnow
from webapp.domain.khmer_names import clean_name, id_number_key, khmer_key, latin_key, name_tokens
from webapp.domain.messages import N_

SEXES = ("female", "male")
ID_KINDS = ("national_id", "family_book")
EQUITY_CARDS = ("none", "poor_1", "poor_2", "at_risk")
LETTER_LANGUAGES = ("km", "en", "both")  # Khmer unless the person asks otherwise


class Relationship(StrEnum):
    """A member's relationship to the head of their household (as the family record book states it)."""

    HEAD = "head"
    SPOUSE = "spouse"
    CHILD = "child"
    PARENT = "parent"
    SIBLING = "sibling"
    GRANDCHILD = "grandchild"
    GRANDPARENT = "grandparent"
    OTHER_RELATIVE = "other_relative"
    NOT_RELATED = "not_related"


RELATIONSHIPS: dict[str, str] = {
    Relationship.HEAD: N_("Head of household"),
    Relationship.SPOUSE: N_("Spouse"),
    Relationship.CHILD: N_("Child"),
    Relationship.PARENT: N_("Parent"),
    Relationship.SIBLING: N_("Brother or sister"),
    Relationship.GRANDCHILD: N_("Grandchild"),
    Relationship.GRANDPARENT: N_("Grandparent"),
    Relationship.OTHER_RELATIVE: N_("Other relative"),
    Relationship.NOT_RELATED: N_("Not related"),
}


class Person(Base):
    __tablename__ = "person"
    __table_args__ = (
        UniqueConstraint("id_kind", "id_number", name="uq_person_identity"),
        # Trigram indexes on PostgreSQL (pg_trgm, migration 0016) serve the name search; plain on SQLite.
        Index(
            "ix_person_name_km_key_trgm",
            "name_km_key",
            postgresql_using="gin",
            postgresql_ops={"name_km_key": "gin_trgm_ops"},
        ),
        Index(
            "ix_person_name_latin_key_trgm",
            "name_latin_key",
            postgresql_using="gin",
            postgresql_ops={"name_latin_key": "gin_trgm_ops"},
        ),
        Index("ix_person_id_number", "id_number"),
        Index("ix_person_family_book_number", "family_book_number"),
        Index("ix_person_village_created", "village_code", "created_at"),  # an area's monthly registrations
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    spid: Mapped[str] = mapped_column(String(12), unique=True)  # see domain.spid
    name_km: Mapped[str] = mapped_column(String(120))  # as typed, through clean_name
    name_latin: Mapped[str] = mapped_column(String(120), index=True)  # as typed, through clean_name
    name_km_key: Mapped[str] = mapped_column(String(160), default="", server_default="")
    name_latin_key: Mapped[str] = mapped_column(String(160), default="", server_default="")
    sex: Mapped[str] = mapped_column(String(6))
    date_of_birth: Mapped[date] = mapped_column(Date)
    id_kind: Mapped[str] = mapped_column(String(20))
    id_number: Mapped[str] = mapped_column(String(40))  # through id_number_key
    family_book_number: Mapped[str | None] = mapped_column(String(40))  # through id_number_key
    village_code: Mapped[str] = mapped_column(ForeignKey("area.code"), index=True)
    occupation: Mapped[str | None] = mapped_column(String(80))
    equity_card: Mapped[str] = mapped_column(String(10))  # EQUITY_CARDS: IDPoor level or at-risk
    disability: Mapped[bool] = mapped_column(Boolean, default=False)
    phone: Mapped[str | None] = mapped_column(String(20))
    letter_language: Mapped[str] = mapped_column(String(4), default="km", server_default="km")
    # The version number of the record (PersonVersion.version of its current state).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # Set when this record was merged into another as a duplicate: the survivor is the person.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    village: Mapped[Area] = relationship(lazy="joined")
    membership: Mapped["HouseholdMember | None"] = relationship(back_populates="person", uselist=False)

    def age_on(self, day: date) -> int:
        before_birthday = (day.month, day.day) < (self.date_of_birth.month, self.date_of_birth.day)
        return day.year - self.date_of_birth.year - before_birthday

    def set_names(self, *, name_km: str, name_latin: str) -> None:
        """The display spellings (cleaned) and their matching keys, always together."""
        self.name_km = clean_name(name_km)
        self.name_latin = clean_name(name_latin)
        self.name_km_key = khmer_key(self.name_km)
        self.name_latin_key = latin_key(self.name_latin)


# Tokens compare as code points (the C collation on PostgreSQL), so that "starts with" is a btree range in any
# database collation; SQLite compares bytes already.
TOKEN_TYPE = String(160).with_variant(String(160, collation="C"), "postgresql")


class PersonNameToken(Base):
    """One word of a live person's names as the people search looks it up (`khmer_names.name_tokens`: the
    folded Khmer words, the whole Khmer key, the Latin key's words) beside the person's village, so that a
    search is btree lookups of words (equal, or starting with the typed word) inside the reader's area.
    Merged records have none. `services.casework.people.index_names` keeps the rows in step with the person.
    """

    __tablename__ = "person_name_token"
    __table_args__ = (
        PrimaryKeyConstraint("token", "village_code", "person_id", name="pk_person_name_token"),
        Index("ix_person_name_token_person", "person_id"),
    )

    token: Mapped[str] = mapped_column(TOKEN_TYPE)
    village_code: Mapped[str] = mapped_column(String(8))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))


def token_rows(person: Person) -> list[dict[str, Any]]:
    """The PersonNameToken rows `person` should have (none once merged)."""
    if person.merged_into_id is not None:
        return []
    return [
        {"token": token, "village_code": person.village_code, "person_id": person.id}
        for token in name_tokens(person.name_km, person.name_latin)
    ]


# The fields a change request may change, with their message ids (the history and the request show them).
CHANGEABLE_FIELDS: dict[str, str] = {
    "name_km": N_("Name in Khmer"),
    "name_latin": N_("Name in Latin letters"),
    "sex": N_("Sex"),
    "date_of_birth": N_("Date of birth"),
    "id_kind": N_("Kind of ID"),
    "id_number": N_("ID number"),
    "family_book_number": N_("Family book number"),
    "village_code": N_("Village"),
    "occupation": N_("Occupation"),
    "equity_card": N_("Equity card"),
    "disability": N_("Disability"),
    "phone": N_("Phone"),
    "letter_language": N_("Language of letters"),
    "household_id": N_("Household"),
}


def field_value(person: Person, field: str) -> Any:
    """A changeable field's value in JSON form (dates as ISO strings; the household as its id)."""
    if field == "household_id":
        return person.membership.household_id if person.membership is not None else None
    value = getattr(person, field)
    return value.isoformat() if isinstance(value, date) else value


def person_snapshot(person: Person) -> dict[str, Any]:
    """Every changeable field of `person`, JSON-ready: what a PersonVersion keeps."""
    return {field: field_value(person, field) for field in CHANGEABLE_FIELDS}


def normalise_field(field: str, value: Any) -> Any:
    """A proposed value in the form the registry stores (names cleaned, numbers in one form)."""
    if value is None:
        return None
    if field in ("name_km", "name_latin"):
        return clean_name(str(value))
    if field in ("occupation", "phone"):
        return clean_name(str(value)) or None
    if field in ("id_number", "family_book_number"):
        return id_number_key(str(value)) or None
    if field == "date_of_birth":
        return value.isoformat() if isinstance(value, date) else str(value)
    return value


def differences(person: Person, proposed: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(before, after) of the changeable fields where `proposed` differs from `person`; names compare by key,
    so a look-alike spelling of the same name is no change."""
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for field, raw in proposed.items():
        if field not in CHANGEABLE_FIELDS:
            continue
        value = normalise_field(field, raw)
        current = field_value(person, field)
        if field == "name_km" and khmer_key(value or "") == person.name_km_key:
            continue
        if field == "name_latin" and latin_key(value or "") == person.name_latin_key:
            continue
        if value != current:
            before[field] = current
            after[field] = value
    return before, after


class Household(Base):
    """A household as its family record book lists it: members with their relationship to the head."""

    __tablename__ = "household"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    village_code: Mapped[str] = mapped_column(ForeignKey("area.code"), index=True)
    family_book_number: Mapped[str | None] = mapped_column(String(40), index=True)  # through id_number_key
    head_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    village: Mapped[Area] = relationship(lazy="joined")
    head: Mapped[Person | None] = relationship(foreign_keys=[head_id])
    members: Mapped[list["HouseholdMember"]] = relationship(
        back_populates="household", order_by="HouseholdMember.id"
    )


class HouseholdMember(Base):
    """A person's place in one household (a person belongs to one household at a time)."""

    __tablename__ = "household_member"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), unique=True)
    relationship_to_head: Mapped[str] = mapped_column(String(20))  # Relationship
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)

    household: Mapped[Household] = relationship(back_populates="members")
    person: Mapped[Person] = relationship(back_populates="membership")


class PersonVersion(Base):
    """One state of a person's record: version 1 at registration, one more per approved change or merge."""

    __tablename__ = "person_version"
    __table_args__ = (UniqueConstraint("person_id", "version", name="uq_person_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    data_json: Mapped[str] = mapped_column(Text)  # person_snapshot
    reason: Mapped[str] = mapped_column(Text, default="")
    change_request_id: Mapped[int | None] = mapped_column(ForeignKey("person_change_request.id"))
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def data(self) -> dict[str, Any]:
        return dict(json.loads(self.data_json))


class ChangeStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


CHANGE_STATUSES: dict[str, str] = {
    ChangeStatus.PENDING: N_("Waiting for the district"),
    ChangeStatus.APPROVED: N_("Approved"),
    ChangeStatus.REFUSED: N_("Refused"),
}


class PersonChangeRequest(Base):
    """A proposed change to a registered person: the fields before and after, who asks and why. The district
    (SSDM assistant or supervisor of the person's district) approves or refuses it; nothing changes before."""

    __tablename__ = "person_change_request"
    __table_args__ = (Index("ix_person_change_request_status", "status", "requested_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    before_json: Mapped[str] = mapped_column(Text)
    after_json: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(60))  # what raised it: a case reference, say
    status: Mapped[str] = mapped_column(String(10), default=ChangeStatus.PENDING)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str | None] = mapped_column(Text)

    person: Mapped[Person] = relationship()

    @property
    def before(self) -> dict[str, Any]:
        return dict(json.loads(self.before_json))

    @property
    def after(self) -> dict[str, Any]:
        return dict(json.loads(self.after_json))


def propose_change(
    person: Person,
    proposed: dict[str, Any],
    *,
    reason: str,
    requested_by_id: int | None,
    source: str | None = None,
) -> PersonChangeRequest | None:
    """A pending change request for the fields of `proposed` that differ from `person`, or None when nothing
    differs. The caller adds it to the session; the person is not touched."""
    before, after = differences(person, proposed)
    if not after:
        return None
    return PersonChangeRequest(
        person_id=person.id,
        before_json=json.dumps(before, ensure_ascii=False, sort_keys=True),
        after_json=json.dumps(after, ensure_ascii=False, sort_keys=True),
        reason=reason,
        source=source,
        status=ChangeStatus.PENDING,
        requested_by_id=requested_by_id,
    )


class PersonDistinct(Base):
    """Two records the duplicate review showed together that an officer found to be two different people:
    the review does not show the pair again. `first_id` is the smaller id."""

    __tablename__ = "person_distinct"
    __table_args__ = (UniqueConstraint("first_id", "second_id", name="uq_person_distinct_pair"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    first_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    second_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)


class PersonMerge(Base):
    """Two records found to be one person: `merged_id` was folded into `survivor_id`, and what moved."""

    __tablename__ = "person_merge"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    survivor_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    merged_id: Mapped[int] = mapped_column(ForeignKey("person.id"), unique=True)
    reason: Mapped[str] = mapped_column(Text)
    moved_json: Mapped[str] = mapped_column(Text)  # {"cases": [ids], "grievances": [ids], ...}
    merged_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    merged_at: Mapped[datetime] = mapped_column(default=utcnow)

    survivor: Mapped[Person] = relationship(foreign_keys=[survivor_id])
    merged: Mapped[Person] = relationship(foreign_keys=[merged_id])


@dataclass(frozen=True)
class ProgrammeInfo:
    code: str
    name: str  # English message id
    sector: str
    family: str  # English message id of the group it belongs to
    rule: str  # English message id summarising who is eligible
    monthly_benefit_khr: int | None = None  # printed on approval letters; None prints no amount


class Programme(Base):
    __tablename__ = "programme"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    sector: Mapped[str] = mapped_column(String(30))
    family: Mapped[str] = mapped_column(String(80))
    rule: Mapped[str] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    monthly_benefit_khr: Mapped[int | None] = mapped_column(Integer)

    applications = relationship("Case", back_populates="programme")


class BusinessRule(Base):
    """A business figure administrators may change without a developer (the appeal period, say)."""

    __tablename__ = "business_rule"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


# The figures and their values when a database is created; the table is the truth afterwards.
APPEAL_DAYS = "appeal_days"
BUSINESS_RULE_DEFAULTS = {APPEAL_DAYS: 30}
