"""Evidence.name held the sender's file name in clear ("身份证_<ID number>.jpg"), also after the purge.

The column becomes text (room for the ciphertext), existing names are encrypted in place, and the names of
documents already purged are emptied. Then the field is the EncryptedTextField (no change to the column)."""

from django.db import migrations, models

import inspiracle.core.fields
from inspiracle.core import crypto

# What EncryptedTextField binds the ciphertext to (``<app label>.<Model>.<field>``).
PURPOSE = "reports.Evidence.name"


def encrypt_names(apps, schema_editor):
    Evidence = apps.get_model("reports", "Evidence")  # here ``name`` is still a plain text field
    Evidence.objects.filter(purged_at__isnull=False).exclude(name="").update(name="")
    rows = Evidence.objects.exclude(name="").exclude(name__startswith=f"{crypto.PREFIX}:")
    for pk, name in list(rows.values_list("pk", "name")):  # read first: no update under an open cursor
        Evidence.objects.filter(pk=pk).update(name=crypto.encrypt(name, purpose=PURPOSE))


def decrypt_names(apps, schema_editor):
    Evidence = apps.get_model("reports", "Evidence")
    rows = Evidence.objects.filter(name__startswith=f"{crypto.PREFIX}:")
    for pk, name in list(rows.values_list("pk", "name")):
        Evidence.objects.filter(pk=pk).update(name=crypto.decrypt(name, purpose=PURPOSE)[:200])


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_email_proof_ip"),
    ]

    operations = [
        migrations.AlterField(
            model_name="evidence", name="name", field=models.TextField(blank=True, default="")
        ),
        migrations.RunPython(encrypt_names, decrypt_names),
        migrations.AlterField(
            model_name="evidence",
            name="name",
            field=inspiracle.core.fields.EncryptedTextField(blank=True, default=""),
        ),
    ]
