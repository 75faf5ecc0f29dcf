"""Questionnaires, waves, invitation codes, answers and results. Runs inside the tenant scope, except
the questionnaire (global) and the national average (an explicit read across tenants).
"""
from __future__ import annotations

import csv
import io
import secrets
from dataclasses import dataclass, field
from datetime import date
from types import SimpleNamespace

from flask_babel import gettext as _
from sqlalchemy import func, insert, select, update

from ..areas.models import Area
from ..crime_statistics.parsing import LineError, normalise
from ..errors import ValidationFailed
from ..extensions import db
from ..tenancy import read_across_tenants
from ..tenancy.context import current_municipality_id
from ..timeutil import local_today, utcnow
from ..schemas import blank, too_long
from ..uploads import check_upload
from . import indices as ix
from .models import (
    SurveyImport,
    SurveyInvitation,
    SurveyLocalQuestion,
    SurveyQuestion,
    SurveyQuestionnaire,
    SurveyResponse,
    SurveyWave,
    SurveyWaveArea,
)
from .schemas import QUESTION_MAX
from .questions import SCALES, VERSION_1, scale_values, text_of

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: codes are typed from paper
MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_LINES = 20000


# --- the national questionnaire (global) -------------------------------------------------------

def list_questionnaires() -> list[SurveyQuestionnaire]:
    return list(db.session.execute(select(SurveyQuestionnaire).order_by(SurveyQuestionnaire.version.desc()))
                .scalars())


def current_questionnaire() -> SurveyQuestionnaire | None:
    return db.session.execute(select(SurveyQuestionnaire).order_by(SurveyQuestionnaire.version.desc())
                              .limit(1)).scalar_one_or_none()


def ensure_questionnaire() -> SurveyQuestionnaire:
    """Version 1 (seeded by the migration; recreated here for databases emptied by the tests)."""
    current = current_questionnaire()
    if current is not None:
        return current
    questionnaire = SurveyQuestionnaire(version=1, title_sq="Matja e sigurisë vendore",
                                        title_en="Local safety measurement")
    db.session.add(questionnaire)
    db.session.flush()
    for position, (code, section, scale, index, only_if, sq, en) in enumerate(VERSION_1, start=1):
        db.session.add(SurveyQuestion(questionnaire_id=questionnaire.id, code=code, position=position,
                                      section=section, scale=scale, index=index, only_if=only_if,
                                      text_sq=sq, text_en=en))
    db.session.flush()
    db.session.expire(questionnaire, ["questions"])
    return questionnaire


def new_questionnaire_version(texts: dict[str, tuple[str, str]], note: str | None, *,
                              user_id: int | None) -> SurveyQuestionnaire:
    """A new version with the same questions and the texts given (code -> (Albanian, English)) and a note
    (clean, see ``QuestionnaireNoteSchema``). Earlier versions stay as they were: waves keep the version they
    used."""
    base = ensure_questionnaire()
    errors: dict[str, str] = {}
    for q in base.questions:
        sq, en = texts.get(q.code, (q.text_sq, q.text_en))
        if blank(sq) or blank(en):
            errors[q.code] = _("Write the question in Albanian and in English.")
        elif len(sq) > QUESTION_MAX or len(en) > QUESTION_MAX:
            errors[q.code] = str(too_long(QUESTION_MAX))
    if errors:
        raise ValidationFailed(errors)
    questionnaire = SurveyQuestionnaire(version=base.version + 1, title_sq=base.title_sq, title_en=base.title_en,
                                        note=note, created_by_id=user_id)
    db.session.add(questionnaire)
    db.session.flush()
    for q in base.questions:
        sq, en = texts.get(q.code, (q.text_sq, q.text_en))
        db.session.add(SurveyQuestion(questionnaire_id=questionnaire.id, code=q.code, position=q.position,
                                      section=q.section, scale=q.scale, index=q.index, only_if=q.only_if,
                                      text_sq=sq.strip(), text_en=en.strip()))
    db.session.flush()
    return questionnaire


