"""A client written against the OpenAPI document alone: it knows the document's address and a
person's e-mail and password, nothing of the platform's code. It signs in, pages through a list by
the documented parameters and the documented X-Pagination header, keeps a copy in step with
`updated_since`, and checks every answer against the documented schema (jsonschema)."""
from __future__ import annotations

import json
import re
import time
from datetime import UTC, datetime

import jsonschema

from .contract_support import load_elbasan_demo


def _json_schema(node):
    """OpenAPI 3.0's `nullable` in JSON Schema terms; `$ref`s kept for the resolver."""
    if isinstance(node, list):
        return [_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _json_schema(v) for k, v in node.items() if k not in ("nullable", "example", "readOnly", "writeOnly")}
    if node.get("nullable"):
        if "type" in out:
            out["type"] = [out["type"], "null"]
        if "enum" in out:
            out["enum"] = [*out["enum"], None]
    return out


class OpenApiClient:
    def __init__(self, http, document_url: str):
        self.http = http
        self.document = http.get(document_url).get_json()
        self.components = _json_schema(self.document["components"])
        self.headers: dict[str, str] = {}

    def _operation(self, method: str, template: str) -> dict:
        return self.document["paths"][template][method.lower()]  # KeyError: not documented

    def _validate(self, operation: dict, response) -> None:
        documented = operation["responses"].get(str(response.status_code)) or operation["responses"]["default"]
        if "$ref" in documented:
            documented = self.document["components"]["responses"][documented["$ref"].rsplit("/", 1)[1]]
        content = documented.get("content", {}).get("application/json")
        if content and "schema" in content:
            schema = {**_json_schema(content["schema"]), "components": self.components}
            jsonschema.validate(response.get_json(), schema,
                                format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)

    def call(self, method: str, template: str, *, path=None, query=None, body=None):
        operation = self._operation(method, template)
        declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        assert set(query or {}) <= declared, f"not in the document: {set(query or {}) - declared}"
        url = re.sub(r"\{(\w+)\}", lambda m: str((path or {})[m[1]]), template)
        response = self.http.open(url, method=method, query_string=query or {}, json=body, headers=self.headers)
        self._validate(operation, response)
        return response

    def sign_in(self, email: str, password: str) -> None:
        token = self.call("POST", "/api/v1/auth/token", body={"email": email, "password": password})
        assert token.status_code == 201
        self.headers = {"Authorization": f"{token.get_json()['token_type']} {token.get_json()['token']}"}

    def every_item(self, template: str, *, path=None, query=None, page_size=5):
        """Follows the documented X-Pagination header page by page."""
        header = self._operation("GET", template)["responses"]["200"]["headers"]
        assert "X-Pagination" in header
        page = 1
        while True:
            response = self.call("GET", template, path=path, query={**(query or {}), "page": page,
                                                                    "page_size": page_size})
            assert response.status_code == 200
            yield from response.get_json()
            pagination = json.loads(response.headers["X-Pagination"])
            if "next_page" not in pagination:
                return
            page = pagination["next_page"]


def test_a_client_from_the_document_alone_pages_and_follows_changes(app, client, make_user):
    load_elbasan_demo(app)
    user = make_user("technical_secretary", municipality="elbasan")
    api = OpenApiClient(client, "/api/v1/openapi.json")
    api.sign_in(user.email, user.password)
    template = "/api/v1/municipalities/{municipality}/concerns"
    where = {"municipality": "elbasan"}

    copy = {item["id"]: item for item in api.every_item(template, path=where)}
    assert len(copy) > 10
    synced_at = datetime.now(UTC).replace(microsecond=0)
    time.sleep(1.1)

    concern = next(iter(copy.values()))
    changed = api.call("PATCH", template + "/{concern_id}", path={**where, "concern_id": concern["id"]},
                       body={"text": concern["text"] + " (përditësuar)"})
    assert changed.status_code == 200
    since = synced_at.isoformat().replace("+00:00", "Z")
    changes = list(api.every_item(template, path=where, query={"updated_since": since}))
    assert [c["id"] for c in changes] == [concern["id"]]
    copy.update({c["id"]: c for c in changes})
    assert copy[concern["id"]]["text"].endswith("(përditësuar)")
    assert {c["id"]: c for c in api.every_item(template, path=where)} == copy
