"""Every list operation pages (page, page_size; X-Pagination) and most follow changes (updated_since)."""
from __future__ import annotations

import json
import re
import time
from datetime import timedelta

from safetycouncil.timeutil import utcnow

from .contract_support import load_elbasan_demo


def _list_operations(client):
    document = client.get("/api/v1/openapi.json").get_json()
    for path, operations in document["paths"].items():
        get = operations.get("get")
        if get and any(p.get("name") == "page" for p in get.get("parameters", [])):
            yield path, get


def test_every_list_operation_pages_and_says_so_in_the_document(client):
    document = client.get("/api/v1/openapi.json").get_json()
    lists = [(path, op) for path, ops in document["paths"].items() for method, op in ops.items()
             if method == "get" and op.get("responses", {}).get("200", {}).get("content", {})
             .get("application/json", {}).get("schema", {}).get("type") == "array"]
    assert len(lists) >= 30
    for path, operation in lists:
        names = {p["name"] for p in operation.get("parameters", [])}
        assert {"page", "page_size"} <= names, path
        assert "X-Pagination" in operation["responses"]["200"].get("headers", {}), path


def test_a_list_is_read_page_by_page(app, client, make_user, api_token):
    load_elbasan_demo(app)
    headers = api_token(make_user("technical_secretary", municipality="elbasan"))
    url = "/api/v1/municipalities/elbasan/concerns"
    everything = client.get(url, headers=headers, query_string={"page_size": 1000})
    total = json.loads(everything.headers["X-Pagination"])["total"]
    assert total == len(everything.get_json()) > 5
    seen, page = [], 1
    while True:
        response = client.get(url, headers=headers, query_string={"page": page, "page_size": 4})
        assert response.status_code == 200
        meta = json.loads(response.headers["X-Pagination"])
        seen += [c["id"] for c in response.get_json()]
        if "next_page" not in meta:
            break
        page = meta["next_page"]
    assert seen == [c["id"] for c in everything.get_json()]
    too_big = client.get(url, headers=headers, query_string={"page_size": 100000})
    assert too_big.status_code == 422 and too_big.get_json()["code"] == 422


def test_updated_since_keeps_what_changed(app, client, make_user, api_token):
    load_elbasan_demo(app)
    headers = api_token(make_user("technical_secretary", municipality="elbasan"))
    url = "/api/v1/municipalities/elbasan/concerns"
    before = client.get(url, headers=headers, query_string={"page_size": 1000}).get_json()
    mark = (utcnow() + timedelta(seconds=1)).replace(microsecond=0)
    assert client.get(url, headers=headers, query_string={"updated_since": mark.isoformat() + "Z"}).get_json() == []
    concern = before[0]
    time.sleep(1.1)  # past the mark, which has whole seconds
    changed = client.patch(f"{url}/{concern['id']}", headers=headers, json={"text": concern["text"] + " (ndryshuar)"})
    assert changed.status_code == 200, changed.get_json()
    since = client.get(url, headers=headers, query_string={"updated_since": mark.isoformat() + "Z"}).get_json()
    assert [c["id"] for c in since] == [concern["id"]]
    assert since[0]["updated_at"].endswith("Z")
    offset = (mark + timedelta(hours=1)).isoformat() + "+01:00"  # the same moment, in Albania's winter time
    assert [c["id"] for c in client.get(url, headers=headers, query_string={"updated_since": offset}).get_json()] \
        == [concern["id"]]
    bad = client.get(url, headers=headers, query_string={"updated_since": "yesterday"})
    assert bad.status_code == 422 and "updated_since" in bad.get_json()["errors"]


def test_updated_since_in_the_past_lists_everything_on_every_list(app, client, make_user, api_token):
    """Every list that takes updated_since knows when each of its items changed."""
    load_elbasan_demo(app)
    headers = api_token(make_user("technical_secretary", municipality="elbasan"))
    checked = 0
    for path, operation in _list_operations(client):
        if not any(p["name"] == "updated_since" for p in operation["parameters"]):
            continue
        url = re.sub(r"\{\w+_id\}", "1", path.replace("{municipality}", "elbasan"))
        everything = client.get(url, headers=headers, query_string={"page_size": 1000})
        if everything.status_code == 404 and url != path.replace("{municipality}", "elbasan"):
            continue  # no record 1 of that kind in the demo
        assert everything.status_code == 200, (url, everything.get_json())
        since = client.get(url, headers=headers, query_string={"page_size": 1000,
                                                                "updated_since": "2000-01-01T00:00:00Z"})
        first, second = everything.get_json(), since.get_json()
        if url.endswith("/audit"):
            # reading the trail is itself recorded (personal data shown), so each read adds an entry at the
            # top of the newest 1,000: compare what both reads hold
            both = {e["id"] for e in first} & {e["id"] for e in second}
            assert len(both) >= len(first) - 2, url
            # and a record's name in a sentence is read from the entries on the same page (no query per
            # record), so the entry that leaves the page's end may take a name with it
            first, second = ([{k: v for k, v in e.items() if k != "sentence"} for e in rows if e["id"] in both]
                             for rows in (first, second))
        assert second == first, url
        checked += 1
    assert checked >= 8
