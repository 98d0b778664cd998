"""Addresses of many rows at once: ``route(name)(*args)`` is ``reverse(name, args=args)``, reversed once.

A list of 24 works made 48 addresses, and Django's ``reverse`` for each cost more than reading the rows
(issue 14, bench/web.py). ``route`` reverses the pattern once per process (per URLconf and script prefix) with
marks in the place of its arguments, then fills them in. The arguments must need no quoting in a path: ids and
words of letters, digits, ``-`` and ``_``; anything else goes through ``reverse`` itself, which checks it."""

import re
from collections.abc import Callable

from django.urls import get_script_prefix, get_urlconf, reverse

_PLAIN = re.compile(r"[A-Za-z0-9_-]+")
# Digits (they match int, slug and str converters alike) that no path of the site holds by itself.
_MARK = "7319264850"
_templates: dict[tuple[str, object, str, int], list[str | int]] = {}


def _template(name: str, count: int) -> list[str | int]:
    """The reversed path split into its text and the positions of its arguments."""
    key = (get_script_prefix(), get_urlconf(), name, count)
    if key not in _templates:
        marks = [f"{_MARK}{n:02d}" for n in range(count)]
        path = reverse(name, args=marks)
        pieces: list[str | int] = []
        for part in re.split(f"({_MARK}\\d\\d)", path):
            pieces.append(int(part[-2:]) if part.startswith(_MARK) and len(part) == len(_MARK) + 2 else part)
        _templates[key] = pieces
    return _templates[key]


def route(name: str) -> Callable[..., str]:
    """``reverse(name, args=...)`` as a function of the arguments. A caller passes each argument as the pattern
    takes it (an int where it takes an int), as it would to ``reverse``."""

    def address(*args: object) -> str:
        texts = [str(arg) for arg in args]
        if not all(
            isinstance(arg, int | str) and _PLAIN.fullmatch(text)
            for arg, text in zip(args, texts, strict=True)
        ):
            return reverse(name, args=args)
        return "".join(
            texts[piece] if isinstance(piece, int) else piece for piece in _template(name, len(args))
        )

    return address
