"""The national volume of bench/national.py, built in PostgreSQL with generate_series: officers over every
commune and district of the gazetteer, closed applications with their completed steps, open work, grievances.

Counts at scale 1: 1,000,000 closed cases (three completed steps each), 100,000 open cases with one open task
and 0-2 completed ones (3.2 M task rows in all), 50,000 grievances with their cases, 2,912 officers.
"""

import importlib.util
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, insert, select, text

from webapp.domain.areas import Area, AreaLevel
from webapp.domain.khmer_names import khmer_key, latin_key
from webapp.domain.people import User

# One officer per commune, six per district: 1,652 + 210 x 6 = 2,912 with the whole gazetteer.
DISTRICT_ROLES = {
    "district_ssdm_assistant": "ssdm",
    "back_office_social_affairs": "bo.social",
    "inter_sector_officer": "iso",
    "back_office_health": "bo.health",
    "district_supervisor": "sup",
    "cwcc_secretary": "cwcc",
}
# The application's human steps in order: (role, task name, spec name); a closed case went through all three.
STEPS = (
    ("district_ssdm_assistant", "Check the documents", "check_documents"),
    ("back_office_social_affairs", "Confirm the entitlement", "confirm_social_affairs"),
    ("inter_sector_officer", "Announce the result at the commune", "announce_result"),
)


APPLICATION = "ssdm_programme_application"
# Applicants' names (family, given) in both scripts, so the registry's name search has realistic keys to read.
FAMILY_NAMES = (
    ("Sok", "សុខ"), ("Chan", "ចាន់"), ("Heng", "ហេង"), ("Kim", "គីម"), ("Ly", "លី"), ("Mao", "ម៉ៅ"),
    ("Seng", "សេង"), ("Pov", "ពៅ"), ("Keo", "កែវ"), ("Meas", "មាស"), ("Nget", "ង៉ែត"), ("Chea", "ជា"),
    ("Hun", "ហ៊ុន"), ("Phan", "ផាន់"), ("Touch", "ទូច"), ("Yim", "យឹម"),
)  # fmt: skip
GIVEN_NAMES = (
    ("Dara", "ដារា"), ("Sophea", "សុភា"), ("Vanna", "វណ្ណា"), ("Sreymom", "ស្រីមុំ"), ("Pisey", "ពិសី"),
    ("Ratana", "រតនា"), ("Chantha", "ចន្ថា"), ("Sopheak", "សុភ័ក្រ"), ("Bopha", "បុប្ផា"), ("Kosal", "កុសល"),
    ("Sokha", "សុខា"), ("Vibol", "វិបុល"), ("Channary", "ចន្ទនារី"), ("Rithy", "ឫទ្ធី"), ("Sreyneang", "ស្រីនាង"),
    ("Samnang", "សំណាង"),
)  # fmt: skip


@dataclass(frozen=True)
class Volume:
    closed_cases: int
    open_cases: int
    grievances: int

    @classmethod
    def at(cls, scale: float) -> "Volume":
        return cls(int(1_000_000 * scale), int(100_000 * scale), int(50_000 * scale))


def add_officers(connection: Connection, password_hash: str) -> int:
    """Officers for every commune and district; returns how many were added."""
    areas = connection.execute(
        select(Area.code, Area.level).where(Area.level.in_([AreaLevel.COMMUNE, AreaLevel.DISTRICT]))
    ).all()
    rows = []
    for code, level in areas:
        if level == AreaLevel.COMMUNE:
            rows.append(_officer(f"ca.{code}", "commune_assistant", code, password_hash))
        else:
            rows += [_officer(f"{p}.{code}", role, code, password_hash) for role, p in DISTRICT_ROLES.items()]
    connection.execute(insert(User), rows)
    return len(rows)


def _officer(username: str, role: str, area_code: str, password_hash: str) -> dict[str, object]:
    return {
        "username": username,
        "password_hash": password_hash,
        "full_name": f"Officer {username}",
        "role": role,
        "area_code": area_code,
        "active": True,
        "locale": "en",
    }


