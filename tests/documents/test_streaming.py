"""Files are streamed, never held whole in memory (uploads up to 310 MB, such as a meeting's audio), and
checked against the SHA-256 taken at upload when read back: a damaged file is refused with a clear
message, logged and audited. On disk and on the S3 emulator (moto)."""
import hashlib
import io
import tempfile
import tracemalloc

import pytest
from sqlalchemy import select

from safetycouncil.audit.models import AuditEntry
from safetycouncil.documents.download import send_document
from safetycouncil.documents.models import Document
from safetycouncil.documents.services import store_document
from safetycouncil.extensions import db
from safetycouncil.storage import DiskStorage, S3Storage, storage

MB = 1024 * 1024


def _large_pdf(size: int):
    """A seekable file on disk of ``size`` bytes that passes as a PDF (as Werkzeug spools an upload)."""
    handle = tempfile.TemporaryFile()
    handle.write(b"%PDF-1.4\n")
    block = bytes(range(256)) * 4096  # 1 MiB
    while handle.tell() + len(block) <= size:
        handle.write(block)
    handle.write(b"\n" * (size - handle.tell()))
    handle.seek(0)
    return handle


def _sha256(handle) -> str:
    handle.seek(0)
    digest = hashlib.sha256()
    while block := handle.read(MB):
        digest.update(block)
    handle.seek(0)
    return digest.hexdigest()


@pytest.fixture(params=["disk", "s3"])
def backend(request, app, tmp_path):
    """Each test runs against files on disk and against S3 (moto's in-process emulator)."""
    original = app.extensions["kvsp_storage"]
    if request.param == "disk":
        app.extensions["kvsp_storage"] = DiskStorage(str(tmp_path / "files"))
        yield request.param
    else:
        from moto import mock_aws

        with mock_aws():
            s3 = S3Storage("kvsp-streaming", None, "us-east-1")
            s3.client.create_bucket(Bucket="kvsp-streaming")
            app.extensions["kvsp_storage"] = s3
            yield request.param
    app.extensions["kvsp_storage"] = original


def test_a_large_file_goes_in_and_out_a_chunk_at_a_time(app, backend, in_tenant):
    size = 64 * MB
    with _large_pdf(size) as upload, in_tenant("elbasan"):
        expected = _sha256(upload)
        tracemalloc.start()
        document = store_document("Regjistrimi audio", "regjistrimi.pdf", upload, uploaded_by_id=None,
                                  max_bytes=310 * MB)
        _, peak_in = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert (document.size_bytes, document.sha256) == (size, expected)

        with app.test_request_context():
            tracemalloc.start()
            response = send_document(document)
            digest, received, largest = hashlib.sha256(), 0, 0
            for block in response.response:
                digest.update(block)
                received += len(block)
                largest = max(largest, len(block))
            _, peak_out = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        assert response.headers["Content-Length"] == str(size)
        assert (received, digest.hexdigest()) == (size, expected)
        assert largest <= MB  # sent a chunk at a time
        if backend == "s3":  # uploaded in parts (a multipart upload's ETag ends with the number of parts)
            head = storage().client.head_object(Bucket="kvsp-streaming", Key=document.storage_key)
            assert head["ETag"].strip('"').rsplit("-", 1)[-1] == "8"  # 64 MiB in parts of 8 MiB
    if backend == "disk":  # (moto keeps S3 objects in this process's memory: nothing to measure there)
        # a few chunks of 1 MiB at most: never the 64 MiB file
        assert peak_in < 8 * MB, peak_in
        assert peak_out < 8 * MB, peak_out


def test_a_large_upload_through_http_is_stored_and_downloaded_whole(app, client, backend, make_user, login,
                                                                    in_tenant):
    secretary = make_user("technical_secretary", municipality="elbasan")
    login(client, secretary)
    with _large_pdf(12 * MB) as upload:
        expected = _sha256(upload)
        response = client.post("/elbasan/documents/", data={"title": "Materiali", "file": (upload, "materiali.pdf")},
                               content_type="multipart/form-data")
    assert response.status_code == 302
    with in_tenant("elbasan") as session:
        document = session.execute(select(Document)).scalars().all()[-1]
        assert document.sha256 == expected and document.size_bytes == 12 * MB
        document_id = document.id
    download = client.get(f"/elbasan/documents/{document_id}/download")
    assert download.status_code == 200 and download.is_streamed
    assert hashlib.sha256(download.data).hexdigest() == expected


def test_a_damaged_file_is_refused_with_a_clear_message_and_recorded(app, client, backend, make_user, login,
                                                                     in_tenant, api_token):
    secretary = make_user("technical_secretary", municipality="elbasan")
    login(client, secretary)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    with in_tenant("elbasan"):
        document = store_document("Vendimi", "vendimi.pdf", pdf, uploaded_by_id=secretary.id)
        key, document_id = document.storage_key, document.id
    with app.app_context():
        storage().put(key, pdf.replace(b"endobj", b"endobX"), "application/pdf")  # one byte changed in storage
    page = client.get(f"/elbasan/documents/{document_id}/download")
    assert page.status_code == 409
    assert "Ky skedar është i dëmtuar" in page.get_data(as_text=True)
    api = client.get(f"/api/v1/municipalities/elbasan/documents/{document_id}/content", headers=api_token(secretary))
    assert api.status_code == 409 and "damaged" not in api.get_json()["message"]  # Albanian by default
    with app.app_context():
        entries = db.session.execute(select(AuditEntry).where(AuditEntry.action == "stored_file_damaged")).scalars().all()
    assert len(entries) == 2 and entries[0].entity_id == str(document_id) and entries[0].user_id == secretary.id
    assert entries[0].changes["sha256_expected"] == hashlib.sha256(pdf).hexdigest()
    with app.app_context():
        storage().put(key, pdf[:-5], "application/pdf")  # truncated
    assert client.get(f"/elbasan/documents/{document_id}/download").status_code == 409
