"""The meetings area through the API, under /api/v1/municipalities/<slug>/...

Meeting times (``starts_at``, ``ends_at``) are local times in Albania: they are given as
``2025-06-13T10:00`` (or with an offset, converted) and returned with their offset.
Other timestamps (``invitation_sent_at``, ``sent_at``) are UTC, written with ``Z`` (``api.contract.UtcDateTime``).
"""

from flask import abort as flask_abort
from flask import request
from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields, validate

from .. import jobs
from ..api.contract import UtcDateTime
from ..api.errors import commit_or_fail
from ..api.paging import listing
from ..data_protection.services import log_contacts_shown
from ..tenancy.web import scope
from . import acts, invitations, services
from .acts import HEADS
from .invitations import INVITATION_STATUSES, send_invitations_job
from .models import ATTENDANCE_STATUSES, MEETING_KINDS, MEETING_STATUSES, Meeting
from .schemas import (AgendaApprovalSchema, AgendaItemPatchSchema, AgendaItemSchema, AgreementSchema,
                      AttendanceSchema, CancelSchema, InviteesSchema, MaterialSchema, MeetingCreateSchema,
                      MeetingPatchSchema, MeetingQuerySchema, PresentationSchema, RecordSentSchema,
                      SecretariatReportSchema)

blp = Blueprint("api_meetings", __name__, url_prefix="/api/v1/municipalities/<municipality>",
                description="Meetings of every kind: agenda and materials, invitations (Art. 7.4) and attendance")


@blp.before_request
def _objects_of_this_municipality():
    """An id in the path that is not this municipality's is a 404 before the body is even read."""
    args = request.view_args or {}
    if "meeting_id" in args and services.get_meeting(args["meeting_id"]) is None:
        flask_abort(404, description=_("There is no such meeting in this municipality."))
    if "item_id" in args and services.get_agenda_item(args["item_id"]) is None:
        flask_abort(404, description=_("There is no such agenda item in this municipality."))
    if "material_id" in args and services.get_material(args["material_id"]) is None:
        flask_abort(404, description=_("There is no such material in this municipality."))


# --- fields and schemas ------------------------------------------------------------------------------

