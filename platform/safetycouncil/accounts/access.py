"""Who may see and do what, where. One place for every access decision."""
from __future__ import annotations

from ..municipalities.models import Municipality
from .roles import (
    MUNICIPALITY_PERMISSIONS,
    NATIONAL_OVERSIGHT_PERMISSIONS,
    NATIONAL_ROLES,
    OVERSIGHT_PERMISSIONS,
    Permission,
    Role,
)


def is_national(user) -> bool:
    """Ministry of Interior users and platform administrators read every municipality."""
    return any(r.role in NATIONAL_ROLES for r in user.roles)


def is_admin(user) -> bool:
    return any(r.role == Role.ADMIN for r in user.roles)


def prefecture_county_ids(user) -> set[int]:
    return {r.county_id for r in user.roles if r.role == Role.PREFECTURE}


def municipality_roles(user, municipality_id: int) -> set[Role]:
    return {Role(r.role) for r in user.roles if r.municipality_id == municipality_id}


def permissions_in(user, municipality: Municipality) -> frozenset[Permission]:
    """Everything ``user`` may do in ``municipality``; empty when they may not even see it."""
    granted: set[Permission] = set()
    for role in municipality_roles(user, municipality.id):
        granted |= MUNICIPALITY_PERMISSIONS[role]
    if is_national(user):
        granted |= NATIONAL_OVERSIGHT_PERMISSIONS
    elif municipality.county_id in prefecture_county_ids(user):
        granted |= OVERSIGHT_PERMISSIONS
    return frozenset(granted)


def holds(user, municipality_id: int, permission: Permission) -> bool:
    """Whether one of ``user``'s own roles in the municipality grants ``permission`` (services' check of
    what the guard layer checks for routes: ``scope(write=...)``)."""
    return any(permission in MUNICIPALITY_PERMISSIONS[role] for role in municipality_roles(user, municipality_id))


def can_read_county(user, county_id: int) -> bool:
    return is_national(user) or county_id in prefecture_county_ids(user)


def home_municipality_ids(user) -> list[int]:
    """Municipalities where the user holds a role of their own, in a stable order."""
    return sorted({r.municipality_id for r in user.roles if r.municipality_id})
