"""Local safety measurement surveys.

Two global tables (reviewed): the national questionnaire's versions and their questions, kept
by the Ministry of Interior; a questionnaire is public information, and a new version never
changes an earlier one (waves keep pointing at the version they used).

Tenant tables: a municipality's waves, the areas each wave covers, its own extra questions,
the single-use invitation codes, the anonymous responses (answers as a JSON object
``{question code: value}``; a response never records which code was used) and CSV imports.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..areas.models import Area
from ..audit.models import Audited, AuditedLink
from ..extensions import db
from ..tenancy import TenantOwned
from ..timestamps import Timestamped
from ..timeutil import utcnow

WAVE_STATUSES = ("draft", "open", "closed")
CHANNELS = ("online", "paper", "telephone", "import")


class SurveyQuestionnaire(Audited, db.Model):
    """Global (reviewed): one version of the national questionnaire. Editing makes a new version."""

    __national_input__ = True  # cached results depend on it (caching.stamps)
    __tablename__ = "survey_questionnaires"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(unique=True)
    title_sq: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    questions: Mapped[list[SurveyQuestion]] = relationship(order_by="SurveyQuestion.position", lazy="selectin",
                                                           viewonly=True)


class SurveyQuestion(Audited, db.Model):
    """Global (reviewed): one question of a questionnaire version.

    ``section``: safety, worry, problems, victim or trust; ``scale``: the answer options (see
    ``questions.SCALES``); ``index``: the index the question counts in (safety, problem, trust) or none;
    ``only_if``: the code of a yes/no question that must be answered "yes" for this one to be asked."""

    __national_input__ = True  # cached results depend on it (caching.stamps)
    __tablename__ = "survey_questions"
    __table_args__ = (UniqueConstraint("questionnaire_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("survey_questionnaires.id", ondelete="CASCADE"),
                                                  index=True)
    code: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(default=0)
    section: Mapped[str] = mapped_column(String(20))
    scale: Mapped[str] = mapped_column(String(20))
    index: Mapped[str | None] = mapped_column(String(20))
    only_if: Mapped[str | None] = mapped_column(String(40))
    text_sq: Mapped[str] = mapped_column(String(400))
    text_en: Mapped[str] = mapped_column(String(400))


class SurveyWave(TenantOwned, Audited, Timestamped, db.Model):
    """One round of the survey in a municipality. Its results are public once ``published_at`` is set."""

    __shared_stamp__ = "surveys"  # the national comparison on every council's page reads it (caching.stamps)
    __tablename__ = "survey_waves"

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("survey_questionnaires.id", ondelete="RESTRICT"),
                                                  index=True)
    title: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    target_respondents: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    published_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    questionnaire: Mapped[SurveyQuestionnaire] = relationship(lazy="joined")
    area_links: Mapped[list[SurveyWaveArea]] = relationship(order_by="SurveyWaveArea.id", lazy="selectin",
                                                            viewonly=True)
    local_questions: Mapped[list[SurveyLocalQuestion]] = relationship(order_by="SurveyLocalQuestion.position",
                                                                      lazy="selectin", viewonly=True)

    @property
    def published(self) -> bool:
        return self.published_at is not None


class SurveyWaveArea(TenantOwned, AuditedLink, db.Model):
    """An area a wave covers (a wave without areas covers the whole municipality)."""

    __audit_link__ = ("wave_id", "SurveyWave", "areas", "area")

    __shared_stamp__ = "surveys"  # the national comparison on every council's page reads it (caching.stamps)
    __tablename__ = "survey_wave_areas"
    __table_args__ = (UniqueConstraint("wave_id", "area_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    wave_id: Mapped[int] = mapped_column(ForeignKey("survey_waves.id", ondelete="CASCADE"), index=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="RESTRICT"))

    area: Mapped[Area] = relationship(lazy="joined")


class SurveyLocalQuestion(TenantOwned, Audited, db.Model):
    """A municipality's own question, added to one wave (distribution only, never in an index)."""

    __shared_stamp__ = "surveys"  # the national comparison on every council's page reads it (caching.stamps)
    __tablename__ = "survey_local_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    wave_id: Mapped[int] = mapped_column(ForeignKey("survey_waves.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    scale: Mapped[str] = mapped_column(String(20))
    text_sq: Mapped[str] = mapped_column(String(400))
    text_en: Mapped[str] = mapped_column(String(400))

    @property
    def code(self) -> str:
        return f"local-{self.id}"


class SurveyInvitation(TenantOwned, db.Model):
    """A single-use invitation code. Used once, it is marked; the response does not point back to it."""

    __tablename__ = "survey_invitations"
    __table_args__ = (UniqueConstraint("wave_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    wave_id: Mapped[int] = mapped_column(ForeignKey("survey_waves.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]


class SurveyImport(TenantOwned, Audited, db.Model):
    """A CSV file of answers imported whole (with its line report)."""

    __tablename__ = "survey_imports"
    __audit_exclude__ = {"line_report"}

    id: Mapped[int] = mapped_column(primary_key=True)
    wave_id: Mapped[int] = mapped_column(ForeignKey("survey_waves.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200), default="")
    line_count: Mapped[int] = mapped_column(default=0)
    line_report: Mapped[dict] = mapped_column(JSON, default=dict)
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)


class SurveyResponse(TenantOwned, db.Model):
    """One respondent's anonymous answers. Not audited row by row (nothing personal, many rows);
    the date only, never the time, so that a response cannot be matched to a visit."""

    __shared_stamp__ = "surveys"  # the national comparison on every council's page reads it (caching.stamps)
    __tablename__ = "survey_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    wave_id: Mapped[int] = mapped_column(ForeignKey("survey_waves.id", ondelete="CASCADE"), index=True)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id", ondelete="RESTRICT"))
    channel: Mapped[str] = mapped_column(String(20))
    import_id: Mapped[int | None] = mapped_column(ForeignKey("survey_imports.id", ondelete="CASCADE"))
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    received_on: Mapped[date]
