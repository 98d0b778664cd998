"""pytest plugin: every task message any test produces carries ids only (no e-mail address, phone, code,
token or name sits in the broker in clear). Autouse, so each new flow is checked by the tests it already has.

Eager tasks never reach a broker, so the message is taken where it is made: ``Task.apply_async`` (``delay``,
retries) and, for messages to a real broker, the ``before_task_publish`` signal."""

from collections.abc import Iterator

import pytest
from celery.app.task import Task
from celery.signals import before_task_publish

IDS = (int,)  # bool is an int too; ids are never text: text can be anything


def offending(name: str, args, kwargs) -> list[str]:
    values = [*(args or ()), *(kwargs or {}).values()]
    return [
        f"{name}: {type(v).__name__} argument" for v in values if v is not None and not isinstance(v, IDS)
    ]


@pytest.fixture(autouse=True)
def task_messages(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, tuple, dict]]]:
    """The (task name, args, kwargs) of every message made during the test."""
    sent: list[tuple[str, tuple, dict]] = []
    apply_async = Task.apply_async

    def recording(self, args=None, kwargs=None, *rest, **options):
        sent.append((self.name, tuple(args or ()), dict(kwargs or {})))
        return apply_async(self, args, kwargs, *rest, **options)

    def published(sender=None, body=None, **_):
        args, kwargs = (body[0], body[1]) if isinstance(body, list | tuple) else ((), {})
        sent.append((sender, tuple(args), dict(kwargs)))

    monkeypatch.setattr(Task, "apply_async", recording)
    before_task_publish.connect(published, weak=False)
    try:
        yield sent
    finally:
        before_task_publish.disconnect(published)
    problems = [problem for message in sent for problem in offending(*message)]
    assert not problems, f"task messages must carry ids only (PRV-1): {problems}"
