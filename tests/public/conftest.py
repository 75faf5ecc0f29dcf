import pytest

from .support import SECRETS, build_world


@pytest.fixture
def world(app, in_tenant):
    """Elbasan with published and unpublished things of every kind; Fier with its own published ones."""
    ids = build_world(app, in_tenant, slug="elbasan")
    from tests.surveys.support import public_and_unpublished_waves

    ids.wave_ids = public_and_unpublished_waves(in_tenant, "elbasan", SECRETS["unpublished survey wave"])
    from tests.grants.support import public_and_draft_calls

    ids.call_ids = public_and_draft_calls(in_tenant, "elbasan", SECRETS)
    return ids
