"""The use a person makes of a programme once enrolled: from when to when, and how much (days worked in a
public works programme, school days fed), as the family folder shows it."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.domain.base import Base, utcnow
from webapp.domain.messages import N_
from webapp.domain.registry import Person, Programme

# Programmes whose use is counted in days: what the days mean for each (the form's label).
COUNTED_DAYS = {
    "public_works": N_("Days worked"),
    "school_feeding": N_("School days with a meal"),
}
MAX_NOTE = 500


class ProgrammeUse(Base):
    """One period of a person's use of a programme, recorded by an officer."""

    __tablename__ = "programme_use"
    __table_args__ = (
        Index("ix_programme_use_person", "person_id", "start_date"),
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="period"),
        CheckConstraint("days IS NULL OR days >= 0", name="days"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    programme_code: Mapped[str] = mapped_column(ForeignKey("programme.code"), index=True)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    days: Mapped[int | None] = mapped_column(Integer)  # COUNTED_DAYS programmes only
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[Person] = relationship()
    programme: Mapped[Programme] = relationship(lazy="joined")


# The application outcomes as the registry reads them: an approval enrols the person in the programme.
APPLICATION_APPROVED = "approved"
APPLICATION_REJECTED = "rejected"
