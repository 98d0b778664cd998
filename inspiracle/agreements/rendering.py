import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe


def render_markdown(text: str) -> SafeString:
    """Agreement Markdown to HTML, sanitized: even staff-authored text never carries script into a page."""
    html = markdown.markdown(text, extensions=["sane_lists", "tables"], output_format="html")
    return mark_safe(nh3.clean(html))  # noqa: S308 - sanitized by nh3 just above
