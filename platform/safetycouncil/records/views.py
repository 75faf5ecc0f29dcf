"""Web pages: minutes, the decisions register and press releases of meetings."""
from flask import Blueprint

bp = Blueprint("records", __name__, url_prefix="/<municipality>/meetings", template_folder="templates")
