"""Validation refusals of the API in the request's language (UX-1, UX-2): pydantic's English ("Field
required") never reaches a Chinese client."""

import json

from django.test import Client
from django.utils import translation
from django.utils.translation import gettext, pgettext

from inspiracle.core.api import validation_message


def test_a_missing_field_is_refused_in_chinese_for_a_chinese_request(ana, client_for):
    """REQ: UX-1: GIVEN a client asking in Chinese WHEN it leaves out a required field THEN the field's
    message is our Chinese one, not pydantic's "Field required"."""
    client = client_for(ana)
    response = client.patch(
        "/api/me/language", json.dumps({}), content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 422
    message = response.json()["error"]["fields"]["language"][0]
    with translation.override("zh-hans"):
        assert message == gettext("This field is required.")
    assert message == "此项为必填项。"


def test_a_wrong_choice_names_the_choices_in_the_requests_language(ana, client_for):
    response = client_for(ana).patch(
        "/api/me/language", json.dumps({"language": "fr"}), content_type="application/json"
    )
    assert response.json()["error"]["fields"]["language"] == ['Choose "zh-hans" or "en".']


def test_a_wrong_choice_reads_naturally_in_both_languages_however_many_choices():
    """REQ: UX-1: pydantic's "'a', 'b' or 'c'" is rebuilt from our words: its English "or" and ASCII commas
    never reach a Chinese client, and an English one reads a sentence."""
    literal = {
        "type": "literal_error",
        "ctx": {"expected": "'accepted', 'incomplete' or 'decided'"},
        "msg": "x",
    }
    enum = {"type": "enum", "ctx": {"expected": "'en' or 'zh-hans'"}, "msg": "x"}
    numbers = {"type": "literal_error", "ctx": {"expected": "1, 2 or 3"}, "msg": "x"}
    single = {"type": "literal_error", "ctx": {"expected": "'x'"}, "msg": "x"}
    assert validation_message(literal) == 'Choose "accepted", "incomplete" or "decided".'
    assert validation_message(enum) == 'Choose "en" or "zh-hans".'
    assert validation_message(numbers) == "Choose 1, 2 or 3."
    assert validation_message(single) == 'The only value accepted here is "x".'
    with translation.override("zh-hans"):
        expected = gettext("Choose %(choices)s or %(last)s.") % {
            "choices": pgettext("list separator", ", ").join(['"accepted"', '"incomplete"']),
            "last": '"decided"',
        }
        assert validation_message(literal) == expected


def test_the_gallerys_own_choice_check_says_the_same():
    """REQ: UX-1"""
    response = Client().get("/api/works/public?category=nonsense")
    assert response.status_code == 422
    assert response.json()["error"]["fields"]["category"][0].startswith('Choose "')


def test_bounds_and_our_own_validator_messages_are_kept_readable():
    assert validation_message({"type": "greater_than_equal", "ctx": {"ge": 1}, "msg": "x"}) == (
        "Enter a value of at least 1."
    )
    assert validation_message({"type": "value_error", "ctx": {"error": ValueError("Ours.")}, "msg": "x"}) == (
        "Ours."
    )
    # A type we have no words for keeps pydantic's message rather than nothing.
    assert validation_message({"type": "something_new", "msg": "Something new"}) == "Something new"
