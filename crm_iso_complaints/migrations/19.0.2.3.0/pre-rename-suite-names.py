# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The names the suite still added without a prefix to models other addons share
get the suite's prefix (issue #29, item 4), as the 23 fields of 19.0.2.0.0 did:
``helpdesk.ticket``'s fields become ``complaint_<name>`` (``investigation_findings``
of 19.0.2.0.0 too; ``touchpoint_id`` becomes ``crm_iso_touchpoint_id``, as on survey
answers); the private methods of the shared models become ``_crm_iso_<name>`` /
``_check_crm_iso_<name>`` (``_crm_mall_`` in the mall addon), computes and searches
following their field.

``RENAMES`` is the one list of the rename: this migration reads it, and so do the
rename script that rewrote the tree and the test that keeps names prefixed. A
suite model whose field has the same name as a renamed ticket field (the reports
that mirror the ticket, a provider's disputes) is renamed with it: one old name,
one new name, everywhere.

Before the new code loads, per model: the stored columns and their indexes, the
``ir.model.fields`` rows (their id, so tracked changes, selection values, defaults
and translated labels follow) and their xmlids are renamed in place; mail
templates, server actions (code calling a renamed method too), saved filters, export
lists and the views users made that name an old field are rewritten in every
language. Plain SQL that reads what is there: running it again, or after an update
that stopped half-way, renames only what is left.
"""

from odoo.tools import SQL, sql

from odoo.addons.crm_iso_complaints.tools import upgrade

_TICKET_FIELDS = (
    "ack_deadline",
    "ack_on_time",
    "ack_warn_date",
    "ack_warned",
    "ack_work_hours",
    "acknowledged_date",
    "acknowledged_uid",
    "assessed_date",
    "assessed_uid",
    "assessment_score",
    "conflict_user_ids",
    "corrective_action_ids",
    "customer_decision",
    "customer_rejection_reason",
    "dispute_ids",
    "dispute_requested_date",
    "first_response_date",
    "first_response_deadline",
    "investigation_date",
    "investigation_findings",
    "investigation_uid",
    "last_update_date",
    "next_escalation_date",
    "paused_since",
    "paused_work_hours",
    "receipt_backdate_reason",
    "received_date",
    "rejected_date",
    "rejected_uid",
    "reopened_date",
    "reopened_uid",
    "resolve_deadline",
    "resolve_on_time",
    "resolve_warn_date",
    "resolve_warned",
    "resolve_work_hours",
    "response_date",
    "response_uid",
    "subject_user_ids",
    "update_deadline",
    "update_paused_hours",
)
TICKET_FIELDS = {
    **{name: f"complaint_{name}" for name in _TICKET_FIELDS},
    "touchpoint_id": "crm_iso_touchpoint_id",
}

# {model: {"fields": {old: new}, "methods": {old: new}}}
RENAMES = {
    "helpdesk.ticket": {
        "fields": TICKET_FIELDS,
        "methods": {
            "_apply_category_defaults": "_crm_iso_apply_category_defaults",
            "_archive_with_reason": "_crm_iso_archive_with_reason",
            "_check_corrective_actions_origin": (
                "_check_crm_iso_corrective_actions_origin"
            ),
            "_check_manager": "_check_crm_iso_manager",
            "_check_objectivity": "_check_crm_iso_objectivity",
            "_check_objectivity_append_only": "_check_crm_iso_objectivity_append_only",
            "_check_reason": "_check_crm_iso_reason",
            "_check_receipt_backdate": "_check_crm_iso_receipt_backdate",
            "_check_transition_preconditions": (
                "_check_crm_iso_transition_preconditions"
            ),
            "_clock_state": "_crm_iso_clock_state",
            "_compute_assessment_score": "_compute_complaint_assessment_score",
            "_compute_can_assess": "_compute_can_assess_complaint",
            "_compute_deadlines": "_compute_complaint_deadlines",
            "_compute_is_overdue": "_compute_complaint_is_overdue",
            "_compute_next_escalation": "_compute_complaint_next_escalation",
            "_compute_policy_id": "_compute_complaint_policy_id",
            "_customer_reject": "_crm_iso_customer_reject",
            "_customer_request_dispute": "_crm_iso_customer_request_dispute",
            "_deadline_alert": "_crm_iso_deadline_alert",
            "_deadline_label": "_crm_iso_deadline_label",
            "_deadline_warnings": "_crm_iso_deadline_warnings",
            "_declare_conflict": "_crm_iso_declare_conflict",
            "_dispute_ineligibility": "_crm_iso_dispute_ineligibility",
            "_escalate": "_crm_iso_escalate",
            "_log_events": "_crm_iso_log_events",
            "_log_receipt": "_crm_iso_log_receipt",
            "_log_transition": "_crm_iso_log_transition",
            "_message_post_creation_batch": "_crm_iso_message_post_creation_batch",
            "_next_escalation_level": "_crm_iso_next_escalation_level",
            "_now": "_crm_iso_now",
            "_overdue_domain": "_crm_iso_overdue_domain",
            "_pause_clocks": "_crm_iso_pause_clocks",
            "_pause_with_reason": "_crm_iso_pause_with_reason",
            "_pending_deadline": "_crm_iso_pending_deadline",
            "_prepare_ticket_numbers": "_crm_iso_prepare_ticket_numbers",
            "_reason_wizard": "_crm_iso_reason_wizard",
            "_reassign": "_crm_iso_reassign",
            "_record_working_times": "_crm_iso_record_working_times",
            "_reject_with_reason": "_crm_iso_reject_with_reason",
            "_remove_from_objectivity": "_crm_iso_remove_from_objectivity",
            "_reopen_with_reason": "_crm_iso_reopen_with_reason",
            "_request_stage": "_crm_iso_request_stage",
            "_resume_clocks": "_crm_iso_resume_clocks",
            "_search_clock_state": "_search_complaint_clock_state",
            "_search_is_overdue": "_search_complaint_is_overdue",
            "_send_state_template": "_crm_iso_send_state_template",
            "_sync_priority_after": "_crm_iso_sync_priority_after",
        },
    },
    # the reports mirror the ticket's names (SQL, no table of their own)
    "crm.iso.complaint.report": {
        "fields": {
            name: TICKET_FIELDS[name]
            for name in (
                "ack_work_hours",
                "paused_work_hours",
                "received_date",
                "resolve_work_hours",
                "touchpoint_id",
            )
        },
    },
    "crm.iso.satisfaction.report": {
        "fields": {"touchpoint_id": TICKET_FIELDS["touchpoint_id"]},
    },
    "crm.iso.dr.provider": {
        "fields": {"dispute_ids": TICKET_FIELDS["dispute_ids"]},
    },
    "survey.user_input.line": {
        "methods": {"_check_value_in_scale": "_check_crm_iso_value_in_scale"},
    },
    "crm.mall.subject": {"methods": {"_route": "_crm_mall_route"}},
    "crm.mall.routing.rule": {"methods": {"_route": "_crm_mall_route"}},
}


def _field_id(cr, model, name):
    cr.execute(
        SQL(
            "SELECT id FROM ir_model_fields WHERE model = %s AND name = %s",
            model,
            name,
        )
    )
    row = cr.fetchone()
    return row[0] if row else None


def _rename_index(cr, table, old, new):
    """The field's index follows (Odoo finds an index by its name: the old one
    would stay beside a new one on the same column)."""
    old_index, new_index = (sql.make_index_name(table, name) for name in (old, new))
    if not sql.index_exists(cr, old_index):
        return
    if sql.index_exists(cr, new_index):  # made by an update without this script
        cr.execute(SQL("DROP INDEX %s", SQL.identifier(old_index)))
    else:
        cr.execute(
            SQL(
                "ALTER INDEX %s RENAME TO %s",
                SQL.identifier(old_index),
                SQL.identifier(new_index),
            )
        )


def _rename_field(cr, model, old, new):
    table = model.replace(".", "_")
    if (
        upgrade.is_table(cr, table)
        and upgrade.column_exists(cr, table, old)
        and not upgrade.column_exists(cr, table, new)
    ):
        cr.execute(
            SQL(
                "ALTER TABLE %s RENAME COLUMN %s TO %s",
                SQL.identifier(table),
                SQL.identifier(old),
                SQL.identifier(new),
            )
        )
    _rename_index(cr, table, old, new)
    new_id, old_id = _field_id(cr, model, new), _field_id(cr, model, old)
    if new_id:
        if old_id:  # both rows (the field re-created): its tracking follows
            cr.execute(
                SQL(
                    "UPDATE mail_tracking_value SET field_id = %s WHERE field_id = %s",
                    new_id,
                    old_id,
                )
            )
        return
    if not old_id:
        return
    cr.execute(SQL("UPDATE ir_model_fields SET name = %s WHERE id = %s", new, old_id))
    # field_<table>__<name>, selection__<table>__<name>__<value>, any suite addon
    for kind in ("field", "selection"):
        upgrade.rename_xmlids(
            cr,
            f"{kind}_{table}__{old}" if kind == "field" else f"{kind}__{table}__{old}",
            f"{kind}_{table}__{new}" if kind == "field" else f"{kind}__{table}__{new}",
        )


def migrate(cr, version):
    for model, renames in RENAMES.items():
        fields = renames.get("fields", {})
        for old, new in fields.items():
            _rename_field(cr, model, old, new)
        if fields:
            upgrade.rename_field_references(cr, model, fields)
        if renames.get("methods"):
            upgrade.rename_method_references(cr, model, renames["methods"])
