"""A stored original as a local path, for the jobs that decode it again after the upload."""

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from inspiracle.works.models import private_storage


@contextmanager
def original_path(name: str) -> Iterator[Path]:
    """The stored original as a path: in place on local storage, a scratch copy from S3."""
    storage = private_storage()
    try:
        in_place = Path(storage.path(name))
    except NotImplementedError:
        in_place = None
    if in_place is not None:
        yield in_place
        return
    scratch = Path(tempfile.mkdtemp(prefix="inspiracle-"))
    try:
        with storage.open(name, "rb") as source, open(scratch / "original", "wb") as target:
            shutil.copyfileobj(source, target, 1 << 20)
        yield scratch / "original"
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
