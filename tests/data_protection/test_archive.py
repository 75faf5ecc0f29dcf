"""A municipality's data archive: its rows and files only, checksums that match, downloads only for those
who may, every export and download in the audit trail."""
import hashlib
import io
import json
import zipfile
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from safetycouncil.audit.models import AuditEntry
from safetycouncil.concerns.models import Concern
from safetycouncil.council.models import CouncilMember
from safetycouncil.data_protection.archive import (
    EXCLUDED_TABLES,
    delete_expired_archives,
    tenant_table_names,
)
from safetycouncil.data_protection.models import DataArchive
from safetycouncil.documents.models import Document
from safetycouncil.documents.services import store_document
from safetycouncil.extensions import db
from safetycouncil.storage import storage
from safetycouncil.tenancy import tenant
from safetycouncil.timeutil import utcnow

TAGS = {"elbasan": "zz-elbasan-q7", "fier": "zz-fier-k3"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def two_municipalities(app, in_tenant, make_user):
    """Rows in (nearly) every tenant table of Elbasan and of Fier, each marked with its own tag: the
    isolation sweep's factories, plus a concern with a citizen's contact, a member with contacts and a document."""
    from tests.tenancy.test_isolation_sweep import ID_FACTORIES

    staff = {slug: make_user("technical_secretary", municipality=slug, email=f"sekretari.{TAGS[slug]}@example.al")
             for slug in TAGS}
    documents = {}
    for slug, tag in TAGS.items():
        with in_tenant(slug) as session:
            for make in ID_FACTORIES.values():
                make(session, tag)
            session.add(CouncilMember(full_name=f"Member {tag}", category="k", mandate_start=utcnow().date(),
                                      email=f"member.{tag}@example.al", phone="+355 69 000 0000"))
            concern = session.execute(select(Concern)).scalars().first()
            concern.contact = f"citizen.{tag}@example.al"
            document = store_document(f"Document {tag}", f"doc-{tag}.pdf", PDF + tag.encode(), uploaded_by_id=None)
            documents[slug] = (document.id, document.sha256, document.storage_key)
    return staff, documents


def _prepare(app, client, login, user, run_jobs, slug="elbasan"):
    login(client, user)
    response = client.post(f"/{slug}/data-protection/archives")
    assert response.status_code == 302
    run_jobs()
    with app.app_context(), tenant(_mid(slug)):
        return db.session.execute(select(DataArchive).order_by(DataArchive.id.desc())).scalars().first()


def _mid(slug):
    from safetycouncil.municipalities.models import Municipality

    return db.session.execute(select(Municipality.id).where(Municipality.slug == slug)).scalar_one()


def _open(data: bytes):
    archive = zipfile.ZipFile(io.BytesIO(data))
    return archive, json.loads(archive.read("manifest.json"))


def test_the_archive_holds_the_municipalitys_rows_and_files_and_nothing_of_another(
        app, client, login, run_jobs, two_municipalities, municipality_id):
    staff, documents = two_municipalities
    row = _prepare(app, client, login, staff["elbasan"], run_jobs)
    assert row is not None and row.status == "ready", row and row.error
    response = client.get(f"/elbasan/data-protection/archives/{row.id}/download")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert hashlib.sha256(response.data).hexdigest() == row.sha256
    archive, manifest = _open(response.data)
    elbasan, fier = municipality_id("elbasan"), municipality_id("fier")
    assert manifest["municipality"]["slug"] == "elbasan" and manifest["platform_version"]
    assert manifest["generated_at"] and manifest["schema_revision"]

    # Every table's file is listed with its row count and checksum; secrets are never exported.
    names = set(archive.namelist())
    for table, entry in manifest["tables"].items():
        data = archive.read(entry["file"])
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        assert len(json.loads(data)) == entry["rows"]
    assert not {f"tables/{t}.json" for t in EXCLUDED_TABLES} & names
    assert tenant_table_names() <= set(manifest["tables"])
    users = json.loads(archive.read("tables/users.json"))
    assert users and all(set(u) == {"id", "name", "email", "locale", "active", "created_at"} for u in users)

    # Fier: none of its text, contacts or ids in any file; Elbasan's are there.
    fier_ids = {}
    with app.app_context(), tenant(fier):
        for table in tenant_table_names():
            fier_ids[table] = set(db.session.execute(text(f"SELECT id FROM {table} WHERE municipality_id = :m"),
                                                     {"m": fier}).scalars())
    assert fier_ids["concerns"] and fier_ids["council_members"] and fier_ids["documents"]
    for name in names - set(manifest["files"]):  # the JSON files: the tables and the manifest
        content = archive.read(name)
        assert TAGS["fier"].encode() not in content, f"{name} holds Fier's data"
        if name.startswith("tables/"):
            table = name[len("tables/"):-len(".json")]
            for record in json.loads(content):
                if "municipality_id" in record and table != "municipalities":
                    assert record["municipality_id"] == elbasan, f"{table} #{record.get('id')} is another's"
                if table in fier_ids:
                    assert record["id"] not in fier_ids[table], f"{table} #{record['id']} is Fier's"
    concerns = json.loads(archive.read("tables/concerns.json"))
    assert f"citizen.{TAGS['elbasan']}@example.al" in {c["contact"] for c in concerns}
    members = json.loads(archive.read("tables/council_members.json"))
    assert f"member.{TAGS['elbasan']}@example.al" in {m["email"] for m in members}
    assert [m["slug"] for m in json.loads(archive.read("tables/municipalities.json"))] == ["elbasan"]
    assert [c["name"] for c in json.loads(archive.read("tables/counties.json"))] == ["Elbasan"]

    # The documents, with checksums that match the recorded ones.
    document_id, sha256, key = documents["elbasan"]
    entries = {e["document_id"]: (path, e) for path, e in manifest["files"].items()}
    path, entry = entries[document_id]
    assert entry["storage_key"] == key and entry["sha256"] == sha256
    assert hashlib.sha256(archive.read(path)).hexdigest() == sha256
    assert all(hashlib.sha256(archive.read(p)).hexdigest() == e["sha256"] for p, e in manifest["files"].items())
    with app.app_context(), tenant(elbasan):
        stored = {d.id for d in db.session.execute(select(Document)).scalars()}
    assert stored <= set(entries) and not manifest["missing_files"]
    assert not any("/archives/" in e["storage_key"] for e in manifest["files"].values())
    assert all(e["storage_key"].startswith(f"municipalities/{elbasan}/") for e in manifest["files"].values())
    assert documents["fier"][1] not in {e["sha256"] for e in manifest["files"].values()}

    # The export and the download are in Elbasan's audit trail, with who.
    with app.app_context():
        trail = db.session.execute(select(AuditEntry).where(AuditEntry.entity_type == "DataArchive")).scalars().all()
    assert {(e.action, e.user_id, e.municipality_id) for e in trail} >= {
        ("create", staff["elbasan"].id, elbasan), ("data_archive_exported", staff["elbasan"].id, elbasan),
        ("data_archive_downloaded", staff["elbasan"].id, elbasan)}


def test_downloads_are_refused_to_other_municipalities_and_to_readers(
        app, client, login, run_jobs, make_user, two_municipalities):
    staff, _documents = two_municipalities
    row = _prepare(app, client, login, staff["elbasan"], run_jobs)
    url = f"/elbasan/data-protection/archives/{row.id}/download"
    other = app.test_client()
    login(other, staff["fier"])
    assert other.get(url).status_code == 404
    assert other.get(f"/fier/data-protection/archives/{row.id}/download").status_code == 404
    assert other.get("/elbasan/data-protection/archives").status_code == 404
    for role in ("member", "secretariat_police", "institution_officer"):
        reader = app.test_client()
        login(reader, make_user(role, municipality="elbasan"))
        assert reader.get(url).status_code == 404, role
        assert reader.post("/elbasan/data-protection/archives").status_code in (403, 404), role
    chair = app.test_client()
    login(chair, make_user("chair", municipality="elbasan"))
    assert chair.get(url).status_code == 200
    ministry = app.test_client()
    ministry_user = make_user("ministry", locale="en")
    login(ministry, ministry_user)
    assert ministry.get(url).status_code == 200
    assert ministry.post("/elbasan/data-protection/archives").status_code == 403  # read-only in a municipality
    with app.app_context():
        downloads = db.session.execute(select(AuditEntry.user_id).where(
            AuditEntry.action == "data_archive_downloaded")).scalars().all()
    assert ministry_user.id in downloads


def test_the_ministry_prepares_an_archive_from_its_page(app, client, login, run_jobs, make_user, municipality_id):
    ministry = make_user("ministry", locale="en")
    login(client, ministry)
    page = client.post("/national/data-protection/archives", data={"municipality_id": municipality_id("fier")},
                       follow_redirects=True)
    assert page.status_code == 200 and "being prepared" in page.get_data(as_text=True)
    run_jobs()
    with app.app_context(), tenant(municipality_id("fier")):
        row = db.session.execute(select(DataArchive)).scalar_one()
        assert row.status == "ready" and row.requested_by_id == ministry.id
    page = client.get("/national/data-protection").get_data(as_text=True)
    assert f"/fier/data-protection/archives/{row.id}/download" in page
    assert client.get(f"/fier/data-protection/archives/{row.id}/download").status_code == 200
    assert client.post("/national/data-protection/archives", data={"municipality_id": "x"}).status_code == 302


def test_the_cli_writes_the_archive_and_records_it(app, tmp_path, in_tenant, municipality_id):
    with in_tenant("elbasan"):
        store_document("Rregullorja", "rregullorja.pdf", PDF, uploaded_by_id=None)
    out = tmp_path / "elbasan.zip"
    runner = app.test_cli_runner()
    result = runner.invoke(args=["data-protection", "export-archive", "elbasan", "--out", str(out)],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output
    _archive, manifest = _open(out.read_bytes())
    assert manifest["municipality"]["slug"] == "elbasan"
    assert any(e["document_id"] for e in manifest["files"].values())
    with app.app_context():
        entry = db.session.execute(select(AuditEntry).where(AuditEntry.action == "data_archive_exported")).scalar_one()
        assert entry.municipality_id == municipality_id("elbasan") and entry.changes["sha256"]
    unknown = runner.invoke(args=["data-protection", "export-archive", "atlantis"])
    assert unknown.exit_code != 0 and "atlantis" in unknown.output


def test_archives_past_their_time_are_deleted_and_the_record_stays(app, in_tenant, municipality_id):
    from tests.data_protection.sweep_factories import _archive

    with in_tenant("elbasan") as session:
        old, fresh = _archive(session, "old"), _archive(session, "fresh")
        session.get(DataArchive, old).expires_at = utcnow() - timedelta(hours=1)
        session.get(DataArchive, fresh).expires_at = utcnow() + timedelta(days=3)
    with app.app_context():
        assert delete_expired_archives() == 1
    with app.app_context(), tenant(municipality_id("elbasan")):
        rows = {r.id: r for r in db.session.execute(select(DataArchive)).scalars()}
        assert rows[old].status == "expired" and not storage().exists(rows[old].storage_key)
        assert rows[fresh].status == "ready" and storage().exists(rows[fresh].storage_key)


def test_a_prefecture_cannot_take_a_municipalitys_archive(app, client, login, make_user, in_tenant):
    """Data minimisation: the Prefecture reads its county's councils, but the whole archive, with every
    personal datum in it, is for the municipality's chair and technical secretary and the Ministry."""
    from safetycouncil.municipalities.models import Municipality

    with app.app_context():
        county = db.session.execute(select(Municipality).where(Municipality.slug == "elbasan")).scalar_one().county
        county_slug = county.slug
    prefect = make_user("prefecture", county=county_slug)
    login(client, prefect)
    assert client.get("/elbasan/").status_code == 200
    assert client.get("/elbasan/data-protection/archives").status_code in (403, 404)
    assert "/elbasan/data-protection/archives" not in client.get("/elbasan/").get_data(as_text=True)
