"""User-Agent strings as people read them (issue 15: sessions and consents showed the raw strings)."""

import pytest
from django.test import Client

from inspiracle.core.http import Origin, current_origin
from inspiracle.core.testing import PASSWORD, make_user
from inspiracle.core.useragents import agent_parse

CHROME_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 "
    "Safari/537.36"
)


@pytest.mark.parametrize(
    ("user_agent", "label"),
    [
        (CHROME_WINDOWS, "Chrome 120 on Windows"),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91",
            "Edge 120 on Windows",
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:121.0) Gecko/20100101 Firefox/121.0",
            "Firefox 121 on macOS",
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
            "Version/17.1 Safari/605.1.15",
            "Safari 17 on macOS",
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
            "Version/17.1 Mobile/15E148 Safari/604.1",
            "Safari 17 on iOS 17",
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
            "Mobile/15E148 MicroMessenger/8.0.44(0x18002c2f) NetType/WIFI Language/zh_CN",
            "WeChat 8 on iOS 16",
        ),
        (
            "Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/119.0.6045.163 Mobile Safari/537.36",
            "Chrome 119 on Android 13",
        ),
        (
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 "
            "Safari/537.36",
            "Chrome 131 on Linux",
        ),
        ("curl/8.5.0", "curl 8.5"),
        ("Mozilla/5.0 (X11; Linux x86_64)", "A browser on Linux"),
        ("something else", "Unknown browser"),
    ],
)
def test_common_browsers_and_systems_are_named(user_agent, label):
    assert agent_parse(user_agent).label() == label


@pytest.mark.django_db
def test_sessions_and_consents_show_browser_and_system_and_the_raw_string_on_hover(agreements):
    token = current_origin.set(Origin(ip="203.0.113.9", user_agent=CHROME_WINDOWS))
    try:
        make_user("ana")  # registered in that browser: her consents record it
    finally:
        current_origin.reset(token)
    client = Client(HTTP_USER_AGENT=CHROME_WINDOWS)
    client.post("/accounts/signin/", {"username": "ana", "password": PASSWORD})
    page = client.get("/accounts/me/sessions/").content.decode()
    assert f'<span title="{CHROME_WINDOWS}">Chrome 120 on Windows</span>' in page
    consents = client.get("/accounts/me/consents/").content.decode()
    assert f'<span title="{CHROME_WINDOWS}">Chrome 120 on Windows</span>' in consents
