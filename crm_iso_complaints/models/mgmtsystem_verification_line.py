# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

from ..tools import audit_scoring

_lt = LazyTranslate(__name__)
PREFILL = _lt("the audit's Prefill button computes it from the suite's records")
REVIEW = _lt("use the question's Confirm or Override (with a reason) buttons")
REVIEW_STATES = [
    ("pending", "To review"),
    ("confirmed", "Confirmed"),
    ("overridden", "Overridden"),
]


class MgmtsystemVerificationLine(models.Model):
    """A question of an ISO 10002 audit: the evidence and score the suite
    prefilled (protected), and the auditor's review of them: a confirmation, or
    an override with its reason, stamped with who and when."""

    _name = "mgmtsystem.verification.line"
    _inherit = ["mgmtsystem.verification.line", "crm.iso.guarded.mixin"]
    _check_company_auto = True
    _crm_iso_protected = {
        **dict.fromkeys(
            ("crm_iso_evidence", "crm_iso_prefilled", "crm_iso_prefill_score"),
            PREFILL,
        ),
        **dict.fromkeys(
            (
                "crm_iso_state",
                "crm_iso_score",
                "crm_iso_reason",
                "crm_iso_reviewed_uid",
                "crm_iso_reviewed_date",
                "is_conformed",
            ),
            REVIEW,
        ),
    }
    _crm_iso_write_once = ("crm_iso_question_id", "audit_id")

    crm_iso_question_id = fields.Many2one(
        "crm.iso.audit.question",
        string="Template question",
        readonly=True,
        check_company=True,
        index="btree_not_null",
    )
    crm_iso_section = fields.Selection(
        related="crm_iso_question_id.section", store=True, string="Section"
    )
    crm_iso_code = fields.Char(
        related="crm_iso_question_id.code", string="Evidence key"
    )
    crm_iso_evidence = fields.Text(string="Evidence", readonly=True)
    crm_iso_prefilled = fields.Boolean(string="Prefilled", readonly=True)
    crm_iso_prefill_score = fields.Float(
        string="Prefilled score", digits=(16, 1), readonly=True
    )
    crm_iso_state = fields.Selection(
        REVIEW_STATES, string="Review", default="pending", readonly=True
    )
    crm_iso_score = fields.Float(string="Score", digits=(16, 1), readonly=True)
    crm_iso_reason = fields.Text(string="Override reason", readonly=True)
    crm_iso_reviewed_uid = fields.Many2one(
        "res.users", string="Reviewed by", readonly=True
    )
    crm_iso_reviewed_date = fields.Datetime(string="Reviewed on", readonly=True)
    crm_iso_new_score = fields.Float(
        string="Auditor's score", digits=(16, 1), help="The score Override sets."
    )
    crm_iso_new_reason = fields.Text(
        string="Auditor's reason", help="Why the score is overridden (required)."
    )
    crm_iso_failed = fields.Boolean(string="Failed", compute="_compute_crm_iso_failed")
    crm_iso_nonconformity_ids = fields.One2many(
        "mgmtsystem.nonconformity", "crm_iso_audit_line_id", string="Nonconformity"
    )

    def _crm_iso_scores(self):
        """The lines' scores: the auditor's once reviewed, the prefilled one
        before, None for a question not scored yet."""
        return [
            line.crm_iso_score
            if line.crm_iso_state != "pending"
            else (line.crm_iso_prefill_score if line.crm_iso_prefilled else None)
            for line in self
        ]

    @api.depends("crm_iso_state", "crm_iso_score")
    def _compute_crm_iso_failed(self):
        """Reviewed below the pass score (tools/audit_scoring.py)."""
        for line in self:
            line.crm_iso_failed = line.crm_iso_state != "pending" and not (
                audit_scoring.passes(line.crm_iso_score)
            )

    # ------------------------------------------------------------ the guard
    def _crm_iso_guarded_records(self):
        return self.filtered(lambda line: line.audit_id.crm_iso_is_10002)

    def _crm_iso_check_create(self, vals_list):
        """The suite's fields are refused on every line, OCA's ``is_conformed``
        on the lines of an ISO 10002 audit only; a closed one takes no line."""
        if self._crm_iso_is_unlocked():
            return
        audits = self.env["mgmtsystem.audit"].browse(
            {vals["audit_id"] for vals in vals_list if vals.get("audit_id")}
        )
        iso = audits.filtered("crm_iso_is_10002")
        if iso.filtered(lambda audit: audit.state == "done"):
            self._crm_iso_refuse_closed()
        super()._crm_iso_check_create(
            [
                vals
                if vals.get("audit_id") in iso.ids
                else {
                    key: value for key, value in vals.items() if key != "is_conformed"
                }
                for vals in vals_list
            ]
        )

    def _crm_iso_check_write(self, vals):
        """Same on write: a client cannot write the suite's fields on OCA's
        other lines either, whose audit could become an ISO 10002 one."""
        if self._crm_iso_is_unlocked() or not vals:
            return super()._crm_iso_check_write(vals)
        if self._crm_iso_closed():
            self._crm_iso_refuse_closed()
        protected = self._crm_iso_protected_fields()
        ours = [name for name in vals if name in protected and name != "is_conformed"]
        if ours:
            self._crm_iso_refuse(ours[0])
        return super()._crm_iso_check_write(vals)

    def _crm_iso_closed(self):
        return self._crm_iso_guarded_records().filtered(
            lambda line: line.audit_id.state == "done"
        )

    def _crm_iso_refuse_closed(self):
        raise UserError(
            self.env._(
                "A closed ISO 10002 audit is a record of what was found: its "
                "questions do not change."
            )
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_crm_iso_closed(self):
        if self._crm_iso_closed():
            self._crm_iso_refuse_closed()

    # ------------------------------------------------------------ review
    @api.model
    def _crm_iso_unreviewed(self):
        """The review values of a question not reviewed (yet, or again)."""
        return {
            "crm_iso_state": "pending",
            "crm_iso_score": 0.0,
            "crm_iso_reason": False,
            "crm_iso_reviewed_uid": False,
            "crm_iso_reviewed_date": False,
            "is_conformed": False,
        }

    def _crm_iso_check_auditor(self):
        """The real user of the request is an auditor of each line's open ISO
        10002 audit and does not own the audited process (an auditee)."""
        self.check_access("write")
        user = self.env.user
        for line in self:
            audit = line.audit_id
            if not audit.crm_iso_is_10002 or audit.state != "open":
                raise UserError(
                    self.env._(
                        "%(question)s is not a question of an open ISO 10002 audit.",
                        question=line.name,
                    )
                )
            if user in audit.auditee_user_ids or user not in audit.auditor_user_ids:
                raise UserError(
                    self.env._(
                        "Only an auditor of %(audit)s who does not own the audited "
                        "process reviews its questions.",
                        audit=audit.display_name,
                    )
                )

    def _crm_iso_review(self, values):
        """Write the review ``{line id: (state, score, reason)}`` with its stamp."""
        now = fields.Datetime.now()
        self.sudo()._crm_iso_write_grouped(
            {
                line_id: {
                    "crm_iso_state": state,
                    "crm_iso_score": score,
                    "crm_iso_reason": reason,
                    "crm_iso_reviewed_uid": self.env.uid,
                    "crm_iso_reviewed_date": now,
                    "is_conformed": audit_scoring.passes(score),
                }
                for line_id, (state, score, reason) in values.items()
            }
        )
        return True

    def action_crm_iso_confirm(self):
        """The auditor confirms the prefilled score as it is."""
        self._crm_iso_check_auditor()
        unscored = self.filtered(lambda line: not line.crm_iso_prefilled)
        if unscored:
            raise UserError(
                self.env._(
                    "%(question)s has no prefilled score to confirm: override it "
                    "with your score and reason.",
                    question=unscored[0].name,
                )
            )
        return self._crm_iso_review(
            {line.id: ("confirmed", line.crm_iso_prefill_score, False) for line in self}
        )

    def action_crm_iso_override(self, score=None, reason=None):
        """The auditor's own score, with the reason (mandatory): given here or
        typed on the line (Auditor's score and reason)."""
        self._crm_iso_check_auditor()
        values = {}
        for line in self:
            new_score = line.crm_iso_new_score if score is None else score
            new_reason = (line.crm_iso_new_reason if reason is None else reason) or ""
            if not isinstance(new_reason, str) or not new_reason.strip():
                raise UserError(
                    self.env._(
                        "Give the reason for overriding the score of %(question)s.",
                        question=line.name,
                    )
                )
            if (
                not isinstance(new_score, (int, float))
                or isinstance(new_score, bool)
                or not 0 <= new_score <= 100
            ):
                raise UserError(self.env._("A score runs from 0 to 100."))
            values[line.id] = ("overridden", float(new_score), new_reason.strip())
        return self._crm_iso_review(values)
