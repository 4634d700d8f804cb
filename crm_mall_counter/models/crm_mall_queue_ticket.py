# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import secrets

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

from .crm_mall_subject import record_by_id

_lt = LazyTranslate(__name__)
TAKEN = _lt("the phone takes the number")
#: the bus channel a visitor's page asks for: this prefix and its token
TICKET_CHANNEL_PREFIX = "crm_mall_ticket:"
#: the visits a phone follows: waiting or just called
FOLLOWED = ("waiting", "called")


class CrmMallQueueTicket(models.Model):
    """A number taken on a phone (the visit it opened) and the link that
    follows it: ``/queue/ticket/<token>``.

    Only the hash of the link's token is stored (``crm.mall.token.mixin``): a
    number is followed by the phone that took it, not by a guessed id. The
    device and the normalised phone number are kept for the QR code's limits,
    readable by no user of the staff.
    """

    _name = "crm.mall.queue.ticket"
    _description = "Number taken on a phone"
    _inherit = ["crm.mall.token.mixin"]
    _check_company_auto = True
    _order = "id desc"
    _crm_iso_protected = {
        "token_hash": TAKEN,
        "revoked": TAKEN,
        "visit_id": TAKEN,
        "entrance_id": TAKEN,
        "device_hash": TAKEN,
        "phone_e164": TAKEN,
        "left_date": _lt("the visitor leaves the queue on the phone"),
        "near_sent": TAKEN,
        "called_sent": TAKEN,
    }

    visit_id = fields.Many2one(
        "crm.mall.visit",
        required=True,
        readonly=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    entrance_id = fields.Many2one(
        "crm.mall.queue.entrance", string="QR code", readonly=True, check_company=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True
    )
    queue_number = fields.Char(related="visit_id.queue_number")
    state = fields.Selection(related="visit_id.state")
    device_hash = fields.Char(readonly=True, groups="base.group_system", index=True)
    phone_e164 = fields.Char(readonly=True, groups="base.group_system", index=True)
    left_date = fields.Datetime(string="Left the queue", readonly=True)
    near_sent = fields.Boolean(readonly=True)
    called_sent = fields.Boolean(readonly=True)

    _visit_uniq = models.Constraint(
        "UNIQUE (visit_id)", "A visit is taken by one phone only."
    )

    # ------------------------------------------------------------ take
    @api.model
    def _pocket_take(self, entrance, service_id, phone, device_hash):
        """Give the phone a number of ``service_id`` at ``entrance`` (sudo
        records): the visit is made by the check-in's own path
        (``_queue_values``, ``_visitor_for``, ``_create_queued``), marked
        remote. Returns (ticket, token); a UserError with a sentence when the
        QR code's rules refuse it."""
        Visit = self.env["crm.mall.visit"].sudo()
        entrance._pocket_lock()
        services, counters = entrance._pocket_services()
        if not counters:
            raise UserError(
                self.env._("No counter is open here now: please come back later.")
            )
        service = record_by_id(services, service_id)
        if not service or service not in services:
            raise UserError(self.env._("Choose one of the services listed."))
        e164 = False
        if phone:
            Visit._check_lengths(phone=phone)
            e164 = Visit._checkin_e164(phone)
        entrance._pocket_check_limits(device_hash, e164)
        counter = counters[service.id]
        values = Visit._queue_values(counter, service.id, False)
        partner = Visit._visitor_for(e164, None) if e164 else self._pocket_nobody()
        values.update(
            channel="counter",
            queue_origin="remote",
            counter_id=counter.id,
            company_id=counter.company_id.id,
            partner_id=partner.id,
            phone=phone or False,
            agent_id=False,
        )
        visit = Visit._create_queued(values)
        token = secrets.token_urlsafe(24)
        with self._crm_iso_unlocked():
            ticket = self.sudo().create(
                {
                    "visit_id": visit.id,
                    "entrance_id": entrance.id,
                    "company_id": visit.company_id.id,
                    "device_hash": device_hash,
                    "phone_e164": e164,
                }
            )
        ticket._crm_mall_set_token(token)
        visit.message_post(
            body=self.env._(
                "Number %(number)s taken on a phone (QR code %(qr)s).",
                number=visit.queue_number,
                qr=entrance.name,
            )
        )
        return ticket, token

    @api.model
    def _pocket_nobody(self):
        """The visitor of a number taken without a phone number: one archived
        partner (data), made again if someone deleted it."""
        partner = self.env.ref(
            "crm_mall_counter.partner_phone_visitor", raise_if_not_found=False
        )
        if not partner:
            partner = (
                self.env["res.partner"]
                .sudo()
                .create({"name": "Visitor (number taken on a phone)", "active": False})
            )
            self.env["ir.model.data"].sudo().create(
                {
                    "module": "crm_mall_counter",
                    "name": "partner_phone_visitor",
                    "model": "res.partner",
                    "res_id": partner.id,
                    "noupdate": True,
                }
            )
        return partner.sudo()

    # ------------------------------------------------------------ follow
    def _pocket_channel(self):
        self.ensure_one()
        return (self, self.token_hash)

    def _pocket_states(self):
        """What each phone shows of its number (sudo records), in few queries
        whatever the number of tickets: {ticket: dict}. Position and expected
        wait come from the queue's own order (``_queue_waiting``) and pace
        (``_queue_expected_wait``)."""
        Visit = self.env["crm.mall.visit"].sudo()
        ranks, paces = {}, {}
        waiting = self.filtered(lambda t: t.visit_id.state == "waiting")
        for counter in waiting.visit_id.counter_id:
            domain, order = Visit._queue_waiting(counter)
            ids = Visit._search(domain, order=order).get_result_ids()
            ranks.update((visit_id, rank) for rank, visit_id in enumerate(ids))
            paces[counter] = Visit._queue_pace(counter)
        states = {}
        for ticket in self:
            visit = ticket.visit_id
            counter = visit.counter_id
            ahead = ranks.get(visit.id)
            pace = paces.get(counter)
            states[ticket] = {
                "number": visit.queue_number,
                "state": visit.state,
                "ahead": ahead,
                "position": None if ahead is None else ahead + 1,
                "wait": None if ahead is None or pace is None else round(pace * ahead),
                "counter": counter.name if visit.state != "waiting" else "",
                "counter_code": counter.code if visit.state != "waiting" else "",
            }
        return states

    @api.model
    def _pocket_push(self, counters):
        """Send every phone following a number at ``counters`` where it stands
        now (one bus message per phone, on its token's channel), and queue the
        messages of those near their turn or just called."""
        since = fields.Datetime.subtract(fields.Datetime.now(), days=1)
        tickets = self.sudo().search(
            [
                ("visit_id.counter_id", "in", counters.ids),
                ("visit_id.state", "in", FOLLOWED),
                # a number forgotten since an earlier day is in no queue
                ("visit_id.checkin_date", ">=", since),
                ("revoked", "=", False),
            ]
        )
        if not tickets:
            return
        states = tickets._pocket_states()
        Bus = self.env["bus.bus"].sudo()
        for ticket, state in states.items():
            Bus._sendone(ticket._pocket_channel(), "crm_mall_ticket/state", state)
        tickets._pocket_notify(states)

    def _pocket_notify(self, states):
        """Queue an e-mail to visitors with an address, once when few places
        are left (the QR code's ``near_places``) and once when called. Sent by
        Odoo's mail queue (where the company has a mail server)."""
        Mail = self.env["mail.mail"].sudo()
        for ticket in self:
            state = states[ticket]
            email = ticket.visit_id.partner_id.email
            near = (
                state["state"] == "waiting"
                and not ticket.near_sent
                and state["ahead"] is not None
                and state["ahead"] <= ticket.entrance_id.near_places
            )
            called = state["state"] == "called" and not ticket.called_sent
            if not (near or called):
                continue
            ticket._crm_iso_write(
                {"near_sent": True} if near else {"called_sent": True}
            )
            if not email:
                continue
            lang = ticket.entrance_id.lang
            if not self.env["res.lang"]._get_data(code=lang):
                lang = "en_US"  # Persian not installed
            env = self.with_context(lang=lang).env
            body = (
                env._(
                    "Your number %(number)s: %(ahead)s people ahead of you.",
                    number=state["number"],
                    ahead=state["ahead"],
                )
                if near
                else env._(
                    "Your number %(number)s is called: please go to counter "
                    "%(counter)s.",
                    number=state["number"],
                    counter=state["counter"],
                )
            )
            Mail.create(
                {
                    "email_to": email,
                    "subject": env._(
                        "Your queue number %(number)s", number=state["number"]
                    ),
                    "body_html": f"<p>{body}</p>",
                    "auto_delete": True,
                }
            )

    # ------------------------------------------------------------ leave
    def _pocket_leave(self):
        """The visitor leaves the queue from the phone: the visit ends as
        ``left`` (only while waiting), logged on the visit."""
        self.ensure_one()
        visit = self.visit_id
        if visit.state != "waiting":
            raise UserError(
                self.env._("Only a number still waiting can leave the queue.")
            )
        visit._crm_iso_write({"state": "left"})
        self._crm_iso_write({"left_date": fields.Datetime.now()})
        visit.message_post(
            body=self.env._("The visitor left the queue from the phone.")
        )
        self._pocket_push(visit.counter_id)

    # ------------------------------------------------------------ no-show
    @api.model
    def _cron_pocket_no_show(self):
        """Numbers taken on a phone, called, whose visitor did not come within
        their QR code's ``no_show_minutes``: no-shows, as an agent's No-show
        would record them (the figures count them alike). The system's own
        transition: no agent's shift is asked for, each is logged on the visit."""
        now = fields.Datetime.now()
        tickets = self.sudo().search(
            [("visit_id.state", "=", "called"), ("visit_id.call_time", "!=", False)]
        )
        late = tickets.filtered(
            lambda t: (
                t.visit_id.call_time
                <= fields.Datetime.subtract(
                    now, minutes=t.entrance_id.no_show_minutes or 5
                )
            )
        )
        if not late:
            return
        late.visit_id._crm_iso_write({"state": "no_show"})
        for ticket in late:
            ticket.visit_id.message_post(
                body=self.env._(
                    "Not come within %(minutes)s minutes of the call: no-show.",
                    minutes=ticket.entrance_id.no_show_minutes,
                )
            )
        self._pocket_push(late.visit_id.counter_id)
