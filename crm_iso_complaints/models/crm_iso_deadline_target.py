# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

PRIORITIES = [("0", "Low"), ("1", "Medium"), ("2", "High"), ("3", "Very high")]
# metric: field of this model and of crm.iso.complaint.policy holding its hours
METRICS = ("first_response_hours", "ack_hours", "update_hours", "resolve_hours")


class CrmIsoDeadlineTarget(models.Model):
    """One row of a policy's priority x metric matrix of targets (working hours).

    A zero first-response or update target means "no such deadline".
    """

    _name = "crm.iso.deadline.target"
    _description = "Complaint deadline targets for a priority"
    _order = "policy_id, priority"

    policy_id = fields.Many2one(
        "crm.iso.complaint.policy", required=True, ondelete="cascade", index=True
    )
    priority = fields.Selection(PRIORITIES, required=True)
    first_response_hours = fields.Float(string="First response")
    ack_hours = fields.Float(string="Acknowledge", required=True)
    update_hours = fields.Float(string="Update every")
    resolve_hours = fields.Float(string="Resolve", required=True)

    _priority_uniq = models.Constraint(
        "UNIQUE (policy_id, priority)", "One row per priority in a policy's matrix."
    )

    @api.constrains(*METRICS)
    def _check_hours(self):
        for row in self:
            if row.ack_hours <= 0 or row.resolve_hours <= 0:
                raise ValidationError(
                    self.env._("Acknowledge and resolve targets must be positive.")
                )
            if min(row.first_response_hours, row.update_hours) < 0:
                raise ValidationError(self.env._("Targets cannot be negative."))
