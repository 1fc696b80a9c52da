"""What each field of a record is called where a person reads it (editor, history, conflicts)."""

from __future__ import annotations

from daryn_desktop.i18n import N_

#: The names of the fields, as the editor's labels call them.
FIELD_NAMES = {
    "surname": N_("Surname"), "given_name": N_("Given name"), "patronymic": N_("Patronymic"),
    "iin": N_("IIN"), "birth_date": N_("Date of birth"), "sex": N_("Sex"),
    "school_id": N_("School"), "grade": N_("Grade"), "class_letter": N_("Class letter"),
    "language": N_("Language of instruction"), "settlement_kato": N_("Settlement"),
    "status": N_("Status"), "archive_reason": N_("Reason for archiving"),
    "consent_given": N_("Consent"), "consent_date": N_("Consent date"), "phone": N_("Phone"),
    "address": N_("Address"), "notes": N_("Notes"), "full_name": N_("Full name"),
    "relation": N_("Relation"), "workplace": N_("Workplace"), "category": N_("Category"),
    "since": N_("Since"), "until": N_("Until"), "note": N_("Note"), "kind": N_("Kind"),
    "field": N_("Subject or field"), "method": N_("Method"), "date": N_("Date"),
    "result": N_("Result"), "conducted_by": N_("Conducted by"), "staff_id": N_("Specialist"),
    "event_name": N_("Event"), "event_kind": N_("Kind of event"), "level": N_("Level"),
    "academic_year": N_("Academic year"), "award": N_("Award"), "subject": N_("Subject"),
    "teacher_id": N_("Preparing teacher"), "filename": N_("File"), "mime": N_("File type"),
    "size": N_("Size"),
    # Events, results, projects and support (see core/events.py, core/support.py).
    "score": N_("Score"), "place": N_("Place"), "withdrawn": N_("Did not take part"),
    "topic": N_("Topic"), "section": N_("Section"), "supervisor_id": N_("Supervisor"),
    "mentor_name": N_("External mentor"), "mentor_organisation": N_("Mentor's organisation"),
    "measure": N_("Measure"), "title": N_("Name"), "amount": N_("Monthly amount"),
    "start_date": N_("From"), "end_date": N_("To"), "order_number": N_("Order No."),
    "order_date": N_("Order date"), "removed": N_("Removed"),
}
