# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The ISO 10002 audit of the complaints-handling process, on OCA's audit.

An ISO 10002 audit (``crm_iso_is_10002``) takes the questions of the template
(``crm.iso.audit.question``) as its verification lines. Its Prefill button
computes the evidence of the audited period from the suite's records and
prefills each question the suite can answer with the evidence and a score
(``tools/audit_scoring.py`` maps question -> evidence -> score); each addon adds
its own evidence by extending :meth:`_crm_iso_audit_evidence`. An auditor of the
audit confirms or overrides each score (with a reason) on the line; the auditees
(the complaints managers who own the process) cannot. Failed questions open one
OCA nonconformity each; closing the audit freezes it, and its scores are an
input of the management review.
"""

from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL
from odoo.tools.translate import LazyTranslate

from ..tools import audit_scoring
from .crm_iso_audit_question import SECTIONS

_lt = LazyTranslate(__name__)
USE_BUTTONS = _lt("use the audit's Prefill and Close buttons")
# fields a closed ISO 10002 audit still takes: its chatter and activities
MAIL_FIELDS = ("message_", "activity_", "website_message")
SECTION_FIELDS = {key: f"crm_iso_score_{key}" for key, _label in SECTIONS}


class MgmtsystemAudit(models.Model):
    _name = "mgmtsystem.audit"
    _inherit = ["mgmtsystem.audit", "crm.iso.guarded.mixin"]
    _crm_iso_protected = dict.fromkeys(
        (
            "state",
            "closing_date",
            "crm_iso_prefilled_uid",
            "crm_iso_prefilled_date",
            "crm_iso_closed_uid",
            "crm_iso_score",
            *SECTION_FIELDS.values(),
        ),
        USE_BUTTONS,
    )
    _crm_iso_write_once = ("crm_iso_is_10002",)

    crm_iso_is_10002 = fields.Boolean(
        string="ISO 10002 audit", readonly=True, index=True, copy=False
    )
    crm_iso_date_from = fields.Date(string="Audited period from")
    crm_iso_date_to = fields.Date(string="Audited period to")
    crm_iso_prefilled_uid = fields.Many2one(
        "res.users", string="Prefilled by", readonly=True, copy=False
    )
    crm_iso_prefilled_date = fields.Datetime(
        string="Prefilled on", readonly=True, copy=False
    )
    crm_iso_closed_uid = fields.Many2one(
        "res.users", string="Closed by", readonly=True, copy=False
    )
    crm_iso_score = fields.Float(
        string="Overall score",
        digits=(16, 1),
        compute="_compute_crm_iso_scores",
        store=True,
        help="Mean of the questions' scores: the auditor's where reviewed, the "
        "prefilled one otherwise.",
    )
    crm_iso_score_framework = fields.Float(
        string="Framework",
        digits=(16, 1),
        compute="_compute_crm_iso_scores",
        store=True,
    )
    crm_iso_score_planning = fields.Float(
        string="Planning", digits=(16, 1), compute="_compute_crm_iso_scores", store=True
    )
    crm_iso_score_operation = fields.Float(
        string="Operation",
        digits=(16, 1),
        compute="_compute_crm_iso_scores",
        store=True,
    )
    crm_iso_score_improvement = fields.Float(
        string="Improvement",
        digits=(16, 1),
        compute="_compute_crm_iso_scores",
        store=True,
    )
    crm_iso_previous_id = fields.Many2one(
        "mgmtsystem.audit",
        string="Previous ISO 10002 audit",
        compute="_compute_crm_iso_trend",
    )
    crm_iso_trend = fields.Float(
        string="Trend (points)",
        digits=(16, 1),
        compute="_compute_crm_iso_trend",
        help="Overall score minus the previous closed audit's of the company.",
    )
    crm_iso_failed_count = fields.Integer(
        string="Failed questions", compute="_compute_crm_iso_failed_count"
    )

    @api.model_create_multi
    def create(self, vals_list):
        """OCA's ``create`` names its argument ``vals`` (``/json/2`` cannot
        call it by name) and writes the reference into the caller's dicts (a
        retry would find it there): here it gets ``vals_list``, copied."""
        return super().create([dict(vals) for vals in vals_list])

    # ------------------------------------------------------------ scores
    @api.depends(
        "line_ids.crm_iso_score",
        "line_ids.crm_iso_state",
        "line_ids.crm_iso_prefill_score",
        "line_ids.crm_iso_prefilled",
        "line_ids.crm_iso_section",
    )
    def _compute_crm_iso_scores(self):
        for audit in self:
            lines = audit.line_ids.filtered("crm_iso_question_id")
            audit.crm_iso_score = audit_scoring.average(lines._crm_iso_scores()) or 0.0
            for section, fname in SECTION_FIELDS.items():
                audit[fname] = (
                    audit_scoring.average(
                        lines.filtered(
                            lambda line, s=section: line.crm_iso_section == s
                        )._crm_iso_scores()
                    )
                    or 0.0
                )

    @api.depends("crm_iso_score", "closing_date", "company_id")
    def _compute_crm_iso_trend(self):
        """The previous closed ISO 10002 audit of the same company (closed
        before this one, or before now for an open one), in one search."""
        iso = self.filtered("crm_iso_is_10002")
        closed = self.search(
            [
                ("crm_iso_is_10002", "=", True),
                ("state", "=", "done"),
                ("company_id", "in", iso.company_id.ids),
            ],
            order="closing_date desc, id desc",
        )
        now = fields.Datetime.now()
        for audit in self:
            previous = audit.browse()
            if audit in iso:
                before = audit.closing_date or now
                previous = next(
                    (
                        other
                        for other in closed
                        if other.company_id == audit.company_id
                        and other.id != audit.id
                        and other.closing_date <= before
                    ),
                    previous,
                )
            audit.crm_iso_previous_id = previous
            audit.crm_iso_trend = (
                audit.crm_iso_score - previous.crm_iso_score if previous else 0.0
            )

    def _compute_crm_iso_failed_count(self):
        for audit in self:
            audit.crm_iso_failed_count = len(audit.line_ids.filtered("crm_iso_failed"))

    # ------------------------------------------------------------ the guard
    def _crm_iso_guarded_records(self):
        """Only ISO 10002 audits: OCA's other audits keep OCA's rules."""
        return self.filtered("crm_iso_is_10002")

    def _crm_iso_check_write(self, vals):
        """A closed ISO 10002 audit is frozen: only its chatter moves. The
        suite's fields are refused on OCA's other audits too (one of them does
        not become an ISO 10002 audit with forged scores)."""
        super()._crm_iso_check_write(vals)
        if self._crm_iso_is_unlocked():
            return
        ours = [
            name
            for name in vals
            if name.startswith("crm_iso_")
            and (
                name in self._crm_iso_protected_fields()
                or name in self._crm_iso_write_once
            )
        ]
        if ours:
            self._crm_iso_refuse(ours[0])
        frozen = [name for name in vals if not name.startswith(MAIL_FIELDS)]
        if frozen and self._crm_iso_guarded_records().filtered(
            lambda audit: audit.state == "done"
        ):
            raise UserError(
                self.env._(
                    "A closed ISO 10002 audit is a record of what was found: "
                    "it does not change."
                )
            )

    @api.constrains("auditor_user_ids", "auditee_user_ids", "crm_iso_is_10002")
    def _check_crm_iso_auditor_independent(self):
        for audit in self.filtered("crm_iso_is_10002"):
            both = audit.auditor_user_ids & audit.auditee_user_ids
            if both:
                raise ValidationError(
                    self.env._(
                        "%(users)s own the complaints-handling process (auditees) "
                        "and cannot audit it.",
                        users=", ".join(both.mapped("name")),
                    )
                )

    @api.constrains("crm_iso_date_from", "crm_iso_date_to")
    def _check_crm_iso_period(self):
        for audit in self:
            if (
                audit.crm_iso_date_from
                and audit.crm_iso_date_to
                and audit.crm_iso_date_to < audit.crm_iso_date_from
            ):
                raise ValidationError(
                    self.env._("The audited period ends before it starts.")
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_crm_iso_closed(self):
        if self._crm_iso_guarded_records().filtered(lambda a: a.state == "done"):
            raise UserError(
                self.env._("A closed ISO 10002 audit is kept: it is not deleted.")
            )

    # ------------------------------------------------------------ transitions
    def _crm_iso_lock_open(self):
        """Lock the audits' rows (a concurrent close or prefill waits, or we see
        it) and check that each is an open ISO 10002 audit the user may write."""
        self.check_access("write")
        self.env.cr.execute(
            SQL(
                "SELECT id FROM mgmtsystem_audit WHERE id IN %s FOR NO KEY UPDATE",
                tuple(self.ids),
            )
        )
        self.invalidate_recordset(["state"])
        for audit in self:
            if not audit.crm_iso_is_10002 or audit.state != "open":
                raise UserError(
                    self.env._(
                        "%(audit)s is not an open ISO 10002 audit.",
                        audit=audit.display_name,
                    )
                )

    def action_crm_iso_prefill(self):
        """Take the template's questions (the first time) and prefill each one
        the suite answers with the evidence of the audited period and its score;
        a new prefill replaces the previous one and its reviews."""
        if not self:
            return True
        self._crm_iso_lock_open()
        Line = self.env["mgmtsystem.verification.line"]
        for audit in self:
            if not (audit.crm_iso_date_from and audit.crm_iso_date_to):
                raise UserError(self.env._("Set the audited period first."))
            company = audit.company_id or self.env.company
            audit._crm_iso_add_questions(company)
            # the company's records, whatever apps the auditor uses: the audit
            # needs all its evidence, and only who may write the audit runs it
            evidence = (
                audit.sudo()
                .with_company(company)
                .with_context(allowed_company_ids=company.ids)
                ._crm_iso_audit_evidence(audit.crm_iso_date_from, audit.crm_iso_date_to)
            )
            values = {}
            for line in audit.line_ids.filtered("crm_iso_code"):
                text, score = evidence.get(
                    line.crm_iso_code,
                    (self.env._("The suite has no record of this."), None),
                )
                values[line.id] = {
                    "crm_iso_evidence": text,
                    "crm_iso_prefilled": score is not None,
                    "crm_iso_prefill_score": score or 0.0,
                    **Line._crm_iso_unreviewed(),
                }
            Line.sudo()._crm_iso_write_grouped(values)
            audit.sudo()._crm_iso_write(
                {
                    "crm_iso_prefilled_uid": self.env.uid,
                    "crm_iso_prefilled_date": fields.Datetime.now(),
                }
            )
        return True

    def _crm_iso_add_questions(self, company):
        """The template's active questions (the company's and the shared ones)
        this audit does not have yet, as its verification lines."""
        questions = (
            self.env["crm.iso.audit.question"].search(
                [("company_id", "in", (company.id, False))]
            )
            - self.line_ids.crm_iso_question_id
        )
        self.env["mgmtsystem.verification.line"].sudo().create(
            [
                {
                    "audit_id": self.id,
                    "crm_iso_question_id": question.id,
                    "name": question.name,
                    "seq": question.sequence,
                    "company_id": company.id,
                }
                for question in questions
            ]
        )

    def button_close(self):
        """An ISO 10002 audit closes once every question is reviewed, by someone
        who does not own the process; its failed questions open their
        nonconformities, and the audit freezes."""
        iso = self.filtered("crm_iso_is_10002")
        if self - iso:
            super(MgmtsystemAudit, self - iso).button_close()
        if not iso:
            return True
        iso._crm_iso_lock_open()
        for audit in iso:
            if self.env.user in audit.auditee_user_ids:
                raise UserError(
                    self.env._(
                        "You own the audited process (auditee): an auditor or the "
                        "audit manager closes the audit."
                    )
                )
            pending = audit.line_ids.filtered(
                lambda line: line.crm_iso_state == "pending"
            )
            if pending:
                raise UserError(
                    self.env._(
                        "Confirm or override every question first: %(questions)s",
                        questions="; ".join(pending.mapped("name")),
                    )
                )
        iso.action_crm_iso_open_nonconformities()
        for audit in iso:
            audit.message_post(body=self.env._("Audit closed"))
        iso.sudo()._crm_iso_write(
            {
                "state": "done",
                "closing_date": fields.Datetime.now(),
                "crm_iso_closed_uid": self.env.uid,
            }
        )
        return True

    def action_crm_iso_open_nonconformities(self):
        """One OCA nonconformity per failed question, never two: the audit's
        row is locked and a unique index holds the question's link."""
        if not self:
            return True
        self._crm_iso_lock_open()
        lines = self.line_ids.sudo().filtered(
            lambda line: line.crm_iso_failed and not line.crm_iso_nonconformity_ids
        )
        if not lines:
            return True
        Nonconformity = self.env["mgmtsystem.nonconformity"].sudo()
        with Nonconformity._crm_iso_unlocked():
            created = Nonconformity.create(
                [self._crm_iso_nonconformity_vals(line) for line in lines]
            )
        for audit in self:
            mine = created.filtered(
                lambda nc, audit=audit: nc.crm_iso_audit_line_id.audit_id == audit
            )
            if not mine:
                continue
            audit.sudo().nonconformity_ids = [fields.Command.link(nc.id) for nc in mine]
            audit.message_post(
                body=Markup("%s %s")
                % (
                    self.env._("Nonconformities opened:"),
                    Markup(", ").join(nc._get_html_link(title=nc.ref) for nc in mine),
                )
            )
        return True

    def _crm_iso_nonconformity_vals(self, line):
        """The nonconformity of a failed question: the question, its evidence,
        the auditor's reason and score; the auditee is responsible for it."""
        audit = line.audit_id
        return {
            "name": self.env._(
                "ISO 10002 audit %(ref)s: %(question)s",
                ref=audit.reference,
                question=line.name,
            ),
            "description": "\n\n".join(
                filter(
                    None,
                    (
                        line.name,
                        line.crm_iso_evidence,
                        line.crm_iso_reason,
                        self.env._("Score: %(score)s", score=line.crm_iso_score),
                    ),
                )
            ),
            "partner_id": audit.company_id.partner_id.id,
            "responsible_user_id": (audit.auditee_user_ids[:1] or self.env.user).id,
            "manager_user_id": (audit.user_id or self.env.user).id,
            "user_id": self.env.uid,
            "origin_ids": [
                fields.Command.set(
                    self.env.ref(
                        "mgmtsystem_nonconformity.nc_origin_internal_audit"
                    ).ids
                )
            ],
            "company_id": audit.company_id.id,
            "reference": audit.reference,
            "crm_iso_audit_line_id": line.id,
        }

    def _crm_iso_demo_review(self, score):
        """Demo data: the audit's first auditor prefills it, confirms the
        prefilled scores, gives ``score`` to the others, and closes it."""
        audit = self.with_user(self.auditor_user_ids[:1])
        audit.action_crm_iso_prefill()
        prefilled = audit.line_ids.filtered("crm_iso_prefilled")
        prefilled.action_crm_iso_confirm()
        (audit.line_ids - prefilled).action_crm_iso_override(
            score, audit.env._("Scored on the interviews of the audit.")
        )
        return audit.button_close()

    # ------------------------------------------------------------ evidence
    def _crm_iso_audit_evidence(self, date_from, date_to):
        """{question code: (evidence text, score or None)} of the period, for
        this audit's company; each addon adds its own codes. What each code
        measures and how it scores: ``tools/audit_scoring.py``."""
        self.ensure_one()
        self.env.flush_all()  # the KPIs and the register are read in SQL
        company = self.company_id or self.env.company
        _ = self.env._
        review = self.env["mgmtsystem.review"]
        start, end = review._crm_iso_bounds(date_from, date_to, company)
        year_before = end - timedelta(days=365)
        complaints = [
            ("company_id", "=", company.id),
            ("complaint_received_date", ">=", start),
            ("complaint_received_date", "<", end),
        ]
        kpis = (self.env["crm.iso.complaint.report"].get_kpis(complaints) or [{}])[0]
        count = kpis.get("count", 0)
        Ticket = self.env["helpdesk.ticket"]
        objectivity = Ticket.search_count(
            [
                *complaints,
                ("is_complaint", "=", True),
                "|",
                ("complaint_subject_user_ids", "!=", False),
                ("complaint_conflict_user_ids", "!=", False),
            ]
        )
        policies = self.env["crm.iso.complaint.policy"].search_count(
            [("company_id", "in", (company.id, False))]
        )
        verified = self.env["crm.iso.event"]._verify(company.ids)
        previous = self.search_count(
            [
                ("id", "!=", self.id),
                ("crm_iso_is_10002", "=", True),
                ("company_id", "=", company.id),
                ("state", "=", "done"),
                ("closing_date", ">=", year_before),
                ("closing_date", "<", end),
            ]
        )
        reviews = review.search_count(
            [
                ("company_id", "=", company.id),
                ("state", "=", "done"),
                ("date", ">=", year_before),
                ("date", "<", end),
            ]
        )
        score = audit_scoring

        def share(key, label):
            value = kpis.get(key)
            if value is None:
                return _("No complaint of the period to measure."), None
            return (
                _(
                    "%(share).1f %% of the %(count)s complaints of the period "
                    "%(label)s.",
                    share=value,
                    count=count,
                    label=label,
                ),
                score.share_score(value),
            )

        return {
            "policy": (
                _("%(count)s active complaint deadline policies.", count=policies),
                score.presence_score(policies),
            ),
            "objectivity": (
                _(
                    "%(found)s of the %(count)s complaints of the period have an "
                    "objectivity record (staff complained about, conflicts "
                    "declared).",
                    count=count,
                    found=objectivity,
                ),
                score.presence_score(objectivity),
            ),
            "register_intact": (
                _(
                    "Event register: %(rows)s rows checked, %(breaks)s breaks.",
                    rows=verified["checked"],
                    breaks=len(verified["breaks"]),
                ),
                score.presence_score(not verified["breaks"]),
            ),
            "ack_in_time": share("ack_in_time_pct", _("acknowledged in time")),
            "resolve_in_time": share("resolve_in_time_pct", _("resolved in time")),
            "previous_audit": (
                _(
                    "%(count)s ISO 10002 audits closed in the year before.",
                    count=previous,
                ),
                score.presence_score(previous),
            ),
            "review_held": (
                _(
                    "%(count)s management reviews closed in the year before.",
                    count=reviews,
                ),
                score.presence_score(reviews),
            ),
        }
