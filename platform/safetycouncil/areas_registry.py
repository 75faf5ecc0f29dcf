"""The areas of the platform, in one list. app.py (blueprints), api/ (API blueprints), models.py
(tables), demo.py (demo data) and cli.py (command groups) read it; none of them names an area.

An area is a folder. Its entry says what the folder provides, each as ``"module:attribute"`` relative
to the folder: ``views`` (Flask blueprints), ``api`` (flask-smorest blueprints), ``cli`` (click
groups); ``models=True`` imports ``<area>/models.py`` so the metadata knows its tables; ``demo=True``
calls ``<area>/demo.py``'s ``load_demo(municipalities)``. The list's order is the order of demo loading
(later areas' demo data reads earlier ones'), of blueprint registration and of the OpenAPI document.

Adding an area: the folder, one line here, its migration and its translations (and the area in the
import contracts of ``.importlinter``)."""
from __future__ import annotations

import importlib
from dataclasses import dataclass

PACKAGE = __package__


@dataclass(frozen=True)
class Area:
    name: str
    views: tuple[str, ...] = ()
    api: tuple[str, ...] = ()
    models: bool = False
    demo: bool = False
    cli: tuple[str, ...] = ()


AREAS: tuple[Area, ...] = (
    Area("public", views=("views:bp",), api=("api:blp",)),
    Area("accounts", views=("views:bp",), models=True),
    Area("admin", views=("views:bp",)),
    Area("oversight", views=("views:bp",), api=("api:blp",)),
    Area("portal", views=("views:bp",)),
    Area("municipalities", models=True),
    Area("council", views=("views:bp",), api=("api:blp",), models=True, demo=True),
    Area("meetings", views=("views:bp", "views:national_bp"), api=("api:blp",), models=True, demo=True,
         cli=("cli:meetings_group",)),
    Area("records", views=("views:bp",), api=("api:blp",), models=True, demo=True),
    Area("areas", views=("views:bp",), api=("api:blp",), models=True),
    Area("documents", views=("views:bp",), api=("api:blp",), models=True),
    Area("audit", views=("views:bp",), api=("api:blp",), models=True),
    Area("concerns", views=("views:bp",), api=("api:blp",), models=True, demo=True),
    Area("risks", views=("views:bp",), api=("api:blp",), models=True, demo=True),
    Area("plans", views=("views:bp",), api=("api:blp", "api:reports_blp"), models=True, demo=True),
    Area("crime_statistics", views=("views:bp",), api=("api:blp",), models=True, demo=True),
    Area("compliance", api=("api:blp",), models=True, demo=True, cli=("tasks:compliance_group",)),
    Area("consultation_tables", views=("views:bp",), api=("api:blp",), models=True),
    Area("surveys", views=("views:bp",), api=("api:blp",), models=True, demo=True),
    Area("data_protection", views=("views:bp",), models=True, demo=True, cli=("cli:data_protection_group",)),
    Area("obligations", views=("views:bp",), api=("api:blp",), models=True, demo=True),
    Area("caching", models=True),
    Area("search", views=("views:bp",)),
    Area("embed", views=("views:bp",)),
    Area("webhooks", views=("views:bp",), api=("api:blp",), models=True, demo=True),
    Area("grants", views=("views:bp",), api=("api:blp", "api:public_blp", "api:programmes_blp"), models=True, demo=True),
)


def _load(area: Area, reference: str):
    module, _, attribute = reference.partition(":")
    return getattr(importlib.import_module(f"{PACKAGE}.{area.name}.{module}"), attribute)


def blueprints() -> list:
    return [_load(a, r) for a in AREAS for r in a.views]


def api_blueprints() -> list:
    return [_load(a, r) for a in AREAS for r in a.api]


def cli_groups() -> list:
    return [_load(a, r) for a in AREAS for r in a.cli]


def import_models() -> None:
    for area in AREAS:
        if area.models:
            importlib.import_module(f"{PACKAGE}.{area.name}.models")


def demo_loaders() -> list:
    """``load_demo(municipalities)`` of each area with demo data, in the list's order."""
    return [_load(a, "demo:load_demo") for a in AREAS if a.demo]
