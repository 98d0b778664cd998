"""Validation refusals of the API in the request's language (UX-1, UX-2): pydantic's English ("Field
required") never reaches a Chinese client."""

import json

from django.utils import translation
from django.utils.translation import gettext

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
    message = response.json()["error"]["fields"]["language"][0]
    assert message.startswith("Choose one of: ") and "zh-hans" in message


def test_bounds_and_our_own_validator_messages_are_kept_readable():
    assert validation_message({"type": "greater_than_equal", "ctx": {"ge": 1}, "msg": "x"}) == (
        "Enter a value of at least 1."
    )
    assert validation_message({"type": "value_error", "ctx": {"error": ValueError("Ours.")}, "msg": "x"}) == (
        "Ours."
    )
    # A type we have no words for keeps pydantic's message rather than nothing.
    assert validation_message({"type": "something_new", "msg": "Something new"}) == "Something new"
