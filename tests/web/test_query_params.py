"""Page numbers and ids from a query string: a hostile value is the first page or no id, never an error."""

import pytest

from webapp.web.params import LARGEST_ID, LARGEST_PAGE, page_number, query_id


@pytest.mark.parametrize("raw", [None, "", "0", "-1", "x", "9" * 40, "1e999", "\u0663", "²"])
def test_a_page_number_that_is_not_one_is_the_first_page(raw):
    assert page_number(raw) == 1


def test_a_page_number_is_read_and_a_deep_one_is_capped():
    assert page_number(" 3 ") == 3
    assert page_number(str(LARGEST_PAGE + 5)) == LARGEST_PAGE


@pytest.mark.parametrize("raw", [None, "", "-4", "abc", str(LARGEST_ID + 1), "9" * 40, "\u0663"])
def test_a_query_id_outside_sala_s_ids_is_none(raw):
    assert query_id(raw) is None


def test_a_query_id_is_read():
    assert query_id("42") == 42
    assert query_id(str(LARGEST_ID)) == LARGEST_ID
