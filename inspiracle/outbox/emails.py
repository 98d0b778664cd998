"""A mail rendered where it is caused (subject and body already in the recipient's language). Prefer a kind
of the owning app that renders at delivery from ids; this one is for mails whose content exists nowhere else."""

from inspiracle.outbox.registry import Email, renderer


@renderer("outbox.rendered")
def rendered(payload: dict) -> Email:
    return Email(to=payload["to"], subject=payload["subject"], body=payload["body"])
