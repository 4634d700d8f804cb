# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from ..tools import clock, jalali


class CrmIsoIntegrityCheck(models.TransientModel):
    """Walks the event register's hash chain of the user's companies and lists
    every break: a row changed, removed or inserted behind the ORM."""

    _name = "crm.iso.integrity.check"
    _description = "Event register integrity check"

    company_ids = fields.Many2many(
        "res.company",
        string="Companies",
        default=lambda self: self.env.companies,
        domain=lambda self: [("id", "in", self.env.user.company_ids.ids)],
    )
    checked_date = fields.Datetime(string="Checked on", readonly=True)
    checked_count = fields.Integer(string="Rows checked", readonly=True)
    state = fields.Selection(
        [("draft", "Not checked"), ("intact", "Intact"), ("broken", "Breaks found")],
        default="draft",
        readonly=True,
    )
    break_ids = fields.One2many(
        "crm.iso.integrity.break", "check_id", string="Breaks", readonly=True
    )
    head_ids = fields.One2many(
        "crm.iso.integrity.head", "check_id", string="Last rows", readonly=True
    )

    def _compute_display_name(self):
        """The breadcrumb: what was checked and when, not the model's name."""
        for check in self:
            check.display_name = self.env._(
                "Integrity check %(date)s",
                date=jalali.format_local(
                    check.checked_date or check.create_date,
                    self.env.lang,
                    clock.company_tz(self.env.company),
                ),
            )

    def action_check(self):
        """Run the check now (and again): results replace the previous ones."""
        for check in self:
            companies = check.company_ids & self.env.user.company_ids
            result = self.env["crm.iso.event"]._verify(companies.ids)
            heads = self.env["crm.iso.event"]._heads(companies.ids)
            check.write(
                {
                    "checked_date": fields.Datetime.now(),
                    "checked_count": result["checked"],
                    "state": "broken" if result["breaks"] else "intact",
                    "break_ids": [fields.Command.clear()]
                    + [
                        fields.Command.create(
                            {
                                "company_id": row["company_id"],
                                "sequence": row["sequence"],
                                "record_ref": row["record_ref"],
                                "kind": row["kind"],
                                "event": row["detail"],
                                "missing_from": row["missing"] and row["missing"][0],
                                "missing_to": row["missing"] and row["missing"][1],
                            }
                        )
                        for row in result["breaks"]
                    ],
                    "head_ids": [fields.Command.clear()]
                    + [fields.Command.create(head) for head in heads],
                }
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self[:1].id,
            "view_mode": "form",
            "target": "current",
        }

    def action_print(self):
        self.filtered(lambda c: c.state == "draft").action_check()
        return self.env.ref(
            "crm_iso_complaints.action_report_integrity_check"
        ).report_action(self)

    @api.model
    def action_open(self):
        """The menu entry: a check of the user's companies, run at once."""
        return self.create({}).action_check()
