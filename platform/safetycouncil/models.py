"""Imports every area's models (``areas_registry``) so that the metadata (migrations, tests) sees all tables."""
from .areas_registry import import_models

import_models()