def questions_of(wave: SurveyWave) -> list:
    """The wave's questions: the national version's, then the municipality's own (section "local")."""
    national = list(wave.questionnaire.questions)
    local = [SimpleNamespace(code=q.code, position=1000 + q.position, section="local", scale=q.scale, index=None,
                             only_if=None, text_sq=q.text_sq, text_en=q.text_en, local_id=q.id)
             for q in wave.local_questions]
    return national + local


# --- waves ---------------------------------------------------------------------------------------

def list_waves(*, published_only: bool = False) -> list[SurveyWave]:
    query = select(SurveyWave).order_by(SurveyWave.starts_on.desc(), SurveyWave.id.desc())
    if published_only:
        query = query.where(SurveyWave.published_at.is_not(None))
    return list(db.session.execute(query).scalars())


def get_wave(wave_id) -> SurveyWave | None:
    try:
        return db.session.get(SurveyWave, int(wave_id))
    except (TypeError, ValueError):
        return None


def get_published_wave(wave_id) -> SurveyWave | None:
    wave = get_wave(wave_id)
    return wave if wave is not None and wave.published else None


def latest_published_wave() -> SurveyWave | None:
    waves = list_waves(published_only=True)
    return waves[0] if waves else None


def wave_areas(wave: SurveyWave) -> list[Area]:
    return sorted((link.area for link in wave.area_links), key=lambda a: a.name)


def _wave_values(data: dict, errors: dict) -> tuple[dict, list[int] | None]:
    """The clean data of ``WaveSchema``, and its areas, refused when one is not this municipality's."""
    values = {"title": data["title"], "starts_on": data["starts_on"], "ends_on": data["ends_on"],
              "target_respondents": data.get("target_respondents") or 0}
    area_ids = data.get("area_ids")
    if area_ids is not None:
        area_ids = list(dict.fromkeys(area_ids))
        if area_ids:
            found = set(db.session.execute(select(Area.id).where(Area.id.in_(area_ids))).scalars())
            if found != set(area_ids):
                errors["area_ids"] = _("Choose areas of this municipality.")
    return values, area_ids


def create_wave(data: dict, *, user_id: int | None) -> SurveyWave:
    errors: dict[str, str] = {}
    values, area_ids = _wave_values(data, errors)
    if errors:
        raise ValidationFailed(errors)
    wave = SurveyWave(**values, questionnaire_id=ensure_questionnaire().id, status="draft", created_by_id=user_id)
    db.session.add(wave)
    db.session.flush()
    _set_areas(wave, area_ids or [])
    return wave


def update_wave(wave: SurveyWave, data: dict) -> SurveyWave:
    errors: dict[str, str] = {}
    current = {"title": wave.title, "starts_on": wave.starts_on, "ends_on": wave.ends_on,
               "target_respondents": wave.target_respondents}
    values, area_ids = _wave_values({**current, **data}, errors)
    if errors:
        raise ValidationFailed(errors)
    for key, value in values.items():
        setattr(wave, key, value)
    if area_ids is not None:
        if response_count(wave) and set(area_ids) != {a.id for a in wave_areas(wave)}:
            raise ValidationFailed({"area_ids": _("The wave already has answers: its areas can no longer change.")})
        _set_areas(wave, area_ids)
    db.session.flush()
    return wave


def _set_areas(wave: SurveyWave, area_ids: list[int]) -> None:
    have = {link.area_id: link for link in wave.area_links}
    for area_id, link in have.items():
        if area_id not in area_ids:
            db.session.delete(link)
    for area_id in area_ids:
        if area_id not in have:
            db.session.add(SurveyWaveArea(wave_id=wave.id, area_id=area_id))
    db.session.flush()
    db.session.expire(wave, ["area_links"])


def set_status(wave: SurveyWave, status: str) -> None:
    """Open, close or (before any answer) reopen the draft: ``status`` from ``WaveStatusSchema``."""
    if status == "draft" and response_count(wave):
        raise ValidationFailed({"status": _("The wave already has answers: it cannot go back to draft.")})
    wave.status = status
    db.session.flush()


def publish(wave: SurveyWave, published: bool = True) -> None:
    """Publishing makes the wave's results (never single answers) public."""
    wave.published_at = utcnow() if published else None
    db.session.flush()


