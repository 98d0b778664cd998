import io
import json
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from inspiracle.accounts.services import protected_name_add
from inspiracle.core.errors import ApplicationError
from inspiracle.core.testing import EICAR, image_bytes, make_user, png_with_text_chunk

pytestmark = pytest.mark.django_db


def test_a_user_corrects_registration_information_at_any_time(
    ana, client_for, django_capture_on_commit_callbacks
):
    """REQ: REG-6 (a new email address counts once the link mailed to it is opened)"""
    client = client_for(ana)
    page = client.get("/accounts/me/registration/").content.decode()
    assert "ana 真名" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/me/registration/",
            {
                "legal_name": "林安娜",
                "mailing_address": "杭州市西湖区 1 号",
                "mobile": "13700001111",
                "landline": "",
                "email": "ana@new.example",
            },
        )
    assert response.status_code == 302
    ana.registration.refresh_from_db()
    assert (ana.registration.legal_name, ana.registration.mobile) == ("林安娜", "+8613700001111")
    assert client.get("/api/me/registration").json()["email"] == "ana@example.com"  # until confirmed
    assert mail.outbox[-1].to == ["ana@new.example"]
    link = re.search(r"https?://\S+/accounts/email/confirm/\S+/", mail.outbox[-1].body).group(0)
    assert Client().post(urlsplit(link).path).status_code == 302
    assert client.get("/api/me/registration").json()["email"] == "ana@new.example"


def test_registration_information_of_another_user_is_never_reachable(ana, cy, client_for):
    """REQ: PRV-3, REG-6"""
    response = client_for(cy).get("/api/me/registration")
    assert response.json()["legal_name"] == "cy 真名"
    assert "ana" not in json.dumps(response.json())


def test_the_public_profile_shows_only_what_the_owner_chose(ana, client_for):
    """REQ: PRV-6"""
    client = client_for(ana)
    client.post(
        "/accounts/me/profile/",
        {
            "display_name": "安娜画室",
            "bio": "插画师",
            "location": "杭州",
            "website": "https://ana.example",
            "show_bio": "on",
        },
    )
    public = Client().get("/api/profiles/ana").json()
    assert public["display_name"] == "安娜画室" and public["bio"] == "插画师"
    assert public["location"] is None and public["website"] is None and public["joined"] is None
    page = Client().get("/u/ana/").content.decode()
    assert "安娜画室" in page and "杭州" not in page
    for private in ("ana 真名", "139", "景山前街", "ana@example.com"):
        assert private not in page and private not in json.dumps(public)


@pytest.mark.parametrize(
    "name",
    [
        "Inspiracle",
        "lnspiracle",
        "INSPIRACLE 官方",
        "Ｉｎｓｐｉｒａｃｌｅ",
        "Insp1racle Store",
        "Іnspiracle",
        "Ins\u200bpiracle",
        "Inspiracle官方",
    ],
)
def test_a_display_name_imitating_a_protected_name_is_refused(ana, client_for, name):
    """REQ: ACC-1"""
    protected_name_add(actor=None, name="Inspiracle")
    response = client_for(ana).patch(
        "/api/me/profile", json.dumps({"display_name": name}), content_type="application/json"
    )
    assert response.status_code == 400
    assert "too close to 'Inspiracle'" in response.json()["error"]["fields"]["display_name"][0]


def test_a_display_name_imitating_a_verified_account_is_refused_but_its_owner_keeps_it(ana, ben, client_for):
    """REQ: ACC-1, ACC-2"""
    client_for(ben).patch(
        "/api/me/profile", json.dumps({"display_name": "奔牌文创"}), content_type="application/json"
    )
    copycat = client_for(ana).patch(
        "/api/me/profile", json.dumps({"display_name": "奔牌文创官方店"}), content_type="application/json"
    )
    assert copycat.status_code == 400
    with pytest.raises(ApplicationError) as refused:
        make_user("ben_brando")
    assert "too close to" in refused.value.fields["username"][0]
    fine = client_for(ana).patch(
        "/api/me/profile", json.dumps({"display_name": "安娜"}), content_type="application/json"
    )
    assert fine.status_code == 200


