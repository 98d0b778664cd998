"""The profile page and the portfolio read the public profile in one plain SQL statement
(``selectors.public_profile_get``): it must say exactly what the API's profile says, and no more (PRV-6)."""

import pytest
from django.test import Client

from inspiracle.accounts.models import User
from inspiracle.accounts.selectors import profile_get_public, profile_public_fields, public_profile_get
from inspiracle.core.errors import NotFound

pytestmark = pytest.mark.django_db


def test_the_pages_read_the_same_public_profile_as_the_api(ana, ben):
    """REQ: PRV-6: only what the owner chose to show; the badge, the account type and the date joined, with
    its time zone, as the ORM reads them."""
    profile = ana.profile
    profile.bio, profile.location, profile.website = "Paints rain.", "Hangzhou", "https://ana.example"
    profile.show_bio, profile.show_location, profile.show_website, profile.show_joined = (
        True,
        False,
        True,
        False,
    )
    profile.avatar.name = "avatars/ana.webp"
    profile.save()
    for user in (ana, ben):
        fields = profile_public_fields(profile_get_public(user.username))
        public = public_profile_get(user.username.upper())
        assert public.user_id == user.pk
        assert {name: value for name, value in vars(public).items() if name != "user_id"} == fields
    assert public_profile_get("ana").location is None and public_profile_get("ana").joined is None
    assert public_profile_get("ben_brand").verified is True and public_profile_get("ben_brand").joined.tzinfo


def test_a_closed_or_unknown_account_has_no_profile_page_or_portfolio(ana):
    User.objects.filter(pk=ana.pk).update(is_active=False)
    for name in ("ana", "nobody"):
        with pytest.raises(NotFound):
            public_profile_get(name)
        assert Client().get(f"/u/{name}/").status_code == 404
        assert Client().get(f"/u/{name}/works/").status_code == 404


def test_the_portfolio_shows_the_badge_and_links_the_profile(ben):
    """REQ: ACC-2"""
    page = Client().get(f"/u/{ben.username}/works/").content.decode()
    assert 'class="verified"' in page and f'href="/u/{ben.username}/"' in page