def add_local_question(wave: SurveyWave, data: dict) -> SurveyLocalQuestion:
    """A question of the municipality's own (the clean data of ``LocalQuestionSchema``)."""
    sq, en, scale = data["text_sq"], data["text_en"], data["scale"]
    if response_count(wave):
        raise ValidationFailed({"text_sq": _("The wave already has answers: its questions can no longer change.")})
    position = 1 + (db.session.execute(select(func.max(SurveyLocalQuestion.position))
                                       .where(SurveyLocalQuestion.wave_id == wave.id)).scalar() or 0)
    question = SurveyLocalQuestion(wave_id=wave.id, position=position, scale=scale, text_sq=sq, text_en=en)
    db.session.add(question)
    db.session.flush()
    db.session.expire(wave, ["local_questions"])
    return question


def remove_local_question(wave: SurveyWave, question_id) -> None:
    question = db.session.get(SurveyLocalQuestion, int(question_id)) if str(question_id).isdigit() else None
    if question is None or question.wave_id != wave.id:
        raise ValidationFailed({"question_id": _("There is no such question in this wave.")})
    if response_count(wave):
        raise ValidationFailed({"question_id": _("The wave already has answers: its questions can no longer change.")})
    db.session.delete(question)
    db.session.flush()
    db.session.expire(wave, ["local_questions"])


# --- invitation codes ------------------------------------------------------------------------------

def _new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _i in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def normalise_code(code: str | None) -> str:
    raw = "".join(c for c in (code or "").upper() if c.isalnum())
    return f"{raw[:4]}-{raw[4:]}" if len(raw) == 8 else raw


def generate_codes(wave: SurveyWave, n: int) -> list[str]:
    """``n`` new random single-use codes for the wave (at most ``schemas.MAX_CODES_AT_ONCE``)."""
    existing = set(db.session.execute(select(SurveyInvitation.code).where(SurveyInvitation.wave_id == wave.id))
                   .scalars())
    codes: list[str] = []
    while len(codes) < n:
        code = _new_code()
        if code not in existing:
            existing.add(code)
            codes.append(code)
    now = utcnow()
    db.session.execute(insert(SurveyInvitation), [
        {"municipality_id": current_municipality_id(), "wave_id": wave.id, "code": c, "created_at": now}
        for c in codes])
    db.session.flush()
    return codes


def code_counts(wave: SurveyWave) -> tuple[int, int]:
    """(codes made, codes used)."""
    made, used = db.session.execute(
        select(func.count(SurveyInvitation.id), func.count(SurveyInvitation.used_at))
        .where(SurveyInvitation.wave_id == wave.id)).one()
    return made or 0, used or 0


def unused_codes(wave: SurveyWave) -> list[str]:
    return list(db.session.execute(select(SurveyInvitation.code).where(
        SurveyInvitation.wave_id == wave.id, SurveyInvitation.used_at.is_(None)).order_by(SurveyInvitation.id))
        .scalars())


class CodeRefused(ValidationFailed):
    """The invitation code cannot be used (unknown, or used already)."""

    def __init__(self, message: str, reason: str):
        super().__init__({"code": message})
        self.reason = reason


def check_code(wave: SurveyWave, code: str | None) -> SurveyInvitation:
    value = normalise_code(code)
    if not value:
        raise CodeRefused(_("Enter the code printed on your invitation."), "missing")
    invitation = db.session.execute(select(SurveyInvitation).where(
        SurveyInvitation.wave_id == wave.id, SurveyInvitation.code == value)).scalar_one_or_none()
    if invitation is None:
        raise CodeRefused(_("This code is not valid for this survey. Check it against your invitation."), "unknown")
    if invitation.used_at is not None:
        raise CodeRefused(_("This code has already been used: each invitation code can answer the survey only "
                            "once. Thank you if it was you who answered."), "used")
    return invitation


# --- answers ---------------------------------------------------------------------------------------

