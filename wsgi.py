"""WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi ...`."""
import sys
from pathlib import Path

# The application package lives under platform/ (a source folder, not a package).
sys.path.insert(0, str(Path(__file__).resolve().parent / "platform"))

from safetycouncil.app import create_app  # noqa: E402

app = create_app()
