"""Document storage behind one interface: local disk by default, S3 in production.

Keys are built per municipality by ``object_key`` and nowhere else, so one
municipality's files can never be addressed through another's records.
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from flask import current_app


def safe_filename(name: str) -> str:
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip(".-")
    return name[:120] or "file"


CHUNK_BYTES = 1024 * 1024  # files move through memory a chunk at a time, never whole


def municipality_prefix(municipality_id: int) -> str:
    """Where every object of one municipality lives: ``keys(municipality_prefix(id))`` lists them."""
    return f"municipalities/{int(municipality_id)}/"


def object_key(municipality_id: int | None, kind: str, filename: str) -> str:
    owner = municipality_prefix(municipality_id).rstrip("/") if municipality_id else "national"
    return f"{owner}/{kind}/{uuid.uuid4().hex}-{safe_filename(filename)}"


class DiskStorage:
    def __init__(self, root: str):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents:
            raise ValueError("invalid storage key")
        return path

    def put(self, key: str, data: bytes, content_type: str) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    def put_stream(self, key: str, stream: BinaryIO, content_type: str) -> None:
        """Copy a file into storage a chunk at a time; a half-written file is never left under the key."""
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(handle, "wb") as out:
                shutil.copyfileobj(stream, out, CHUNK_BYTES)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def chunks(self, key: str, size: int = CHUNK_BYTES) -> Iterator[bytes]:
        with self._path(key).open("rb") as source:
            while block := source.read(size):
                yield block

    def get(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self._path(key).exists()

    def keys(self, prefix: str = ""):
        """Every stored key, or those that start with ``prefix``, in order."""
        base = self._path(prefix.rsplit("/", 1)[0]) if "/" in prefix else self.root
        if not base.exists():
            return
        for path in sorted(p for p in base.rglob("*") if p.is_file()):
            key = path.relative_to(self.root).as_posix()
            if key.startswith(prefix):
                yield key


class S3Storage:
    def __init__(self, bucket: str, endpoint_url: str | None, region: str):
        import boto3

        self.bucket = bucket
        self.client = boto3.client("s3", endpoint_url=endpoint_url, region_name=region)

    def put(self, key: str, data: bytes, content_type: str) -> None:
        self.client.put_object(Bucket=self.bucket, Key=key, Body=data, ContentType=content_type)

    def put_stream(self, key: str, stream: BinaryIO, content_type: str) -> None:
        """Upload a file in parts (multipart above a few MB), never whole in memory."""
        from boto3.s3.transfer import TransferConfig

        self.client.upload_fileobj(stream, self.bucket, key, ExtraArgs={"ContentType": content_type},
                                   Config=TransferConfig(multipart_chunksize=8 * CHUNK_BYTES, max_concurrency=2))

    def chunks(self, key: str, size: int = CHUNK_BYTES) -> Iterator[bytes]:
        body = self.client.get_object(Bucket=self.bucket, Key=key)["Body"]
        try:
            yield from body.iter_chunks(size)
        finally:
            body.close()

    def get(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=key)

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=key)
            return True
        except ClientError:
            return False

    def keys(self, prefix: str = ""):
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
            for item in page.get("Contents", []):
                yield item["Key"]


def init_app(app) -> None:
    cfg = app.config
    if cfg["STORAGE_BACKEND"] == "s3":
        backend = S3Storage(cfg["S3_BUCKET"], cfg["S3_ENDPOINT_URL"], cfg["S3_REGION"])
    else:
        backend = DiskStorage(cfg["STORAGE_DIR"])
    app.extensions["kvsp_storage"] = backend


def storage() -> DiskStorage | S3Storage:
    return current_app.extensions["kvsp_storage"]
