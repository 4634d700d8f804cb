# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)
SYSTEM = _lt("the measurement plan records every invitation itself")

INVITATION_CHANNELS = [
    ("email", "Email invitation"),
    ("kiosk", "Counter kiosk"),
    ("post_resolution", "After a closed complaint"),
]
SKIP_REASONS = [
    ("cooldown", "Invited recently (cooldown)"),
    ("sampling", "Not drawn in the sample"),
    ("sample_full", "Sample of the period full"),
]


class CrmIsoSurveyInvitation(models.Model):
    """One decision to invite a customer to a survey, or not (survey fatigue).

    Every channel asks its plan (``crm.iso.measurement.plan._crm_iso_invite``)
    before inviting; the plan writes one row per customer: *sent*, or *skipped*
    with its reason. The rows are the history the cooldown reads and the counts
    a plan shows: only the system writes them, nobody changes or deletes them.
    """

    _name = "crm.iso.survey.invitation"
    _description = "Survey invitation"
    _inherit = ["crm.iso.guarded.mixin"]
    _check_company_auto = True
    _order = "date desc, id desc"
    _crm_iso_append_only = True
    _crm_iso_protected = {
        "partner_id": SYSTEM,
        "plan_id": SYSTEM,
        "channel": SYSTEM,
        "date": SYSTEM,
        "state": SYSTEM,
        "skip_reason": SYSTEM,
        "company_id": SYSTEM,
    }

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, readonly=True, index=True
    )
    plan_id = fields.Many2one(
        "crm.iso.measurement.plan",
        string="Measurement plan",
        required=True,
        readonly=True,
        index=True,
        check_company=True,
        ondelete="restrict",
    )
    channel = fields.Selection(INVITATION_CHANNELS, required=True, readonly=True)
    date = fields.Datetime(required=True, readonly=True, index=True)
    state = fields.Selection(
        [("sent", "Invited"), ("skipped", "Skipped")], required=True, readonly=True
    )
    skip_reason = fields.Selection(SKIP_REASONS, readonly=True)
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True
    )

    # the cooldown's look-up: the last invitation of these customers in a company
    _partner_sent_idx = models.Index(
        "(company_id, partner_id, date DESC) WHERE state = 'sent'"
    )
    _skip_reason_check = models.Constraint(
        "CHECK ((state = 'skipped') = (skip_reason IS NOT NULL))",
        "A skipped invitation has a reason, a sent one none.",
    )