class LocalDateTime(fields.DateTime):
    """A local time in Albania, stored naive; returned with its offset."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        return value.replace(tzinfo=services.LOCAL_TIMEZONE).isoformat()


class MeetingSchema(Schema):
    updated_at = UtcDateTime(dump_only=True, metadata={"description": "When it last changed (UTC)"})
    id = fields.Integer()
    kind = fields.String(metadata={"enum": list(MEETING_KINDS)})
    title = fields.String()
    starts_at = LocalDateTime()
    ends_at = LocalDateTime()
    location = fields.String(allow_none=True)
    status = fields.String(metadata={"enum": list(MEETING_STATUSES)})
    cancelled_reason = fields.String(allow_none=True)
    invitation_deadline = fields.Date(metadata={
        "description": "The last day the invitation may be sent: the 5th working day before the meeting (Art. 7.4)"})
    invitation_sent_at = UtcDateTime(allow_none=True, metadata={
        "description": "When the invitations were (recorded as) sent; null until then"})
    invitation_late = fields.Method("_late", allow_none=True, metadata={
        "type": "boolean", "description": "Whether the invitation was sent after the deadline; null until sent"})
    invitation_working_days_late = fields.Integer(allow_none=True, metadata={
        "description": "0 on time, otherwise the working days short; null until sent"})
    audio_document_id = fields.Integer(allow_none=True)
    created_at = UtcDateTime()
    entered_after_the_fact = fields.Boolean(metadata={
        "description": "Created with a start already past: recorded after the fact (see recorded_by_id)"})
    recorded_by_id = fields.Integer(allow_none=True, metadata={
        "description": "The account that entered the meeting after the fact"})
    agenda_approved_on = fields.Date(allow_none=True, metadata={
        "description": "Art. 7.5: the day the chair approved the agenda (a council meeting); null until then"})
    agenda_approved_by_id = fields.Integer(allow_none=True, metadata={
        "description": "Art. 7.5: the chair's account that approved the agenda"})
    secretariat_agreed_on = fields.Date(allow_none=True, metadata={
        "description": "Art. 9.5: the day the Coordination Secretariat agreed the agenda and date (a public meeting)"})
    report_sent_on = fields.Date(allow_none=True, metadata={
        "description": "Art. 9.4: the day the Coordination Secretariat's report was sent to the heads"})
    report_recipients = fields.List(fields.String(validate=validate.OneOf(HEADS)), allow_none=True, metadata={
        "description": "Art. 9.4: the heads the report was sent to: municipality, police, prosecution"})
    report_findings = fields.String(allow_none=True, metadata={
        "description": "Art. 9.4: the findings the heads are to present"})
    findings_presented_by = fields.String(allow_none=True, metadata={
        "description": "Art. 9.4: the head who presented the report's findings: municipality, police or "
                       "prosecution; null until recorded"})
    findings_document_id = fields.Integer(allow_none=True, metadata={
        "description": "Art. 9.4: a document with the report's findings (GET /documents/<id>/download)"})
    findings_presented_meeting_id = fields.Integer(allow_none=True, metadata={
        "description": "Art. 9.4: the regular council meeting at which the findings were presented"})
    findings_presented_on = fields.Method("_presented_on", allow_none=True, metadata={
        "type": "string", "format": "date",
        "description": "Art. 9.4: the day the findings were presented (the council meeting's day, or the day given)"})

    def _presented_on(self, meeting: Meeting):
        if meeting.findings_presented_by is None:
            return None
        day = acts.presentation_day(meeting)
        return day.isoformat() if day else None

    def _late(self, meeting: Meeting):
        if meeting.invitation_sent_at is None or meeting.invitation_working_days_late is None:
            return None
        return meeting.invitation_working_days_late > 0


class MeetingDetailSchema(MeetingSchema):
    agenda_items = fields.List(fields.Nested(AgendaItemSchema))


class AttendanceRowSchema(Schema):
    updated_at = UtcDateTime(dump_only=True, metadata={"description": "When it last changed (UTC)"})
    id = fields.Integer()
    member_id = fields.Integer(allow_none=True)
    member_name = fields.Function(lambda a: a.member.full_name if a.member else None)
    guest_name = fields.String(allow_none=True)
    guest_institution = fields.String(allow_none=True)
    status = fields.String(metadata={"enum": list(ATTENDANCE_STATUSES)})


class InvitationSchema(Schema):
    updated_at = UtcDateTime(dump_only=True, metadata={"description": "When it last changed (UTC)"})
    id = fields.Integer()
    member_id = fields.Integer()
    member_name = fields.Function(lambda i: i.member.full_name)
    email = fields.String(allow_none=True)
    status = fields.String(metadata={"enum": list(INVITATION_STATUSES)})
    sent_at = UtcDateTime(allow_none=True)
    error = fields.String(allow_none=True)


class MemberRefSchema(Schema):
    id = fields.Integer()
    full_name = fields.String()
    category = fields.String()
    email = fields.String(allow_none=True)


class InviteesOutSchema(Schema):
    automatic = fields.List(fields.Nested(MemberRefSchema), metadata={
        "description": "Invited anyway (every active member, for a regular council meeting)"})
    choosable = fields.List(fields.Nested(MemberRefSchema))
    chosen = fields.List(fields.Integer())


def _upload_body(field: str, description: str) -> dict:
    return {"required": True, "content": {"multipart/form-data": {"schema": {
        "type": "object", "required": [field],
        "properties": {"title": {"type": "string", "maxLength": 200},
                       field: {"type": "string", "format": "binary", "description": description}},
    }}}}


# --- helpers ---------------------------------------------------------------------------------------------

def _meeting(meeting_id: int) -> Meeting:
    meeting = services.get_meeting(meeting_id)
    if meeting is None:
        abort(404, message=_("There is no such meeting in this municipality."))
    return meeting


def _item(item_id: int):
    item = services.get_agenda_item(item_id)
    if item is None:
        abort(404, message=_("There is no such agenda item in this municipality."))
    return item



def _invitees(meeting):
    automatic, choosable = invitations.automatic_invitees(meeting), invitations.choosable_members(meeting)
    log_contacts_shown("CouncilMember", {m.id: m for m in [*automatic, *choosable]}.values(), ["email"])
    return {"automatic": automatic, "choosable": choosable,
            "chosen": [row.member_id for row in invitations.list_invitations(meeting)]}


def _invitations_shown(meeting):
    rows = invitations.list_invitations(meeting)
    log_contacts_shown("Invitation", rows, ["email"])
    return rows


# --- meetings -------------------------------------------------------------------------------------------

@blp.route("/meetings")
@scope("tenant")
class MeetingList(MethodView):
    @blp.arguments(MeetingQuerySchema, location="query")
    @blp.response(200, MeetingSchema(many=True))
    @listing(blp)
    def get(self, query):
        """The municipality's meetings, oldest first (filter by `kind`, `year`, `status`)"""
        return services.list_meetings(kind=query.get("kind"), year=query.get("year"), status=query.get("status"))

    @blp.arguments(MeetingCreateSchema)
    @blp.response(201, MeetingDetailSchema)
    def post(self, data):
        """Plan a meeting; its invitation deadline is computed"""
        return commit_or_fail(lambda: services.create_meeting(**data, created_by_id=current_user.id))


