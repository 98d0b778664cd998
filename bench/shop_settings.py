"""Settings for bench/shop.py: the platform's own, plus a bare template view to compare with."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.shop_urls"