def check_answers(wave: SurveyWave, raw: dict, area_value) -> tuple[dict[str, int], int | None, dict[str, str]]:
    """The answers as stored ({code: value}), the area id, and the problems (field -> message).
    ``raw`` maps question codes to what was written; an empty value means unanswered."""
    errors: dict[str, str] = {}
    areas = {a.id: a for a in wave_areas(wave)}
    area_id = None
    if areas:
        if blank(area_value):
            errors["area_id"] = _("Choose your area.")
        else:
            try:
                area_id = int(str(area_value).strip())
            except ValueError:
                area_id = None
            if area_id not in areas:
                errors["area_id"] = _("Choose one of the survey's areas.")
                area_id = None
    answers: dict[str, int] = {}
    for q in questions_of(wave):
        value = raw.get(q.code)
        if blank(value):
            continue
        try:
            number = int(str(value).strip())
        except ValueError:
            number = None
        allowed = scale_values(q.scale)
        if number not in allowed:
            errors[q.code] = _("“%(value)s” is not an answer to this question: use %(allowed)s.",
                               value=str(value).strip(), allowed=", ".join(str(v) for v in sorted(allowed)))
            continue
        answers[q.code] = number
    for q in questions_of(wave):
        if q.only_if and answers.get(q.only_if) != 1:
            answers.pop(q.code, None)  # only asked of those who answered "yes"
    return answers, area_id, errors


def _store_response(wave: SurveyWave, answers: dict, area_id: int | None, channel: str,
                    import_id: int | None = None) -> SurveyResponse:
    response = SurveyResponse(wave_id=wave.id, area_id=area_id, channel=channel, answers=answers,
                              import_id=import_id, received_on=local_today())
    db.session.add(response)
    db.session.flush()
    return response


def submit_online(wave: SurveyWave, code: str | None, raw: dict, area_value) -> SurveyResponse:
    """A citizen's answers with an invitation code. The code is marked used in the same transaction
    (an UPDATE that only succeeds once, so two submissions at the same moment cannot both count);
    the response itself does not record the code."""
    if wave.status != "open":
        raise ValidationFailed({"code": _("This survey is not open for answers.")})
    invitation = check_code(wave, code)
    answers, area_id, errors = check_answers(wave, raw, area_value)
    if not answers and "area_id" not in errors:
        errors["answers"] = _("Answer at least one question.")
    if errors:
        raise ValidationFailed(errors)
    marked = db.session.execute(update(SurveyInvitation).where(
        SurveyInvitation.id == invitation.id, SurveyInvitation.used_at.is_(None)).values(used_at=utcnow()))
    if marked.rowcount != 1:
        raise CodeRefused(_("This code has already been used: each invitation code can answer the survey only "
                            "once. Thank you if it was you who answered."), "used")
    return _store_response(wave, answers, area_id, "online")


def enter_response(wave: SurveyWave, raw: dict, area_value, channel: str) -> SurveyResponse:
    """Staff enter a paper or telephone questionnaire."""
    if channel not in ("paper", "telephone"):
        raise ValidationFailed({"channel": _("Choose paper or telephone.")})
    if wave.status == "draft":
        raise ValidationFailed({"channel": _("Open the wave before entering answers.")})
    answers, area_id, errors = check_answers(wave, raw, area_value)
    if not answers and "area_id" not in errors:
        errors["answers"] = _("Answer at least one question.")
    if errors:
        raise ValidationFailed(errors)
    return _store_response(wave, answers, area_id, channel)


def response_count(wave: SurveyWave) -> int:
    return db.session.execute(select(func.count(SurveyResponse.id)).where(SurveyResponse.wave_id == wave.id)
                              ).scalar() or 0


def counts_by_channel(wave: SurveyWave) -> dict[str, int]:
    return dict(db.session.execute(select(SurveyResponse.channel, func.count(SurveyResponse.id))
                                   .where(SurveyResponse.wave_id == wave.id).group_by(SurveyResponse.channel)).all())


# --- CSV import ----------------------------------------------------------------------------------

AREA_HEADERS = {"zona", "area"}


class ImportRejected(ValidationFailed):
    """The file has errors; nothing was imported. ``lines`` lists each problem with its line."""

    def __init__(self, lines: list[LineError]):
        self.lines = lines
        message = (_("Nothing was imported: %(n)d problem was found in the file.", n=len(lines)) if len(lines) == 1
                   else _("Nothing was imported: %(n)d problems were found in the file.", n=len(lines)))
        super().__init__({"file": message})
        self.errors = {"file": message, "lines": [e.as_dict() for e in lines]}


