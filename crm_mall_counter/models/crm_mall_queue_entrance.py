# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import secrets

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)


class CrmMallQueueEntrance(models.Model):
    """A printed QR code at an entrance or a counter: visitors who scan it take
    a number, on their phone, for a service open at its group of counters.

    The QR's link holds a token, like a waiting-room screen's: only its hash is
    stored (``crm.mall.token.mixin``), a new QR or Revoke locks the old one out,
    staff never read it over RPC. The limits that protect the public page are
    its fields, counted on the stored tickets (``crm.mall.queue.ticket``), not
    in a worker's memory.
    """

    _name = "crm.mall.queue.entrance"
    _description = "Queue QR code"
    _inherit = ["crm.mall.token.mixin"]
    _check_company_auto = True
    _crm_iso_protected = {
        "token_hash": _lt("use New QR code"),
        "revoked": _lt("use Revoke or New QR code"),
    }

    name = fields.Char(required=True, translate=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    counter_ids = fields.Many2many(
        "crm.mall.counter",
        string="Counters",
        check_company=True,
        required=True,
        help="The counter group whose queues this QR code gives numbers for.",
    )
    service_ids = fields.Many2many(
        "crm.mall.queue.service",
        string="Services",
        check_company=True,
        help="The services offered on the phone; empty: every active service.",
    )
    lang = fields.Selection(
        [("fa_IR", "Persian"), ("en_US", "English")],
        string="Language",
        default="fa_IR",
        required=True,
        help="The page's language unless the phone asks for another.",
    )
    active = fields.Boolean(default=True)
    has_token = fields.Boolean(string="QR code made")
    max_waiting = fields.Integer(
        string="Longest queue",
        default=40,
        help="No number is given on the phone while this many visitors wait at "
        "the group's counters.",
    )
    limit_device = fields.Integer(
        string="Numbers per phone (device)",
        default=2,
        help="Numbers one device takes a day at this QR code.",
    )
    limit_phone = fields.Integer(
        string="Numbers per phone number",
        default=2,
        help="Numbers one phone number takes a day at this QR code.",
    )
    limit_minute = fields.Integer(
        string="Numbers per minute",
        default=20,
        help="Numbers all phones take together in one minute at this QR code.",
    )
    near_places = fields.Integer(
        string="Alert when places ahead",
        default=3,
        help="The visitor gets a message when this many people or fewer are ahead.",
    )

    no_show_minutes = fields.Integer(
        string="No-show after (minutes)",
        default=5,
        help="A number taken on the phone, called, whose visitor has not come "
        "(no service started) within these minutes is a no-show.",
    )

    _limits_positive = models.Constraint(
        "CHECK (max_waiting > 0 AND limit_device > 0 AND limit_phone > 0"
        " AND limit_minute > 0 AND near_places >= 0 AND no_show_minutes > 0)",
        "The queue length and the limits of a QR code are positive.",
    )

    # ------------------------------------------------------------ actions
    def action_revoke(self):
        self.check_access("write")
        self._crm_iso_write({"revoked": True})

    def action_new_qr(self):
        """A new token replaces the old one (the printed QR stops working); its
        printable poster opens once, in a new tab."""
        self.ensure_one()
        self.check_access("write")
        token = secrets.token_urlsafe(32)
        self._crm_mall_set_token(token)
        self.message_post(
            body=self.env._("A new QR code was made: the previous one no longer opens.")
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/queue/{token}/poster",
            "target": "new",
        }

    # ------------------------------------------------------------ public side
    def _pocket_services(self):
        """The services a phone may take a number for now (sudo): those of the
        QR code (all active ones of its company when none is chosen), when a
        counter of the group has an agent on shift now. Returns (services,
        {service id: counter}), the counter with the shortest queue."""
        self.ensure_one()
        now = fields.Datetime.now()
        Shift = self.env["crm.mall.shift"].sudo()
        open_counters = Shift.search(
            [
                ("counter_id", "in", self.counter_ids.ids),
                ("start", "<=", now),
                ("stop", ">", now),
            ]
        ).counter_id.filtered("active")
        Service = self.env["crm.mall.queue.service"].sudo()
        services = self.service_ids.filtered("active") or Service.search(
            Domain("company_id", "in", [False, self.company_id.id])
        )
        if not open_counters:
            return Service, {}
        waiting = dict(
            self.env["crm.mall.visit"]
            .sudo()
            ._read_group(
                [("counter_id", "in", open_counters.ids), ("state", "=", "waiting")],
                ["counter_id"],
                ["__count"],
            )
        )
        counter = min(
            open_counters, key=lambda c: (waiting.get(c, 0), c.sequence, c.id)
        )
        return services, dict.fromkeys(services.ids, counter)

    def _pocket_lock(self):
        """Serialize the numbers taken at this QR code: the limits count rows a
        parallel request may be inserting. The QR code's row is updated (a head
        row): a take that began before another one committed fails on it and
        Odoo runs it again, on a snapshot that sees the other's number (a
        ``FOR UPDATE`` alone would not: the other take changes no such row)."""
        self.env["crm.mall.visit"]._queue_lock(
            SQL(
                "UPDATE crm_mall_queue_entrance SET write_date = write_date"
                " WHERE id = %s RETURNING id",
                self.id,
            ),
            self.env._("Many numbers are being taken here right now: try again."),
        )

    def _pocket_check_limits(self, device_hash, e164):
        """Refuse a number the QR's limits do not allow, with a sentence."""
        self.ensure_one()
        Ticket = self.env["crm.mall.queue.ticket"].sudo()
        Visit = self.env["crm.mall.visit"].sudo()
        now = fields.Datetime.now()
        day = fields.Datetime.subtract(now, hours=24)
        mine = Domain("entrance_id", "=", self.id)
        if (
            Ticket.search_count(
                mine
                & Domain("create_date", ">=", fields.Datetime.subtract(now, minutes=1))
            )
            >= self.limit_minute
        ):
            raise UserError(
                self.env._("Many numbers were just taken here: try again in a minute.")
            )
        if (
            Visit.search_count(
                [("counter_id", "in", self.counter_ids.ids), ("state", "=", "waiting")]
            )
            >= self.max_waiting
        ):
            raise UserError(
                self.env._(
                    "The queue is full right now: please take a number at the counter."
                )
            )
        if (
            Ticket.search_count(
                mine
                & Domain("device_hash", "=", device_hash)
                & Domain("create_date", ">=", day)
            )
            >= self.limit_device
        ):
            raise UserError(
                self.env._("This phone has taken its numbers for today here.")
            )
        if (
            e164
            and Ticket.search_count(
                mine
                & Domain("phone_e164", "=", e164)
                & Domain("create_date", ">=", day)
            )
            >= self.limit_phone
        ):
            raise UserError(
                self.env._("This phone number has taken its numbers for today here.")
            )
