"""Every page of the site is opened by the accessibility journey (issue 15), read without a browser: each url
name (tests/api/test_parity.py lists them all) is visited there, or ``NOT_PAGES`` says why it is not a page (an
action that only answers a POST, a file, a redirect, JSON). A new page fails here until the journey opens it."""

import re

from django.urls import resolve

from tests.api.test_parity import page_url_names
from tests.e2e.test_accessibility_journey import NOT_PAGES, ROLES, TWO_FACTOR_PAGES, visited_url_names


def test_every_page_is_visited_by_the_accessibility_journey_or_says_why_it_is_not_a_page():
    """REQ: UX-1"""
    names, visited, reasoned = page_url_names(), visited_url_names(), set(NOT_PAGES)
    assert sorted(visited & reasoned) == []  # a page is visited, or not a page: not both
    assert sorted(names - visited - reasoned) == []  # a new page: visit it in the journey, or say why not
    assert sorted((visited | reasoned) - names) == []  # a page that is gone


def test_each_path_the_journey_opens_is_the_page_its_url_name_says():
    placeholder = re.compile(r"\{\w+\}")
    wrong = {
        (name, path): resolve(placeholder.sub("1", path.split("?")[0])).view_name
        for pages in (*ROLES.values(), TWO_FACTOR_PAGES)
        for name, path in pages
        if resolve(placeholder.sub("1", path.split("?")[0])).view_name != name
    }
    assert wrong == {}


def test_every_reason_says_something():
    assert all(len(reason.split()) >= 3 for reason in NOT_PAGES.values())