def import_columns(wave: SurveyWave) -> list[str]:
    """The columns of an import file: the area (when the wave has areas), then one per question code."""
    return (["zona"] if wave.area_links else []) + [q.code for q in questions_of(wave)]


def import_csv(wave: SurveyWave, filename: str, data: bytes, *, user_id: int | None) -> SurveyImport:
    """Import answers from a CSV file: one line per respondent, a column per question (its code),
    values as on the scale, empty for unanswered. Every line is checked; if any is wrong nothing is
    imported and every problem is reported with its line number. The caller commits."""
    if wave.status == "draft":
        raise ValidationFailed({"file": _("Open the wave before importing answers.")})
    check_upload(filename, data, max_bytes=MAX_IMPORT_BYTES, allowed={"csv"})
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        content = data.decode("cp1250")
    first = next((line for line in content.splitlines() if line.strip()), "")
    delimiter = max((";", ",", "\t"), key=first.count) if first else ","
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)
    problems: list[LineError] = []
    wanted = import_columns(wave)
    areas_by_name = {normalise(a.name): a.id for a in wave_areas(wave)}
    positions: dict[str, int] | None = None
    rows: list[tuple[int, dict[str, int], int | None]] = []
    question_codes = {q.code for q in questions_of(wave)}
    for cells in reader:
        number = reader.line_num
        if all(not c.strip() for c in cells):
            continue
        if positions is None:
            positions = {}
            for i, cell in enumerate(cells):
                key = normalise(cell)
                name = "zona" if key in AREA_HEADERS else (key if key in question_codes else None)
                if name is None:
                    continue
                if name in positions:
                    problems.append(LineError(number, name, _("The column “%(column)s” appears twice.",
                                                              column=cell.strip())))
                positions[name] = i
            for name in wanted:
                if name not in positions:
                    problems.append(LineError(number, name, _("The column “%(column)s” is missing.", column=name)))
            if problems:
                break
            continue
        if len(rows) + len(problems) > MAX_IMPORT_LINES:
            raise ValidationFailed({"file": _("The file has too many lines: at most %(n)d.", n=MAX_IMPORT_LINES)})
        raw = {name: (cells[i] if i < len(cells) else "") for name, i in positions.items()}
        if len(cells) < len(positions):
            problems.append(LineError(number, None, _("This line has fewer cells than the first line.")))
            continue
        area_value = None
        if "zona" in positions:
            written = raw.get("zona", "").strip()
            area_value = areas_by_name.get(normalise(written))
            if not written:
                problems.append(LineError(number, "zona", _("The area is missing.")))
            elif area_value is None:
                problems.append(LineError(number, "zona", _("“%(value)s” is not one of the survey's areas.",
                                                            value=written)))
        answers, area_id, errors = check_answers(wave, raw, area_value)
        for code, message in errors.items():
            if code != "area_id":
                problems.append(LineError(number, code, message))
        if not answers and not errors:
            problems.append(LineError(number, None, _("This line answers no question.")))
        rows.append((number, answers, area_id))
    if positions is None:
        problems.append(LineError(None, None, _("The file is empty.")))
    elif not rows and not problems:
        problems.append(LineError(None, None, _("The file has no lines with answers.")))
    if problems:
        raise ImportRejected(problems)
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1][:200]
    record = SurveyImport(wave_id=wave.id, filename=name, line_count=len(rows), imported_by_id=user_id,
                          imported_at=utcnow(), line_report={"columns": list(positions), "lines": [
                              {"line": n, "area_id": a, "answered": len(ans)} for n, ans, a in rows]})
    db.session.add(record)
    db.session.flush()
    today = local_today()
    db.session.execute(insert(SurveyResponse), [
        {"municipality_id": current_municipality_id(), "wave_id": wave.id, "area_id": area_id, "channel": "import",
         "import_id": record.id, "answers": answers, "received_on": today} for _n, answers, area_id in rows])
    db.session.flush()
    return record


def list_imports(wave: SurveyWave) -> list[SurveyImport]:
    return list(db.session.execute(select(SurveyImport).where(SurveyImport.wave_id == wave.id)
                                   .order_by(SurveyImport.id.desc())).scalars())


