"""pytest plugin: an S3-compatible server on loopback, and storages that use it (OPS-2).

Register it with ``pytest_plugins = ["inspiracle.pipeline.pytest_s3"]``. The server (moto, in this process)
starts the first time a test asks for ``s3_storage``; that test then runs with both storages on a fresh bucket
instead of the tmp folders of ``fresh_storage``. Nothing leaves loopback and no real AWS credentials are read.
"""

import logging
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

REGION = "us-east-1"
# moto accepts any keys; explicit fake ones mean boto3 never goes looking for real ones.
ACCESS_KEY = "testing"
SECRET_KEY = "testing"

# Where boto3 would otherwise find credentials, a profile or an endpoint: none of it may leak into the tests.
_UNSET = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_S3_SESSION_PROFILE",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_S3",
)


def _isolate(mp: pytest.MonkeyPatch) -> None:
    for name in _UNSET:
        mp.delenv(name, raising=False)
    # No ~/.aws files and no instance metadata service (a network call, and real credentials on a cloud VM).
    mp.setenv("AWS_CONFIG_FILE", os.devnull)
    mp.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    mp.setenv("AWS_EC2_METADATA_DISABLED", "true")
    # A proxy configured for the machine must not see loopback traffic (boto3 and urllib both honour this).
    for name in ("NO_PROXY", "no_proxy"):
        mp.setenv(name, ",".join(filter(None, [os.environ.get(name), "127.0.0.1"])))


@pytest.fixture(scope="session")
def s3_server() -> Iterator[str]:
    """moto's S3 on 127.0.0.1 and a free port, for the whole session; yields its endpoint URL."""
    # werkzeug logs every request at INFO: a failing test's captured log would drown in them.
    werkzeug = logging.getLogger("werkzeug")
    level = werkzeug.level
    werkzeug.setLevel(logging.WARNING)
    with pytest.MonkeyPatch.context() as mp:
        _isolate(mp)
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        host, port = server.get_host_and_port()
        try:
            yield f"http://{host}:{port}"
        finally:
            server.stop()
            werkzeug.setLevel(level)


@pytest.fixture(scope="session")
def s3_client(s3_server: str):
    """A plain boto3 client on the test server (made once: a boto3 session takes a few hundred ms to load)."""
    session = boto3.session.Session(
        aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY, region_name=REGION
    )
    return session.client("s3", endpoint_url=s3_server)


def s3_options(*, bucket: str, endpoint: str, location: str) -> dict[str, Any]:
    """The OPTIONS config/settings.py gives S3Storage when S3_BUCKET is set, pointed at the test server."""
    return {
        "bucket_name": bucket,
        "endpoint_url": endpoint,
        "region_name": REGION,
        "access_key": ACCESS_KEY,
        "secret_key": SECRET_KEY,
        "default_acl": "private",
        "querystring_auth": True,
        "querystring_expire": 300,
        "file_overwrite": False,
        "signature_version": "s3v4",
        "location": location,
    }


@dataclass
class S3Bucket:
    """The bucket a test's storages write to, and a plain boto3 client to look inside it (``object_keys``)."""

    name: str
    endpoint: str
    client: Any

    def object_keys(self, prefix: str = "") -> list[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.name, Prefix=prefix)
        return sorted(item["Key"] for page in pages for item in page.get("Contents", []))


@pytest.fixture
def s3_storage(settings, s3_server: str, s3_client) -> Iterator[S3Bucket]:
    """Both storages ("default" under media/, "private" under private/) on a new, empty bucket."""
    bucket = S3Bucket(name=f"test-{uuid.uuid4().hex[:16]}", endpoint=s3_server, client=s3_client)
    s3_client.create_bucket(Bucket=bucket.name)
    # Assigning (not mutating) STORAGES sends setting_changed, which drops the cached storage instances.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": s3_options(bucket=bucket.name, endpoint=s3_server, location="media"),
        },
        "private": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": s3_options(bucket=bucket.name, endpoint=s3_server, location="private"),
        },
    }
    yield bucket
    # moto keeps every bucket in memory for the session: empty and drop this one.
    for key in bucket.object_keys():
        s3_client.delete_object(Bucket=bucket.name, Key=key)
    s3_client.delete_bucket(Bucket=bucket.name)
