"""A production site never takes orders through the built-in test provider by accident (COM-5)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PRODUCTION = {
    "PRODUCTION": "true",
    "SECRET_KEY": "production-like-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "PII_KEYRING": '{"active": "t1", "keys": {"t1": "dGVzdC1rZXktdGVzdC1rZXktdGVzdC1rZXktMzJieXQ="},'
    ' "index_key": "dGVzdC1pbmRleC1rZXktdGVzdC1pbmRleC1rZXktMzI="}',
    "PROOF_SIGNING_KEY": os.environ.get("PROOF_SIGNING_KEY", ""),
    "PAYMENT_WEBHOOK_SECRET": "webhook-secret-0123456789-abcdefghijklmnop",
    "CLAMD_ADDRESS": "tcp://127.0.0.1:9",
    "ALLOWED_HOSTS": "inspiracle.example",
}


def settings_load(tmp_path: Path, **extra: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "PAYMENT_PROVIDER"}}
    env.update(
        PRODUCTION, INSPIRACLE_DATA_DIR=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path / 'p.sqlite3'}"
    )
    env.update(extra)
    code = "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings'; django.setup()"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("extra", "starts"),
    [
        ({}, False),
        ({"PAYMENT_PROVIDER": "inspiracle.payments.providers.test.TestProvider"}, False),
        ({"PAYMENT_TEST_MODE": "true"}, True),
        ({"PAYMENT_PROVIDER": "shop_provider.Alipay"}, True),
    ],
)
def test_production_refuses_the_test_provider_unless_told_it_is_a_staging_site(tmp_path, extra, starts):
    """REQ: COM-5"""
    loaded = settings_load(tmp_path, **extra)
    assert (loaded.returncode == 0) is starts, loaded.stderr[-1500:]
    if not starts:
        assert "PAYMENT_TEST_MODE=true" in loaded.stderr
