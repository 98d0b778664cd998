"""The platform's WSGI application with a bare template view added (bench/shop.py compares with it)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from django.conf import settings  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
settings.ROOT_URLCONF = "bench.shop_urls"  # before the first request builds the resolver
