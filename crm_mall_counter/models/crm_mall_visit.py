# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re
import secrets

from psycopg2 import errors

from odoo import api, fields, models
from odoo.exceptions import ConcurrencyError, UserError
from odoo.tools import mute_logger
from odoo.tools.misc import clean_context
from odoo.tools.translate import LazyTranslate

from odoo.addons.crm_iso_complaints.tools import formulas

from ..tools.phone import normalize_phone

_lt = LazyTranslate(__name__)
CHECKIN = _lt("the check-in records it")
VISIT_STATES = [
    ("waiting", "Waiting"),
    ("called", "Called"),
    ("in_service", "In service"),
    ("served", "Served"),
    ("no_show", "No-show"),
    ("transferred", "Transferred"),
    ("left", "Left the queue"),
]
# one plain address, as typed at the counter (no name, no list)
EMAIL = re.compile(r"[^@\s<>,;\"']+@[^@\s<>,;\"']+\.[^@\s<>,;\"'.]+")
#: the longest text a check-in takes, in characters: phone number, name,
#: email (RFC 5321's longest address), a subject's description and the text the
#: screen searches in the answer library; longer is refused with a sentence
CHECKIN_LIMITS = {
    "phone": 32,
    "name": 128,
    "email": 254,
    "description": 4000,
}
CHECKIN_LABELS = {
    "phone": _lt("The phone number"),
    "name": _lt("The visitor's name"),
    "email": _lt("The email"),
    "description": _lt("The description"),
}


