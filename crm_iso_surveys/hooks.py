# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tools import SQL


def fill_response_companies(env):
    """Responses given before this addon (or before the field existed) get their
    company: the plan's, else the complaint's, else the first company. Every KPI
    row then carries one; the partners' figures are recomputed per company."""
    env.cr.execute(
        SQL(
            """
            UPDATE survey_user_input ui
               SET crm_iso_company_id = COALESCE(
                       (SELECT company_id FROM crm_iso_measurement_plan
                         WHERE id = ui.crm_iso_plan_id),
                       (SELECT company_id FROM helpdesk_ticket
                         WHERE id = ui.crm_iso_complaint_id),
                       (SELECT min(id) FROM res_company))
             WHERE ui.crm_iso_company_id IS NULL
            """
        )
    )
    env["survey.user_input"].invalidate_model(["crm_iso_company_id"])
    env["res.partner"]._cron_crm_iso_refresh_loyalty()


def post_init_hook(env):
    fill_response_companies(env)
