"""Reading multipart bodies so that no file part is lost without a word (issue 10).

Django's parser drops a file whose name is "..", "." or nothing printable, and treats a part sent with an empty
file name as a text field, so the sender was told that no file was sent at all. The first upload handler parses
the body itself with Django's parser, keeping those files under a name of ours (their type is read from their
content anyway, WRK-2), and refuses a body in which a file arrived without any name, saying so. Malformed bodies
(a part's headers over Django's 1 KB, usually a very long file name) get a reason in the request's format:
``upload_problem`` words them for the API handler and the error pages.
"""

import re

from django.core.files.uploadhandler import FileUploadHandler
from django.http.multipartparser import MultiPartParser, MultiPartParserError
from django.utils.translation import gettext as _

UNNAMED = "unnamed"
# A part header that names a file with an empty file name; the headers of one part fit in Django's 1 KB.
_NAMELESS = re.compile(
    rb'content-disposition:[^\r\n]*?\bname="([^"\r\n]{0,200})"[^\r\n]*?\bfilename=""', re.I
)
_WINDOW = 2048


class NamelessFile(MultiPartParserError):
    """A file part whose file name is empty: Django would read its bytes as a text field."""

    def __init__(self, field: str):
        super().__init__(f"file without a name in {field!r}")
        self.field = field


class OddNamesKept(FileUploadHandler):
    """The first of FILE_UPLOAD_HANDLERS: parses the body with the handlers after it, as Django would, except
    that files with unusable names are kept (as "unnamed") and nameless ones refused."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        assert self.request is not None  # handlers in FILE_UPLOAD_HANDLERS are made with their request
        others = [handler for handler in self.request.upload_handlers if handler is not self]
        watched = _HeaderWatch(input_data)
        # The stubs ask for a whole file object; the parser only calls read(), which _HeaderWatch has.
        post, files = _KeepOddNames(META, watched, others, encoding).parse()  # type: ignore[arg-type]
        for field in watched.nameless:
            if any(post.getlist(field)):  # an empty file input in a browser form sends an empty part: fine
                raise NamelessFile(field)
        return post, files

    def receive_data_chunk(self, raw_data, start):
        return raw_data

    def file_complete(self, file_size):
        return None


class _KeepOddNames(MultiPartParser):
    def sanitize_file_name(self, file_name):
        return super().sanitize_file_name(file_name) or UNNAMED


class _HeaderWatch:
    """The body passed through unchanged, noting the fields of parts that name a file with an empty name."""

    def __init__(self, stream) -> None:
        self.stream = stream
        self.nameless: set[str] = set()
        self.tail = b""

    def read(self, size=-1):
        data = self.stream.read(size)
        seen = self.tail + data
        self.nameless.update(match.group(1).decode("utf-8", "replace") for match in _NAMELESS.finditer(seen))
        self.tail = seen[-_WINDOW:]
        return data


def upload_problem(exc: MultiPartParserError) -> str:
    """What was wrong with a multipart body, and what to do, in the reader's language."""
    if isinstance(exc, NamelessFile):
        return _(
            "A file in “%(field)s” was sent without a file name, so it could not be read as a file. Give the "
            "file a name and send it again."
        ) % {"field": exc.field}
    if "header size" in str(exc):
        return _(
            "One part of the upload has headers longer than 1 KB, usually because of a very long file name. "
            "Rename the file to something shorter and send it again."
        )
    return _(
        "The upload could not be read: its multipart form data is malformed. Send the form again; if you "
        "build the request yourself, check the boundary and each part's headers."
    )
