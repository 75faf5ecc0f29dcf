"""Documents go through the storage interface (disk by default, S3 in the PostgreSQL pass)."""
import io

from sqlalchemy import select

from safetycouncil.documents.models import Document
from safetycouncil.extensions import db
from safetycouncil.storage import storage
from safetycouncil.tenancy import tenant

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _upload(client, name, data, title="Rregullorja"):
    return client.post("/elbasan/documents/", data={"title": title, "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_upload_and_download_through_the_storage_interface(app, client, make_user, login, municipality_id):
    secretary = make_user("technical_secretary", municipality="elbasan")
    login(client, secretary)
    assert _upload(client, "rregullorja.pdf", PDF).status_code == 302
    with app.app_context(), tenant(municipality_id("elbasan")):
        document = db.session.execute(select(Document)).scalar_one()
        assert document.storage_key.startswith(f"municipalities/{municipality_id('elbasan')}/documents/")
        assert storage().get(document.storage_key) == PDF
        assert type(storage()).__name__ == ("S3Storage" if app.config["STORAGE_BACKEND"] == "s3" else "DiskStorage")
        document_id = document.id
    download = client.get(f"/elbasan/documents/{document_id}/download")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["Content-Type"] == "application/pdf"


def test_another_municipality_cannot_download(app, make_user, login, in_tenant, api_token):
    from safetycouncil.documents.services import store_document

    with in_tenant("elbasan"):
        document_id = store_document("Procesverbal", "pv.pdf", PDF, uploaded_by_id=None).id
    outsider = make_user("technical_secretary", municipality="fier")
    client = app.test_client()
    login(client, outsider)
    assert client.get(f"/elbasan/documents/{document_id}/download").status_code == 404
    assert client.get(f"/fier/documents/{document_id}/download").status_code == 404
    headers = api_token(outsider)
    assert client.get(f"/api/v1/municipalities/fier/documents/{document_id}/content", headers=headers).status_code == 404


def test_refused_files_are_explained_and_nothing_is_kept(app, client, make_user, login, municipality_id):
    secretary = make_user("technical_secretary", municipality="elbasan")
    login(client, secretary)
    cases = [
        ("virus.exe", b"MZ\x90\x00", "nuk pranohen"),
        ("fake.pdf", b"<html>not a pdf</html>", "nuk përputhet"),
        ("empty.pdf", b"", ""),
    ]
    for name, data, phrase in cases:
        response = _upload(client, name, data)
        assert response.status_code == 422, name
        assert phrase in response.get_data(as_text=True), name
    app.config["MAX_CONTENT_LENGTH"], limit = 1024, app.config["MAX_CONTENT_LENGTH"]
    try:
        response = _upload(client, "big.pdf", PDF + b"0" * 4096)
        assert response.status_code == 413
    finally:
        app.config["MAX_CONTENT_LENGTH"] = limit
    with app.app_context(), tenant(municipality_id("elbasan")):
        assert db.session.execute(select(Document)).first() is None


def test_api_upload_with_multipart(app, client, make_user, api_token):
    secretary = make_user("technical_secretary", municipality="elbasan")
    headers = api_token(secretary)
    response = client.post("/api/v1/municipalities/elbasan/documents", headers=headers,
                           data={"title": "Vendimi", "file": (io.BytesIO(PDF), "vendimi.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["title"] == "Vendimi" and body["size_bytes"] == len(PDF)
    content = client.get(f"/api/v1/municipalities/elbasan/documents/{body['id']}/content", headers=headers)
    assert content.data == PDF
    bad = client.post("/api/v1/municipalities/elbasan/documents", headers=headers,
                      data={"file": (io.BytesIO(b"MZ"), "x.exe")}, content_type="multipart/form-data")
    assert bad.status_code == 422 and "file" in bad.get_json()["errors"]