@blp.route("/meetings/<int:meeting_id>")
@scope("tenant")
class MeetingDetail(MethodView):
    @blp.response(200, MeetingDetailSchema)
    def get(self, meeting_id):
        """One meeting, with its agenda and materials"""
        return _meeting(meeting_id)

    @blp.arguments(MeetingPatchSchema(partial=True))
    @blp.response(200, MeetingDetailSchema)
    def patch(self, data, meeting_id):
        """Change a meeting (a new start moves the invitation deadline)"""
        meeting = _meeting(meeting_id)
        return commit_or_fail(lambda: services.update_meeting(meeting, **data))

    @blp.response(204)
    def delete(self, meeting_id):
        """Delete a meeting with nothing on record (otherwise refused: cancel it instead)"""
        meeting = _meeting(meeting_id)
        commit_or_fail(lambda: services.delete_meeting(meeting))
        return ""


@blp.route("/meetings/<int:meeting_id>/cancel")
@scope("tenant")
class MeetingCancel(MethodView):
    @blp.arguments(CancelSchema)
    @blp.response(200, MeetingDetailSchema)
    def post(self, data, meeting_id):
        """Cancel a planned meeting, giving the reason"""
        meeting = _meeting(meeting_id)
        return commit_or_fail(lambda: services.cancel_meeting(meeting, data["reason"]))


@blp.route("/meetings/<int:meeting_id>/held")
@scope("tenant")
class MeetingHeld(MethodView):
    @blp.response(200, MeetingDetailSchema)
    def post(self, meeting_id):
        """Record that the meeting took place"""
        meeting = _meeting(meeting_id)
        return commit_or_fail(lambda: services.record_held(meeting))


# --- the agenda --------------------------------------------------------------------------------------------

@blp.route("/meetings/<int:meeting_id>/agenda-items")
@scope("tenant")
class AgendaItemList(MethodView):
    @blp.response(200, AgendaItemSchema(many=True))
    @listing(blp)
    def get(self, meeting_id):
        """The meeting's agenda, in order"""
        return _meeting(meeting_id).agenda_items

    @blp.arguments(AgendaItemSchema)
    @blp.response(201, AgendaItemSchema)
    def post(self, data, meeting_id):
        """Add an item at the end of the agenda"""
        meeting = _meeting(meeting_id)
        return commit_or_fail(lambda: services.add_agenda_item(meeting, **data))


@blp.route("/agenda-items/<int:item_id>")
@scope("tenant")
class AgendaItemDetail(MethodView):
    @blp.response(200, AgendaItemSchema)
    def get(self, item_id):
        """One agenda item with its materials"""
        return _item(item_id)

    @blp.arguments(AgendaItemPatchSchema(partial=True))
    @blp.response(200, AgendaItemSchema)
    def patch(self, data, item_id):
        """Change an agenda item, or move it (`position`)"""
        item = _item(item_id)

        def change():
            if {"title", "description", "presenter"} & set(data):
                services.update_agenda_item(item, data)
            if "position" in data:
                services.move_agenda_item(item, data["position"])
            return item

        return commit_or_fail(change)

    @blp.response(204)
    def delete(self, item_id):
        """Remove an item from the agenda (its files stay among the documents)"""
        item = _item(item_id)
        commit_or_fail(lambda: services.remove_agenda_item(item))
        return ""


