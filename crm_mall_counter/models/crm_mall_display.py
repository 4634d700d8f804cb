# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import secrets

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.translate import LazyTranslate

from odoo.addons.crm_iso_complaints.tools import clock

_lt = LazyTranslate(__name__)

#: the bus channel a screen asks for: this prefix and its token (see ir.websocket)
CHANNEL_PREFIX = "crm_mall_display:"
#: numbers a screen lists: the newest called first
RECENT_CALLS = 10


class CrmMallDisplay(models.Model):
    """A waiting-room screen showing the numbers called at a group of counters.

    Like a kiosk tablet, it authenticates with its own revocable token in its
    URL; only the token's hash is stored. The screen listens on a bus channel
    that only a valid token opens (``ir.websocket._build_bus_channel_list``):
    the channel carries the token's hash, so a new token or a revocation cuts
    an open screen off at once.
    """

    _name = "crm.mall.display"
    _description = "Waiting-room screen"
    _inherit = ["crm.mall.token.mixin"]
    _check_company_auto = True
    _crm_iso_protected = {
        "token_hash": _lt("use New screen link"),
        "revoked": _lt("use Revoke or New screen link"),
    }

    name = fields.Char(required=True, translate=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    counter_ids = fields.Many2many(
        "crm.mall.counter",
        string="Counters shown",
        check_company=True,
        required=True,
        help="The counter group whose called numbers this screen shows.",
    )
    active = fields.Boolean(default=True)
    has_token = fields.Boolean(string="Screen link made")

    @api.constrains("counter_ids")
    def _check_counters_supervised(self):
        """A supervisor's screen shows only counters they supervise (a mall
        manager's, any of the company's). The real user is checked, also when
        the write runs under sudo."""
        user = self.env.user
        if user.has_group("crm_mall_counter.group_mall_manager"):
            return
        for display in self.sudo():
            foreign = display.counter_ids.filtered(
                lambda counter: user not in counter.supervisor_ids
            )
            if foreign:
                raise ValidationError(
                    self.env._(
                        "%(screen)s: you do not supervise %(counters)s; a screen "
                        "shows the counters of its supervisor (a mall manager "
                        "makes screens of other counters).",
                        screen=display.name,
                        counters=", ".join(foreign.mapped("display_name")),
                    )
                )

    # ------------------------------------------------------------ actions
    def action_revoke(self):
        self.check_access("write")
        self._crm_mall_cut_off()
        self._crm_iso_write({"revoked": True})

    def action_new_token(self):
        """A new token replaces the old one; its URL is shown once, in a wizard."""
        url = self._crm_mall_issue_url()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New screen link"),
            "res_model": "crm.mall.display.token.wizard",
            "views": [(False, "form")],
            "target": "new",
            # never saved: the wizard shows the default and is closed (see wizard)
            "context": {"default_display_id": self.id, "default_display_url": url},
        }

    def action_open_screen(self):
        """Open the screen in a new browser tab (on the screen's own computer),
        with a new link: the previous link stops working."""
        return {
            "type": "ir.actions.act_url",
            "url": self._crm_mall_issue_url(),
            "target": "new",
        }

    def _crm_mall_issue_url(self):
        self.ensure_one()
        # the user must be allowed to change this screen
        self.check_access("write")
        token = secrets.token_urlsafe(32)
        self._crm_mall_cut_off()
        self._crm_mall_set_token(token)
        self.message_post(
            body=self.env._(
                "A new screen link was made: the previous link no longer opens."
            )
        )
        return f"{self.get_base_url()}/mall/display/{token}"

    def _crm_mall_cut_off(self):
        """Tell the screens open with the current token that it is no longer
        valid (they show the refusal page); the server stops sending to that
        channel anyway, as the token's hash changes or the screen is revoked."""
        for display in self.sudo().filtered("token_hash"):
            self.env["bus.bus"]._sendone(
                display._crm_mall_channel(), "crm_mall_display/revoked", {}
            )

    # ------------------------------------------------------------ screen side
    def _crm_mall_channel(self):
        """The bus channel of this screen's current token (sudo records)."""
        self.ensure_one()
        return (self, self.token_hash)

    def _crm_mall_calls(self, visits, lang):
        """What the screen shows of called ``visits``, newest first: number,
        counter (name in ``lang``: ``fa_IR``/``en_US``) and local call time."""
        if not self.env["res.lang"]._get_data(code=lang):
            lang = "en_US"  # Persian not installed: the names in English
        counters = visits.counter_id.with_context(lang=lang)
        names = {counter.id: counter.name for counter in counters}
        calls = []
        for visit in visits.sorted(lambda v: (v.call_time or v.create_date, v.id)):
            called = visit.call_time or fields.Datetime.now()
            calls.append(
                {
                    "id": visit.id,
                    "number": visit.queue_number,
                    "counter_id": visit.counter_id.id,
                    "counter_code": visit.counter_id.code,
                    "counter_name": names.get(visit.counter_id.id, ""),
                    "time": clock.to_local(
                        clock.record_tz(visit.counter_id), called
                    ).strftime("%H:%M"),
                }
            )
        return calls[::-1]

    def _crm_mall_recent_calls(self, lang):
        """The numbers called today at this screen's counters (sudo), newest
        first: a screen that is (re)loaded shows where the queue stands."""
        self.ensure_one()
        counter = self.counter_ids[:1]
        midnight = clock.day_start(clock.record_tz(counter) if counter else "UTC")[1]
        visits = (
            self.env["crm.mall.visit"]
            .sudo()
            .search(
                [
                    ("counter_id", "in", self.counter_ids.ids),
                    ("queue_number", "!=", False),
                    ("call_time", ">=", midnight),
                ],
                order="call_time desc, id desc",
                limit=RECENT_CALLS,
            )
        )
        return self._crm_mall_calls(visits, lang)

    @api.model
    def _crm_mall_announce(self, visits):
        """Send the numbers of just called ``visits`` to every screen showing
        their counters: one search for all the screens, one bus notification
        per screen, on its token's channel (the queue's call calls this)."""
        visits = visits.sudo().filtered(lambda v: v.queue_number and v.counter_id)
        if not visits:
            return
        displays = self.sudo().search(
            [
                ("counter_ids", "in", visits.counter_id.ids),
                ("revoked", "=", False),
                ("token_hash", "!=", False),
            ]
        )
        for display in displays:
            shown = visits.filtered(lambda v, d=display: v.counter_id in d.counter_ids)
            self.env["bus.bus"]._sendone(
                display._crm_mall_channel(),
                "crm_mall_display/called",
                {"calls": self._crm_mall_calls(shown, display.lang)},
            )