def template_csv(wave: SurveyWave) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(import_columns(wave))
    return "\ufeff" + out.getvalue()


# --- results ---------------------------------------------------------------------------------------

@dataclass
class GroupResult:
    """The results of one group of respondents (an area, or the whole municipality)."""

    label: str
    area_id: int | None
    n: int
    hidden: bool
    indices: dict[str, ix.IndexResult] = field(default_factory=dict)
    distributions: dict[str, ix.Distribution] = field(default_factory=dict)
    problems: list[tuple[str, float, int]] = field(default_factory=list)
    previous: dict[str, ix.IndexResult] = field(default_factory=dict)

    def change(self, name: str) -> float | None:
        now, before = self.indices.get(name), self.previous.get(name)
        if now is None or before is None or not now.shown or not before.shown:
            return None
        return now.mean - before.mean


def _answers(wave: SurveyWave) -> list[tuple[int | None, dict]]:
    return [(r.area_id, r.answers or {}) for r in db.session.execute(
        select(SurveyResponse.area_id, SurveyResponse.answers).where(SurveyResponse.wave_id == wave.id)).all()]


def _group(label: str, area_id: int | None, answers: list[dict], questions, previous: list[dict] | None,
           previous_questions) -> GroupResult:
    n = len(answers)
    if n < ix.MIN_RESPONDENTS:
        return GroupResult(label, area_id, n, True)
    result = GroupResult(label, area_id, n, False, ix.indices(answers, questions),
                         {q.code: ix.distribution(answers, q.code, q.scale) for q in questions},
                         ix.problem_ranking(answers, questions))
    if previous is not None and len(previous) >= ix.MIN_RESPONDENTS:
        result.previous = ix.indices(previous, previous_questions)
    return result


def previous_wave(wave: SurveyWave, *, published_only: bool) -> SurveyWave | None:
    query = select(SurveyWave).where(SurveyWave.starts_on < wave.starts_on, SurveyWave.id != wave.id) \
        .order_by(SurveyWave.starts_on.desc(), SurveyWave.id.desc()).limit(1)
    if published_only:
        query = query.where(SurveyWave.published_at.is_not(None))
    return db.session.execute(query).scalar_one_or_none()


@dataclass
class WaveResults:
    wave: SurveyWave
    questions: list
    municipality: GroupResult
    areas: list[GroupResult]
    previous: SurveyWave | None
    national: dict[str, ix.IndexResult]
    national_waves: int  # the waves the national figure reads (at most one per other municipality)
    national_places: int = 0  # the municipalities it reads (the compared one is never among them)

    def area(self, area_id: int | None) -> GroupResult | None:
        if area_id is None:
            return self.municipality
        return next((a for a in self.areas if a.area_id == area_id), None)


def wave_results(wave: SurveyWave, *, public: bool, municipality_name: str = "") -> WaveResults:
    """Every group's results. ``public``: the comparison uses the previous *published* wave only.

    The groups are computed from every response, so they are cached (``caching``) under the
    municipality's data stamp and the national one (questionnaires); the national average under
    the stamps of the municipalities whose published waves it reads."""
    from flask_babel import get_locale

    from ..caching import cached, stamps

    questions = questions_of(wave)
    previous = previous_wave(wave, published_only=public)
    groups = cached(
        f"survey-groups:{wave.id}:{int(public)}:{previous.id if previous else 0}:{get_locale()}:{municipality_name}",
        [stamps.municipality_key(wave.municipality_id), stamps.NATIONAL],
        lambda: _groups(wave, questions, previous, municipality_name))
    national = cached_national_average(wave.questionnaire_id, wave.municipality_id)
    return WaveResults(wave, questions, groups[0], groups[1], previous, national.indices, national.waves,
                       national.places)


def _groups(wave: SurveyWave, questions, previous: SurveyWave | None, municipality_name: str
            ) -> tuple[GroupResult, list[GroupResult]]:
    rows = _answers(wave)
    before = _answers(previous) if previous is not None else []
    before_questions = questions_of(previous) if previous is not None else []
    everyone = [a for _area, a in rows]
    municipality = _group(municipality_name or _("The whole municipality"), None, everyone, questions,
                          [a for _area, a in before] if previous is not None else None, before_questions)
    groups = []
    for area in wave_areas(wave):
        mine = [a for area_id, a in rows if area_id == area.id]
        theirs = [a for area_id, a in before if area_id == area.id] if previous is not None else None
        groups.append(_group(area.name, area.id, mine, questions, theirs, before_questions))
    return municipality, groups


