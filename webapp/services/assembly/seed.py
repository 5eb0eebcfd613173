"""Demo data for the SSDM pilot districts of Siem Reap: programmes, one account per role and area, and a few
applications at different steps so every inbox has work in it."""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from webapp.domain.areas import Area, AreaLevel
from webapp.domain.base import utcnow
from webapp.domain.cases import Case
from webapp.domain.catalogue import PROGRAMMES
from webapp.domain.people import RoleName, User
from webapp.domain.registry import Person, Programme
from webapp.domain.tasks import OPEN, Task
from webapp.engine import ProcessEngine
from webapp.services.applications.intake import Applicant, Household, open_application
from webapp.services.casework.documents import Upload
from webapp.services.casework.tasks import claim_task, submit_task
from webapp.services.correspondence.batches import enqueue_batch
from webapp.services.grievances.committees import record_decision, schedule_meeting
from webapp.services.grievances.intake import GrievanceIntake, record_grievance
from webapp.services.nssf.adapters.fake import fake_business_registry
from webapp.services.nssf.checks import check_now
from webapp.services.nssf.enterprises import EnterpriseApplication, apply_at_office, apply_online
from webapp.services.platform.auth import hash_password

DEMO_PASSWORD = "sala-demo"  # noqa: S105 - documented demo accounts, listed in the README


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: str
    area_code: str | None


# The named process owner of the demo: a supervisor who publishes what others propose.
PROCESS_OWNER = "sup.ac"
# Angkor Chum (1701) and Srei Snam (1712), the SSDM pilot districts of Siem Reap.
_DISTRICT_STAFF = (
    ("ssdm", RoleName.DISTRICT_SSDM_ASSISTANT),
    ("iso", RoleName.INTER_SECTOR_OFFICER),
    ("bo.social", RoleName.BACK_OFFICE_SOCIAL_AFFAIRS),
    ("bo.health", RoleName.BACK_OFFICE_HEALTH),
    ("bo.education", RoleName.BACK_OFFICE_EDUCATION),
    ("bo.labour", RoleName.BACK_OFFICE_LABOUR),
    ("bo.rural", RoleName.BACK_OFFICE_RURAL_DEVELOPMENT),
    ("sup", RoleName.DISTRICT_SUPERVISOR),
)
_DISTRICTS = (("ac", "1701"), ("ss", "1712"))
_COMMUNES = (
    ("charchhuk", "170101", "17010101"),
    ("dounpeng", "170102", "17010201"),
    ("chrouy", "171201", "17120101"),
    ("klanghay", "171202", "17120201"),
)
# Every demo officer gets a name of their own: family names and given names paired so that no pair repeats
# (11 and 12 have no common factor, so the first 132 pairs are all different). A display name is a proper
# name written once, in Khmer script (the romanisation beside each is for the reader of this file).
_FAMILY_NAMES = (
    ("Sok", "សុខ"),
    ("Chan", "ចាន់"),
    ("Keo", "កែវ"),
    ("Heng", "ហេង"),
    ("Lim", "លឹម"),
    ("Pich", "ពេជ្រ"),
    ("Mao", "ម៉ៅ"),
    ("Nhem", "ញ៉ែម"),
    ("Ouk", "អ៊ុក"),
    ("Tep", "ទេព"),
    ("Yim", "យឹម"),
)
_GIVEN_NAMES = (
    ("Dara", "ដារ៉ា"),
    ("Sophea", "សុភា"),
    ("Vanna", "វណ្ណា"),
    ("Mom", "មុំ"),
    ("Rithy", "ឫទ្ធី"),
    ("Sokha", "សុខា"),
    ("Sreyneang", "ស្រីនាង"),
    ("Sambath", "សម្បត្តិ"),
    ("Chantha", "ចន្ថា"),
    ("Bopha", "បុប្ផា"),
    ("Sovann", "សុវណ្ណ"),
    ("Kanha", "កញ្ញា"),
)