@blp.route("/agenda-items/<int:item_id>/materials")
@scope("tenant")
class MaterialList(MethodView):
    @blp.response(200, MaterialSchema(many=True))
    @listing(blp)
    def get(self, item_id):
        """The materials of an agenda item"""
        return _item(item_id).materials

    @blp.doc(requestBody=_upload_body("file", "PDF, Word, spreadsheet, presentation, image or audio"))
    @blp.response(201, MaterialSchema)
    def post(self, item_id):
        """Attach a material (multipart: `file`, optional `title`); the type is checked by content"""
        item = _item(item_id)
        upload = request.files.get("file")
        return commit_or_fail(lambda: services.add_material(
            item, request.form.get("title", ""), upload.filename if upload else "", upload.stream if upload else b"",
            uploaded_by_id=current_user.id))


@blp.route("/agenda-materials/<int:material_id>")
@scope("tenant")
class MaterialDetail(MethodView):
    @blp.response(200, MaterialSchema)
    def get(self, material_id):
        """One material of an agenda item"""
        return services.get_material(material_id)

    @blp.response(204)
    def delete(self, material_id):
        """Unlink a material from its agenda item (the document stays)"""
        material = services.get_material(material_id)
        commit_or_fail(lambda: services.remove_material(material))
        return ""


# --- invitations ---------------------------------------------------------------------------------------------

@blp.route("/meetings/<int:meeting_id>/invitees")
@scope("tenant")
class Invitees(MethodView):
    @blp.response(200, InviteesOutSchema)
    def get(self, meeting_id):
        """Who is invited automatically, who may be chosen, and who is chosen"""
        return _invitees(_meeting(meeting_id))

    @blp.arguments(InviteesSchema)
    @blp.response(200, InviteesOutSchema)
    def put(self, data, meeting_id):
        """Choose the invitees (ad hoc meetings, other kinds, or a council meeting's invited participants)"""
        meeting = _meeting(meeting_id)
        commit_or_fail(lambda: invitations.choose_invitees(meeting, data["member_ids"]))
        return _invitees(meeting)


@blp.route("/meetings/<int:meeting_id>/invitations")
@scope("tenant")
class InvitationList(MethodView):
    @blp.response(200, InvitationSchema(many=True))
    @listing(blp)
    def get(self, meeting_id):
        """The invitations and whether each was e-mailed"""
        return _invitations_shown(_meeting(meeting_id))

    @blp.response(202, InvitationSchema(many=True))
    def post(self, meeting_id):
        """E-mail the invitation (agenda, material links, calendar entry) to every invitee not yet
        e-mailed, in the background; nobody is e-mailed twice"""
        meeting = _meeting(meeting_id)
        commit_or_fail(lambda: invitations.prepare_invitations(meeting))
        jobs.enqueue(send_invitations_job, meeting_id)
        return _invitations_shown(_meeting(meeting_id))


@blp.route("/meetings/<int:meeting_id>/invitations/record")
@scope("tenant")
class InvitationRecord(MethodView):
    @blp.arguments(RecordSentSchema)
    @blp.response(200, MeetingDetailSchema)
    def post(self, data, meeting_id):
        """Record, without e-mailing, the day the invitations were sent (past meetings); lateness is computed"""
        meeting = _meeting(meeting_id)
        return commit_or_fail(lambda: invitations.record_invitations_sent(meeting, data["sent_on"]))


# --- attendance and the recording --------------------------------------------------------------------------

@blp.route("/meetings/<int:meeting_id>/attendance")
@scope("tenant")
class AttendanceList(MethodView):
    @blp.response(200, AttendanceRowSchema(many=True))
    @listing(blp)
    def get(self, meeting_id):
        """Who was present, absent or excused, and the guests"""
        return services.list_attendance(_meeting(meeting_id))

    @blp.arguments(AttendanceSchema)
    @blp.response(200, AttendanceRowSchema(many=True))
    def put(self, data, meeting_id):
        """Replace the attendance list (each member at most once)"""
        meeting = _meeting(meeting_id)
        return commit_or_fail(lambda: services.replace_attendance(meeting, data["members"], data["guests"]))