def build(connection: Connection, volume: Volume, now: datetime) -> None:
    """Cases, tasks and grievances in bulk; `now` is the moment the open work is measured against."""
    connection.execute(text("CREATE TEMP SEQUENCE IF NOT EXISTS bench_fill"))
    _names(connection)
    for statement in _statements(volume, now):
        connection.execute(text(_with_required_columns(connection, statement)))
    _name_tokens_backfill()(connection)  # what the people search reads, as migration 0023 builds it
    _migration_backfill("0030")(connection)  # the monitoring report's kept totals and working days


def _name_tokens_backfill() -> Callable[[Connection], Any]:
    """Migration 0023's set-based backfill of the people's name tokens (distinct names tokenised once)."""
    return _migration_backfill("0023")


def _migration_backfill(revision: str) -> Callable[[Connection], Any]:
    """The `backfill(connection)` of a migration, for what the bulk load wrote after the migrations ran."""
    (path,) = (Path(__file__).resolve().parent.parent / "migrations" / "versions").glob(f"{revision}_*.py")
    spec = importlib.util.spec_from_file_location(f"sala_migration_{revision}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    backfill: Callable[[Connection], Any] = module.backfill
    return backfill


def _names(connection: Connection) -> None:
    """A temporary table of every family and given name pair with the registry's matching keys."""
    connection.execute(
        text(
            "CREATE TEMP TABLE bench_name (n integer PRIMARY KEY, name_km text, name_latin text, "
            "name_km_key text, name_latin_key text)"
        )
    )
    rows: list[dict[str, object]] = []
    for family_latin, family_km in FAMILY_NAMES:
        for given_latin, given_km in GIVEN_NAMES:
            latin, km = f"{family_latin} {given_latin}", f"{family_km} {given_km}"
            rows.append(
                {"n": len(rows) + 1, "km": km, "latin": latin, "kk": khmer_key(km), "lk": latin_key(latin)}
            )
    connection.execute(text("INSERT INTO bench_name VALUES (:n, :km, :latin, :kk, :lk)"), rows)


INSERT = re.compile(r"^INSERT INTO (\w+) \(([^)]*)\)(\s+SELECT )", re.S)
FILLERS = {
    "boolean": "false",
    "integer": "0",
    "bigint": "0",
    "text": "'bench'",
    "date": "current_date",
    "timestamp without time zone": "now()",
}


def _with_required_columns(connection: Connection, statement: str) -> str:
    """Fills the NOT NULL columns without a default that other features added since this bench was written
    (a unique digit string for character columns), so the bench keeps running as the schema grows."""
    found = INSERT.match(statement)
    if found is None:
        return statement
    table, given = found.group(1), {name.strip() for name in found.group(2).split(",")}
    missing = connection.execute(
        text(
            "SELECT column_name, data_type, character_maximum_length FROM information_schema.columns "
            "WHERE table_name = :table AND is_nullable = 'NO' AND column_default IS NULL"
        ),
        {"table": table},
    ).all()
    extra = [(name, _filler(kind, length)) for name, kind, length in missing if name not in given]
    if not extra:
        return statement
    names = ", ".join(name for name, _ in extra)
    values = ", ".join(value for _, value in extra)
    return (
        f"INSERT INTO {table} ({names}, {found.group(2)}){found.group(3)}{values}, "
        + statement[found.end() :]
    )


def _filler(kind: str, length: int | None) -> str:
    if kind == "character varying":
        width = max(1, (length or 12) - 1)
        return f"'B' || lpad(nextval('bench_fill')::text, {width}, '0')"
    return FILLERS.get(kind, "NULL")


def _statements(volume: Volume, now: datetime) -> list[str]:
    closed, opened, grievances = volume.closed_cases, volume.open_cases, volume.grievances
    everything = closed + opened
    ts = f"timestamp '{now:%Y-%m-%d %H:%M:%S}'"
    officer_ids = ", ".join(
        f"(SELECT min(id) FROM app_user u WHERE u.role = '{role}' AND u.area_code = d.code) AS {role}"
        for role, _name, _spec in STEPS
    )
    return [
        "SELECT setseed(0.42)",
        """CREATE TEMP TABLE bench_village AS
           SELECT row_number() OVER (ORDER BY code) AS n, code FROM area WHERE level = 'village'""",
        f"""CREATE TEMP TABLE bench_office AS
           SELECT d.code, {officer_ids} FROM area d WHERE d.level = 'district'""",
        "CREATE UNIQUE INDEX ON bench_office (code)",
        f"""CREATE TEMP TABLE bench_ref AS SELECT
             (SELECT id FROM workflow_version WHERE process_id = '{APPLICATION}'
               ORDER BY version DESC LIMIT 1) AS application_version,
             (SELECT id FROM workflow_version WHERE process_id = 'grievance_ssdm'
               ORDER BY version DESC LIMIT 1) AS grievance_version,
             (SELECT id FROM app_user WHERE username = 'admin') AS admin_id,
             (SELECT count(*) FROM bench_village) AS villages""",
        # Cases: the closed ones spread over two years, the open ones opened within the last month.
        f"""CREATE TEMP TABLE bench_case AS
           SELECT g AS n, v.code AS area_code,
                  CASE WHEN g <= {closed} THEN {ts} - interval '730 days' * random()
                       ELSE {ts} - interval '30 days' * random() END AS created_at,
                  CASE WHEN g <= {closed} THEN 3 ELSE floor(random() * 3)::int END AS steps_done
           FROM generate_series(1, {everything}) AS g
           JOIN bench_village v ON v.n = 1 + (hashint4(g)::bigint & 2147483647)
                                         % (SELECT villages FROM bench_ref)""",
        "CREATE UNIQUE INDEX ON bench_case (n)",
        """INSERT INTO person (id, name_km, name_latin, name_km_key, name_latin_key, sex, date_of_birth,
                               id_kind, id_number, village_code, equity_card, disability, letter_language,
                               created_at)
           SELECT c.n + 1000000, m.name_km, m.name_latin, m.name_km_key, m.name_latin_key,
                  CASE WHEN c.n % 2 = 0 THEN 'female' ELSE 'male' END, date '1950-01-01' + (c.n % 20000),
                  'national_id', 'N' || c.n, c.area_code, 'poor_1', false, 'km', c.created_at
           FROM bench_case c
           JOIN bench_name m
             ON m.n = 1 + (hashint4(c.n + 3)::bigint & 2147483647) % (SELECT count(*) FROM bench_name)""",
        f"""INSERT INTO case_file (id, reference, process_id, workflow_version_id, person_id, programme_code,
                                  area_code, status, outcome, state, state_version, version_id, created_by_id,
                                  created_at, closed_at)
           SELECT n + 1000000, 'SSDM-B-' || n, '{APPLICATION}', r.application_version,
                  n + 1000000, 'fp_elderly', area_code,
                  CASE WHEN steps_done = 3 THEN 'closed' ELSE 'open' END,
                  CASE WHEN steps_done = 3 THEN 'approved' END, '{{}}', 1, 1, r.admin_id, created_at,
                  CASE WHEN steps_done = 3 THEN created_at + interval '25 days' END
           FROM bench_case, bench_ref r""",
        # Completed steps: each took 0-9 days against a 7-day deadline, so about a fifth missed it.
        *(_completed_steps(index) for index in range(3)),
        _open_step(ts),
        _grievance_cases(closed + opened, grievances, ts),
        _grievances(closed + opened, ts),
        "SELECT setval(pg_get_serial_sequence('case_file', 'id'), (SELECT max(id) FROM case_file))",
        "SELECT setval(pg_get_serial_sequence('task', 'id'), (SELECT max(id) FROM task))",
        "SELECT setval(pg_get_serial_sequence('person', 'id'), (SELECT max(id) FROM person))",
        "SELECT setval(pg_get_serial_sequence('grievance', 'id'), (SELECT max(id) FROM grievance))",
    ]


def _completed_steps(index: int) -> str:
    role, name, spec = STEPS[index]
    start = "c.created_at" + "".join(f" + interval '{offset} days'" for offset in (8, 8)[:index])
    # The working seconds a completion keeps: office hours are 40 of the week's 168.
    return f"""INSERT INTO task (case_id, process_id, engine_task_id, spec_name, name, role, area_code,
                                 assignee_id, status, created_at, due_at, sla_target, sla_calendar,
                                 at_risk_at,
                                 reminders_sent, completed_at, working_seconds, completed_by_id)
           SELECT c.n + 1000000, '{APPLICATION}', md5(c.n::text || '{spec}')::uuid::text, '{spec}', '{name}',
                  '{role}', substr(c.area_code, 1, 4), c.{role}, 'completed', {start},
                  {start} + interval '7 days', 'P5D', 'government', {start} + interval '5 days', 0,
                  {start} + interval '1 second' * c.took, (c.took * 40 / 168)::int, c.{role}
           FROM (SELECT b.*, o.*, 9 * 86400 * random() AS took
                 FROM bench_case b JOIN bench_office o ON o.code = substr(b.area_code, 1, 4)
                 WHERE b.steps_done > {index}) AS c"""


def _open_step(ts: str) -> str:
    role = " ".join(f"WHEN {i} THEN '{step[0]}'" for i, step in enumerate(STEPS))
    name = " ".join(f"WHEN {i} THEN '{step[1]}'" for i, step in enumerate(STEPS))
    spec = " ".join(f"WHEN {i} THEN '{step[2]}'" for i, step in enumerate(STEPS))
    officer = " ".join(f"WHEN {i} THEN o.{step[0]}" for i, step in enumerate(STEPS))
    # Opened within the last 8 days against a 7-day deadline: about a third at risk or late; 40% claimed.
    return f"""INSERT INTO task (case_id, process_id, engine_task_id, spec_name, name, role, area_code,
                                 assignee_id, status, created_at, due_at, sla_target, sla_calendar,
                                 at_risk_at,
                                 reminders_sent)
           SELECT n + 1000000, '{APPLICATION}', md5(n::text || 'open')::uuid::text,
                  CASE steps_done {spec} END, CASE steps_done {name} END, CASE steps_done {role} END,
                  substr(area_code, 1, 4),
                  CASE WHEN random() < 0.4 THEN CASE steps_done {officer} END END, 'open',
                  t, t + interval '7 days', 'P5D', 'government', t + interval '5 days', 0
           FROM (SELECT c.*, o.*, {ts} - interval '8 days' * random() AS t
                 FROM bench_case c JOIN bench_office o ON o.code = substr(c.area_code, 1, 4)
                 WHERE c.steps_done < 3) AS o"""


def _grievance_cases(offset: int, grievances: int, ts: str) -> str:
    return f"""INSERT INTO case_file (id, reference, process_id, workflow_version_id, area_code, status,
                                      state, state_version, version_id, created_by_id, created_at,
                                      closed_at)
           SELECT 1000000 + {offset} + g, 'GRV-B-' || g, 'grievance_ssdm', r.grievance_version, v.code,
                  'closed', '{{}}', 1, 1, r.admin_id, {ts} - interval '365 days' * random(), NULL
           FROM generate_series(1, {grievances}) AS g, bench_ref r, bench_village v
           WHERE v.n = 1 + (hashint4(g + 7)::bigint & 2147483647) % r.villages"""


def _grievances(offset: int, ts: str) -> str:
    return f"""INSERT INTO grievance (case_id, reference, status_code_hash, anonymous, area_code, category,
                                      description, channel, confidential, level, status, decided_level,
                                      escalated_by_breach, received_at, resolved_at)
           SELECT c.id, c.reference, md5(c.reference), false, c.area_code,
                  (ARRAY['unsuccessful_application', 'service_quality', 'other', 'social_security'])
                      [1 + floor(random() * 4)::int],
                  'A grievance of the national bench.',
                  (ARRAY['village', 'commune', 'district', 'hotline', 'web'])[1 + floor(random() * 5)::int],
                  false, 1, 'resolved', 1 + floor(random() * 1.3)::int, random() < 0.1, c.created_at,
                  CASE WHEN random() < 0.8 THEN least(c.created_at + interval '40 days' * random(), {ts}) END
           FROM case_file c WHERE c.id > 1000000 + {offset}"""