def _officer_names() -> Iterator[str]:
    for number in range(len(_FAMILY_NAMES) * len(_GIVEN_NAMES)):
        family_km = _FAMILY_NAMES[number % len(_FAMILY_NAMES)][1]
        given_km = _GIVEN_NAMES[number % len(_GIVEN_NAMES)][1]
        yield f"{family_km} {given_km}"


def demo_users() -> list[DemoUser]:
    users = [DemoUser("admin", "សំ វិចិត្រ", RoleName.ADMINISTRATOR, None)]  # Sam Vichet
    names = _officer_names()
    for suffix, district in _DISTRICTS:
        users += [
            DemoUser(f"{prefix}.{suffix}", next(names), role, district) for prefix, role in _DISTRICT_STAFF
        ]
    for commune_name, commune, village in _COMMUNES:
        users.append(DemoUser(f"ca.{commune_name}", next(names), RoleName.COMMUNE_ASSISTANT, commune))
        users.append(DemoUser(f"vdc.{commune_name}", next(names), RoleName.VDC_MEMBER, village))
    return users + _grievance_users(names) + _nssf_users(names)


def _grievance_users(names: Iterator[str]) -> list[DemoUser]:
    """Committee secretaries of both districts, and the province, hotline, NSSF and regulator officers."""
    users = [
        DemoUser(f"{prefix}.{suffix}", next(names), role, district)
        for suffix, district in _DISTRICTS
        for prefix, role in (("cwcc", RoleName.CWCC_SECRETARY), ("tcc", RoleName.TCC_SECRETARY))
    ]
    return [
        *users,
        DemoUser("esa.siemreap", next(names), RoleName.PROVINCE_ESA_OFFICER, "17"),
        DemoUser("nssf.siemreap", next(names), RoleName.NSSF_GRIEVANCE_OFFICER, "17"),
        DemoUser("hotline", next(names), RoleName.HOTLINE_OFFICER, None),
        DemoUser("ssr", next(names), RoleName.SSR_OFFICER, None),
    ]


# NSSF provincial offices with demo staff: (username suffix, province code); the demo cases are in Siem Reap.
_NSSF_OFFICES = (("siemreap", "17"), ("phnompenh", "12"), ("kep", "23"))
_NSSF_STAFF = (
    ("nssf.reg", RoleName.NSSF_REGISTRATION_OFFICER),
    ("nssf.insp", RoleName.NSSF_INSPECTOR),
    ("nssf.chief", RoleName.NSSF_CHIEF),
)


def _nssf_users(names: Iterator[str]) -> list[DemoUser]:
    """NSSF: each provincial office's registration officer, inspector and chief, and headquarters."""
    users = [
        DemoUser(f"{prefix}.{suffix}", next(names), role, province)
        for suffix, province in _NSSF_OFFICES
        for prefix, role in _NSSF_STAFF
    ]
    return [*users, DemoUser("nssf.hq", next(names), RoleName.NSSF_NATIONAL_OFFICER, None)]


def seed_programmes(session: Session) -> int:
    if session.scalar(select(func.count()).select_from(Programme)):
        return 0
    for position, info in enumerate(PROGRAMMES):
        session.add(
            Programme(
                code=info.code,
                name=info.name,
                sector=info.sector,
                family=info.family,
                rule=info.rule,
                position=position,
                monthly_benefit_khr=info.monthly_benefit_khr,
            )
        )
    session.flush()
    return len(PROGRAMMES)


def seed_demo_users(session: Session, *, password: str = DEMO_PASSWORD) -> int:
    """Adds the demo accounts when there are no users yet; returns how many were added."""
    if session.scalar(select(func.count()).select_from(User)):
        return 0
    # An install with part of the gazetteer (the tests, a province's pilot) has no office in the others.
    installed = set(session.scalars(select(Area.code).where(Area.level == AreaLevel.PROVINCE)))
    added = [demo for demo in demo_users() if demo.area_code is None or demo.area_code[:2] in installed]
    for demo in added:
        session.add(
            User(
                username=demo.username,
                full_name=demo.full_name,
                role=demo.role,
                area_code=demo.area_code,
                password_hash=hash_password(password),
                process_owner=demo.username == PROCESS_OWNER,
            )
        )
    session.flush()
    return len(added)


