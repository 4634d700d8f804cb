# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools.safe_eval import safe_eval

from odoo.addons.crm_iso_complaints.tools import clock, formulas

from ..models.crm_mall_subject import ANSWER_DOMAIN
from ..tools.phone import normalize_phone

# what the counter screen lists at most: open complaints of a visitor, visitors
# waiting at the counter, answers matching the description (and the words of
# the description searched in the library)
SCREEN_LIMITS = {"complaints": 20, "queue": 50, "answers": 5, "words": 6}
# a word of the description worth searching: three letters or more, any script
WORD = re.compile(r"\w{3,}")


class CrmMallCheckin(models.TransientModel):
    """Check-in of a visitor or a caller.

    Two faces: this dialog (the call centre's *Register a call*), and the
    counter's one-page screen, an OWL client action
    (static/src/checkin_screen) that calls ``screen_lookup`` while the agent
    types and ``screen_register`` when a subject button is pressed.
    """

    _name = "crm.mall.checkin"
    _description = "Visitor check-in"

    channel = fields.Selection(
        [("counter", "Service counter"), ("call_centre", "Call centre")],
        default="counter",
        required=True,
    )
    counter_id = fields.Many2one(
        "crm.mall.counter",
        default=lambda self: self.env["crm.mall.shift"]._current().counter_id,
    )
    phone = fields.Char(required=True)
    name = fields.Char(string="Name (new visitor)")
    service_id = fields.Many2one(
        "crm.mall.queue.service",
        string="Queue for",
        domain="[('company_id', 'in', [False, company_id])]",
        default=lambda self: self.env["crm.mall.queue.service"].search([], limit=1),
    )
    company_id = fields.Many2one(related="counter_id.company_id")
    priority = fields.Boolean(help="Elderly or disabled visitor: called first.")
    phone_e164 = fields.Char(compute="_compute_visitor")
    phone_error = fields.Char(compute="_compute_visitor")
    partner_id = fields.Many2one("res.partner", compute="_compute_visitor")
    visit_count = fields.Integer(compute="_compute_visitor")
    open_complaints = fields.Integer(compute="_compute_visitor")
    last_satisfaction = fields.Char(compute="_compute_visitor")
    # what the visitor gives to be answered: shown for a known visitor, recorded
    # on the visitor by the check-in (crm.mall.visit._checkin_contact)
    email = fields.Char(
        compute="_compute_contact",
        store=True,
        readonly=False,
        help="Where the acknowledgement and the answer are sent.",
    )
    consent = fields.Boolean(
        string="Agrees to be contacted",
        compute="_compute_contact",
        store=True,
        readonly=False,
        help="The visitor agrees to be contacted about their request.",
    )
    # a visitor's question answered from the library while they wait
    answer_page_id = fields.Many2one(
        "document.page", string="Look up an answer", domain=ANSWER_DOMAIN
    )
    answer_content = fields.Html(related="answer_page_id.content", string="Answer")

    @api.depends("phone")
    def _compute_visitor(self):
        Partner = self.env["res.partner"].sudo()
        Visit = self.env["crm.mall.visit"]
        for wizard in self:
            wizard.update(
                {
                    "phone_e164": False,
                    "phone_error": False,
                    "partner_id": False,
                    "visit_count": 0,
                    "open_complaints": 0,
                    "last_satisfaction": False,
                }
            )
            if not wizard.phone:
                continue
            try:
                wizard.phone_e164 = normalize_phone(wizard.phone)
            except UserError as error:
                wizard.phone_error = error.args[0]
                continue
            partner = Partner.search(
                [("crm_mall_phone", "=", wizard.phone_e164)], limit=1
            )
            if partner:
                history = Visit.new({"partner_id": partner.id})
                wizard.update(
                    {
                        "partner_id": partner.id,
                        "visit_count": history.history_visit_count,
                        "open_complaints": history.history_open_complaints,
                        "last_satisfaction": history.history_last_satisfaction,
                    }
                )

    @api.depends("phone")
    def _compute_contact(self):
        for wizard in self:
            partner = wizard.partner_id.sudo()
            wizard.email = partner.email or False
            wizard.consent = partner.crm_mall_contact_consent

    def action_checkin(self):
        self.ensure_one()
        visit = self.env["crm.mall.visit"].checkin(
            self.phone,
            name=self.name,
            counter_id=self.counter_id.id,
            channel=self.channel,
            service_id=self.service_id.id,
            priority=self.priority,
            email=self.email or "",
            consent=self.consent,
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.mall.visit",
            "res_id": visit.id,
            "view_mode": "form",
            "target": "current",
        }

    # ------------------------------------------------------------ counter screen
    @api.model
    def _check_screen_user(self):
        """Only those who check visitors in use the screen (its card is read
        with sudo): the check-in's own access rights."""
        self.check_access("create")

    @api.model
    @api.readonly
    def screen_lookup(self, phone="", text=""):
        """What the counter screen shows while the agent types: the visitor of
        ``phone`` (their card), the answers of the library matching ``text`` (the
        subject's description), the visitors waiting at the agent's counter.

        A bounded number of queries whatever the history: a few grouped
        searches, no query per complaint or per waiting visitor.
        """
        self._check_screen_user()
        if not isinstance(phone, str) or not isinstance(text, str):
            raise UserError(self.env._("The phone and the description are text."))
        self.env["crm.mall.visit"]._check_lengths(phone=phone, description=text)
        counter = self.env["crm.mall.shift"]._current().counter_id
        result = {
            "counter": counter.display_name or False,
            "counter_id": counter.id or False,
            "phone_e164": False,
            "phone_error": False,
            "visitor": False,
            "queue": self._screen_queue(counter),
            "answers": self._screen_answers(text, counter),
            "subject_types": self._selection_labels("crm.mall.subject", "subject_type"),
        }
        if not phone.strip():
            return result
        try:
            result["phone_e164"] = normalize_phone(phone)
        except UserError as error:
            result["phone_error"] = error.args[0]
            return result
        partner = self.env["crm.mall.visit"]._find_visitor(result["phone_e164"])
        if partner:
            result["visitor"] = self._visitor_card(partner)
        return result

    @api.model
    def _selection_labels(self, model, field):
        """The (key, label) pairs of a selection, in the user's language."""
        return self.env[model]._fields[field]._description_selection(self.env)

    @api.model
    def _visitor_card(self, partner):
        """The visitor's card (sudo: an agent reads no ticket nor survey score),
        within the user's companies: visits, open complaints with reference
        and state, last satisfaction and loyalty segment as labels, contact."""
        partner = partner.sudo().with_company(self.env.company)
        companies = Domain("company_id", "in", self.env.companies.ids)
        mine = Domain("partner_id", "=", partner.id) & companies
        visits = self.env["crm.mall.visit"].sudo().search_count(mine)
        states = dict(self._selection_labels("helpdesk.ticket", "complaint_state"))
        complaints = (
            self.env["helpdesk.ticket"]
            .sudo()
            .search_fetch(
                mine
                & Domain("is_complaint", "=", True)
                & Domain("complaint_state", "not in", formulas.FINAL_STATES),
                ["complaint_ref", "complaint_state", "name"],
                order="received_date desc, id desc",
                limit=SCREEN_LIMITS["complaints"],
            )
        )
        nps = dict(self._selection_labels("res.partner", "crm_iso_nps_class"))
        segments = dict(
            self._selection_labels("res.partner", "crm_iso_loyalty_segment")
        )
        return {
            "id": partner.id,
            "name": partner.name,
            "email": partner.email or "",
            "consent": partner.crm_mall_contact_consent,
            "visit_count": visits,
            "complaints": [
                {
                    "reference": ticket.complaint_ref,
                    "state": states.get(ticket.complaint_state, ""),
                    "name": ticket.name,
                }
                for ticket in complaints
            ],
            "satisfaction": nps.get(partner.crm_iso_nps_class, ""),
            "csat": partner.crm_iso_response_count and partner.crm_iso_last_csat,
            "segment": segments.get(partner.crm_iso_loyalty_segment, ""),
        }

    @api.model
    def _screen_queue(self, counter):
        """Visitors waiting today at the counter in the order *Call next* calls
        them: the queue's own domain and order (``_queue_waiting``), as the
        user (the record rules of visits apply)."""
        if not counter:
            return []
        Visit = self.env["crm.mall.visit"]
        domain, order = Visit._queue_waiting(counter)
        visits = Visit.search_fetch(
            domain,
            [
                "partner_id",
                "checkin_date",
                "queue_number",
                "service_id",
                "priority",
                "queue_origin",
            ],
            order=order,
            limit=SCREEN_LIMITS["queue"],
        )
        return [
            {
                "id": visit.id,
                "visitor": visit.partner_id.sudo().name,
                "since": fields.Datetime.to_string(visit.checkin_date),
                "number": visit.queue_number or "",
                "service": visit.service_id.sudo().name or "",
                "priority": visit.priority,
                "remote": visit.queue_origin == "remote",
            }
            for visit in visits
        ]

    @api.model
    def _screen_answers(self, text, counter):
        """The approved answers of the library (``ANSWER_DOMAIN``) that match a
        word of ``text`` in their question, keywords or text; read as the user."""
        words = sorted(set(WORD.findall(text)), key=len, reverse=True)[
            : SCREEN_LIMITS["words"]
        ]
        if not words:
            return []
        Page = self.env["document.page"]
        matching = Domain.OR(Page._search_display_name("ilike", word) for word in words)
        domain = Domain(safe_eval(ANSWER_DOMAIN, {"counter_id": counter.id}))
        pages = Page.search_fetch(
            domain & matching, ["name", "content"], limit=SCREEN_LIMITS["answers"]
        )
        return [
            {"id": page.id, "name": page.name, "content": page.content or ""}
            for page in pages
        ]

    @api.model
    def screen_register(
        self, phone, subject_type, description, name=None, email=None, consent=None
    ):
        """A subject button of the counter screen: check the visitor in at the
        agent's counter if they are not waiting there already, record their
        email and consent, register the subject (routed as any: a complaint
        opens its ticket at once) and return what the screen shows."""
        self._check_screen_user()
        types = dict(self._selection_labels("crm.mall.subject", "subject_type"))
        if not isinstance(subject_type, str) or subject_type not in types:
            raise UserError(
                self.env._(
                    "%(value)r is not a kind of subject: use one of %(types)s.",
                    value=subject_type,
                    types=", ".join(types),
                )
            )
        if not isinstance(description, str) or not description.strip():
            raise UserError(self.env._("Describe the subject before registering it."))
        self.env["crm.mall.visit"]._check_lengths(description=description)
        visit = self._screen_visit(phone, name, email, consent, subject_type)
        subject = self.env["crm.mall.subject"].create(
            {
                "visit_id": visit.id,
                "subject_type": subject_type,
                "description": description.strip(),
            }
        )
        ticket = subject.ticket_id.sudo()
        states = dict(self._selection_labels("helpdesk.ticket", "complaint_state"))
        reference = ticket.complaint_ref or ticket.number or False
        if reference:
            message = self.env._(
                "%(type)s registered under the reference %(reference)s.",
                type=types[subject_type],
                reference=reference,
            )
        else:
            message = self.env._(
                "%(type)s registered and sent to the person in charge.",
                type=types[subject_type],
            )
        return {
            "visit_id": visit.id,
            "queue_number": visit.queue_number or False,
            "subject_id": subject.id,
            "subject_type": types[subject_type],
            "reference": reference,
            "state": states.get(ticket.complaint_state, ""),
            "message": message,
        }

    @api.model
    def _screen_visit(self, phone, name, email, consent, subject_type):
        """The visitor's visit of today at the agent's counter not ended yet
        (waiting, called or in service), else a new check-in in the queue of the
        service of ``subject_type`` (``_screen_service``); either way their
        contact is recorded."""
        Visit = self.env["crm.mall.visit"]
        counter = self.env["crm.mall.shift"]._current().counter_id
        Visit._check_checkin_args(phone, name, counter.id, "counter", email, consent)
        waiting = Visit.browse()
        if counter:
            try:
                partner = Visit._find_visitor(normalize_phone(phone))
            except UserError:
                partner = None  # the check-in below says what is wrong
            if partner:
                waiting = Visit.search(
                    [
                        ("partner_id", "=", partner.id),
                        ("counter_id", "=", counter.id),
                        ("state", "in", ("waiting", "called", "in_service")),
                        (
                            "checkin_date",
                            ">=",
                            clock.day_start(clock.record_tz(counter))[1],
                        ),
                    ],
                    order="checkin_date desc, id desc",
                    limit=1,
                )
        if waiting:
            Visit._checkin_contact(waiting.partner_id.sudo(), email, consent)
            return waiting
        return Visit.checkin(
            phone,
            name=name,
            counter_id=counter.id or None,
            service_id=self._screen_service(subject_type).id or None,
            email=email,
            consent=consent,
        )

    @api.model
    def _screen_service(self, subject_type):
        """The queue service of a kind of subject: the one serving it, else the
        general one (no kind: *Other*); none found, the check-in takes the first."""
        services = self.env["crm.mall.queue.service"].search(
            [("subject_type", "in", (subject_type, False))], order="sequence, id"
        )
        return (
            services.filtered(lambda s: s.subject_type == subject_type)[:1]
            or services[:1]
        )