def test_verified_accounts_carry_a_badge(ben, ana):
    """REQ: ACC-2"""
    assert "✓" in Client().get("/u/ben_brand/").content.decode()
    assert Client().get("/api/profiles/ben_brand").json()["verified"] is True
    assert "✓" not in Client().get("/u/ana/").content.decode()


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (640, 480), (200, 80, 40))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (31.0, 14.0, 0.0), 3: "E", 4: (121.0, 28.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_an_avatar_is_re_encoded_square_without_metadata(ana, client_for):
    """REQ: PRV-6"""
    client = client_for(ana)
    upload = SimpleUploadedFile("me.jpg", jpeg_with_gps(), content_type="image/jpeg")
    profile = client.post("/api/me/avatar", {"avatar": upload}).json()
    from django.core.files.storage import default_storage

    name = profile["avatar_url"].removeprefix("/media/")
    with default_storage.open(name) as stored:
        image = Image.open(stored)
        assert image.format == "WEBP" and image.size == (256, 256)
        assert not image.getexif() and "exif" not in image.info


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "SVG"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "damaged"),
    ],
)
def test_a_bad_avatar_file_is_refused_with_a_reason(ana, client_for, content, message):
    """REQ: PRV-6, WRK-2: avatars go through the same checks as works."""
    response = client_for(ana).post("/api/me/avatar", {"avatar": SimpleUploadedFile("a.png", content)})
    assert response.status_code in (400, 422)
    assert message in json.dumps(response.json()) or response.status_code == 422


def test_hostile_profile_input_is_refused_field_by_field(ana, client_for):
    """REQ: PRV-6, UX-2"""
    client = client_for(ana)
    too_long = client.patch(
        "/api/me/profile", json.dumps({"bio": "x" * 5000}), content_type="application/json"
    )
    assert "bio" in too_long.json()["error"]["fields"]
    script = client.patch(
        "/api/me/profile", json.dumps({"website": "javascript:alert(1)"}), content_type="application/json"
    )
    assert "website" in script.json()["error"]["fields"]
    broken = client.patch("/api/me/profile", "{oops", content_type="application/json")
    assert broken.status_code == 400 and "not valid JSON" in broken.json()["error"]["message"]
    huge = client.post(
        "/api/me/avatar", {"avatar": SimpleUploadedFile("big.jpg", b"\xff\xd8\xff" + b"0" * 6_000_000)}
    )
    assert "the limit is 5" in huge.json()["error"]["message"]
    ana.profile.refresh_from_db()
    assert ana.profile.bio == "" and not ana.profile.avatar


def test_an_avatar_copying_a_verified_accounts_avatar_is_refused(ana, ben, client_for):
    """REQ: ACC-1
    GIVEN Ben, a verified organization, with an avatar
    WHEN Ana uploads a resized, recompressed copy of it
    THEN it is refused, naming the account it imitates; a picture of her own is accepted."""
    logo = image_bytes("PNG", size=(512, 512), seed=77)
    assert (
        client_for(ben).post("/api/me/avatar", {"avatar": SimpleUploadedFile("logo.png", logo)}).status_code
        == 200
    )
    copy = io.BytesIO()
    Image.open(io.BytesIO(logo)).convert("RGB").resize((300, 300)).save(copy, "JPEG", quality=70)
    refused = client_for(ana).post(
        "/api/me/avatar", {"avatar": SimpleUploadedFile("me.jpg", copy.getvalue())}
    )
    assert refused.status_code == 400
    assert "@ben_brand" in refused.json()["error"]["message"]
    own = client_for(ana).post(
        "/api/me/avatar", {"avatar": SimpleUploadedFile("me.png", image_bytes(seed=5))}
    )
    assert own.status_code == 200


