# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CrmIsoEscalationLevel(models.Model):
    """A level of escalation of a policy: who, and when in the deadline's life."""

    _name = "crm.iso.escalation.level"
    _description = "Complaint escalation level"
    _order = "policy_id, level"
    _check_company_auto = True

    policy_id = fields.Many2one(
        "crm.iso.complaint.policy",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    # the policy's company: a level alerts people of that company only
    company_id = fields.Many2one(related="policy_id.company_id")
    level = fields.Integer(required=True, default=1)
    percent = fields.Integer(
        string="At % of the deadline",
        default=100,
        help="Share of the working time to the deadline after which this level "
        "is alerted; 100 = when the deadline is breached.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Person",
        check_company=True,
        help="Empty: the leader of the complaint's team.",
    )

    _level_uniq = models.Constraint(
        "UNIQUE (policy_id, level)", "A policy has one row per escalation level."
    )

    @api.constrains("level", "percent")
    def _check_level(self):
        for row in self:
            if not 1 <= row.level <= 3:
                raise ValidationError(self.env._("Escalation levels go from 1 to 3."))
            if not 1 <= row.percent <= 100:
                raise ValidationError(
                    self.env._(
                        "An escalation happens between 1% and 100% of a deadline."
                    )
                )
