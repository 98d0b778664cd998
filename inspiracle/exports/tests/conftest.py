"""Seeding a user with one row of every kind an archive holds, each carrying a marker, so that a test can
prove an archive holds exactly its owner's rows: every marker of theirs, none of anyone else's."""

from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from inspiracle.accounts.models import ApiToken, UserSession
from inspiracle.agreements.models import Version
from inspiracle.core.storage import private
from inspiracle.licensing.models import ContactDisclosure, Deal, LicenceRequest, Proposal
from inspiracle.messaging.models import Message, Participant, Thread
from inspiracle.notifications.models import Notification
from inspiracle.reports.models import CounterNotice, Report, ReportItem
from inspiracle.shop.models import (
    LedgerAccount,
    LedgerEntry,
    LedgerTransaction,
    Order,
    OrderLine,
    Product,
    ProductType,
)
from inspiracle.works.models import Work, WorkFile


def seed_user(user, other, mark: str, *, original: bytes | None = None) -> dict:
    """One row of each kind for ``user`` (``other`` is the counterpart of the deal and the thread), each with
    ``mark`` in a text field; returns the original file's bytes under "original"."""
    now = timezone.now()
    n = user.pk
    work = Work.objects.create(
        owner=user,
        title=f"{mark} work",
        category="illustration",
        ai_use="none",
        rights_confirmed_at=now,
        licence_version=Version.objects.earliest("pk"),
    )
    data = original if original is not None else f"{mark} original bytes".encode() * 100
    name = private.save(f"works/{work.pk}/seed/original", ContentFile(data))
    WorkFile.objects.create(
        work=work, original=name, original_name=f"{mark}.png", size=len(data), format="PNG"
    )
    report = Report.objects.create(
        reference=f"RPT-{mark}",
        category="ip",
        reporter=user,
        email_index=f"i{n}",
        email=f"{mark}@example.com",
    )
    item = ReportItem.objects.create(
        report=report, url="/u/someone/", account=other, content=f"{mark} content", right="copyright"
    )
    CounterNotice.objects.create(item=item, uploader=user, explanation=f"{mark} explanation")
    thread = Thread.objects.create(kind="request", topic=f"{mark} thread")
    Participant.objects.create(thread=thread, user=user)
    Participant.objects.create(thread=thread, user=other)
    Message.objects.create(thread=thread, sender=user, body=f"{mark} message")
    request = LicenceRequest.objects.create(
        reference=f"L-{mark}",
        requester=user,
        creator=other,
        expires_at=now + timedelta(days=7),
        thread=thread,
    )
    proposal = Proposal.objects.create(
        request=request,
        number=1,
        author=user,
        kind="ip_licence",
        intended_use=f"{mark} use",
        product_categories=["apparel"],
        territories=["cn"],
        channels=["online"],
        starts_on=date.today(),
        ends_on=date.today() + timedelta(days=30),
        fee_model="flat",
        flat_fee=100,
    )
    deal = Deal.objects.create(
        reference=f"D-{mark}",
        request=request,
        proposal=proposal,
        licensor=other,
        licensee=user,
        accepted_at=now,
        accepted_by=other,
    )
    ContactDisclosure.objects.create(deal=deal, subject=user, viewer=other, via="page")
    product_type = ProductType.objects.first()
    assert product_type is not None
    product = Product.objects.create(
        reference=f"P{n}{mark[:4]}",
        maker=user,
        work=work,
        product_type=product_type,
        print_area=product_type.print_areas.earliest("pk"),
        title=f"{mark} product",
        placement_x=0.5,
        placement_y=0.5,
        placement_scale=1,
        price_fen=9900,
    )
    order = Order.objects.create(
        reference=f"O{n}{mark[:4]}",
        buyer=user,
        total_fen=9900,
        ship_name=mark,
        ship_phone="1",
        ship_address="x",
    )
    OrderLine.objects.create(
        order=order,
        product=product,
        variant=product_type.variants.earliest("pk"),
        maker=user,
        quantity=1,
        unit_price_fen=9900,
        unit_base_cost_fen=5000,
    )
    account = LedgerAccount.objects.create(kind="available", owner=user)
    txn = LedgerTransaction.objects.create(key=f"{mark}-sale", kind="sale")
    LedgerEntry.objects.create(transaction=txn, account=account, amount_fen=4900)
    Notification.objects.create(
        user=user, kind="work.approved", template="work_approved", params={"title": f"{mark} notice"}
    )
    UserSession.objects.create(
        session_key=f"{mark}-session-key-{n}",
        session_data="secret-session-data",
        expire_date=now + timedelta(days=1),
        user=user,
        ref=f"s{n}",
        user_agent=f"{mark} browser",
    )
    ApiToken.objects.create(
        user=user,
        name=f"{mark} token",
        prefix=f"insp_{n}",
        digest=f"secret-token-digest-{n}",
        scopes="read",
        expires_at=now + timedelta(days=30),
    )
    return {"original": data, "work": work}


@pytest.fixture
def seed():
    return seed_user
