"""The bucket's origin in the Content-Security-Policy (PRV-2, OPS-2): the browser follows a preview's
redirect to a signed S3 address only if ``img-src`` names that address's origin."""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import boto3
import pytest
from botocore.config import Config

from inspiracle.core.csp import bucket_origins

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def boto_session():
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AWS_CONFIG_FILE", os.devnull)
        mp.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
        mp.setenv("AWS_EC2_METADATA_DISABLED", "true")
        yield boto3.session.Session(aws_access_key_id="a", aws_secret_access_key="b")


@pytest.mark.parametrize("bucket", ["inspiracle-media", "media.inspiracle.example"])
@pytest.mark.parametrize(
    ("endpoint", "region"),
    [
        (None, None),
        (None, "us-east-1"),
        (None, "eu-west-1"),
        (None, "ap-east-1"),
        (None, "cn-north-1"),
        (None, "cn-northwest-1"),
        (None, "us-gov-west-1"),
        ("http://127.0.0.1:9000", "us-east-1"),
        ("https://minio.inspiracle.example", None),
        ("https://oss-cn-hangzhou.aliyuncs.com", "cn-hangzhou"),
        ("https://cos.ap-shanghai.myqcloud.com", "ap-shanghai"),
    ],
)
def test_the_origins_allowed_include_every_address_botocore_signs(boto_session, bucket, endpoint, region):
    client = boto_session.client(
        "s3", endpoint_url=endpoint, region_name=region, config=Config(signature_version="s3v4")
    )
    url = client.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "private/works/1/x"})
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" in bucket_origins(
        bucket=bucket, endpoint_url=endpoint, region=region
    )


def _img_src(**env) -> list[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("S3_") and k != "DJANGO_SETTINGS_MODULE"}
    code = "from django.conf import settings; import json; print(json.dumps(settings.SECURE_CSP['img-src']))"
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **env, "DJANGO_SETTINGS_MODULE": "config.settings_test"},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def test_the_settings_allow_images_from_the_configured_bucket_and_only_then():
    """REQ: PRV-2, OPS-2"""
    assert _img_src() == ["'self'", "data:"]
    assert _img_src(S3_BUCKET="media", S3_ENDPOINT_URL="https://minio.inspiracle.example:9000") == [
        "'self'",
        "data:",
        "https://minio.inspiracle.example:9000",
        "https://media.minio.inspiracle.example:9000",
    ]
    assert _img_src(S3_BUCKET="media", S3_REGION="cn-north-1", S3_IMAGE_ORIGINS="https://img.cdn.example")[
        2:
    ] == [
        "https://media.s3.amazonaws.com.cn",
        "https://media.s3.cn-north-1.amazonaws.com.cn",
        "https://img.cdn.example",
    ]
