"""The project's shape: the standard library's `platform` is never shadowed; catalogs are complete."""
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]


def test_platform_is_still_the_standard_library_module():
    import platform

    assert hasattr(platform, "python_version") and platform.__file__.endswith("platform.py")
    assert not (ROOT / "platform" / "__init__.py").exists()


def test_every_message_has_an_albanian_translation_with_the_same_placeholders():
    with open(ROOT / "platform/safetycouncil/translations/sq/LC_MESSAGES/messages.po", "rb") as fh:
        catalog = read_po(fh)
    untranslated = [m.id for m in catalog
                    if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)))]
    assert untranslated == []
    problems = [(m.id, errors) for m, errors in catalog.check()]
    assert problems == []


def test_the_catalog_knows_every_marked_string_in_the_code():
    """Run `scripts/i18n update` after adding strings; this test says when it was forgotten."""
    from babel.messages.extract import extract_from_dir

    with open(ROOT / "platform/safetycouncil/translations/sq/LC_MESSAGES/messages.po", "rb") as fh:
        known = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}
    method_map = [("**.py", "python"), ("**/templates/**.html", "jinja2"), ("**/templates/**.txt", "jinja2")]
    found = set()
    for _, _, message, _, _ in extract_from_dir(str(ROOT / "platform"), method_map,
                                                keywords={"_": None, "gettext": None, "_l": None,
                                                          "lazy_gettext": None, "ngettext": (1, 2)}):
        found.add(message if isinstance(message, str) else message[0])
    assert sorted(found - known) == []