# (commune assistant, applicant, programme, steps to complete after intake as (username, data))
_DOCUMENTS_OK = {"documents_complete": "yes", "missing_document": None, "note": ""}
_DEMO_APPLICATIONS = (
    (
        "ca.charchhuk",
        ("សុខ ស្រីមុំ", "Sok Sreymom", "female", date(1951, 4, 13), "17010101", "poor_1", False),
        "fp_elderly",
        (),
    ),
    (
        "ca.charchhuk",
        ("កែវ សុភាព", "Keo Sopheap", "male", date(1984, 9, 2), "17010102", "poor_2", True),
        "health_equity_fund",
        (("ssdm.ac", _DOCUMENTS_OK),),
    ),
    (
        "ca.dounpeng",
        ("ជា ស្រីលក្ខណ៍", "Chea Sreyleak", "female", date(1957, 1, 30), "17010201", "poor_1", True),
        "fp_disability",
        (
            ("ssdm.ac", _DOCUMENTS_OK),
            (
                "bo.social.ac",
                {
                    "decision": "approve",
                    "justification": "Disability confirmed by the health centre.",
                    "benefit_start": "2026-12-01",
                },
            ),
        ),
    ),
    (
        "ca.chrouy",
        ("ហ៊ុន វណ្ណី", "Hun Vanny", "female", date(1990, 6, 5), "17120101", "none", False),
        "fp_base",
        (),
    ),
)


def seed_demo_cases(session: Session, *, engine: ProcessEngine, today: date, document: bytes) -> int:
    """Opens the demo applications through the same services officers use, when there are no cases yet."""
    if session.scalar(select(func.count()).select_from(Case)):
        return 0
    for number, (username, person, programme, steps) in enumerate(_DEMO_APPLICATIONS, start=1):
        case = open_application(
            session,
            engine=engine,
            actor=_user(session, username),
            applicant=_demo_applicant(number, person),
            household=Household(
                household_size=4, pregnant=False, living_with_hiv=False, enrolled_in_school=False
            ),
            programme_code=programme,
            documents=[Upload("family_book", "family_book", "family-book.pdf", document)],
            today=today,
            max_upload_bytes=len(document) + 1,
        )
        for step_user, data in steps:
            _work(session, engine, case, _user(session, step_user), data)
    _late_tasks(session)
    _demo_grievances(session, engine=engine, today=today)
    _demo_nssf(session, engine=engine, today=today)
    enqueue_batch(
        session,
        actor=_user(session, "ca.dounpeng"),
        commune_code="170102",
        start=today - timedelta(days=30),
        end=today,
    )
    return len(_DEMO_APPLICATIONS)


def _demo_applicant(number: int, person: tuple[str, str, str, date, str, str, bool]) -> Applicant:
    """The demo applicant `number`, with a national ID number of its own."""
    name_km, name_latin, sex, born, village, card, disability = person
    return Applicant(
        name_km=name_km,
        name_latin=name_latin,
        sex=sex,
        date_of_birth=born,
        id_kind="national_id",
        id_number=f"1701{number:05d}",
        village_code=village,
        equity_card=card,
        disability=disability,
    )


def _demo_nssf(session: Session, *, engine: ProcessEngine, today: date) -> None:
    """NSSF: an enterprise registered (so employees can be declared), and an online application to review."""
    officer = _user(session, "nssf.reg.siemreap")
    known = fake_business_registry().sample("obr")
    registered = EnterpriseApplication(
        name_km=known.name_km,
        name_latin=known.name_latin,
        legal_form=known.legal_form,
        activity=known.activity,
        area_code="170101",
        employee_count=25,
        contact_name="Sok Dara",
        contact_phone="012345678",
        annual_revenue_usd=150_000,
        registration_number=known.registration_number,
    )
    case = apply_at_office(session, engine=engine, actor=officer, application=registered, today=today)
    check_now(session, case)  # the business registry's answer, which the worker would bring
    _work(session, engine, case, officer, {"decision": "approve"})
    online = EnterpriseApplication(
        name_km="ហាងលក់ទំនិញ ចាន់ សុភា",
        name_latin="Chan Sophea Trading Shop",
        legal_form="sole_proprietorship",
        activity="retail",
        area_code="171201",
        employee_count=3,
        contact_name="Chan Sophea",
        contact_phone="012987654",
        annual_revenue_usd=30_000,
    )
    check_now(session, apply_online(session, engine=engine, application=online, client="demo", today=today))


