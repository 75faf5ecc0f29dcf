"""Background jobs carry their municipality and their actor, in-process and on a real RQ worker."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from safetycouncil import jobs
from safetycouncil.areas.models import Area
from safetycouncil.audit.models import AuditEntry
from safetycouncil.audit.trail import acting_as
from safetycouncil.extensions import db
from safetycouncil.tenancy import tenant

from ..conftest import PG
from . import support

ROOT = Path(__file__).resolve().parents[2]


def _areas(app, municipality_id):
    with app.app_context(), tenant(municipality_id):
        return [a.name for a in db.session.execute(select(Area)).scalars()]


def test_a_job_runs_inside_the_municipality_and_as_the_person_who_asked(app, run_jobs, make_user, municipality_id):
    secretary = make_user("technical_secretary", municipality="elbasan")
    elbasan, fier = municipality_id("elbasan"), municipality_id("fier")
    with app.test_request_context(), acting_as(secretary.id), tenant(elbasan):
        jobs.enqueue(support.add_area, "Fshati i punës")
    run_jobs()
    assert _areas(app, elbasan) == ["Fshati i punës"]
    assert _areas(app, fier) == []
    with app.app_context():
        entry = db.session.execute(select(AuditEntry).where(AuditEntry.entity_type == "Area")).scalar_one()
        assert (entry.user_id, entry.municipality_id) == (secretary.id, elbasan)


def test_a_job_for_an_explicit_municipality(app, run_jobs, municipality_id):
    fier = municipality_id("fier")
    with app.test_request_context():
        jobs.enqueue(support.add_area, "Darzezë", municipality_id=fier)
    run_jobs()
    assert _areas(app, fier) == ["Darzezë"]


def test_a_job_without_a_municipality_cannot_touch_tenant_data(app, run_jobs):
    with app.test_request_context():
        if not PG:
            with pytest.raises(Exception, match="no tenant scope"):
                jobs.enqueue(support.count_areas)
            return
        job = jobs.enqueue(support.count_areas)
    run_jobs()
    job.refresh()
    assert job.is_failed or job.get_status() in ("scheduled", "deferred")  # retried later, never run unscoped


@pytest.mark.postgres
def test_the_worker_command_runs_queued_jobs(app, municipality_id):
    """The production worker (`flask --app wsgi worker`), as a separate process, with fork per job."""
    cerrik = municipality_id("cerrik")
    with app.test_request_context():
        job = jobs.enqueue(support.add_area, "Shalës", municipality_id=cerrik)
    env = {**os.environ,
           "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "REDIS_URL": app.config["REDIS_URL"],
           "S3_BUCKET": app.config["S3_BUCKET"], "S3_ENDPOINT_URL": app.config["S3_ENDPOINT_URL"],
           "S3_REGION": "us-east-1", "PYTHONPATH": str(ROOT)}
    result = subprocess.run([str(Path(sys.executable).parent / "flask"), "--app", "wsgi", "worker", "--burst"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    job.refresh()
    assert job.get_status() == "finished" and job.return_value() == cerrik
    assert _areas(app, cerrik) == ["Shalës"]
