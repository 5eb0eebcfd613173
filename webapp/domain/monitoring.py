"""Totals the SSDM monitoring report reads instead of counting all history: the registered population and
the people each programme serves, by area and by the Cambodian month in which they entered the count.

One row per (area, programme, month) at each level of the gazetteer (province, district, commune and
village codes side by side, `digits` telling which), so a report of the nation sums one row per province
and month, a report of a commune one row per village and month. `programme_code` is empty for the
population. Kept in the transaction that changes a person or approves an application
(services/casework/kept_totals.py), backfilled by migration 0030; a test recounts them.
"""

from datetime import date

from sqlalchemy import Date, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from webapp.domain.base import Base

POPULATION = ""  # the programme_code of the registered population's rows
LEVEL_DIGITS = (2, 4, 6, 8)  # province, district, commune, village


class MonitoringTotal(Base):
    __tablename__ = "monitoring_total"
    __table_args__ = (Index("ix_monitoring_total_level", "digits", "programme_code", "area_code", "month"),)

    area_code: Mapped[str] = mapped_column(String(8), primary_key=True)
    programme_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)  # first day of the month in Cambodia
    digits: Mapped[int] = mapped_column(Integer)  # len(area_code)
    count: Mapped[int] = mapped_column(Integer, default=0)
