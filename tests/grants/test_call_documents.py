"""Documents of a call (issue 15): terms of reference and forms, attached by the council's staff (content
checked), public once the call is opened and not before, replaced with the earlier version kept; isolation."""
import io

from sqlalchemy import select

from safetycouncil.grants import services
from safetycouncil.grants.models import GrantCallDocument
from tests.grants.support import PDF, call_data


def _upload(client, call_id, title, name="termat.pdf", data=PDF, slug="elbasan", **extra):
    return client.post(f"/{slug}/grants/calls/{call_id}/documents",
                       data={"title": title, "file": (io.BytesIO(data), name), **extra},
                       content_type="multipart/form-data")


def test_documents_are_public_from_the_opening_and_a_replacement_keeps_the_earlier_version(
        app, make_user, login, in_tenant):
    with in_tenant("elbasan") as session:
        call_id = services.create_call(call_data(), user_id=None).id
    staff = app.test_client()
    login(staff, make_user("technical_secretary", municipality="elbasan"))
    assert _upload(staff, call_id, "Termat e referencës").status_code == 302
    # a file that is not what its name says is refused with a clear message, nothing stored
    response = _upload(staff, call_id, "Formulari i aplikimit", name="formulari.pdf", data=b"MZ\x90\x00 not a pdf")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    # the page again: the typed title is kept, the message stands beside the file field
    assert 'value="Formulari i aplikimit"' in page and 'id="file-error"' in page
    page = staff.get(f"/elbasan/grants/calls/{call_id}").get_data(as_text=True)
    assert "Termat e referencës" in page and "Formulari i aplikimit" not in page
    with in_tenant("elbasan") as session:
        first = session.execute(select(GrantCallDocument)).scalar_one()
        first_id = first.id
    assert staff.get(f"/elbasan/grants/call-documents/{first_id}").data == PDF

    public = app.test_client()
    # a draft call: neither the call nor its documents are public
    assert public.get(f"/public/elbasan/grants/calls/{call_id}/documents/{first_id}").status_code == 404

    with in_tenant("elbasan") as session:
        services.open_call(services.get_call(call_id))
    page = public.get(f"/public/elbasan/grants/calls/{call_id}").get_data(as_text=True)
    assert "Termat e referencës" in page
    response = public.get(f"/public/elbasan/grants/calls/{call_id}/documents/{first_id}")
    assert response.status_code == 200 and response.data == PDF

    # replacing: the new version is the public one, the earlier is kept for the staff
    new_pdf = PDF.replace(b"%%EOF", b"% v2\n%%EOF")
    assert _upload(staff, call_id, "Termat e referencës (ndryshuar)", data=new_pdf,
                   replaces_id=str(first_id)).status_code == 302
    with in_tenant("elbasan") as session:
        rows = list(session.execute(select(GrantCallDocument).order_by(GrantCallDocument.id)).scalars())
        assert len(rows) == 2 and rows[0].replaced_at is not None and rows[1].replaces_id == first_id
        second_id = rows[1].id
    page = public.get(f"/public/elbasan/grants/calls/{call_id}").get_data(as_text=True)
    assert "(ndryshuar)" in page and f"/documents/{first_id}\"" not in page
    assert public.get(f"/public/elbasan/grants/calls/{call_id}/documents/{second_id}").data == new_pdf
    assert public.get(f"/public/elbasan/grants/calls/{call_id}/documents/{first_id}").status_code == 404
    staff_page = staff.get(f"/elbasan/grants/calls/{call_id}").get_data(as_text=True)
    assert f"/elbasan/grants/call-documents/{first_id}" in staff_page  # the earlier version, kept
    assert staff.get(f"/elbasan/grants/call-documents/{first_id}").data == PDF
    # an old version cannot be replaced again (replace the newest)
    assert _upload(staff, call_id, "X", replaces_id=str(first_id)).status_code == 422
    with in_tenant("elbasan") as session:
        assert len(list(session.execute(select(GrantCallDocument)).scalars())) == 2


