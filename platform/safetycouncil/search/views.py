"""Search a municipality's records: /<municipality>/search?q=..."""
from flask import Blueprint, render_template, request

from ..tenancy.web import scope
from . import services

bp = Blueprint("search", __name__, url_prefix="/<municipality>/search", template_folder="templates")


@bp.route("/")
@scope("tenant")
def index():
    query = (request.args.get("q") or "").strip()[:200]
    results = services.search(query) if query else None
    total = sum(len(hits) for hits in results.values()) if results else 0
    return render_template("search/index.html", query=query, results=results, total=total,
                           labels=services.KIND_LABELS)
