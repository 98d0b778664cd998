from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, OuterRef
from django.utils import timezone

from inspiracle.accounts.models import User
from inspiracle.standing import SIGN_IN, sanction_model, stopping_q


def signin_blocked(now, outer: str = "pk"):
    """An expression: the user is under a sanction that stops signing in (MOD-5)."""
    return Exists(sanction_model().objects.filter(stopping_q(SIGN_IN, now), user=OuterRef(outer)))


class AccountBackend(ModelBackend):
    """Django's password backend, plus MOD-5 on every request: a session whose user is suspended, terminated
    or reclaimed is no longer signed in. The check rides on the query that loads the user: no extra query."""

    def get_user(self, user_id):
        user = User.objects.annotate(signin_blocked=signin_blocked(timezone.now())).filter(pk=user_id).first()
        if user is None or user.signin_blocked or not self.user_can_authenticate(user):
            return None
        return user
