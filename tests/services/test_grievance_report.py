"""The monthly grievance report: received by channel and category, decided per level, pending, breach, SLA."""

from datetime import date, datetime

from sqlalchemy import select

from tests.factories import TODAY, user, work
from tests.services.test_grievances import MAX, intake
from webapp.domain.areas import AreaLevel
from webapp.domain.cases import Case
from webapp.domain.clock import local_date
from webapp.domain.sla import WorkflowTimer
from webapp.services.deadlines.sweeps import fire_case_timers
from webapp.services.grievances.intake import record_grievance
from webapp.services.grievances.report import monthly_report, report_csv


def recorded(session, engine, username, **overrides):
    return record_grievance(
        session,
        engine=engine,
        actor=user(session, username),
        intake=intake(**overrides),
        today=TODAY,
        max_upload_bytes=MAX,
    ).grievance


def test_the_report_counts_each_grievance_where_it_belongs(session, process_engine):
    decided = recorded(session, process_engine, "ca.charchhuk")
    work(
        session,
        process_engine,
        session.get(Case, decided.case_id),
        "ca.charchhuk",
        level1_action="resolve",
        decision="upheld",
        decision_reason="Paid at the next round.",
    )
    recorded(session, process_engine, "vdc.dounpeng", area_code="17010201", category="service_quality")
    late = recorded(session, process_engine, "iso.ac")
    [timer] = session.scalars(select(WorkflowTimer).where(WorkflowTimer.case_id == late.case_id)).all()
    fire_case_timers(session, engine=process_engine, case=session.get(Case, late.case_id), now=timer.due_at)
    recorded(session, process_engine, "ca.chrouy", area_code="17120101")

    month = local_date(decided.received_at).replace(day=1)  # received now: this month in Cambodia
    ac_user = user(session, "sup.ac")
    [angkor_chum] = monthly_report(session, user=ac_user, month=month, level=AreaLevel.DISTRICT)
    assert angkor_chum.area_code == "1701" and angkor_chum.received == 3
    assert angkor_chum.by_channel["commune"] == 1 and angkor_chum.by_channel["village"] == 1
    assert angkor_chum.by_channel["district"] == 1
    assert angkor_chum.by_category["service_quality"] == 1
    assert (angkor_chum.resolved_level_1, angkor_chum.resolved_level_2, angkor_chum.pending) == (1, 0, 2)
    assert angkor_chum.escalated_by_breach == 1 and angkor_chum.within_sla == 1
    assert angkor_chum.median_days == 0

    per_commune = monthly_report(session, user=ac_user, month=month, level=AreaLevel.COMMUNE)
    assert [row.area_code for row in per_commune] == ["170101", "170102"]
    everything = monthly_report(session, user=user(session, "admin"), month=month, level=AreaLevel.PROVINCE)
    assert [(row.area_code, row.received) for row in everything] == [("17", 4)]
    text = report_csv(per_commune)
    assert text.splitlines()[0].startswith("area_code,area,received,channel_village")
    assert "Sok" not in text


def test_another_month_is_empty(session, process_engine):
    recorded(session, process_engine, "ca.charchhuk")
    assert monthly_report(session, user=user(session, "admin"), month=date(2020, 1, 1)) == []


def test_months_are_cambodian_months_not_utc_ones(session, process_engine):
    grievance = recorded(session, process_engine, "ca.charchhuk")
    grievance.received_at = datetime(2026, 10, 31, 20, 0)  # 1 November, 03:00 in Phnom Penh
    session.flush()
    reader = user(session, "sup.ac")
    [november] = monthly_report(session, user=reader, month=date(2026, 11, 1), level=AreaLevel.DISTRICT)
    assert november.received == 1
    october = monthly_report(session, user=reader, month=date(2026, 10, 1), level=AreaLevel.DISTRICT)
    assert sum(row.received for row in october) == 0
