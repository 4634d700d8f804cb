# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The management review (ISO 9001, 9.3) pulls the suite's inputs for a period.

Each addon adds its own rows by extending :meth:`_crm_iso_review_inputs`
(complaints, disputes, codes of conduct and nonconformities here; satisfaction in
crm_iso_surveys; quality control in crm_mall_counter). The figures come from the
addons' own KPI methods (``get_kpis``...), never from a second copy of a formula.
The rows are stored on the review when pulled: the review keeps what was
presented, and a closed review's inputs never change.
"""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.translate import LazyTranslate

from ..tools import audit_scoring, clock, jalali
from .mgmtsystem_audit import SECTION_FIELDS

_lt = LazyTranslate(__name__)
CLOSED = _lt("a closed review is a record of what was presented: it does not change")


class MgmtsystemReview(models.Model):
    _name = "mgmtsystem.review"
    _inherit = ["mgmtsystem.review", "crm.iso.guarded.mixin"]
    _crm_iso_protected = dict.fromkeys(
        ("state", "crm_iso_date_from", "crm_iso_date_to", "crm_iso_input_ids"),
        CLOSED,
    )

    crm_iso_date_from = fields.Date(string="Period from")
    crm_iso_date_to = fields.Date(string="Period to")
    crm_iso_input_ids = fields.One2many(
        "crm.iso.review.input", "review_id", string="Inputs of the suite"
    )
    crm_iso_pulled_date = fields.Datetime(string="Inputs pulled on", readonly=True)

    @api.constrains("crm_iso_date_from", "crm_iso_date_to")
    def _check_crm_iso_period(self):
        for review in self:
            if (
                review.crm_iso_date_from
                and review.crm_iso_date_to
                and review.crm_iso_date_to < review.crm_iso_date_from
            ):
                raise UserError(
                    self.env._("The review's period ends before it starts.")
                )

    # ------------------------------------------------------------ the guard
    def _crm_iso_guarded_records(self):
        """Only closed reviews are locked: an open one is being prepared."""
        return self.filtered(lambda review: review.state == "done")

    def _crm_iso_check_create(self, vals_list):
        """A new review is open: its period is set freely, but it is not created
        closed nor with inputs (its Close button closes it, its Pull button
        stores the inputs)."""
        if self._crm_iso_is_unlocked():
            return
        for vals in vals_list:
            for name in ("state", "crm_iso_input_ids"):
                if name in vals and not self._crm_iso_is_default(name, vals[name]):
                    self._crm_iso_refuse(name)

    # ------------------------------------------------------------ pulling
    def action_crm_iso_pull_inputs(self):
        """Store the suite's inputs for the review's period, replacing the
        previous pull; refused once the review is closed."""
        self.check_access("write")
        if self.ids:  # a concurrent Close waits, or we see it
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM mgmtsystem_review WHERE id IN %s FOR NO KEY UPDATE",
                    tuple(self.ids),
                )
            )
            self.invalidate_recordset(["state"])
        Input = self.env["crm.iso.review.input"].sudo()
        for review in self:
            if review.state == "done":
                raise UserError(
                    self.env._(
                        "Review %(review)s is closed: its inputs are what was "
                        "presented and are not pulled again.",
                        review=review.display_name,
                    )
                )
            if not (review.crm_iso_date_from and review.crm_iso_date_to):
                raise UserError(self.env._("Set the review's period first."))
            company = review.company_id or self.env.company
            # aggregates of the review's company (every method filters on it),
            # whatever apps the puller uses: the review needs all its inputs, and
            # only those who may write the review pull them
            rows = (
                review.sudo()
                .with_company(company)
                .with_context(allowed_company_ids=company.ids)
                ._crm_iso_review_inputs(
                    review.crm_iso_date_from, review.crm_iso_date_to
                )
            )
            with Input._crm_iso_unlocked(), review._crm_iso_unlocked():
                review.sudo().crm_iso_input_ids.unlink()
                Input.create(
                    [
                        dict(row, review_id=review.id, sequence=index)
                        for index, row in enumerate(rows)
                    ]
                )
                review.sudo().crm_iso_pulled_date = fields.Datetime.now()
        return True

    def _crm_iso_bounds(self, date_from, date_to, company=None):
        """The period's first and last-plus-one midnights in the zone of the
        review's company (``clock.record_tz``), or of ``company`` (an audit's),
        as naive UTC datetimes: a company's figures, the same whoever pulls
        them."""
        tz = clock.company_tz(company) if company else clock.record_tz(self)
        return (
            clock.local_midnight(tz, date_from),
            clock.local_midnight(tz, date_to + timedelta(days=1)),
        )

    @api.model
    def _crm_iso_row(
        self,
        section,
        code,
        indicator,
        value,
        unit="",
        target=None,
        lower_is_better=False,
    ):
        """One input row; ``value`` None means no data in the period."""
        digits = 0 if isinstance(value, int) else 1

        def show(number):
            if number is None:
                return self.env._("no data")
            return f"{number:.{digits}f}{unit}"

        status = "info"
        if target is not None and value is not None:
            met = value <= target if lower_is_better else value >= target
            status = "met" if met else "missed"
        return {
            "section": section,
            "code": code,
            "indicator": indicator,
            "value": value or 0.0,
            "value_display": show(value),
            "target": target or 0.0,
            "target_display": "" if target is None else show(target),
            "status": status,
        }

    def _crm_iso_review_inputs(self, date_from, date_to):
        """The rows (dicts of ``crm.iso.review.input`` values) for the period;
        each addon extends it with its own."""
        self.ensure_one()
        return (
            self._crm_iso_review_complaint_inputs(date_from, date_to)
            + self._crm_iso_review_dispute_inputs(date_from, date_to)
            + self._crm_iso_review_conduct_inputs(date_from, date_to)
            + self._crm_iso_review_nonconformity_inputs(date_from, date_to)
            + self._crm_iso_review_action_inputs(date_from, date_to)
            + self._crm_iso_review_audit_inputs(date_from, date_to)
        )

    def _crm_iso_company(self):
        return self.company_id or self.env.company

    def _crm_iso_review_complaint_inputs(self, date_from, date_to):
        start, end = self._crm_iso_bounds(date_from, date_to)
        Report = self.env["crm.iso.complaint.report"]
        domain = [
            ("company_id", "=", self._crm_iso_company().id),
            ("complaint_received_date", ">=", start),
            ("complaint_received_date", "<", end),
        ]
        total = (Report.get_kpis(domain) or [{}])[0]
        row = self._crm_iso_row
        _ = self.env._
        rows = [
            row(
                "complaints",
                "complaints.received",
                _("Complaints received"),
                total.get("count", 0),
            ),
            row(
                "complaints",
                "complaints.ack_in_time_pct",
                _("Acknowledged in time"),
                total.get("ack_in_time_pct"),
                " %",
            ),
            row(
                "complaints",
                "complaints.resolve_in_time_pct",
                _("Resolved in time"),
                total.get("resolve_in_time_pct"),
                " %",
            ),
            row(
                "complaints",
                "complaints.resolve_median",
                _("Median resolution time (working hours)"),
                total.get("resolve_median"),
                " h",
            ),
            row(
                "complaints",
                "complaints.reopened_pct",
                _("Reopened"),
                total.get("reopened_pct"),
                " %",
            ),
        ]
        categories = Report.get_kpis(domain, "category_id")
        names = dict(
            self.env["helpdesk.ticket.category"]
            .browse([r["key"] for r in categories if r["key"]])
            .mapped(lambda c: (c.id, c.display_name))
        )
        for group in categories:
            label = names.get(group["key"]) or _("No category")
            rows.append(
                row(
                    "complaints",
                    f"complaints.category.{group['key'] or 0}",
                    _("Complaints received: %(category)s", category=label),
                    group["count"],
                )
            )
        return rows

    def _crm_iso_review_dispute_inputs(self, date_from, date_to):
        Dispute = self.env["crm.iso.dispute"]
        company = [("company_id", "=", self._crm_iso_company().id)]
        _ = self.env._
        opened = Dispute.search_count(
            company
            + [("proposed_date", ">=", date_from), ("proposed_date", "<=", date_to)]
        )
        closed = Dispute.search_count(
            company + [("closed_date", ">=", date_from), ("closed_date", "<=", date_to)]
        )
        still_open = Dispute.search_count(
            company
            + [
                ("proposed_date", "<=", date_to),
                "|",
                ("closed_date", "=", False),
                ("closed_date", ">", date_to),
            ]
        )
        row = self._crm_iso_row
        return [
            row("disputes", "disputes.opened", _("Disputes opened"), opened),
            row("disputes", "disputes.closed", _("Disputes closed"), closed),
            row("disputes", "disputes.open", _("Disputes open at the end"), still_open),
        ]

    def _crm_iso_review_conduct_inputs(self, date_from, date_to):
        """Snapshots of the commitments whose period ended in the review's."""
        counts = dict(
            self.env["crm.iso.conduct.snapshot"]._read_group(
                [
                    ("company_id", "=", self._crm_iso_company().id),
                    ("period_end", ">=", date_from),
                    ("period_end", "<=", date_to),
                ],
                ["status"],
                ["__count"],
            )
        )
        _ = self.env._
        row = self._crm_iso_row
        return [
            row("conduct", "conduct.met", _("Commitments met"), counts.get("met", 0)),
            row(
                "conduct",
                "conduct.at_risk",
                _("Commitments at risk"),
                counts.get("at_risk", 0),
            ),
            row(
                "conduct",
                "conduct.missed",
                _("Commitments missed"),
                counts.get("missed", 0),
            ),
        ]

    def _crm_iso_review_nonconformity_inputs(self, date_from, date_to):
        start, end = self._crm_iso_bounds(date_from, date_to)
        Nonconformity = self.env["mgmtsystem.nonconformity"]
        from_complaints = [
            ("company_id", "=", self._crm_iso_company().id),
            ("ticket_ids.is_complaint", "=", True),
        ]
        _ = self.env._
        row = self._crm_iso_row
        return [
            row(
                "nonconformities",
                "nonconformities.opened",
                _("Nonconformities raised from complaints"),
                Nonconformity.search_count(
                    from_complaints
                    + [("create_date", ">=", start), ("create_date", "<", end)]
                ),
            ),
            row(
                "nonconformities",
                "nonconformities.open",
                _("Nonconformities from complaints still open"),
                Nonconformity.search_count(
                    from_complaints + [("state", "not in", ("done", "cancel"))]
                ),
            ),
        ]

    def _crm_iso_review_action_inputs(self, date_from, date_to):
        """Open actions of the quality management system, and the complaints'."""
        _ = self.env._
        row = self._crm_iso_row
        company = self._crm_iso_company()
        qms_open = self.env["mgmtsystem.action"].search_count(
            [
                ("company_id", "in", (company.id, False)),
                ("stage_id.is_ending", "=", False),
            ]
        )
        return [
            row("actions", "actions.qms_open", _("Open actions of the QMS"), qms_open),
            row(
                "actions",
                "actions.corrective_open",
                _("Open corrective actions from complaints"),
                len(self._crm_iso_open_actions(company, "complaint")),
            ),
        ]

    def _crm_iso_review_audit_inputs(self, date_from, date_to):
        """The ISO 10002 audits of the complaints-handling process closed in
        the period: overall and section scores against the pass score, the
        failed questions, and the trend against the audit before."""
        start, end = self._crm_iso_bounds(date_from, date_to)
        audits = self.env["mgmtsystem.audit"].search(
            [
                ("crm_iso_is_10002", "=", True),
                ("company_id", "=", self._crm_iso_company().id),
                ("state", "=", "done"),
                ("closing_date", ">=", start),
                ("closing_date", "<", end),
            ],
            order="closing_date, id",
        )
        sections = self.env["crm.iso.audit.question"]._fields["section"]
        labels = dict(sections._description_selection(self.env))
        _ = self.env._
        row = self._crm_iso_row
        rows = []
        for audit in audits:
            code, name = f"audit.{audit.id}", audit.reference
            rows += [
                row("audit", f"{code}.score",
                    _("%(audit)s: overall score", audit=name),
                    audit.crm_iso_score, " %", audit_scoring.PASS_SCORE),
                *(
                    row("audit", f"{code}.{key}",
                        f"{name}: {labels[key]}",
                        audit[fname], " %", audit_scoring.PASS_SCORE)
                    for key, fname in SECTION_FIELDS.items()
                ),
                row("audit", f"{code}.failed",
                    _("%(audit)s: failed questions", audit=name),
                    audit.crm_iso_failed_count, "", 0, True),
            ]  # fmt: skip
            if audit.crm_iso_previous_id:
                rows.append(
                    row(
                        "audit",
                        f"{code}.trend",
                        _(
                            "%(audit)s: change against %(previous)s",
                            audit=name,
                            previous=audit.crm_iso_previous_id.reference,
                        ),
                        audit.crm_iso_trend,
                        " pt",
                        0.0,
                    )
                )
        return rows

    def _crm_iso_open_actions(self, company, origin):
        """The suite's actions of one flow (``crm_iso_origin``) still open."""
        return self.env["mgmtsystem.action"].search(
            [
                ("company_id", "=", company.id),
                ("crm_iso_origin", "=", origin),
                ("crm_iso_state", "in", ("draft", "open")),
            ]
        )

    # ------------------------------------------------------------ report
    def crm_iso_format_date(self, value):
        """A date for the reader: Jalali in Persian."""
        return jalali.format_local(value, self.env.user.lang, self.env.user.tz)

    def crm_iso_sections(self):
        """[(section label, rows)] in the order pulled, for the report."""
        self.ensure_one()
        labels = dict(
            self.env["crm.iso.review.input"]
            ._fields["section"]
            ._description_selection(self.env)
        )
        sections = {}
        for row in self.crm_iso_input_ids:
            sections.setdefault(row.section, []).append(row)
        return [(labels.get(key, key), rows) for key, rows in sections.items()]
