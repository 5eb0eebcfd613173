"""The registry's lists on the shared machinery: the duplicate review pages its pairs in SQL (newest record
first, by tie and commune, leaving out pairs found distinct or merged), change requests and referrals page
and filter too."""

from datetime import timedelta

from tests.factories import TODAY, user
from tests.services.test_registry import register
from webapp.domain.base import utcnow
from webapp.services.casework.listing import parse_list
from webapp.services.registry.changes import request_change
from webapp.services.registry.duplicates import mark_distinct, merge_people
from webapp.services.registry.lists import (
    CHANGE_LIST,
    DUPLICATE_LIST,
    REFERRAL_LIST,
    change_page,
    duplicate_page,
    referral_page,
)
from webapp.services.registry.registration import Referral, refer_household


def _pairs(session, username="ssdm.ac", per_page=None, **args):
    listing = parse_list(DUPLICATE_LIST, args, per_page=per_page)
    found = duplicate_page(session, user=user(session, username), listing=listing)
    return [(pair.first.id, pair.second.id) for pair in found.rows], found


def _look_alikes(session):
    first = register(session)
    second = register(session, id_number="170555003", name_km="ចាន់ សុភា", name_latin="Chan Sopheaa")
    third = register(session, id_number="170555004", name_km="ចាន់ សុភា", name_latin="Chan Sophea")
    return first, second, third


def test_the_review_pages_its_pairs_newest_record_first(session):
    first, second, third = _look_alikes(session)
    everything, _ = _pairs(session)
    assert everything[:3] == [(second.id, third.id), (first.id, third.id), (first.id, second.id)]
    shown, page = _pairs(session, per_page=2)
    assert shown == everything[:2] and page.next == {"page": "1"} and page.previous is None
    following, page = _pairs(session, per_page=2, page="1")
    assert following[0] == everything[2] and page.previous == {"page": "0"}


def test_the_review_filters_by_tie_and_commune_and_stays_in_the_area(session):
    first, second, third = _look_alikes(session)
    ours = {(first.id, second.id), (first.id, third.id), (second.id, third.id)}
    assert ours <= set(_pairs(session, tie="name_km")[0])
    assert ours.isdisjoint(_pairs(session, tie="id_number")[0])  # no two of them share an ID number
    assert _pairs(session, commune="170102")[0] == []
    assert _pairs(session, "ssdm.ss")[0] == []


def test_the_review_leaves_out_pairs_found_distinct_or_merged(session):
    ssdm = user(session, "ssdm.ac")
    first, second, third = _look_alikes(session)
    mark_distinct(session, first_id=third.id, second_id=first.id, actor=ssdm)
    merge_people(session, survivor_id=first.id, merged_id=second.id, reason="same", actor=ssdm)
    pairs = set(_pairs(session)[0])
    assert pairs.isdisjoint({(first.id, second.id), (first.id, third.id), (second.id, third.id)})


def test_change_requests_page_and_filter_by_name(session):
    officer = user(session, "ca.charchhuk")
    for number, name in (("170777001", "Keo Sokha"), ("170777002", "Chan Dara")):
        person = register(session, id_number=number, name_latin=name, name_km=name)
        request_change(session, person=person, proposed={"occupation": "Farmer"}, reason="x", actor=officer)
    ssdm = user(session, "ssdm.ac")
    one = change_page(session, user=ssdm, listing=parse_list(CHANGE_LIST, {}, per_page=1), now=utcnow())
    assert len(one.rows) == 1 and one.next is not None
    named = change_page(session, user=ssdm, listing=parse_list(CHANGE_LIST, {"q": "chan d"}), now=utcnow())
    assert [change.person.name_latin for change in named.rows] == ["Chan Dara"]


def test_referrals_page_and_filter_by_village(session, process_engine):
    vdc = user(session, "vdc.charchhuk")
    referral = Referral("សុខ ចាន់", "Sok Chan", "17010101", "No income since the flood")
    for _ in range(2):
        refer_household(session, engine=process_engine, actor=vdc, referral=referral, today=TODAY)
    commune = user(session, "ca.charchhuk")
    now = utcnow() + timedelta(seconds=1)
    one = referral_page(session, user=commune, listing=parse_list(REFERRAL_LIST, {}, per_page=1), now=now)
    assert len(one.rows) == 1 and one.next is not None
    elsewhere = parse_list(REFERRAL_LIST, {"village": "17010102"})
    assert referral_page(session, user=commune, listing=elsewhere, now=now).rows == []
