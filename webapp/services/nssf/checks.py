"""The checks an NSSF case waits on, run by the worker and never inside a request: the business registry for
an enterprise, the national ID service for declared members (fifty at a time), and the registry of
enterprises at a compliance notice's deadline. Each answer moves the case on from its wait; a service that
fails or times out answers "verify by hand", and a check that never answers lets the wait's time limit pass,
so a case neither sticks nor fails."""

import json
from collections import Counter
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from webapp.domain.areas import within
from webapp.domain.base import utcnow
from webapp.domain.cases import Case
from webapp.domain.jobs import Job
from webapp.domain.nssf import Enterprise, EnterpriseStatus, Member
from webapp.domain.registry import Person
from webapp.services.casework.events import record_event
from webapp.services.casework.waits import answer_wait, waits_at
from webapp.services.deadlines.sweeps import worker_engine
from webapp.services.nssf.adapters import NationalIdCheck, ServiceUnavailable, national_id_check
from webapp.services.nssf.compliance import finding_of
from webapp.services.nssf.enterprises import enterprise_of, verify_registration
from webapp.services.platform.jobs import WorkerContext, enqueue

REGISTRY_WAIT, ID_WAIT, COMPLIANCE_WAIT = "await_registry", "await_id_check", "await_compliance_check"
VERIFY_ENTERPRISE_JOB = "nssf_verify_enterprise"
VERIFY_MEMBERS_JOB = "nssf_verify_members"
CHECK_COMPLIANCE_JOB = "nssf_check_compliance"
JOB_OF_WAIT = {
    REGISTRY_WAIT: VERIFY_ENTERPRISE_JOB,
    ID_WAIT: VERIFY_MEMBERS_JOB,
    COMPLIANCE_WAIT: CHECK_COMPLIANCE_JOB,
}
# IDs checked between two commits of a long list: even at the service's slowest (an answer just inside its
# 3-second timeout) a chunk ends, and renews the job's lease, well inside the 10-minute lease.
ID_CHUNK = 50
UNCHECKED = ""  # a member's id_check before the worker has asked
REGISTRATION_FINDING = "unregistered"  # the one finding Sala can check by itself, in its own registry


def request_checks(session: Session, case: Case) -> None:
    """After each step: a case that has come to one of the family's waits gets its check, once per wait."""
    for step, kind in JOB_OF_WAIT.items():
        wait_id = waits_at(session, case, step)
        if wait_id is None:
            continue
        payload = {"case_id": case.id, "wait": wait_id}
        sent = session.scalar(
            select(Job.id).where(
                Job.kind == kind, Job.payload_json == json.dumps(payload, ensure_ascii=False)
            )
        )
        if sent is None:
            enqueue(session, kind=kind, payload=payload)


def check_now(session: Session, case: Case) -> None:
    """Runs at once, in this transaction, the checks the case waits on (the demo data's own cases); the
    queued jobs then find nothing left to answer."""
    context = WorkerContext("check-now")
    for step, kind in JOB_OF_WAIT.items():
        wait_id = waits_at(session, case, step)
        if wait_id is not None:
            JOBS[kind](session, {"case_id": case.id, "wait": wait_id}, context)


def _waiting_case(session: Session, payload: Mapping[str, Any], step: str) -> Case | None:
    case = session.get(Case, int(payload["case_id"]))
    return case if case is not None and waits_at(session, case, step) == payload.get("wait") else None


def verify_enterprise(session: Session, payload: Mapping[str, Any], context: WorkerContext) -> dict[str, Any]:
    """Job: the business registry's answer about the applying enterprise (the registry's source is kept)."""
    case = _waiting_case(session, payload, REGISTRY_WAIT)
    enterprise = enterprise_of(session, case) if case is not None else None
    if case is None or enterprise is None:
        return {"answered": False}
    status, facts = verify_registration(enterprise.registration_number or "")
    if status == "found":
        enterprise.registration_source = facts["registry_source"]
    record_event(session, case=case, kind="registry_checked", actor=None, after={"result": status, **facts})
    engine = worker_engine(session, context, utcnow())
    answered = answer_wait(
        session, engine=engine, case=case, step=REGISTRY_WAIT, data={"registry_status": status}
    )
    return {"result": status, "answered": answered}