def _places_with_published_waves(questionnaire_id: int | None = None) -> set[int]:
    query = select(SurveyWave.municipality_id).where(SurveyWave.published_at.is_not(None)).distinct()
    if questionnaire_id is not None:
        query = query.where(SurveyWave.questionnaire_id == questionnaire_id)
    with read_across_tenants():
        return set(db.session.execute(query).scalars())


def national_comparison_version() -> str:
    """What a block or page showing the national average must vary with: the shared stamp of the
    surveys, which changes with any write of a wave, its areas, questions or answers in any
    municipality (``caching.stamps.shared_key``). One stamp, read with the page's own: reading the
    stamps of every municipality with a published wave cost a query over 2,000 stamps per page."""
    from ..caching import stamps, version_of

    return version_of([], optional=[stamps.shared_key("surveys")])


NATIONAL_MIN_PLACES = 2  # a national figure reads at least two other municipalities


@dataclass
class NationalComparison:
    """The national figure a municipality's wave is compared with (``national_average``)."""

    indices: dict[str, ix.IndexResult]
    waves: int
    places: int


def cached_national_average(questionnaire_id: int, exclude_municipality_id: int | None = None
                            ) -> NationalComparison:
    """``national_average``, cached under the stamps of the municipalities that have published
    waves of the questionnaire (and the national one): a new wave published anywhere, or an
    answer changed in one of them, gives a new key."""
    from ..caching import cached, stamps

    places = _places_with_published_waves(questionnaire_id)
    return cached(f"survey-national:{questionnaire_id}:{exclude_municipality_id or 0}",
                  [stamps.municipality_key(i) for i in places] + [stamps.NATIONAL],
                  lambda: national_average(questionnaire_id, exclude_municipality_id))


def national_average(questionnaire_id: int, exclude_municipality_id: int | None = None) -> NationalComparison:
    """The national figure for one questionnaire version, compared with ``exclude_municipality_id``
    (issue 18). Made only of figures that are themselves published, so that nothing hidden can be
    computed from it, by difference or otherwise:

    * only published waves, and of each only the indices its own published results show (a wave with
      fewer than ``MIN_RESPONDENTS`` answers, or an index with fewer respondents counting for it, is
      hidden there, so it is left out here);
    * never the municipality being compared (a comparison with itself tells nothing);
    * weighting: each other municipality counts once, with its latest such wave: the figure is the
      unweighted mean of those municipalities' means (a large municipality or one with many waves does
      not outweigh the others), with a 95% interval mean ± 1.96 · s / √k over the k municipalities'
      means; shown when k >= ``NATIONAL_MIN_PLACES``. Its ``n`` is the number of respondents behind it.

    An explicit read across tenants; only the aggregate leaves here."""
    questionnaire = db.session.get(SurveyQuestionnaire, questionnaire_id)
    questions = questionnaire.questions
    with read_across_tenants():
        query = select(SurveyWave.id, SurveyWave.municipality_id).where(
            SurveyWave.questionnaire_id == questionnaire_id, SurveyWave.published_at.is_not(None)) \
            .order_by(SurveyWave.starts_on.desc(), SurveyWave.id.desc())
        if exclude_municipality_id is not None:
            query = query.where(SurveyWave.municipality_id != exclude_municipality_id)
        waves = db.session.execute(query).all()
        answers: dict[int, list[dict]] = {wave_id: [] for wave_id, _m in waves}
        for wave_id, data in db.session.execute(select(SurveyResponse.wave_id, SurveyResponse.answers)
                                                .where(SurveyResponse.wave_id.in_(list(answers) or [0]))).all():
            answers[wave_id].append(data or {})
    published: list[tuple[int, int, dict[str, ix.IndexResult]]] = []  # (wave, municipality, shown indices)
    for wave_id, municipality_id in waves:  # the latest first
        if len(answers[wave_id]) < ix.MIN_RESPONDENTS:
            continue  # the wave's results are hidden
        published.append((wave_id, municipality_id, ix.indices(answers[wave_id], questions)))
    result, used_waves, used_places = {}, set(), set()
    for name in ix.index_items(questions):
        chosen: dict[int, tuple[int, ix.IndexResult]] = {}
        for wave_id, municipality_id, shown in published:
            index = shown.get(name)
            if index is not None and index.shown and municipality_id not in chosen:
                chosen[municipality_id] = (wave_id, index)
        means = [index.mean for _wave, index in chosen.values()]
        respondents = sum(index.n for _wave, index in chosen.values())
        if len(means) < NATIONAL_MIN_PLACES:
            result[name] = ix.IndexResult(name, respondents)
            continue
        k = len(means)
        mean = sum(means) / k
        sd = (sum((m - mean) ** 2 for m in means) / (k - 1)) ** 0.5
        half = ix.Z_95 * sd / k ** 0.5
        result[name] = ix.IndexResult(name, respondents, mean, sd, max(0.0, mean - half), min(100.0, mean + half))
        used_waves.update(wave for wave, _index in chosen.values())
        used_places.update(chosen)
    return NationalComparison(result, len(used_waves), len(used_places))


