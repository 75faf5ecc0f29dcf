"""A wave's results as a document (PDF through safetycouncil.exports) or a spreadsheet (XLSX).

Built from ``WaveResults`` only: hidden groups stay hidden, and no single answer ever leaves."""
from __future__ import annotations

import io

from flask import Response
from flask_babel import gettext as _

from ..exports import ExportDocument, Section, Table, safe_filename, send_export
from .indices import MIN_RESPONDENTS
from .questions import INDEX_NAMES, scale_options, section_label, text_of

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def index_label(name: str) -> str:
    return {"safety": _("Safety index"), "problem": _("Problem index"), "trust": _("Trust index")}[name]


def fmt(value) -> str:
    return "—" if value is None else f"{value:.0f}"


def _index_rows(results) -> list[list[str]]:
    rows = []
    for group in [results.municipality, *results.areas]:
        if group.hidden:
            rows.append([group.label, str(group.n), _("too few answers"), "", "", ""])
            continue
        row = [group.label, str(group.n)]
        for name in INDEX_NAMES:
            r = group.indices.get(name)
            row.append(f"{fmt(r.mean)} ({fmt(r.low)}–{fmt(r.high)})" if r and r.shown else "—")
        change = group.change("safety")
        row.append("—" if change is None else f"{change:+.0f}")
        rows.append(row)
    national = [_("National average"), "", *[
        f"{fmt(results.national[n].mean)} ({fmt(results.national[n].low)}–{fmt(results.national[n].high)})"
        if n in results.national and results.national[n].shown else "—" for n in INDEX_NAMES], ""]
    rows.append(national)
    return rows


def _index_header() -> list[str]:
    return [_("Area"), _("Answers"), *[index_label(n) for n in INDEX_NAMES], _("Safety: change since the previous wave")]


def _method() -> list[str]:
    return [_("Each index is the mean of the respondents' scores, each score the mean of their answers to the "
              "index's questions rescaled to 0-100 (1 = 0, 2 = 33, 3 = 67, 4 = 100). Safety and trust: higher is "
              "better; problems: higher is worse. In brackets, the 95% confidence interval: mean ± 1.96 · s / √n."),
            _("Results are not shown for an area with fewer than %(n)d answers.", n=MIN_RESPONDENTS)]


def document(results, municipality_name: str) -> ExportDocument:
    wave = results.wave
    sections = [Section(_("Indices"), paragraphs=_method(), table=Table(_index_header(), _index_rows(results)))]
    group = results.municipality
    if not group.hidden:
        for q in results.questions:
            dist = group.distributions[q.code]
            sections.append(Section(f"{section_label(q.section)}: {text_of(q)}", table=Table(
                [_("Answer"), _("Answers"), "%"],
                [[label, str(dist.counts.get(v, 0)), fmt(dist.percent(v))] for v, label in scale_options(q.scale)]
                + [[_("No answer"), str(dist.unanswered), ""]])))
    return ExportDocument(
        title=_("Local safety survey: %(wave)s", wave=wave.title),
        subtitle=[_("Local Public Safety Council of %(name)s", name=municipality_name),
                  f"{wave.starts_on.isoformat()} – {wave.ends_on.isoformat()}"],
        sections=sections, footer=_("Local safety survey: %(wave)s", wave=wave.title))


def send_pdf(results, municipality_name: str, basename: str) -> Response:
    return send_export(document(results, municipality_name), "pdf", basename)


def send_xlsx(results, municipality_name: str, basename: str) -> Response:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = _("Indices")[:31]
    sheet.append([_("Local safety survey: %(wave)s", wave=results.wave.title)])
    sheet.append([municipality_name, results.wave.starts_on.isoformat(), results.wave.ends_on.isoformat()])
    for line in _method():
        sheet.append([line])
    sheet.append([])
    sheet.append(_index_header())
    for row in _index_rows(results):
        sheet.append(row)
    answers = book.create_sheet(_("Answers")[:31])
    answers.append([_("Area"), _("Question"), _("Answer"), _("Answers"), "%"])
    for group in [results.municipality, *results.areas]:
        if group.hidden:
            answers.append([group.label, "", _("too few answers"), None, None])
            continue
        for q in results.questions:
            dist = group.distributions[q.code]
            for v, label in scale_options(q.scale):
                pct = dist.percent(v)
                answers.append([group.label, _cell(text_of(q)), label, dist.counts.get(v, 0),
                                None if pct is None else round(pct, 1)])
    buffer = io.BytesIO()
    book.save(buffer)
    response = Response(buffer.getvalue(), mimetype=XLSX_MIMETYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{safe_filename(basename)}.xlsx"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _cell(value: str) -> str:
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