def verify_members(session: Session, payload: Mapping[str, Any], context: WorkerContext) -> dict[str, Any]:
    """Job: every declared ID number asked of the national ID service, a chunk between two commits (a job
    taken again after its worker stopped carries on where it was); once the service fails, the rest are
    left to the officer's check by hand."""
    case = _waiting_case(session, payload, ID_WAIT)
    if case is None:
        return {"answered": False}
    checker: NationalIdCheck | None = national_id_check()
    while rows := _unchecked(session, case):
        results, checker = _check_chunk(rows, checker)
        session.execute(update(Member), [{"id": key, "id_check": value} for key, value in results.items()])
        context.checkpoint({"checked": len(rows)})
        case = session.get(Case, int(payload["case_id"]))
        assert case is not None
    counts = Counter(session.scalars(select(Member.id_check).where(Member.case_id == case.id)).all())
    unverified = any(result != "confirmed" for result in counts)
    record_event(session, case=case, kind="ids_checked", actor=None, after=dict(counts))
    engine = worker_engine(session, context, utcnow())
    answered = answer_wait(
        session, engine=engine, case=case, step=ID_WAIT, data={"ids_unverified": unverified}
    )
    return {"checked": dict(counts), "answered": answered}


def _unchecked(session: Session, case: Case) -> list[tuple[int, str, str]]:
    return [
        (member_id, id_number, name_latin)
        for member_id, id_number, name_latin in session.execute(
            select(Member.id, Person.id_number, Person.name_latin)
            .join(Person, Person.id == Member.person_id)
            .where(Member.case_id == case.id, Member.id_check == UNCHECKED)
            .order_by(Member.id)
            .limit(ID_CHUNK)
        )
    ]


def _check_chunk(
    rows: list[tuple[int, str, str]], checker: NationalIdCheck | None
) -> tuple[dict[int, str], NationalIdCheck | None]:
    """confirmed, mismatch or unknown per member; by_hand for every one once the service has failed."""
    results: dict[int, str] = {}
    for member_id, id_number, name_latin in rows:
        if checker is None:
            results[member_id] = "by_hand"
            continue
        try:
            found = checker.lookup(id_number or "")
        except ServiceUnavailable:
            checker, results[member_id] = None, "by_hand"
            continue
        if found is None:
            results[member_id] = "unknown"
        else:
            same = found.name_latin.casefold() == name_latin.casefold()
            results[member_id] = "confirmed" if same else "mismatch"
    return results, checker


def check_compliance(session: Session, payload: Mapping[str, Any], context: WorkerContext) -> dict[str, Any]:
    """Job at a notice's deadline: an unregistered enterprise that has registered since complies. Other
    findings (contributions, workers declared) Sala cannot check, so the inspector does."""
    case = _waiting_case(session, payload, COMPLIANCE_WAIT)
    finding = finding_of(session, case) if case is not None else None
    if case is None or finding is None:
        return {"answered": False}
    found = _registered(session, finding.enterprise) if finding.finding == REGISTRATION_FINDING else None
    registered = found is not None
    after = {"registered": registered, "employer_number": found.employer_number if found else ""}
    record_event(session, case=case, kind="registration_checked", actor=None, after=after)
    engine = worker_engine(session, context, utcnow())
    answered = answer_wait(
        session, engine=engine, case=case, step=COMPLIANCE_WAIT, data={"registered": registered}
    )
    return {"registered": registered, "answered": answered}


def _registered(session: Session, enterprise: Enterprise) -> Enterprise | None:
    """The enterprise found unregistered, now registered: itself, or the registration it applied for since
    (the same business registration number, or the same name in the same commune)."""
    if enterprise.status == EnterpriseStatus.REGISTERED and enterprise.employer_number:
        return enterprise
    same = [
        func.lower(Enterprise.name_latin) == enterprise.name_latin.strip().lower(),
        Enterprise.name_km == enterprise.name_km.strip(),
    ]
    if enterprise.registration_number:
        same.append(Enterprise.registration_number == enterprise.registration_number)
    return session.scalar(
        select(Enterprise)
        .where(
            Enterprise.status == EnterpriseStatus.REGISTERED,
            Enterprise.employer_number.is_not(None),
            within(Enterprise.area_code, enterprise.area_code[:6]),
            or_(*same),
        )
        .order_by(Enterprise.id)
        .limit(1)
    )


JOBS = {
    VERIFY_ENTERPRISE_JOB: verify_enterprise,
    VERIFY_MEMBERS_JOB: verify_members,
    CHECK_COMPLIANCE_JOB: check_compliance,
}
