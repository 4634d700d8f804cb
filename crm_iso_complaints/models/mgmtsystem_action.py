# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The suite's actions are OCA ``mgmtsystem.action`` records.

Corrective actions (complaints), improvement actions (satisfaction) and QC action
orders (mall) are actions of OCA's management system, told apart by
``crm_iso_origin``. What the three share lives here, once:

- the stage moves, only through the suite's transition buttons (``stage_id``, OCA's
  opening and closing dates and the suite's stamps are guarded, for suite actions
  only: an action without an origin behaves as OCA made it);
- the done stamp (date and user);
- the check after done (effectiveness, verification, review): never by the owner
  nor by the one who did it;
- the overdue flag and the escalation of overdue actions, once.

Each addon adds its origin (``selection_add``), its own fields and its rules of who
may check (``_crm_iso_check_allowed``).
"""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL
from odoo.tools.translate import LazyTranslate

from odoo.addons.queue_job.exception import RetryableJobError

_lt = LazyTranslate(__name__)
USE_BUTTONS = _lt("use the action's buttons (start, done, cancel, check)")

#: the OCA stages of the suite's lifecycle
STAGE_DRAFT = "mgmtsystem_action.stage_draft"
STAGE_OPEN = "mgmtsystem_action.stage_open"
STAGE_CLOSE = "mgmtsystem_action.stage_close"
STAGE_CANCEL = "mgmtsystem_action.stage_cancel"

#: protected fields of every suite action; the other addons add theirs to it
PROTECTED = {
    **dict.fromkeys(
        (
            "stage_id",
            "date_open",
            "date_closed",
            "crm_iso_done_date",
            "crm_iso_done_uid",
            "crm_iso_effectiveness",
            "crm_iso_checked_date",
            "crm_iso_checked_uid",
        ),
        USE_BUTTONS,
    ),
    "crm_iso_escalated": _lt("the overdue cron escalates"),
}


class MgmtsystemAction(models.Model):
    _name = "mgmtsystem.action"
    _inherit = ["mgmtsystem.action", "crm.iso.guarded.mixin"]
    _check_company_auto = True
    _crm_iso_protected = PROTECTED
    _crm_iso_write_once = ("crm_iso_origin",)

    # OCA's stamps of a stage move: a copy starts afresh (a copy would otherwise
    # carry them into a create, refused for a suite action)
    date_open = fields.Datetime(copy=False)
    date_closed = fields.Datetime(copy=False)
    crm_iso_origin = fields.Selection(
        [("complaint", "Complaint")],
        string="Raised from",
        readonly=True,
        index="btree_not_null",
        copy=True,
        help="The suite's flow the action belongs to; empty for the management "
        "system's own actions.",
    )
    crm_iso_state = fields.Selection(
        [
            ("draft", "Draft"),
            ("open", "In progress"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        string="Status",
        compute="_compute_crm_iso_state",
        store=True,
        index="btree_not_null",
        help="The stage in the suite's words (suite actions only).",
    )
    crm_iso_done_date = fields.Date(string="Done on", readonly=True, copy=False)
    crm_iso_done_uid = fields.Many2one(
        "res.users", string="Done by", readonly=True, copy=False
    )
    crm_iso_effectiveness = fields.Selection(
        [
            ("pending", "To be checked"),
            ("effective", "Effective"),
            ("not_effective", "Not effective"),
        ],
        string="Effectiveness",
        readonly=True,
        copy=False,
        tracking=True,
    )
    crm_iso_checked_date = fields.Datetime(
        string="Checked on", readonly=True, copy=False
    )
    crm_iso_checked_uid = fields.Many2one(
        "res.users", string="Checked by", readonly=True, copy=False
    )
    crm_iso_check_note = fields.Text(string="Check note")
    crm_iso_is_overdue = fields.Boolean(
        string="Overdue",
        compute="_compute_crm_iso_is_overdue",
        search="_search_crm_iso_is_overdue",
    )
    crm_iso_escalated = fields.Boolean(string="Escalated", readonly=True, copy=False)
    # --- complaints
    crm_iso_complaint_ids = fields.Many2many(
        "helpdesk.ticket",
        "crm_iso_action_ticket_rel",
        "action_id",
        "ticket_id",
        string="Complaints",
        check_company=True,
        domain=[("is_complaint", "=", True)],
    )
    crm_iso_complaint_count = fields.Integer(
        string="Complaint count", compute="_compute_crm_iso_complaint_count"
    )
    crm_iso_category_id = fields.Many2one(
        "helpdesk.ticket.category",
        string="Complaint category",
        check_company=True,
        index="btree_not_null",
    )

    # ------------------------------------------------------------ computes
    @api.depends("crm_iso_complaint_ids")
    def _compute_crm_iso_complaint_count(self):
        for action in self:
            action.crm_iso_complaint_count = len(action.crm_iso_complaint_ids)

    @api.depends("stage_id", "crm_iso_origin")
    def _compute_crm_iso_state(self):
        cancel = self.env.ref(STAGE_CANCEL, raise_if_not_found=False)
        for action in self:
            stage = action.stage_id
            if not action.crm_iso_origin:
                action.crm_iso_state = False
            elif stage.is_starting or not stage:
                action.crm_iso_state = "draft"
            elif stage == cancel:
                action.crm_iso_state = "cancelled"
            elif stage.is_ending:
                action.crm_iso_state = "done"
            else:
                action.crm_iso_state = "open"

    @api.depends("date_deadline", "stage_id", "crm_iso_origin")
    def _compute_crm_iso_is_overdue(self):
        today = fields.Date.context_today(self)
        for action in self:
            action.crm_iso_is_overdue = bool(
                action.crm_iso_origin
                and action.date_deadline
                and action.date_deadline < today
                and not action.stage_id.is_ending
            )

    def _search_crm_iso_is_overdue(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        overdue = (
            Domain("crm_iso_origin", "!=", False)
            & Domain("date_deadline", "<", fields.Date.context_today(self))
            & Domain("stage_id.is_ending", "=", False)
        )
        return overdue if (True in value) == (operator == "in") else ~overdue

    @api.constrains("crm_iso_complaint_ids", "crm_iso_origin")
    def _check_crm_iso_complaints_origin(self):
        """Complaints link only to the corrective actions raised from them (an
        action of another origin, or OCA's own, is not under the suite's rules)."""
        if self.filtered(
            lambda a: a.crm_iso_complaint_ids and a.crm_iso_origin != "complaint"
        ):
            raise ValidationError(
                self.env._(
                    "Only a corrective action raised from complaints is linked to "
                    "complaints."
                )
            )

    # ------------------------------------------------------------ the guard
    def _crm_iso_guarded_records(self):
        """Only the suite's actions: OCA's own keep OCA's behaviour."""
        return self.filtered("crm_iso_origin")

    def _crm_iso_check_create(self, vals_list):
        """Protected values are refused for suite actions only."""
        suite = [vals for vals in vals_list if vals.get("crm_iso_origin")]
        return super()._crm_iso_check_create(suite)

    def _crm_iso_check_write(self, vals):
        """The origin is never written, not even onto an action without one."""
        if "crm_iso_origin" in vals and not self._crm_iso_is_unlocked() and self:
            self._crm_iso_refuse("crm_iso_origin")
        return super()._crm_iso_check_write(vals)

    # ------------------------------------------------------------ ORM
    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [
            {"type_action": self._crm_iso_type_action(vals), **vals}
            if vals.get("crm_iso_origin")
            else vals
            for vals in vals_list
        ]
        actions = super().create(vals_list)
        suite = actions.filtered("crm_iso_origin")
        if suite:
            suite._crm_iso_write({"crm_iso_effectiveness": "pending"})
        return actions

    @api.model
    def _crm_iso_type_action(self, vals):
        """OCA's response type of a new suite action."""
        return {"complaint": "correction"}.get(vals["crm_iso_origin"], "improvement")

    # ------------------------------------------------------------ transitions
    def _crm_iso_stage(self, xmlid):
        return self.env.ref(xmlid)

    def _crm_iso_move(self, origins, target, values=None):
        """Move suite actions from the stages ``origins`` to ``target``."""
        stages = self.env["mgmtsystem.action.stage"]
        for xmlid in origins:
            stages |= self._crm_iso_stage(xmlid)
        target_stage = self._crm_iso_stage(target)
        if self.filtered(lambda a: not a.crm_iso_origin):
            raise UserError(
                self.env._("Only the suite's actions move with these buttons.")
            )
        if self.filtered(lambda a: a.stage_id not in stages):
            raise UserError(
                self.env._(
                    "An action goes to %(stage)s only from %(origins)s.",
                    stage=target_stage.name,
                    origins=", ".join(stages.mapped("name")),
                )
            )
        self._crm_iso_write({"stage_id": target_stage.id, **(values or {})})
        return True

    def _crm_iso_done_from(self):
        """The stages an action of this origin is done from."""
        self.ensure_one()
        return (STAGE_DRAFT, STAGE_OPEN)

    def _crm_iso_check_done(self):
        """Raise if the action cannot be done yet (evidence missing, ...)."""
        return True

    def action_crm_iso_start(self):
        return self._crm_iso_move((STAGE_DRAFT,), STAGE_OPEN)

    def action_crm_iso_done(self):
        for action in self:
            action._crm_iso_check_done()
            action._crm_iso_move(
                action._crm_iso_done_from(),
                STAGE_CLOSE,
                {
                    "crm_iso_done_date": self._crm_iso_today(),
                    "crm_iso_done_uid": self.env.uid,
                },
            )
        return True

    def action_crm_iso_cancel(self):
        return self._crm_iso_move((STAGE_DRAFT, STAGE_OPEN), STAGE_CANCEL)

    def _crm_iso_check_allowed(self):
        """Raise unless the current user may check this action (per origin)."""
        self.ensure_one()
        if self.crm_iso_origin == "complaint":
            self.env["helpdesk.ticket"]._check_crm_iso_manager(
                self.env._("check the effectiveness of a corrective action")
            )

    def _crm_iso_check_values(self, effective):
        """The values a check writes on this action (per origin)."""
        self.ensure_one()
        return {
            "crm_iso_effectiveness": "effective" if effective else "not_effective",
            "crm_iso_checked_date": fields.Datetime.now(),
            "crm_iso_checked_uid": self.env.uid,
        }

    def action_crm_iso_check(self, effective=True):
        """The check of a done action: never by its owner nor by who did it."""
        close = self._crm_iso_stage(STAGE_CLOSE)
        for action in self:
            if not action.crm_iso_origin:
                raise UserError(
                    self.env._("Only the suite's actions are checked this way.")
                )
            if action.stage_id != close:
                raise UserError(self.env._("Only a done action is checked."))
            if action.crm_iso_effectiveness != "pending":
                raise UserError(self.env._("This action has been checked already."))
            action._crm_iso_check_allowed()
            if self.env.user in (action.user_id | action.crm_iso_done_uid):
                raise UserError(
                    self.env._(
                        "%(user)s owns or did this action: another person checks it.",
                        user=self.env.user.name,
                    )
                )
        for action in self:
            action._crm_iso_write(action._crm_iso_check_values(effective))
        return True

    def action_crm_iso_effective(self):
        return self.action_crm_iso_check(True)

    def action_crm_iso_not_effective(self):
        return self.action_crm_iso_check(False)

    # ------------------------------------------------------------ escalation
    @api.model
    def _crm_iso_escalation_groups(self):
        """Origin -> the group whose member is told of an overdue action."""
        return {"complaint": "crm_iso_complaints.group_complaint_manager"}

    @api.model
    def _cron_crm_iso_escalate_overdue(self):
        """Overdue suite actions: a to-do to a manager of their flow, once.

        One job per action (channel root.crm_iso.escalation).
        """
        overdue = self.search(
            [("crm_iso_is_overdue", "=", True), ("crm_iso_escalated", "=", False)]
        )
        Job = self.env["crm.iso.job"]
        for action in overdue:
            Job._crm_iso_delay(
                action.with_company(action.company_id),
                channel="root.crm_iso.escalation",
                identity_key=f"crm_iso_complaints.escalate_overdue:{action.id}",
                description=self.env._(
                    "Escalate overdue action %(action)s", action=action.display_name
                ),
            )._crm_iso_escalate_overdue()

    def _crm_iso_escalate_overdue(self):
        """Job: a to-do to a manager of this overdue action's flow, once.

        Idempotent: the action's row is locked, then its ``crm_iso_escalated``
        stamp (set in the same transaction as the to-do) means done. No manager
        of the flow in the action's company: retried later (an administrator
        may name one), then reported failed in the job queue.
        """
        self.ensure_one()
        self.env.cr.execute(
            SQL(
                "SELECT id FROM mgmtsystem_action WHERE id = %s FOR NO KEY UPDATE",
                self.id,
            )
        )
        self.invalidate_recordset(["crm_iso_escalated"])
        if self.crm_iso_escalated or not self.crm_iso_is_overdue:
            return False
        xmlid = self._crm_iso_escalation_groups().get(self.crm_iso_origin, "")
        group = self.env.ref(xmlid, False) if xmlid else None
        manager = (group.user_ids if group else self.env["res.users"]).filtered(
            lambda u: not u.share and self.company_id in u.company_ids
        )[:1]
        if not manager:
            raise RetryableJobError(
                self.env._(
                    "No manager to tell of overdue action %(action)s in %(company)s.",
                    action=self.display_name,
                    company=self.company_id.name,
                )
            )
        self.env["mail.activity"].create(
            {
                "res_model_id": self.env["ir.model"]._get_id(self._name),
                "res_id": self.id,
                "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
                "user_id": manager.id,
                "summary": self.env._("Overdue action"),
            }
        )
        self._crm_iso_write({"crm_iso_escalated": True})
        return True

    # ------------------------------------------------------------ navigation
    def action_crm_iso_view_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_iso_complaints.action_crm_iso_complaints"
        )
        action["domain"] = [("id", "in", self.crm_iso_complaint_ids.ids)]
        return action
