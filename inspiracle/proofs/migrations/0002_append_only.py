from django.db import migrations

from inspiracle.core.db import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("proofs", "0001_initial")]
    operations = [
        AppendOnly("proofs_proofleaf", block_delete=True),
        AppendOnly("proofs_treehead", block_delete=True),
    ]
