"""Web pages: the council's establishment, composition, seats and institutions."""
from flask import Blueprint, render_template

from ..tenancy.web import scope

bp = Blueprint("council", __name__, url_prefix="/<municipality>/council", template_folder="templates")


@bp.route("/")
@scope("tenant")
def index():
    return render_template("council/index.html")
