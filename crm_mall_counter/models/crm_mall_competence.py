# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The competence matrix: every internal user of a company by every required
training of that company, with the last pass and its expiry.

This query is the one place competence is computed: the matrix, the user form's
tab, the refusals (crm.mall.training._crm_mall_check_competence), the expiry
reminders, the cockpit and the management review all read it.
"""

from odoo import api, fields, models
from odoo.tools import SQL

from .crm_mall_training import ROLE_GROUPS, ROLES

#: a passed attempt of a certification survey (alias ``ui``): done, passed,
#: not a test; it counts from its end
PASSED = SQL(
    "ui.state = 'done' AND ui.scoring_success AND NOT COALESCE(ui.test_entry, FALSE)"
)
PASSED_AT = SQL("COALESCE(ui.end_datetime, ui.write_date)")
STATES = [("valid", "Valid"), ("expired", "Expired"), ("missing", "Missing")]


class CrmMallCompetence(models.Model):
    _name = "crm.mall.competence"
    _description = "Competence (person x required training)"
    _auto = False
    _order = "user_id, role, training_id"
    # what the query reads: flushed before it runs (a pass scored in the same
    # transaction counts at once)
    _depends = {
        "crm.mall.training": [
            "role", "survey_id", "validity_months", "company_id", "active",
        ],
        "survey.user_input": [
            "survey_id", "partner_id", "state", "scoring_success", "test_entry",
            "end_datetime",
        ],
        "res.users": ["partner_id", "active", "share", "group_ids", "company_ids"],
        "res.groups": ["implied_ids"],
    }  # fmt: skip

    user_id = fields.Many2one("res.users", string="Person", readonly=True)
    training_id = fields.Many2one("crm.mall.training", readonly=True)
    role = fields.Selection(ROLES, readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    in_role = fields.Boolean(
        readonly=True, help="The person is in the role's group (directly or implied)."
    )
    passed_date = fields.Datetime(string="Last passed", readonly=True)
    expiry_date = fields.Date(string="Valid until", readonly=True)
    state = fields.Selection(STATES, readonly=True)
    valid_count = fields.Integer(string="Valid", readonly=True, aggregator="sum")

    @property
    def _table_query(self):
        roles = [
            SQL("(%s, %s)", role, self.env.ref(xmlid).id)
            for role, xmlid in ROLE_GROUPS.items()
        ]
        return SQL(
            """
            WITH RECURSIVE closure(gid, hid) AS (
                SELECT id, id FROM res_groups
                UNION
                SELECT c.gid, r.hid FROM closure c
                JOIN res_groups_implied_rel r ON r.gid = c.hid
            ), role_group(role, gid) AS (VALUES %(roles)s),
            pairs AS (
                SELECT u.id AS user_id, t.id AS training_id, t.role, t.company_id,
                       t.validity_months,
                       EXISTS (
                           SELECT 1 FROM res_groups_users_rel ur
                           JOIN closure c ON c.gid = ur.gid
                           JOIN role_group rg ON rg.gid = c.hid
                           WHERE ur.uid = u.id AND rg.role = t.role
                       ) AS in_role,
                       (SELECT max(%(passed_at)s)
                          FROM survey_user_input ui
                         WHERE ui.survey_id = t.survey_id
                           AND ui.partner_id = u.partner_id
                           AND %(passed)s
                       ) AS passed_date
                  FROM crm_mall_training t
                  JOIN res_company_users_rel cu ON cu.cid = t.company_id
                  JOIN res_users u ON u.id = cu.user_id
                 WHERE t.active AND u.active AND NOT u.share
            )
            SELECT row_number() OVER (ORDER BY user_id, training_id) AS id,
                   user_id, training_id, role, company_id, in_role, passed_date,
                   expiry_date,
                   CASE WHEN passed_date IS NULL THEN 'missing'
                        WHEN expiry_date < CURRENT_DATE THEN 'expired'
                        ELSE 'valid' END AS state,
                   CASE WHEN expiry_date >= CURRENT_DATE THEN 1 ELSE 0 END
                       AS valid_count
              FROM (
                SELECT *, (passed_date + validity_months * INTERVAL '1 month')::date
                          AS expiry_date
                  FROM pairs
              ) p
            """,
            roles=SQL(", ").join(roles),
            passed=PASSED,
            passed_at=PASSED_AT,
        )

    @api.model
    def _crm_mall_shift_share(self, shifts):
        """(shifts, shifts staffed by a certified person) among ``shifts``: a
        shift counts as certified when, at its start, its person held a pass
        still valid of every active counter-agent training of its company."""
        if not shifts:
            return 0, 0
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT count(*), count(*) FILTER (WHERE NOT EXISTS (
                    SELECT 1 FROM crm_mall_training t
                     WHERE t.active AND t.role = 'counter_agent'
                       AND t.company_id = s.company_id
                       AND NOT EXISTS (
                           SELECT 1 FROM survey_user_input ui
                             JOIN res_users u ON u.partner_id = ui.partner_id
                            WHERE u.id = s.user_id AND ui.survey_id = t.survey_id
                              AND %(passed)s
                              AND %(passed_at)s <= s.start
                              AND %(passed_at)s
                                  + t.validity_months * INTERVAL '1 month' >= s.start
                       )
                ))
                  FROM crm_mall_shift s WHERE s.id = ANY(%(ids)s)
                """,
                passed=PASSED,
                passed_at=PASSED_AT,
                ids=shifts.ids,
            )
        )
        return self.env.cr.fetchone()
