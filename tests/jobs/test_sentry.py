"""Errors in background jobs reach Sentry with the municipality tag (issue 18, part 3): each job carries
its municipality; the worker has no request to take the tag from. sentry-sdk's transport is replaced by
one that keeps the events in-process (no network)."""
import pytest

from safetycouncil import jobs
from safetycouncil.tenancy import current_municipality_id

from ..conftest import PG


class JobFailed(RuntimeError):
    pass


def broken_job(note: str) -> None:
    """A job that fails inside its municipality (called by dotted path)."""
    raise JobFailed(f"{note} in {current_municipality_id()}")


@pytest.fixture
def sentry_events():
    import sentry_sdk
    from sentry_sdk.transport import Transport

    from safetycouncil.observability import scrub_event

    events = []

    class Kept(Transport):
        def capture_envelope(self, envelope):
            events.extend(item.payload.json for item in envelope.items if item.type == "event")

    sentry_sdk.init(dsn="https://public@sentry.invalid/1", transport=Kept, before_send=scrub_event,
                    traces_sample_rate=0.0)
    yield events
    sentry_sdk.get_client().close()
    sentry_sdk.init()  # no DSN: inactive again


def test_a_failed_job_reaches_sentry_tagged_with_its_municipality(app, run_jobs, municipality_id, sentry_events):
    with app.app_context():
        try:
            jobs.enqueue(broken_job, "the monthly digest", municipality_id=municipality_id("fier"))
        except JobFailed:
            assert not PG  # in-process jobs fail where they are enqueued
        try:
            run_jobs()
        except JobFailed:
            pass
    failed = [e for e in sentry_events if "JobFailed" in str(e.get("exception"))]
    assert len(failed) == 1, sentry_events  # reported once, not again by the RQ or Flask integration
    tags = failed[0]["tags"]
    assert tags["municipality"] == "fier" and tags["municipality_id"] == str(municipality_id("fier"))
    assert tags["job"].endswith("test_sentry.broken_job")


def test_a_job_without_a_municipality_says_so_and_the_tag_does_not_leak_to_the_next_event(
        app, municipality_id, sentry_events):
    import sentry_sdk

    with app.app_context():
        if not PG:
            with pytest.raises(JobFailed):
                jobs.enqueue(broken_job, "the national snapshot", municipality_id=None)
        else:
            with pytest.raises(JobFailed):
                jobs.run_job(jobs._path(broken_job), None, None, ["the national snapshot"], {})
    sentry_sdk.capture_message("outside any job")
    by_message = {("exception" in e): e for e in sentry_events}
    assert by_message[True]["tags"]["municipality"] == "-"
    assert "municipality" not in (by_message[False].get("tags") or {})