class CrmMallVisit(models.Model):
    """A visitor checked in at a counter, or a caller of the call centre."""

    _name = "crm.mall.visit"
    _description = "Visit"
    _check_company_auto = True
    _inherit = ["mail.thread", "crm.iso.guarded.mixin"]
    _crm_iso_protected = {
        "shift_id": CHECKIN,
        "agent_id": CHECKIN,
        "checkin_date": CHECKIN,
        "kiosk_token": _lt("use Kiosk survey"),
        "kiosk_answered": _lt("the kiosk records the answer"),
        "kiosk_sent_date": _lt("use Kiosk survey"),
    }
    _order = "checkin_date desc, id desc"

    name = fields.Char(compute="_compute_name")
    channel = fields.Selection(
        [("counter", "Service counter"), ("call_centre", "Call centre")],
        default="counter",
        required=True,
        index=True,
    )
    counter_id = fields.Many2one("crm.mall.counter", check_company=True, index=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    shift_id = fields.Many2one("crm.mall.shift", check_company=True, readonly=True)
    agent_id = fields.Many2one(
        "res.users", default=lambda self: self.env.user, readonly=True, index=True
    )
    partner_id = fields.Many2one(
        "res.partner", check_company=True, string="Visitor", required=True, index=True
    )
    phone = fields.Char(string="Phone as typed")
    checkin_date = fields.Datetime(
        default=fields.Datetime.now, required=True, index=True
    )
    call_time = fields.Datetime()
    state = fields.Selection(
        VISIT_STATES,
        default="waiting",
        required=True,
        readonly=True,
        copy=False,
        index=True,
    )
    subject_ids = fields.One2many("crm.mall.subject", "visit_id", string="Subjects")
    kiosk_token = fields.Char(
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="One-time token of the visit's kiosk survey (see action_kiosk_survey).",
    )
    kiosk_answered = fields.Boolean(readonly=True, copy=False)
    kiosk_sent_date = fields.Datetime(readonly=True, copy=False)
    # the visitor's history, shown at the counter
    history_visit_count = fields.Integer(compute="_compute_history")
    history_open_complaints = fields.Integer(compute="_compute_history")
    history_last_satisfaction = fields.Char(compute="_compute_history")

    def _compute_name(self):
        for visit in self:
            visit.name = f"{visit.partner_id.name or ''} ({visit.checkin_date or ''})"

    @api.depends("partner_id")
    def _compute_history(self):
        partners = self.partner_id.sudo()
        visits = dict(
            self.sudo()._read_group(
                [("partner_id", "in", partners.ids)], ["partner_id"], ["__count"]
            )
        )
        complaints = dict(
            self.env["helpdesk.ticket"]
            .sudo()
            ._read_group(
                [
                    ("partner_id", "in", partners.ids),
                    ("is_complaint", "=", True),
                    ("complaint_state", "not in", formulas.FINAL_STATES),
                ],
                ["partner_id"],
                ["__count"],
            )
        )
        # labels in the user's language, not keys
        Partner = self.env["res.partner"]
        nps = dict(
            Partner._fields["crm_iso_nps_class"]._description_selection(self.env)
        )
        segments = dict(
            Partner._fields["crm_iso_loyalty_segment"]._description_selection(self.env)
        )
        for visit in self:
            partner = visit.partner_id.sudo()
            visit.history_visit_count = visits.get(partner, 0)
            visit.history_open_complaints = complaints.get(partner, 0)
            visit.history_last_satisfaction = (
                f"{nps.get(partner.crm_iso_nps_class, '-')} / "
                f"{segments.get(partner.crm_iso_loyalty_segment, '-')}"
            )

    # ------------------------------------------------------------ check-in
    @api.model
    def checkin(
        self,
        phone,
        name=None,
        counter_id=None,
        channel="counter",
        service_id=None,
        priority=False,
        email=None,
        consent=None,
    ):
        """Find or create the visitor by phone and open a visit: the counter screen.

        At a counter, the visit draws a queue number of ``service_id`` (the
        first service offered when none is given); ``priority``: an elderly or
        disabled visitor, called first (see crm_mall_visit_queue.py).
        ``email`` and ``consent`` (to be contacted), when given, are recorded on
        the visitor, new or known (see ``_checkin_contact``); None leaves them.

        A bounded number of queries whatever the database size: the phone is looked
        up on an index of normalised numbers. Two agents registering the same new
        number at once end with one partner: the loser of the unique index raises
        a ConcurrencyError, and Odoo retries its request, which then finds it.
        """
        self._check_checkin_args(phone, name, counter_id, channel, email, consent)
        e164 = self._checkin_e164(phone)
        values = {"channel": channel, "phone": phone}
        if channel == "counter":
            counter = self.env["crm.mall.counter"].browse(counter_id).exists()
            shift = self.env["crm.mall.shift"]._current()
            if not counter or shift.counter_id != counter:
                raise UserError(
                    self.env._(
                        "You have no open shift at this counter: ask your supervisor "
                        "to plan one before checking visitors in."
                    )
                )
            values.update(
                counter_id=counter.id,
                shift_id=shift.id,
                company_id=counter.company_id.id,
                **self._queue_values(counter, service_id, priority),
            )
        else:
            self.env["crm.mall.training"]._crm_mall_check_competence(
                "call_centre_agent", self.env.user, self.env.company
            )
            values["call_time"] = fields.Datetime.now()
        partner = self._visitor_for(e164, name)
        self._checkin_contact(partner, email, consent)
        values["partner_id"] = partner.id
        return self._create_queued(values)

    @api.model
    def _checkin_e164(self, phone):
        """The E.164 form of a phone number typed at a check-in (a counter's or
        a phone's), or a UserError saying why it cannot be read."""
        try:
            return normalize_phone(phone)
        except UserError as error:
            raise UserError(
                self.env._(
                    "The phone number %(phone)s cannot be read: %(reason)s",
                    phone=phone,
                    reason=error.args[0],
                )
            ) from error

    @api.model
    def _checkin_contact(self, partner, email, consent):
        """Record the visitor's email and consent to be contacted, given at the
        counter: the only partner fields a counter agent changes.

        Agents may not write partners (no ACL); this writes these two fields
        alone, with sudo, after checking them. The email of a partner who is a
        user of the database is refused: it would redirect their password reset.
        """
        values = {}
        if email is not None:
            email = self._checked_email(email)
            if email != (partner.email or False):
                values["email"] = email
        if consent is not None and bool(consent) != partner.crm_mall_contact_consent:
            values["crm_mall_contact_consent"] = bool(consent)
            values["crm_mall_contact_consent_date"] = fields.Datetime.now()
        if "email" in values and partner.with_context(active_test=False).user_ids:
            raise UserError(
                self.env._(
                    "%(visitor)s is a user of the database: their email is changed "
                    "in their own preferences, not at the counter.",
                    visitor=partner.name,
                )
            )
        if values:
            partner.sudo().write(values)

    @api.model
    def _checked_email(self, email):
        """The email as stored (lower case), False for none; a UserError for
        anything but one plain address."""
        email = (email or "").strip()
        if not email:
            return False
        if not EMAIL.fullmatch(email):
            raise UserError(
                self.env._(
                    "%(email)r is not an email address: type one address, "
                    "like name@example.com.",
                    email=email,
                )
            )
        return email.lower()

    @api.model
    def _check_checkin_args(
        self, phone, name, counter_id, channel, email=None, consent=None
    ):
        """Wrong types over RPC get a sentence, not an AttributeError."""
        channels = dict(self._fields["channel"]._description_selection(self.env))
        if not isinstance(phone, str) or not phone.strip():
            raise UserError(
                self.env._(
                    "Type the visitor's phone number as text (got %(value)r).",
                    value=phone,
                )
            )
        if name is not None and name is not False and not isinstance(name, str):
            raise UserError(self.env._("The visitor's name is text."))
        if counter_id not in (None, False) and (
            not isinstance(counter_id, int) or isinstance(counter_id, bool)
        ):
            raise UserError(
                self.env._(
                    "The counter is given by its id (got %(value)r).", value=counter_id
                )
            )
        if channel not in channels:
            raise UserError(
                self.env._(
                    "%(value)r is not a channel: use one of %(channels)s.",
                    value=channel,
                    channels=", ".join(channels),
                )
            )
        if email not in (None, False) and not isinstance(email, str):
            raise UserError(self.env._("The visitor's email is text."))
        self._check_lengths(phone=phone, name=name, email=email)
        if email:
            self._checked_email(email)
        if consent is not None and not isinstance(consent, bool):
            raise UserError(
                self.env._(
                    "The consent to be contacted is true or false (got %(value)r).",
                    value=consent,
                )
            )

    @api.model
    def _check_lengths(self, **texts):
        """Refuse a text of the check-in longer than its ``CHECKIN_LIMITS``
        (``name=value``; None, False and non-text values are left to the
        type checks)."""
        for key, value in texts.items():
            limit = CHECKIN_LIMITS[key]
            if isinstance(value, str) and len(value) > limit:
                raise UserError(
                    self.env._(
                        "%(what)s is too long: %(length)s characters, at most "
                        "%(limit)s.",
                        what=self.env._(CHECKIN_LABELS[key]),
                        length=len(value),
                        limit=limit,
                    )
                )

    @api.model
    def _visitor_for(self, e164, name):
        return self._find_visitor(e164) or self._create_visitor(e164, name)

    @api.model
    def _find_visitor(self, e164):
        Partner = self.env["res.partner"].sudo()
        return Partner.search([("crm_mall_phone", "=", e164)], limit=1)

    @api.model
    def _create_visitor(self, e164, name):
        # sudo for the phone and name alone: a caller's default_<field> context
        # keys (default_email, default_vat...) must not fill the new partner, so
        # the context is replaced (keyword arguments would keep those keys)
        context = clean_context(self.env.context)
        Partner = self.env["res.partner"].sudo().with_context(context)  # pylint: disable=context-overridden
        # an expected race (two counters registering one phone): no "bad query"
        # ERROR in the server log, as Odoo does for mail presence
        try:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                return Partner.create(
                    {"name": name or e164, "phone": e164, "crm_mall_phone": e164}
                )
        except errors.UniqueViolation as error:
            raise ConcurrencyError(
                self.env._("The visitor %(phone)s was just registered.", phone=e164)
            ) from error

    def action_kiosk_survey(self):
        """Give the visit a one-time token so the counter kiosk asks about it.

        The kiosk's plan first decides whether to invite the visitor (survey
        fatigue): one invited recently, not drawn in the sample or over the
        sample of the period is not asked; the plan logs the skip, the kiosk
        stays on its own page and the agent is told why.
        """
        new = self.filtered(lambda v: not v.kiosk_token)
        skipped, rows = new._crm_mall_kiosk_invite()
        for visit in new - skipped:
            visit._crm_iso_write({"kiosk_token": secrets.token_urlsafe(16)})
        (self - skipped)._crm_iso_write({"kiosk_sent_date": fields.Datetime.now()})
        if not rows:
            return True
        reasons = dict(rows._fields["skip_reason"]._description_selection(self.env))
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "title": self.env._("Not asked at the kiosk"),
                "message": "; ".join(
                    f"{row.partner_id.name}: {reasons[row.skip_reason]}" for row in rows
                ),
            },
        }

    def _crm_mall_kiosk_invite(self):
        """Let each counter's kiosk plan decide on its visitors, at once.

        Returns the visits whose visitor is not invited now and the plan's
        rows of these skips. Visits of a counter without a kiosk plan are
        asked as before (the kiosk has no survey to show them anyway).
        """
        Plan = self.env["crm.iso.measurement.plan"]
        skipped = self.browse()
        rows = self.env["crm.iso.survey.invitation"].sudo()
        for counter in self.counter_id:
            plan = Plan._for_counter(counter)
            if not plan:
                continue
            visits = self.filtered(lambda v, c=counter: v.counter_id == c)
            decided = plan._crm_iso_invite(visits.partner_id, "kiosk")
            out = decided.filtered(lambda row: row.state == "skipped")
            skipped |= visits.filtered(lambda v, p=out.partner_id: v.partner_id in p)
            rows |= out
        return skipped, rows

    def action_print_receipt(self):
        """The receipts of the complaints registered during these visits."""
        return self.subject_ids.action_print_receipt()
