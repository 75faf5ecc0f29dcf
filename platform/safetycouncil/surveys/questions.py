"""The answer scales and the national questionnaire's first version.

Scales are fixed here (Albanian and English labels side by side, like the questionnaire itself):
a question names its scale, and an answer is one of the scale's values. A question may be left
unanswered (no key in the response's answers).

The migration ``0009_surveys`` seeds version 1 from a frozen copy of ``VERSION_1``.
"""
from __future__ import annotations

from ..locales import language as locale

# scale -> [(value, Albanian label, English label)], from the worst/least to the best/most.
SCALES: dict[str, list[tuple[int, str, str]]] = {
    "safety4": [(1, "Shumë i pasigurt", "Very unsafe"), (2, "Disi i pasigurt", "Rather unsafe"),
                (3, "Disi i sigurt", "Rather safe"), (4, "Shumë i sigurt", "Very safe")],
    "worry4": [(1, "Aspak", "Not at all"), (2, "Pak", "A little"), (3, "Mjaft", "Quite a lot"),
               (4, "Shumë", "Very much")],
    "problem4": [(1, "Nuk është problem", "No problem"), (2, "Problem i vogël", "A small problem"),
                 (3, "Problem mjaft i madh", "A fairly big problem"), (4, "Problem i madh", "A big problem")],
    "trust4": [(1, "Aspak besim", "No trust"), (2, "Pak besim", "Little trust"),
               (3, "Mjaft besim", "Quite a lot of trust"), (4, "Shumë besim", "A great deal of trust")],
    "yesno": [(1, "Po", "Yes"), (0, "Jo", "No")],
}
LOCAL_SCALES = ("safety4", "worry4", "problem4", "trust4", "yesno")
SECTIONS: dict[str, tuple[str, str]] = {
    "safety": ("Sa të sigurt ndiheni", "How safe you feel"),
    "worry": ("Sa shqetësoheni për krimin", "How much you worry about crime"),
    "problems": ("Problemet në zonën tuaj", "Problems in your area"),
    "victim": ("Viktimë e një krimi", "Victim of a crime"),
    "trust": ("Besimi te institucionet", "Trust in institutions"),
    "local": ("Pyetjet e bashkisë", "The municipality's own questions"),
}
INDEX_NAMES = ("safety", "problem", "trust")

# (code, section, scale, index, only_if, Albanian, English)
VERSION_1: tuple[tuple[str, str, str, str | None, str | None, str, str], ...] = (
    ("safety_day", "safety", "safety4", "safety", None,
     "Sa i sigurt ndiheni kur ecni vetëm në zonën tuaj gjatë ditës?",
     "How safe do you feel walking alone in your area during the day?"),
    ("safety_night", "safety", "safety4", "safety", None,
     "Sa i sigurt ndiheni kur ecni vetëm në zonën tuaj pasi errësohet?",
     "How safe do you feel walking alone in your area after dark?"),
    ("worry_burglary", "worry", "worry4", None, None,
     "Sa shqetësoheni se mund t'ju vjedhin në shtëpi?", "How much do you worry about your home being burgled?"),
    ("worry_theft", "worry", "worry4", None, None,
     "Sa shqetësoheni se mund t'ju vjedhin në rrugë ose nga makina?",
     "How much do you worry about theft in the street or from your car?"),
    ("worry_violence", "worry", "worry4", None, None,
     "Sa shqetësoheni se mund të sulmoheni ose të kërcënoheni?",
     "How much do you worry about being attacked or threatened?"),
    ("worry_drugs", "worry", "worry4", None, None,
     "Sa shqetësoheni për shitjen e drogës pranë jush ose pranë shkollave?",
     "How much do you worry about drug dealing near you or near schools?"),
    ("problem_drugs", "problems", "problem4", "problem", None,
     "Droga dhe përdorimi i saj", "Drugs and drug use"),
    ("problem_alcohol", "problems", "problem4", "problem", None,
     "Pirja e alkoolit në vende publike", "Drinking alcohol in public places"),
    ("problem_vandalism", "problems", "problem4", "problem", None,
     "Vandalizmi dhe dëmtimi i pronës", "Vandalism and damage to property"),
    ("problem_littering", "problems", "problem4", "problem", None,
     "Mbeturinat dhe ndotja e hapësirave publike", "Littering"),
    ("problem_lighting", "problems", "problem4", "problem", None,
     "Vende të ndriçuara keq", "Poorly lit places"),
    ("problem_traffic", "problems", "problem4", "problem", None,
     "Trafiku: shpejtësia, parkimi, drejtimi i rrezikshëm", "Traffic: speeding, parking, dangerous driving"),
    ("problem_youth_groups", "problems", "problem4", "problem", None,
     "Grupe të rinjsh që shqetësojnë të tjerët", "Groups of young people bothering others"),
    ("problem_noise", "problems", "problem4", "problem", None,
     "Zhurma", "Noise"),
    ("victim", "victim", "yesno", None, None,
     "Në dymbëdhjetë muajt e fundit, a keni qenë viktimë e ndonjë krimi?",
     "In the last twelve months, were you the victim of a crime?"),
    ("victim_reported", "victim", "yesno", None, "victim",
     "Nëse po: a e denoncuat në polici?", "If so: did you report it to the police?"),
    ("trust_police", "trust", "trust4", "trust", None,
     "Sa besim keni te policia?", "How much do you trust the police?"),
    ("trust_municipality", "trust", "trust4", "trust", None,
     "Sa besim keni te bashkia?", "How much do you trust the municipality?"),
    ("trust_prosecution", "trust", "trust4", "trust", None,
     "Sa besim keni te prokuroria?", "How much do you trust the prosecution?"),
)


def scale_values(scale: str) -> list[int]:
    return [value for value, _sq, _en in SCALES[scale]]


def scale_options(scale: str) -> list[tuple[int, str]]:
    """(value, label in the reader's language)."""
    english = locale() == "en"
    return [(value, en if english else sq) for value, sq, en in SCALES[scale]]


def scale_label(scale: str, value) -> str:
    return dict(scale_options(scale)).get(value, "—")


def text_of(item) -> str:
    """A question's (or questionnaire's title) text in the reader's language."""
    if locale() == "en":
        return getattr(item, "text_en", None) or getattr(item, "title_en", "")
    return getattr(item, "text_sq", None) or getattr(item, "title_sq", "")


def section_label(section: str) -> str:
    sq, en = SECTIONS.get(section, (section, section))
    return en if locale() == "en" else sq