# --- to the risk register ------------------------------------------------------------------------

def send_problem_to_risks(wave: SurveyWave, area_id: int | None, code: str, risk_id: int | None,
                          new_title: str | None, *, user_id: int | None):
    """One action: a problem the problem index ranks high in an area becomes evidence on a chosen risk,
    or on a new risk created for it (clean values, see ``ToRisksSchema``). Returns (risk, evidence)."""
    from ..risks import services as risks

    errors: dict[str, str] = {}
    area = None
    if area_id is not None:
        area = db.session.get(Area, area_id)
        if area is None or area.id not in {a.id for a in wave_areas(wave)}:
            errors["area_id"] = _("Choose one of the survey's areas.")
    question = next((q for q in questions_of(wave) if q.code == code and q.index == "problem"), None)
    if question is None:
        errors["code"] = _("Choose one of the problems of the questionnaire.")
    if errors:
        raise ValidationFailed(errors)
    results = wave_results(wave, public=False)
    group = results.area(area.id if area else None)
    if group is None or group.hidden:
        raise ValidationFailed({"area_id": _("This area has too few answers to be reliable.")})
    score = next((s for c, s, _n in group.problems if c == code), None)
    dist = group.distributions[code]
    big = sum(dist.counts.get(v, 0) for v in (3, 4))
    share = 100 * big / dist.answered if dist.answered else 0
    place = area.name if area else _("the whole municipality")
    problem_index = group.indices.get("problem")
    evidence_text = _(
        "Local safety survey “%(wave)s” (%(start)s to %(end)s), %(place)s: “%(problem)s” scores %(score).0f of "
        "100 on the problem scale (0 = no problem, 100 = a big problem for everyone); %(share).0f%% of the "
        "%(n)d who answered call it a fairly big or big problem. Problem index of the area: %(index)s.",
        wave=wave.title, start=wave.starts_on.isoformat(), end=wave.ends_on.isoformat(), place=place,
        problem=text_of(question), score=score or 0, share=share, n=dist.answered,
        index=(f"{problem_index.mean:.0f} (95% CI {problem_index.low:.0f}–{problem_index.high:.0f})"
               if problem_index and problem_index.shown else "—"))
    if risk_id is None:
        title = new_title or f"{text_of(question)}: {place}"
        risk = risks.create_risk({"title": title[:300], "area_id": area.id if area else None,
                                  "description": evidence_text}, user_id=user_id)
    else:
        risk = risks.get_risk(risk_id)
        if risk is None:
            raise ValidationFailed({"risk_id": _("Choose a risk of this municipality.")})
    evidence = risks.add_evidence(risk, {"kind": "survey", "text": evidence_text}, user_id=user_id)
    return risk, evidence


# --- helpers for pages ---------------------------------------------------------------------------------

def scale_keys() -> list[str]:
    return list(SCALES)


def today() -> date:
    return local_today()