def test_documents_of_a_call_stay_in_their_municipality(app, make_user, login, in_tenant):
    with in_tenant("elbasan") as session:
        call = services.create_call(call_data(), user_id=None)
        services.open_call(call)
        call_id = call.id
    staff = app.test_client()
    login(staff, make_user("technical_secretary", municipality="elbasan"))
    _upload(staff, call_id, "Termat")
    with in_tenant("elbasan") as session:
        document_id = session.execute(select(GrantCallDocument.id)).scalar_one()
    other = app.test_client()
    login(other, make_user("technical_secretary", municipality="fier"))
    assert other.get(f"/fier/grants/call-documents/{document_id}").status_code == 404
    assert _upload(other, call_id, "Ndërhyrje", slug="fier").status_code == 404
    assert other.get(f"/public/fier/grants/calls/{call_id}/documents/{document_id}").status_code == 404
    member = app.test_client()
    login(member, make_user("member", municipality="elbasan"))
    assert _upload(member, call_id, "Anëtar").status_code == 403
    assert member.get(f"/elbasan/grants/call-documents/{document_id}").status_code == 200


def test_documents_of_a_call_through_the_api(app, make_user, api_token, in_tenant):
    """Staff attach, list and download a call's documents through the API (the pages' service: content
    checked, a replacement keeps the earlier version); the public API lists an open call's current ones."""
    with in_tenant("elbasan") as session:
        call_id = services.create_call(call_data(), user_id=None).id
    client = app.test_client()
    headers = api_token(make_user("technical_secretary", municipality="elbasan"))
    base = f"/api/v1/municipalities/elbasan/grants/calls/{call_id}/documents"

    def post(**data):
        return client.post(base, headers=headers, content_type="multipart/form-data", data=data)

    response = post(title="Termat e referencës", file=(io.BytesIO(PDF), "termat.pdf"))
    assert response.status_code == 201, response.json
    first = response.json
    assert first["title"] == "Termat e referencës" and first["size_bytes"] == len(PDF) and first["replaced_at"] is None
    refused = post(title="", file=(io.BytesIO(b"MZ\x90\x00"), "x.pdf"))
    assert refused.status_code == 422 and set(refused.json["errors"]) >= {"title"}
    assert post(title="Pa skedar").status_code == 422
    second = post(replaces_id=str(first["id"]), file=(io.BytesIO(PDF.replace(b"%%EOF", b"% v2\n%%EOF")), "v2.pdf"))
    assert second.status_code == 201 and second.json["replaces_id"] == first["id"]
    assert second.json["title"] == "Termat e referencës"  # a replacement keeps the title unless given
    listed = client.get(base, headers=headers).json
    assert [d["id"] for d in listed] == [first["id"], second.json["id"]] and listed[0]["replaced_at"]
    content = client.get(f"/api/v1/municipalities/elbasan/grants/call-documents/{first['id']}/content",
                         headers=headers)
    assert content.status_code == 200 and content.data == PDF

    # the public API: nothing of a draft; the current version once the call is open
    public = app.test_client()
    assert public.get("/api/v1/public/municipalities/elbasan/grants/calls").json == []
    with in_tenant("elbasan"):
        services.open_call(services.get_call(call_id))
    (row,) = public.get("/api/v1/public/municipalities/elbasan/grants/calls").json
    assert [d["filename"] for d in row["documents"]] == ["v2.pdf"]
    assert public.get(row["documents"][0]["url"]).status_code == 200

    # another municipality's staff: 404 for the call, its documents and their content
    other = api_token(make_user("technical_secretary", municipality="fier"))
    assert client.get(f"/api/v1/municipalities/fier/grants/calls/{call_id}/documents", headers=other).status_code == 404
    assert client.get(f"/api/v1/municipalities/fier/grants/call-documents/{first['id']}/content",
                      headers=other).status_code == 404
    assert client.post(f"/api/v1/municipalities/fier/grants/calls/{call_id}/documents", headers=other,
                       content_type="multipart/form-data",
                       data={"title": "X", "file": (io.BytesIO(PDF), "x.pdf")}).status_code == 404
    # a member of the council reads but does not attach
    member = api_token(make_user("member", municipality="elbasan"))
    assert client.post(base, headers=member, content_type="multipart/form-data",
                       data={"title": "X", "file": (io.BytesIO(PDF), "x.pdf")}).status_code == 403
