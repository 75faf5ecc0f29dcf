import pytest

from .support import build_world


@pytest.fixture
def world(app, in_tenant):
    """Elbasan with published and unpublished things of every kind; Fier with its own published ones."""
    ids = build_world(app, in_tenant, slug="elbasan")
    return ids
