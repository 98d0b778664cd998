from django.db import migrations

from inspiracle.core.db import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("agreements", "0001_initial")]
    operations = [AppendOnly("agreements_version"), AppendOnly("agreements_consent")]
