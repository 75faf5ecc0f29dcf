"""The council area through the API, under /api/v1/municipalities/<slug>/..."""
from flask_smorest import Blueprint

blp = Blueprint("api_council", __name__, url_prefix="/api/v1/municipalities/<municipality>",
                description="council")
