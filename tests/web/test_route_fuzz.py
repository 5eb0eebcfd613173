"""Every route of the app, for every demo role and for a visitor, answers hostile path and query values with a
page (400, 404, 422...), never a 500: huge and negative ids, unicode, bidirectional controls, SQL-ish text."""

import itertools
import re
from urllib.parse import quote, urlencode

import pytest

from tests.web.helpers import csrf_token, sign_in
from webapp.services.assembly.seed import demo_users
from webapp.web.params import IdConverter

HOSTILE_IDS = ("99999999999999999999", str(2**63), str(2**63 - 1), str(2**31), str(2**31 - 1), "0", "9" * 40)
HOSTILE_TEXT = (
    "9999-12",
    "0000-00",
    "2026-13",
    "-1",
    "",
    "' OR 1=1 --",
    "\u202eevil\u2066x\u2069",
    "សួស្ដី",
    "%00",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "1e999",
    "9" * 400,
    "csv",
    "10000-01",
    "x" * 3000,
)
QUERY_NAMES = (
    "month", "level", "format", "status", "area", "q", "next", "limit", "page", "sort", "sla", "older",
    "newer", "old", "new", "download", "kind", "actor", "since", "until", "start", "role", "token",
    "reference",
)  # fmt: skip
ROLE_USERS = {demo.role: demo.username for demo in demo_users()}
SKIPPED_POSTS = {
    "auth.sign_out",
    "auth.sign_in",
}  # signing out ends the walk; sign-in throttling is tested apart


def _routes(app, method):
    for rule in app.url_map.iter_rules():
        if method in (rule.methods or ()) and rule.endpoint != "static":
            yield rule


def _path(rule, turn):
    path = rule.rule
    for position, (name, converter) in enumerate(rule._converters.items()):
        pool = HOSTILE_IDS if isinstance(converter, IdConverter) else HOSTILE_TEXT
        value = pool[(turn + position) % len(pool)] or "x"
        path = re.sub(rf"<(?:[^:>]+:)?{name}>", quote(value, safe=""), path)
    return path


def _query(turn):
    values = itertools.islice(itertools.cycle(HOSTILE_TEXT), turn, turn + len(QUERY_NAMES))
    return urlencode(dict(zip(QUERY_NAMES, values, strict=False)))


def _walk_gets(app, client, turns):
    failures = []
    for index, rule in enumerate(_routes(app, "GET")):
        for turn in range(index, index + turns):
            url = f"{_path(rule, turn)}?{_query(turn)}"
            status = client.get(url).status_code
            if status >= 500:
                failures.append((status, url[:200]))
    return failures


@pytest.mark.parametrize("role", [None, *sorted(ROLE_USERS)])
def test_every_get_route_refuses_hostile_values_without_a_server_error(app, client, role):
    if role is not None:
        sign_in(client, ROLE_USERS[role])
    turns = 3 if role in (None, "administrator", "district_supervisor") else 1
    assert _walk_gets(app, client, turns) == []


@pytest.mark.parametrize("username", [None, "admin", "ca.charchhuk", "sup.ac"])
def test_every_post_route_refuses_hostile_values_without_a_server_error(app, client, username):
    if username is not None:
        sign_in(client, username)
    token = csrf_token(client, "/sign-in" if username is None else "/")
    failures = []
    for index, rule in enumerate(_routes(app, "POST")):
        if rule.endpoint in SKIPPED_POSTS:
            continue
        values = itertools.cycle(HOSTILE_TEXT[index % len(HOSTILE_TEXT) :] + HOSTILE_TEXT)
        form = {name: next(values) for name in (*QUERY_NAMES, "name", "description", "reason", "day", "on")}
        url = _path(rule, index)
        status = client.post(url, data={**form, "csrf_token": token}).status_code
        if status >= 500:
            failures.append((status, url[:200]))
    assert failures == []


def test_ids_beyond_the_id_columns_are_not_found(client):
    sign_in(client, "admin")
    for url in (
        "/cases/99999999999999999999",
        f"/cases/{2**63}",
        f"/cases/{2**31}",
        "/tasks/99999999999999999999",
    ):
        assert client.get(url).status_code == 404


def test_a_month_beyond_the_calendar_is_a_bad_request(client):
    sign_in(client, "sup.ac")
    assert client.get("/grievances/report?month=9999-12").status_code == 400
    assert client.get("/admin/audit?format=csv").status_code == 404  # administrators only, no 500
    assert client.get("/grievances/report?month=2026-10").status_code == 200
    assert client.get("/sla/report?month=9999-12").status_code == 400
