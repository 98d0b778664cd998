"""A browser's own description (its User-Agent header) as people say it: "Chrome 120 on Windows".

A few regular expressions for the browsers and systems people sign in with here, instead of a parsing library
and its database (none is in the lock file, and the label is a hint: the raw string stays at hand). Order
matters: Edge, Opera and WeChat also call themselves Chrome and Safari, and every browser on iOS is Safari
underneath.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

BROWSERS = [
    ("WeChat", re.compile(r"MicroMessenger/(\d+)")),
    ("Edge", re.compile(r"Edg(?:e|A|iOS)?/(\d+)")),
    ("Opera", re.compile(r"(?:OPR|Opera)/(\d+)")),
    ("Samsung Internet", re.compile(r"SamsungBrowser/(\d+)")),
    ("Firefox", re.compile(r"(?:Firefox|FxiOS)/(\d+)")),
    ("Chromium", re.compile(r"Chromium/(\d+)")),
    ("Chrome", re.compile(r"(?:HeadlessChrome|Chrome|CriOS)/(\d+)")),
    ("Safari", re.compile(r"Version/(\d+)[.\d]* (?:Mobile/\S+ )?Safari/")),
    ("curl", re.compile(r"^curl/(\d+(?:\.\d+)?)")),
    ("Python", re.compile(r"^python-(?:requests|httpx|urllib\d?)/(\d+(?:\.\d+)?)")),
]
SYSTEMS = [
    ("iOS", re.compile(r"(?:iPhone|iPad|iPod).*? OS (\d+)")),
    ("Android", re.compile(r"Android (\d+)")),
    ("Android", re.compile(r"Android()")),
    ("HarmonyOS", re.compile(r"(?:HarmonyOS|OpenHarmony)()")),
    ("Windows", re.compile(r"Windows()")),
    ("ChromeOS", re.compile(r"CrOS()")),
    ("macOS", re.compile(r"Mac OS X()|Macintosh()")),
    ("Linux", re.compile(r"Linux()")),
]


@dataclass(frozen=True)
class Agent:
    browser: str  # "" when not recognised
    browser_version: str
    system: str
    system_version: str

    def label(self) -> str:
        browser = " ".join(part for part in (self.browser, self.browser_version) if part)
        system = " ".join(part for part in (self.system, self.system_version) if part)
        if browser and system:
            return _("%(browser)s on %(system)s") % {"browser": browser, "system": system}
        if browser or system:
            return browser or _("A browser on %(system)s") % {"system": system}
        return _("Unknown browser")


def _first(rules, text: str) -> tuple[str, str]:
    for name, pattern in rules:
        found = pattern.search(text)
        if found:
            return name, next((group for group in found.groups() if group), "")
    return "", ""


def agent_parse(user_agent: str) -> Agent:
    text = (user_agent or "")[:500]
    browser, browser_version = _first(BROWSERS, text)
    system, system_version = _first(SYSTEMS, text)
    return Agent(browser, browser_version, system, system_version)
