"""Ids for the isolation sweep: one small approved plan per municipality (see support.plan_graph).

The url parameters are named after the plan (plan_item_id, not item_id) so they never clash with
another area's (the meetings area's agenda items take item_id)."""
from .support import plan_graph


def _id(name):
    return lambda session, tag: plan_graph(session, tag)[name]


ID_FACTORIES = {name: _id(name) for name in (
    "plan_id", "plan_version_id", "plan_item_id", "activity_id", "indicator_id", "funding_id", "progress_id",
    "officer_id", "monitoring_report_id")}
