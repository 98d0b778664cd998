"""Personal access tokens get scopes and always expire.

Existing tokens keep what they could do so that running scripts do not break: ``read write``, plus ``staff``
for a staff member's token. Each now expires: a token without an end date ends API_TOKEN_DEFAULT_DAYS after
this migration, one that ended later than API_TOKEN_MAX_DAYS from now ends then."""

from datetime import timedelta

from django.conf import settings
from django.db import migrations, models
from django.db.models import Q
from django.utils import timezone


def scopes_and_ends(apps, schema_editor):
    # PostgreSQL: the updates below would leave deferred foreign-key checks pending, and the ALTER TABLE that
    # follows in this transaction refuses to run while any are ("pending trigger events"). Check them now.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    ApiToken = apps.get_model("accounts", "ApiToken")
    now = timezone.now()
    latest = now + timedelta(days=settings.API_TOKEN_MAX_DAYS)
    ApiToken.objects.exclude(user__staff_role="").update(scopes="read write staff")
    ApiToken.objects.filter(expires_at__isnull=True).update(
        expires_at=now + timedelta(days=settings.API_TOKEN_DEFAULT_DAYS)
    )
    ApiToken.objects.filter(expires_at__gt=latest).update(expires_at=latest)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_signin_throttle_counts_in_core_ratelimit"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="scopes",
            field=models.CharField(default="read write", max_length=40),
            preserve_default=False,
        ),
        migrations.RunPython(scopes_and_ends, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(),
        ),
        migrations.AddConstraint(
            model_name="apitoken",
            constraint=models.CheckConstraint(condition=~Q(scopes=""), name="api_token_has_scopes"),
        ),
    ]