# Deadlines the demo shows as they look in a working week: (applicant, days since the task opened, working
# hours left before it is due; negative: overdue). The rows are moved back in time right after the services
# created them, as if the work had been waiting that long; the deadline sweep then reminds its holders.
_LATE = (("Sok Sreymom", 6, 4), ("Hun Vanny", 12, -30))


def _late_tasks(session: Session) -> None:
    now = utcnow()
    for name_latin, waited_days, hours_left in _LATE:
        task = session.scalars(
            select(Task)
            .join(Case, Task.case_id == Case.id)
            .join(Person, Case.person_id == Person.id)
            .where(Person.name_latin == name_latin, Task.status == OPEN)
        ).one()
        task.created_at = now - timedelta(days=waited_days)
        task.due_at = now + timedelta(hours=hours_left)
        task.at_risk_at = min(task.due_at, now) - timedelta(hours=8)
    session.flush()


# (who records it, category, area, what it is about, committee's decision or None)
_DEMO_GRIEVANCES = (
    (
        "ca.charchhuk",
        "unsuccessful_application",
        "17010101",
        "ខ្ញុំមិនទាន់ទទួលបានប្រាក់ឧបត្ថម្ភសម្រាប់ខែតុលាទេ ទោះបីគ្រួសារខ្ញុំមានប័ណ្ណក្រីក្រក៏ដោយ។",
        None,
    ),
    (
        "ca.charchhuk",
        "unsuccessful_application",
        "17010102",
        "The commune did not register my mother for the elderly allowance although she is 72.",
        ("upheld", "The household is on the IDPoor list; the commune registers the application again."),
    ),
)


_SENT_UP = "The commune cannot resolve this: the committee decides."


def _demo_grievances(session: Session, *, engine: ProcessEngine, today: date) -> None:
    """Two grievances the commune could not resolve, sent up to the CWCC of Angkor Chum: one waits on the
    committee's agenda, the other was decided at a meeting held today."""
    secretary = _user(session, "cwcc.ac")
    meeting = None
    for number, (username, category, village, description, decision) in enumerate(_DEMO_GRIEVANCES, 1):
        actor = _user(session, username)
        grievance = record_grievance(
            session,
            engine=engine,
            actor=actor,
            intake=GrievanceIntake(
                category=category,
                description=description,
                area_code=village,
                complainant_name=("ញ៉ែម សុផល", "Chhun Sreypov")[number % 2],
                contact=f"012 345 6{number:02d}",
            ),
            today=today,
            max_upload_bytes=0,
        ).grievance
        case = session.get(Case, grievance.case_id)
        assert case is not None
        sent_up = {"level1_action": "send_up", "decision": "", "decision_reason": _SENT_UP}
        _work(session, engine, case, actor, sent_up)
        if decision is not None:
            meeting = meeting or schedule_meeting(session, actor=secretary, meets_on=today, today=today)
            record_decision(
                session,
                engine=engine,
                meeting=meeting,
                grievance_id=grievance.id,
                decision=decision[0],
                reason=decision[1],
                actor=secretary,
            )


def _user(session: Session, username: str) -> User:
    return session.scalars(select(User).where(User.username == username)).one()


def _work(
    session: Session, engine: ProcessEngine, case: Case, actor: User, data: Mapping[str, object]
) -> None:
    task = session.scalars(select(Task).where(Task.case_id == case.id, Task.status == OPEN)).one()
    claim_task(session, task_id=task.id, actor=actor)
    submit_task(session, engine=engine, task_id=task.id, data=data, actor=actor, case_version=None)
