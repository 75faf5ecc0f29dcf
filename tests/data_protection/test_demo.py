"""The demo leaves the retention period set, once: a period set since is left alone."""
from safetycouncil.data_protection.demo import DEMO_RETENTION_DAYS, load_demo
from safetycouncil.data_protection.services import (
    contact_retention_days,
    retention_setting,
    set_contact_retention_days,
)
from safetycouncil.extensions import db


def test_the_demo_sets_the_retention_period_once(app):
    with app.app_context():
        assert retention_setting() is None
        load_demo([])
        db.session.commit()
        assert retention_setting() is not None and contact_retention_days() == DEMO_RETENTION_DAYS
        set_contact_retention_days(90, updated_by_id=None)
        db.session.commit()
        load_demo([])
        db.session.commit()
        assert contact_retention_days() == 90
