from django.db import migrations

from inspiracle.core.db import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [AppendOnly("audit_auditevent", block_delete=True)]
