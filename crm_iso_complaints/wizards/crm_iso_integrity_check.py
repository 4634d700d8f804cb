# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools.translate import LazyTranslate

from ..tools import clock, jalali

_lt = LazyTranslate(__name__)
RUN_IT = _lt("run the check (Check again)")


class CrmIsoIntegrityCheck(models.TransientModel):
    """Walks the event register's hash chain of the user's companies and lists
    every break: a row changed, removed or inserted behind the ORM.

    The result (state, counts, breaks, heads, who and when) is written by
    ``action_check`` only: the guard refuses it from every client, and no group
    may create, write or delete a break or head row. A printout runs the check
    again (``_crm_iso_run``), so that it shows what the server finds now."""

    _name = "crm.iso.integrity.check"
    _description = "Event register integrity check"
    _inherit = ["crm.iso.guarded.mixin"]
    _crm_iso_protected = {
        "checked_date": RUN_IT,
        "checked_uid": RUN_IT,
        "checked_count": RUN_IT,
        "state": RUN_IT,
        "break_ids": RUN_IT,
        "head_ids": RUN_IT,
    }

    company_ids = fields.Many2many(
        "res.company",
        string="Companies",
        default=lambda self: self.env.companies,
        domain=lambda self: [("id", "in", self.env.user.company_ids.ids)],
    )
    checked_date = fields.Datetime(string="Checked on", readonly=True)
    checked_uid = fields.Many2one("res.users", string="Checked by", readonly=True)
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

    def _crm_iso_run(self):
        """Verify the chains of the check's companies (those of the user) now.

        Returns the result as the check stores it and the printout shows it:
        date, user, counts, state, the breaks and the head of each chain.
        """
        self.ensure_one()
        companies = self.company_ids & self.env.user.company_ids
        Event = self.env["crm.iso.event"]
        result = Event._verify(companies.ids)
        return {
            "checked_date": fields.Datetime.now(),
            "checked_uid": self.env.uid,
            "checked_count": result["checked"],
            "state": "broken" if result["breaks"] else "intact",
            "breaks": [
                {
                    "company_id": row["company_id"],
                    "sequence": row["sequence"],
                    "record_ref": row["record_ref"],
                    "kind": row["kind"],
                    "event": row["detail"],
                    "missing_from": row["missing"] and row["missing"][0],
                    "missing_to": row["missing"] and row["missing"][1],
                }
                for row in result["breaks"]
            ],
            "heads": Event._heads(companies.ids),
        }

    def action_check(self):
        """Run the check now (and again): results replace the previous ones."""
        for check in self:
            run = check._crm_iso_run()
            rows = {
                "break_ids": [fields.Command.create(b) for b in run.pop("breaks")],
                "head_ids": [fields.Command.create(h) for h in run.pop("heads")],
            }
            # the rows are read-only for every group: the check writes them
            check.sudo()._crm_iso_write(
                {
                    **run,
                    **{
                        name: [fields.Command.clear(), *commands]
                        for name, commands in rows.items()
                    },
                }
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self[:1].id,
            "view_mode": "form",
            "target": "current",
        }

    def write(self, vals):
        """Other companies: the result of the previous ones no longer holds."""
        result = super().write(vals)
        if "company_ids" in vals and not self._crm_iso_is_unlocked():
            self.sudo()._crm_iso_write(
                {
                    "state": "draft",
                    "checked_date": False,
                    "checked_uid": False,
                    "checked_count": 0,
                    "break_ids": [fields.Command.clear()],
                    "head_ids": [fields.Command.clear()],
                }
            )
        return result

    def action_print(self):
        """Check again, then print: the printout runs the check once more."""
        self.action_check()
        return self.env.ref(
            "crm_iso_complaints.action_report_integrity_check"
        ).report_action(self)

    @api.model
    def action_open(self):
        """The menu entry: a check of the user's companies, run at once."""
        return self.create({}).action_check()
