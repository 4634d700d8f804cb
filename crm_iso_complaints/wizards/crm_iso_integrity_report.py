# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class ReportIntegrityCheck(models.AbstractModel):
    """The printout of an integrity check runs the check again: whatever was
    stored on the check (or written to it), the paper shows what the server
    finds at the time of printing, who printed it and the heads it saw."""

    _name = "report.crm_iso_complaints.report_integrity_check"
    _description = "Integrity check report"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["crm.iso.integrity.check"].browse(docids).exists()
        docs.check_access("read")
        kinds = dict(
            self.env["crm.iso.integrity.break"]
            ._fields["kind"]
            ._description_selection(self.env)
        )
        states = dict(docs._fields["state"]._description_selection(self.env))
        Company = self.env["res.company"]
        runs = {}
        for doc in docs:
            run = doc._crm_iso_run()
            for row in run["breaks"]:
                row["company"] = Company.browse(row["company_id"]).display_name
                row["kind_label"] = kinds.get(row["kind"], row["kind"])
            for head in run["heads"]:
                head["company"] = Company.browse(head["company_id"]).display_name
            run["state_label"] = states[run["state"]]
            run["user"] = self.env.user.display_name
            runs[doc.id] = run
        return {
            "doc_ids": docids,
            "doc_model": "crm.iso.integrity.check",
            "docs": docs,
            "runs": runs,
        }
