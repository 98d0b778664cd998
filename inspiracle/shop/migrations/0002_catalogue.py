from django.db import migrations

from inspiracle.shop.catalogue import catalogue_install


def install(apps, schema_editor):
    catalogue_install(apps)


class Migration(migrations.Migration):
    dependencies = [("shop", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
