"""Progress is recorded for what has happened (Art. 9.2: the Coordination Secretariat meets monthly to
monitor the activities): an entry dated after today, Albanian time, or at a monitoring meeting still to
come is refused with a clear message, and such meetings are not offered."""
from __future__ import annotations

from datetime import datetime, timedelta

from safetycouncil.timeutil import local_today

from tests import factories as make

from .test_monitoring import API, plan  # noqa: F401  (the fixture)


def test_progress_dated_after_today_is_refused(app, client, plan, in_tenant, login):  # noqa: F811
    headers = plan["headers"]
    with in_tenant("elbasan") as session:
        coming = make.meeting(session, "secretariat_monitoring",
                                 datetime.combine(local_today() + timedelta(days=18), datetime.min.time())
                                 + timedelta(hours=10), title="Mbledhja e ardhshme e monitorimit").id
    url = f"{API}/plans/activities/{plan['police_activity']}/progress"
    tomorrow = (local_today() + timedelta(days=1)).isoformat()
    dated = client.post(url, headers=headers, json={"status": "in_progress", "reported_on": tomorrow})
    assert dated.status_code == 422 and "reported_on" in dated.get_json()["errors"]
    assert "pas sotes" in dated.get_json()["errors"]["reported_on"]
    at_coming = client.post(url, headers=headers, json={"status": "in_progress", "meeting_id": coming})
    assert at_coming.status_code == 422 and "meeting_id" in at_coming.get_json()["errors"]
    today = client.post(url, headers=headers, json={"status": "in_progress",
                                                     "reported_on": local_today().isoformat()})
    assert today.status_code == 201 and today.get_json()["reported_on"] == local_today().isoformat()

    web = app.test_client()
    login(web, plan["secretary"])
    page = web.get(f"/elbasan/plans/activities/{plan['police_activity']}/progress").get_data(as_text=True)
    assert "Mbledhja e ardhshme e monitorimit" not in page
    assert f'value="{plan["monthly"]}"' in page  # held five days ago: offered
    refused = web.post(f"/elbasan/plans/activities/{plan['police_activity']}/progress",
                       data={"status": "in_progress", "progress": "40", "meeting_id": str(coming)})
    assert refused.status_code == 422
    body = refused.get_data(as_text=True)
    assert 'aria-invalid="true"' in body and 'value="40"' in body
