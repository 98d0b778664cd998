"""Helpers for tests: the cast's password and a way to make a registered user. Fixtures are in conftest.py."""

import itertools

from inspiracle.accounts.models import User
from inspiracle.accounts.services import RegistrationData, user_register
from inspiracle.agreements.selectors import required_versions_in_force

PASSWORD = "correct horse battery staple"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
_phones = itertools.count(13900000001)


def accepted_labels() -> list[str]:
    return [v.label for v in required_versions_in_force()]


def make_user(username: str, *, kind: str = "person", role: str = "", email: str = "", **extra) -> User:
    """A registered user who accepted the agreements in force (and, with ``role``, a staff member)."""
    user = user_register(
        data=RegistrationData(
            username=username,
            password=PASSWORD,
            kind=kind,
            legal_name=extra.get("legal_name", f"{username} 真名"),
            mailing_address=extra.get("mailing_address", "北京市东城区景山前街 4 号"),
            mobile=extra.get("mobile", str(next(_phones))),
            email=email,
        ),
        accepted=accepted_labels(),
        age_attested=True,
        certificate=PDF if kind == "organization" else None,
        email_confirmed=True,
    )
    if role:
        User.objects.filter(pk=user.pk).update(staff_role=role)
        user.refresh_from_db()
    return user


def image_bytes(fmt: str = "PNG", *, size: tuple[int, int] = (320, 240), seed: int = 0, **save) -> bytes:
    """A picture with structure (smoothed noise, different for every seed), so that perceptual hashes of
    different seeds differ as unrelated photos do."""
    import io

    import numpy as np
    from PIL import Image, ImageFilter

    rng = np.random.default_rng(seed)
    small = rng.integers(0, 256, size=(12, 16, 3), dtype=np.uint8)
    image = Image.fromarray(small).resize(size, Image.Resampling.BICUBIC).filter(ImageFilter.GaussianBlur(2))
    out = io.BytesIO()
    image.save(out, fmt, **save)
    return out.getvalue()


# The anti-virus test string, in two halves so that this source file is not itself flagged by a scanner.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def png_with_text_chunk(payload: bytes) -> bytes:
    """A valid PNG that carries ``payload`` in a tEXt chunk (the scanner must still find it)."""
    import struct
    import zlib

    data = image_bytes("PNG", size=(64, 64), seed=9)
    chunk = b"tEXt" + b"Comment\x00" + payload
    text = struct.pack(">I", len(chunk) - 4) + chunk + struct.pack(">I", zlib.crc32(chunk))
    return data[:33] + text + data[33:]


def fire_parallel(call, *, times: int = 40, ip: str = "203.0.113.7") -> list[str]:
    """Run ``call(n)`` in ``times`` threads released together, each with its own database connection and
    the request origin ``ip``; returns each call's outcome: "passed", or "throttled" (a 429 refusal), or
    "refused" (any other ApplicationError). Needs a transactional test (the threads see committed rows)."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    from inspiracle.core.errors import ApplicationError
    from inspiracle.core.http import Origin, current_origin

    barrier = threading.Barrier(times)

    def run(n: int) -> str:
        current_origin.set(Origin(ip=ip, user_agent="parallel test"))
        barrier.wait()
        try:
            call(n)
            return "passed"
        except ApplicationError as exc:
            return "throttled" if exc.status == 429 else "refused"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=times) as pool:
        return list(pool.map(run, range(times)))


def access_outcome(call) -> str:
    """What an access function answers a role, for the role x object x action matrices: "ok", "not_found"
    (existence not leaked) or "refused" (staff without the right)."""
    from inspiracle.core.errors import NotFound, PermissionDenied

    try:
        call()
    except NotFound:
        return "not_found"
    except PermissionDenied:
        return "refused"
    return "ok"


def module_imports(path) -> set[str]:
    """The modules a source file imports (at any depth, TYPE_CHECKING blocks included), for layering tests."""
    import ast

    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names