@blp.route("/meetings/<int:meeting_id>/audio")
@scope("tenant")
class MeetingAudio(MethodView):
    @blp.doc(requestBody=_upload_body("file", "MP3, M4A, WAV or OGG"))
    @blp.response(201, MeetingDetailSchema)
    def post(self, meeting_id):
        """Upload the meeting's full audio recording (multipart: `file`)"""
        meeting = _meeting(meeting_id)
        upload = request.files.get("file")

        def attach():
            services.attach_audio(meeting, upload.filename if upload else "", upload.stream if upload else b"",
                                  uploaded_by_id=current_user.id, title=request.form.get("title") or None,
                                  field="file")
            return meeting

        return commit_or_fail(attach)


# --- Art. 7.5, 9.5, 9.4: the agenda's approval, the Coordination Secretariat's agreement and report -----

@blp.route("/meetings/<int:meeting_id>/agenda-approval")
@scope("tenant")
class AgendaApproval(MethodView):
    @blp.arguments(AgendaApprovalSchema)
    @blp.response(200, MeetingDetailSchema)
    @blp.alt_response(403, description="Only the chair approves the agenda")
    def post(self, data, meeting_id):
        """Art. 7.5: the chair approves the council meeting's agenda (a later change of the agenda withdraws it)"""
        meeting = _meeting(meeting_id)
        return commit_or_fail(lambda: acts.approve_agenda(meeting, current_user, data.get("approved_on")))


@blp.route("/meetings/<int:meeting_id>/secretariat-agreement")
@scope("tenant")
class SecretariatAgreement(MethodView):
    @blp.arguments(AgreementSchema)
    @blp.response(200, MeetingDetailSchema)
    def post(self, data, meeting_id):
        """Art. 9.5: record the day the Coordination Secretariat agreed the public meeting's agenda and date"""
        meeting = _meeting(meeting_id)
        return commit_or_fail(lambda: acts.record_agreement(meeting, data["agreed_on"], user_id=current_user.id))


@blp.route("/meetings/<int:meeting_id>/secretariat-report")
@scope("tenant")
class SecretariatReport(MethodView):
    @blp.arguments(SecretariatReportSchema)
    @blp.response(200, MeetingDetailSchema)
    def put(self, data, meeting_id):
        """Art. 9.4: record the Coordination Secretariat's report to the heads after its meeting"""
        meeting = _meeting(meeting_id)
        return commit_or_fail(lambda: acts.record_report(meeting, data["sent_on"], data["recipients"],
                                                         data["findings"], user_id=current_user.id))


@blp.route("/meetings/<int:meeting_id>/findings-presentation")
@scope("tenant")
class FindingsPresentation(MethodView):
    @blp.arguments(PresentationSchema)
    @blp.response(200, MeetingDetailSchema)
    def put(self, data, meeting_id):
        """Art. 9.4: record which head presented the report's findings, at which council meeting or on which day"""
        meeting = _meeting(meeting_id)
        return commit_or_fail(lambda: acts.record_presentation(
            meeting, data["presented_by"], at_meeting_id=data.get("meeting_id"),
            presented_on=data.get("presented_on"), user_id=current_user.id))


@blp.route("/meetings/<int:meeting_id>/secretariat-report/document")
@scope("tenant")
class FindingsDocument(MethodView):
    @blp.doc(requestBody=_upload_body("file", "PDF, Word, spreadsheet, text or image"))
    @blp.response(201, MeetingDetailSchema)
    def post(self, meeting_id):
        """Art. 9.4: attach a document with the findings of the report to the heads (multipart: `file`)"""
        meeting = _meeting(meeting_id)
        upload = request.files.get("file")

        def attach():
            acts.attach_findings_document(meeting, upload.filename if upload else "",
                                          upload.stream if upload else b"", uploaded_by_id=current_user.id,
                                          title=request.form.get("title") or None)
            return meeting

        return commit_or_fail(attach)
