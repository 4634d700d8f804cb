# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Improvement actions become OCA actions (crm_iso_origin = 'satisfaction').

States: draft (proposed) -> Draft, approved -> In Progress (opened when approved),
done -> Closed, reviewed -> Closed and checked effective by its reviewer (the
review's date was not kept: its last write). The done stamp of an action done before
this version is its last write, without a user.
"""

from odoo.addons.crm_iso_complaints.tools import action_migration as m

OLD_MODEL = "crm.iso.improvement.action"
COLUMNS = {
    "crm_iso_plan_id": "int4",
    "crm_iso_kpi": "varchar",
    "crm_iso_driver_id": "int4",
    "crm_iso_expected_effect": "text",
    "crm_iso_kpi_before": "float8",
    "crm_iso_kpi_after": "float8",
    "crm_iso_approved_uid": "int4",
    "crm_iso_approved_date": "timestamp",
}


def migrate(cr, version):
    if not m.table_exists(cr, "crm_iso_improvement_action"):
        return
    m.add_columns(cr, COLUMNS)
    stages = {
        name: m.stage_id(cr, f"stage_{name}") for name in ("draft", "open", "close")
    }
    done = "o.state IN ('done', 'reviewed')"
    m.move_rows(
        cr,
        "satisfaction",
        OLD_MODEL,
        "crm_iso_improvement_action",
        {
            "name": "o.name",
            "user_id": "COALESCE(o.owner_id, o.create_uid, 1)",
            "date_deadline": "o.due_date",
            "company_id": "o.company_id",
            "active": "true",
            "priority": "'0'",
            "sequence": "10",
            "type_action": "'improvement'",
            "stage_id": (
                f"CASE WHEN {done} THEN {stages['close']} "
                f"WHEN o.state = 'approved' THEN {stages['open']} "
                f"ELSE {stages['draft']} END"
            ),
            "date_open": (
                "CASE WHEN o.state != 'draft' "
                "THEN COALESCE(o.approved_date, o.create_date) END"
            ),
            "date_closed": f"CASE WHEN {done} THEN o.write_date END",
            "crm_iso_done_date": f"CASE WHEN {done} THEN o.write_date::date END",
            "crm_iso_effectiveness": (
                "CASE o.state WHEN 'reviewed' THEN 'effective' ELSE 'pending' END"
            ),
            "crm_iso_checked_date": (
                "CASE o.state WHEN 'reviewed' THEN o.write_date END"
            ),
            "crm_iso_checked_uid": "o.reviewed_uid",
            "crm_iso_escalated": "false",
            "crm_iso_plan_id": "o.plan_id",
            "crm_iso_kpi": "o.kpi",
            "crm_iso_driver_id": "o.driver_id",
            "crm_iso_expected_effect": "o.expected_effect",
            "crm_iso_kpi_before": "o.kpi_before",
            "crm_iso_kpi_after": "o.kpi_after",
            "crm_iso_approved_uid": "o.approved_uid",
            "crm_iso_approved_date": "o.approved_date",
            "create_uid": "o.create_uid",
            "create_date": "o.create_date",
            "write_uid": "o.write_uid",
            "write_date": "o.write_date",
        },
        tracked={"state": "crm_iso_state"},
    )
