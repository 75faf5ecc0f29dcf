"""Web pages: meetings, their agenda, invitations and attendance."""
from flask import Blueprint, render_template

from ..tenancy.web import scope

bp = Blueprint("meetings", __name__, url_prefix="/<municipality>/meetings", template_folder="templates")


@bp.route("/")
@scope("tenant")
def index():
    return render_template("meetings/index.html")
