"""The phrases that fill a refusal's ``detected`` and ``detail`` (pipeline/errors.py). They are stored in
English with the file's row and translated when the reason is shown; listing them here puts them in the
translation catalogue. A test checks that every phrase the hostile corpus produces is listed."""

from django.utils.translation import gettext_noop as _

PHRASES = (
    # What a file is, by its content (checks/sniffing.py, checks/hidden.py).
    _("a ZIP archive"),
    _("a RAR archive"),
    _("a 7-Zip archive"),
    _("a gzip archive"),
    _("a PDF document"),
    _("a PostScript document"),
    _("an Office document"),
    _("an executable program"),
    _("a video"),
    _("a sound or video file"),
    _("a sound file"),
    _("an HTML page"),
    _("an SVG drawing"),
    _("a PHP script"),
    _("an XML document"),
    _("a script"),
    _("plain text"),
    _("text or script code"),
    _("HTML or script code"),
    _("an unknown kind of file"),
    # What is wrong with an image (checks/layout.py, imaging.py).
    _("the file ends before the image data does"),
    _("the picture data is corrupt"),
    _("the image header is missing"),
    _("a checksum does not match, so the file changed after it was saved"),
    _("a text note in the file is too large to unpack safely"),
    _("the picture data is larger than the image size allows"),
    _("the picture data is smaller than the image size needs"),
    _("it stores its pixels in a way we cannot read"),
    _("its list of pages loops back on itself"),
    _("the file ends before the picture does"),
    _("the picture data cannot be read"),
    _("processing it failed again and again"),
    _("reading it needs more memory than we allow"),
    # Why the scanner could not answer (clamav.py, tasks.py).
    _("the file is larger than the scanner accepts"),
    _("the file is too large or too deeply packed to scan"),
    _("the scanner reported an error"),
    _("the malware scanner is not reachable"),
)
