# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The mall's OCA actions.

QC action orders (origin "qc"): ordered by a senior manager from a failed
inspection item. Lifecycle: open (in progress from the start) -> done with the
evidence (closed; the evidence is then kept as it was) -> verified (the check, by
the inspector or a mall manager, never by the one who did it).

Competitor improvement actions (origin "competitor"): raised from a gap of the
competitor review (``crm.mall.competitor.report.action_raise_gap_actions``), one
per competitor, criterion and month (a UNIQUE index: a retried or concurrent
raise finds the one made). The suite's lifecycle (start, done, check); a mall
manager who neither owns nor did it checks it.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.translate import LazyTranslate

from odoo.addons.crm_iso_complaints.models.mgmtsystem_action import STAGE_OPEN

_lt = LazyTranslate(__name__)
MANAGER_GROUP = "crm_mall_counter.group_mall_manager"


class MgmtsystemAction(models.Model):
    _inherit = "mgmtsystem.action"
    # this addon's share; crm_iso_complaints' (crm_iso_origin) stays in the union
    _crm_iso_write_once = (
        "crm_mall_inspection_id",
        "crm_mall_line_id",
        "crm_mall_competitor_id",
        "crm_mall_criterion_id",
        "crm_mall_period",
    )

    crm_iso_origin = fields.Selection(
        selection_add=[("qc", "Quality control"), ("competitor", "Competitor review")],
        ondelete={"qc": "set null", "competitor": "set null"},
    )
    crm_mall_competitor_id = fields.Many2one(
        "crm.mall.competitor",
        string="Competitor",
        check_company=True,
        index="btree_not_null",
        ondelete="restrict",
    )
    crm_mall_criterion_id = fields.Many2one(
        "crm.mall.qc.item", string="Criterion", ondelete="restrict"
    )
    crm_mall_period = fields.Date(
        string="Month", help="The first day of the month the gap was measured in."
    )
    _crm_mall_gap_uniq = models.UniqueIndex(
        "(crm_mall_competitor_id, crm_mall_criterion_id, crm_mall_period)"
        " WHERE crm_iso_origin = 'competitor'",
        "This gap already has its improvement action.",
    )
    crm_mall_inspection_id = fields.Many2one(
        "crm.mall.qc.inspection",
        string="Inspection",
        check_company=True,
        index="btree_not_null",
    )
    crm_mall_line_id = fields.Many2one(
        "crm.mall.qc.inspection.line", string="Failed item", index="btree_not_null"
    )
    crm_mall_zone = fields.Char(
        string="Zone", related="crm_mall_inspection_id.zone", store=True
    )
    crm_mall_department = fields.Char(string="Department")
    crm_mall_priority = fields.Selection(
        [("0", "Normal"), ("1", "Urgent"), ("2", "Critical")],
        string="Urgency",
        default="0",
    )
    crm_mall_evidence = fields.Text(string="Evidence of completion")
    crm_mall_evidence_photo = fields.Image(
        string="Evidence photo", max_width=1600, max_height=1600
    )

    @api.constrains("crm_iso_origin", "crm_mall_inspection_id", "date_deadline")
    def _check_crm_mall_order(self):
        for order in self.filtered(lambda a: a.crm_iso_origin == "qc"):
            if not (order.crm_mall_inspection_id and order.date_deadline):
                raise ValidationError(
                    self.env._("An action order has an inspection and a due date.")
                )
            created = fields.Date.to_date(
                order.create_date
            ) or fields.Date.context_today(self)
            if order.date_deadline < created:
                raise ValidationError(
                    self.env._("An action order cannot be due before it is issued.")
                )

    @api.constrains(
        "crm_iso_origin",
        "crm_mall_competitor_id",
        "crm_mall_criterion_id",
        "crm_mall_period",
    )
    def _check_crm_mall_competitor_action(self):
        if self.filtered(
            lambda a: (
                a.crm_iso_origin == "competitor"
                and not (
                    a.crm_mall_competitor_id
                    and a.crm_mall_criterion_id
                    and a.crm_mall_period
                )
            )
        ):
            raise ValidationError(
                self.env._(
                    "A competitor improvement action has a competitor, a criterion "
                    "and a month."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        # the record each origin takes the company from
        parents = {
            "qc": ("crm.mall.qc.inspection", "crm_mall_inspection_id"),
            "competitor": ("crm.mall.competitor", "crm_mall_competitor_id"),
        }
        vals_list = [dict(vals) for vals in vals_list]  # the caller's stay as given
        for vals in vals_list:
            model, field = parents.get(vals.get("crm_iso_origin"), (None, None))
            if model and "company_id" not in vals:
                parent = self.env[model].browse(vals.get(field))
                if parent:
                    vals["company_id"] = parent.company_id.id
        actions = super().create(vals_list)
        orders = actions.filtered(lambda a: a.crm_iso_origin == "qc")
        if orders:  # an order is to be done from the start
            orders._crm_iso_write({"stage_id": self.env.ref(STAGE_OPEN).id})
        return actions

    def write(self, vals):
        if {"crm_mall_evidence", "crm_mall_evidence_photo"} & set(
            vals
        ) and self.filtered(
            lambda o: o.crm_iso_origin == "qc" and o.crm_iso_state != "open"
        ):
            raise UserError(
                self.env._("The evidence of a done action order is kept as it was.")
            )
        return super().write(vals)

    @api.model
    def _crm_iso_type_action(self, vals):
        if vals["crm_iso_origin"] == "qc":
            return "correction"
        return super()._crm_iso_type_action(vals)

    # ------------------------------------------------------------ transitions
    def _crm_mall_refuse_other_moves(self):
        if self.filtered(lambda a: a.crm_iso_origin == "qc"):
            raise UserError(
                self.env._("An action order is done with its evidence, then verified.")
            )

    def action_crm_iso_start(self):
        self._crm_mall_refuse_other_moves()
        return super().action_crm_iso_start()

    def action_crm_iso_cancel(self):
        self._crm_mall_refuse_other_moves()
        return super().action_crm_iso_cancel()

    def _crm_iso_done_from(self):
        if self.crm_iso_origin == "qc":
            return (STAGE_OPEN,)
        return super()._crm_iso_done_from()

    def _crm_iso_check_done(self):
        if self.crm_iso_origin == "qc" and not (
            self.crm_mall_evidence or self.crm_mall_evidence_photo
        ):
            raise UserError(self.env._("Attach evidence of completion first."))
        return super()._crm_iso_check_done()

    def _crm_iso_check_allowed(self):
        if self.crm_iso_origin == "qc":
            if not (self.crm_mall_evidence or self.crm_mall_evidence_photo):
                raise UserError(
                    self.env._("An action order is verified on its evidence.")
                )
            if self.env.user == self.crm_iso_done_uid:
                raise UserError(
                    self.env._(
                        "%(user)s did this action order: another person verifies it.",
                        user=self.env.user.name,
                    )
                )
            if self.env.user != self.crm_mall_inspection_id.inspector_id and (
                not self.env.user.has_group(MANAGER_GROUP)
            ):
                raise UserError(self.env._("The inspector verifies the action order."))
        if self.crm_iso_origin == "competitor" and not self.env.user.has_group(
            MANAGER_GROUP
        ):
            raise UserError(
                self.env._("A mall manager checks a competitor improvement action.")
            )
        return super()._crm_iso_check_allowed()

    def action_crm_mall_verify(self):
        """The inspector (or a mall manager) verifies, never the one who did it."""
        return self.action_crm_iso_check(True)

    @api.model
    def _crm_iso_escalation_groups(self):
        return dict(
            super()._crm_iso_escalation_groups(),
            qc=MANAGER_GROUP,
            competitor=MANAGER_GROUP,
        )
