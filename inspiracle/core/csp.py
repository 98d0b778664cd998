"""Where the browser may load images from besides this site: the S3 bucket that signed file addresses point to.

Pure functions of the storage settings (read when settings load, so nothing here imports Django or boto3).
The rules follow the addresses botocore signs (checked against botocore in core/tests/test_csp.py): a
custom endpoint (MinIO, OSS, moto) is addressed path-style at its own origin; AWS puts a DNS-safe bucket in
the host name (the global name, or the regional one after a redirect) and a dotted bucket in the path.
"""

from urllib.parse import urlsplit

S3_BACKEND = "storages.backends.s3.S3Storage"


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def bucket_origins(
    *, bucket: str, endpoint_url: str | None, region: str | None, custom_domain: str = ""
) -> list[str]:
    if custom_domain:
        return [f"https://{custom_domain}"]
    if endpoint_url:
        parts = urlsplit(endpoint_url)
        # Path-style by default; the bucket's own host name too, for a virtual-hosted set-up.
        return [_origin(endpoint_url), f"{parts.scheme}://{bucket}.{parts.netloc}"]
    region = region or "us-east-1"
    suffix = "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com"
    if "." in bucket or bucket.lower() != bucket:
        return [f"https://s3.{suffix}", f"https://s3.{region}.{suffix}"]
    return [f"https://{bucket}.s3.{suffix}", f"https://{bucket}.s3.{region}.{suffix}"]


def s3_image_origins(storages_setting: dict) -> list[str]:
    """The origins of every S3 storage in a STORAGES setting, for CSP ``img-src``."""
    found: list[str] = []
    for config in storages_setting.values():
        if config.get("BACKEND") != S3_BACKEND:
            continue
        options = config.get("OPTIONS", {})
        for origin in bucket_origins(
            bucket=options["bucket_name"],
            endpoint_url=options.get("endpoint_url"),
            region=options.get("region_name"),
            custom_domain=options.get("custom_domain") or "",
        ):
            if origin not in found:
                found.append(origin)
    return found
