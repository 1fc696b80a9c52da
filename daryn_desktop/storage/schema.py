"""Which tables hold synced records, and their columns, in one place for the write path."""

from __future__ import annotations

#: Every table whose rows are records that travel between installations, with the columns a
#: person edits. ``id`` is the UUID primary key; derived columns (sort keys) are not listed.
SYNCED_COLUMNS: dict[str, tuple[str, ...]] = {
    "schools": ("name", "settlement_kato", "district_kato", "language", "small_ungraded",
                "address", "phone", "archived"),
    "staff": ("surname", "given_name", "patronymic", "role", "school_id", "subject", "phone",
              "archived"),
    "pupils": ("surname", "given_name", "patronymic", "iin", "birth_date", "sex", "school_id",
               "grade", "class_letter", "language", "settlement_kato", "status", "archive_reason",
               "consent_given", "consent_date", "phone", "address", "notes", "duplicate_of"),
    "guardians": ("pupil_id", "full_name", "relation", "phone", "workplace", "notes"),
    "pupil_categories": ("pupil_id", "category", "since", "until", "note", "removed"),
    "giftedness_areas": ("pupil_id", "kind", "field", "note", "removed"),
    "diagnostics": ("pupil_id", "method", "date", "result", "conducted_by", "staff_id"),
    "events": ("name", "kind", "level", "academic_year", "subject", "date", "organiser",
               "grade_from", "grade_to", "district_kato", "template", "note", "archived"),
    "achievements": ("pupil_id", "event_name", "event_kind", "level", "academic_year", "award",
                     "subject", "date", "event_id", "teacher_id", "note", "removed", "stage_id",
                     "score", "place"),
    "road_maps": ("pupil_id", "academic_year", "status", "identification", "strengths",
                  "interests", "coordinator_id", "mentor_id", "psychologist_id", "signed_date",
                  "closed_date", "note", "signed_snapshot"),
    "goals": ("road_map_id", "text", "achieved", "position", "removed"),
    "activities": ("road_map_id", "measure", "title", "responsible", "responsible_id",
                   "start_date", "due_date", "due_quarter", "status", "result", "position",
                   "removed"),
    "reviews": ("road_map_id", "quarter", "text", "date", "author"),
    "amendments": ("road_map_id", "number", "date", "reason", "summary"),
    "attachments": ("pupil_id", "sha256", "filename", "mime", "size", "kind", "note"),
    "road_map_templates": ("track", "language", "items", "archived"),
    # The events calendar, results and support (migration 0006).
    "event_stages": ("event_id", "level", "name", "start_date", "end_date",
                     "registration_deadline", "venue", "position", "removed"),
    "participants": ("pupil_id", "stage_id", "subject", "teacher_id", "project_id",
                     "withdrawn", "note"),
    "research_projects": ("pupil_id", "academic_year", "topic", "section", "supervisor_id",
                          "mentor_name", "mentor_organisation", "event_id", "note", "removed"),
    "support_records": ("pupil_id", "measure", "academic_year", "status", "kind", "title",
                        "amount", "start_date", "end_date", "place", "order_number",
                        "order_date", "achievement_id", "activity_id", "note"),
    "support_rules": ("measure", "rule", "archived"),
    "staff_trainings": ("staff_id", "kind", "title", "organiser", "hours", "start_date",
                        "end_date", "certificate_number", "note", "removed"),
}

#: Tables whose rows are only ever added, never edited (reviews are a diary, not a form).
APPEND_ONLY = frozenset({"reviews", "amendments"})

SYNCED_TABLES = frozenset(SYNCED_COLUMNS)