def test_an_avatar_carrying_malware_is_refused(ana, client_for):
    """REQ: ACC-1, WRK-2"""
    refused = client_for(ana).post(
        "/api/me/avatar", {"avatar": SimpleUploadedFile("a.png", png_with_text_chunk(EICAR))}
    )
    assert refused.status_code == 400
    assert "Eicar-Test-Signature" in refused.json()["error"]["message"]


@pytest.mark.parametrize(
    "name",
    [
        "奔牌文创有限公司",
        "奔牌文創有限公司",
        "奔牌文創有限公司 官方店",
        "奔牌 文创有限公司",
        "奔牌文創",
        "奔牌文创官方店",
    ],
)
def test_a_verified_organizations_registered_name_is_refused_as_another_users_display_name(
    ana, ada, client_for, name
):
    """REQ: ACC-1
    GIVEN a verified organization registered as 奔牌文创有限公司, shown under another display name
    WHEN another user takes its registered name as display name, in Simplified or Traditional characters
    THEN it is refused; the organization itself may use it."""
    from inspiracle.accounts.services import account_verify

    org = make_user("benpai", kind="organization", legal_name="奔牌文创有限公司")
    account_verify(actor=ada, user=org, verified=True, reason="certificate checked")
    refused = client_for(ana).patch(
        "/api/me/profile", json.dumps({"display_name": name}), content_type="application/json"
    )
    assert refused.status_code == 400
    assert "too close to '奔牌文创有限公司'" in refused.json()["error"]["fields"]["display_name"][0]
    own = client_for(org).patch(
        "/api/me/profile", json.dumps({"display_name": "奔牌文創有限公司"}), content_type="application/json"
    )
    assert own.status_code == 200


def test_registered_names_of_unverified_organizations_and_of_people_are_not_compared(ana, ada, client_for):
    """REQ: ACC-1 — a person's legal name is private: refusing names by it would reveal it."""
    from inspiracle.accounts.services import account_verify

    make_user("pending_org", kind="organization", legal_name="未审核文化有限公司")
    person = make_user("wang", legal_name="王小明")
    account_verify(actor=ada, user=person, verified=True, reason="notable creator")
    generic = make_user("wenchuang", kind="organization", legal_name="文创有限公司")
    account_verify(actor=ada, user=generic, verified=True, reason="certificate checked")
    # Without its legal form "文创" is too short to be anyone's: a shop named 文创小店 imitates no one.
    for name in ("未审核文化有限公司", "王小明", "文创小店"):
        response = client_for(ana).patch(
            "/api/me/profile", json.dumps({"display_name": name}), content_type="application/json"
        )
        assert response.status_code == 200, name


def test_a_protected_name_is_matched_across_traditional_and_simplified_characters(ana, client_for):
    """REQ: ACC-1"""
    protected_name_add(actor=None, name="灵感平台")
    response = client_for(ana).patch(
        "/api/me/profile", json.dumps({"display_name": "靈感平臺"}), content_type="application/json"
    )
    assert response.status_code == 400
    with pytest.raises(ApplicationError):
        protected_name_add(actor=None, name="靈感平臺")


def test_stored_skeletons_are_folded_by_the_migration_and_duplicate_protected_names_kept_once(ana):
    import importlib

    from django.apps import apps

    from inspiracle.accounts.models import Profile, ProtectedName

    migration = importlib.import_module(
        "inspiracle.accounts.migrations.0007_fold_traditional_chinese_in_name_skeletons"
    )
    ProtectedName.objects.create(name="奔牌文創", skeleton="奔牌文創")
    ProtectedName.objects.create(name="奔牌文创", skeleton="奔牌文创")
    Profile.objects.filter(user=ana).update(display_name="安娜畫室", display_name_skeleton="安娜畫室")
    migration.recompute(apps, None)
    assert list(ProtectedName.objects.values_list("name", "skeleton")) == [("奔牌文創", "奔牌文创")]
    assert Profile.objects.get(user=ana).display_name_skeleton == "安娜画室"
