"""Name skeletons now fold Traditional Chinese to Simplified (ACC-1): recompute the stored ones."""

from django.db import migrations


def recompute(apps, schema_editor):
    from inspiracle.accounts.names import skeleton

    Profile = apps.get_model("accounts", "Profile")
    ProtectedName = apps.get_model("accounts", "ProtectedName")
    for profile in Profile.objects.only("pk", "display_name", "display_name_skeleton").iterator():
        folded = skeleton(profile.display_name)
        if folded != profile.display_name_skeleton:
            Profile.objects.filter(pk=profile.pk).update(display_name_skeleton=folded)
    seen = set()
    for protected in ProtectedName.objects.order_by("pk"):
        folded = skeleton(protected.name)
        if folded in seen:
            # "奔牌文創" and "奔牌文创" were two rows; folded they protect one name, kept once (the first).
            protected.delete()
            continue
        seen.add(folded)
        if folded != protected.skeleton:
            # Cleared first so a row taking another's old skeleton never collides with the unique index.
            ProtectedName.objects.filter(pk=protected.pk).update(skeleton=f"#{protected.pk}")
    for protected in ProtectedName.objects.filter(skeleton__startswith="#"):
        ProtectedName.objects.filter(pk=protected.pk).update(skeleton=skeleton(protected.name))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_api_token_scopes_and_expiry")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
