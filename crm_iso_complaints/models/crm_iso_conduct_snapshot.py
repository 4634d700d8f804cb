# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)


class CrmIsoConductSnapshot(models.Model):
    """The result of a commitment for a closed period, frozen when stored."""

    _name = "crm.iso.conduct.snapshot"
    _description = "Code of conduct compliance snapshot"
    _inherit = ["crm.iso.guarded.mixin"]
    _order = "period_start desc, id desc"
    # only the period computation (_cron_snapshot_periods) creates snapshots
    _crm_iso_append_only = True
    _crm_iso_protected = dict.fromkeys(
        (
            "commitment_id",
            "period_start",
            "period_end",
            "value",
            "sample_size",
            "target",
            "status",
        ),
        _lt("the period computation records it when the period is over"),
    )

    commitment_id = fields.Many2one(
        "crm.iso.conduct.commitment", required=True, ondelete="restrict", index=True
    )
    code_id = fields.Many2one(related="commitment_id.code_id", store=True)
    company_id = fields.Many2one(related="commitment_id.company_id", store=True)
    indicator = fields.Selection(related="commitment_id.indicator")
    period_start = fields.Date(required=True, index=True)
    period_end = fields.Date(required=True)
    value = fields.Float(required=True, aggregator="avg")
    sample_size = fields.Integer(aggregator="sum")
    target = fields.Float(required=True, aggregator="avg")
    status = fields.Selection(
        [
            ("met", "Met"),
            ("at_risk", "At risk"),
            ("missed", "Missed"),
            ("no_data", "No data"),
        ],
        required=True,
        index=True,
    )

    _period_uniq = models.Constraint(
        "UNIQUE (commitment_id, period_start)",
        "A commitment has one snapshot per period.",
    )

    def _notify_owners(self):
        model_id = self.env["ir.model"]._get_id("crm.iso.conduct.commitment")
        todo = self.env.ref("mail.mail_activity_data_todo")
        self.env["mail.activity"].create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": snapshot.commitment_id.id,
                    "activity_type_id": todo.id,
                    "user_id": snapshot.commitment_id.owner_id.id,
                    "summary": self.env._(
                        "Commitment missed for %(start)s - %(end)s",
                        start=snapshot.period_start,
                        end=snapshot.period_end,
                    ),
                }
                for snapshot in self
            ]
        )
