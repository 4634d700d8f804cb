# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The queue of a counter: numbers, calls, service and no-shows, and its figures.

A visit at a counter draws a queue number at check-in (``A-023``: the letter of
its service, then the rank of the visit in the series of that counter, service
and counter-local day). Each step of the visit is stamped by its transition and
only by it (the guard mixin): arrival (``checkin_date``), call (``call_time``),
service start and end, or no-show, or transfer to another counter.

Concurrency: two agents checking in at once at one counter both read the same
last number; the unique index on (counter, service, day, rank) lets one insert
and makes the other raise a ConcurrencyError, and Odoo's ``retrying()`` runs the
loser's request again, which then draws the next number. Two agents calling the
next visitor at once lock the row they call with ``FOR UPDATE SKIP LOCKED``:
each gets another visitor. Two agents calling the same visitor is the queue's
expected race, not a bad query: ``_queue_lock`` takes the lock without Odoo's
ERROR log and turns a failed lock into a retry of the request (logged at INFO),
which then sees the visitor called.

Doors: a visit enters a queue only through the check-in (``checkin``, the call
centre's too), which gives it its number; only its transitions move it on, and
only Transfer sends it to another counter (``counter_id`` is guarded). Every
transition is done by an agent on shift at the visit's counter (the real user).

The order of a queue is defined once, ``_queue_waiting``: *Call next* and the
check-in screen use it both. The figures of the queue are computed in one
place, ``_queue_figures``.
"""

from psycopg2 import errors

from odoo import api, fields, models
from odoo.exceptions import ConcurrencyError, UserError
from odoo.fields import Domain
from odoo.tools import SQL, mute_logger
from odoo.tools.translate import LazyTranslate

from odoo.addons.crm_iso_complaints.tools import clock

from .crm_mall_subject import record_by_id

_lt = LazyTranslate(__name__)
CHECKIN = _lt("the check-in records it")
USE_CALL = _lt("use Call, Start service, Served, No-show or Transfer")
USE_TRANSFER = _lt("use Transfer")
COMPUTED = _lt("it is computed from the visit's stamps")
#: numbers a check-in tries, when others take them first, before Odoo retries it
QUEUE_DRAWS = 20
#: the order of a counter's queue: priority visitors first, then the oldest
#: arrival. The ORM orders a boolean as ``COALESCE(priority, FALSE)``: an empty
#: priority is no priority (a raw ``priority DESC`` puts NULL first)
QUEUE_ORDER = "priority desc, checkin_date, id"
# the figures of _queue_figures: name -> SQL aggregate over the visit's columns
# (``{x}`` a column of the visit); waits count called visits only, services the
# ended ones; rates in percent
QUEUE_FIGURES = {
    "visits": "COUNT(*)",
    "avg_wait": "AVG({wait_minutes}) FILTER (WHERE {call_time} IS NOT NULL)",
    "p90_wait": "percentile_cont(0.9) WITHIN GROUP (ORDER BY {wait_minutes})"
    " FILTER (WHERE {call_time} IS NOT NULL)",
    "avg_service": "AVG({service_minutes}) FILTER (WHERE {service_end} IS NOT NULL)",
    "p90_service": "percentile_cont(0.9) WITHIN GROUP (ORDER BY {service_minutes})"
    " FILTER (WHERE {service_end} IS NOT NULL)",
    "no_show_rate": "100.0 * COUNT(*) FILTER (WHERE {state} = 'no_show')"
    " / NULLIF(COUNT({call_time}), 0)",
    "within_level": "100.0 * COUNT(*) FILTER (WHERE {within_service_level})"
    " / NULLIF(COUNT(*) FILTER (WHERE {call_time} IS NOT NULL"
    " AND {state} != 'no_show'), 0)",
}
QUEUE_COLUMNS = (
    "wait_minutes",
    "service_minutes",
    "call_time",
    "service_end",
    "state",
    "within_service_level",
)


def _queue_label(service, seq):
    """The number shown and called: the service's letter and the sequence."""
    return f"{service.code}-{seq:03d}"


class CrmMallVisit(models.Model):
    _inherit = "crm.mall.visit"
    _crm_iso_protected = {
        "counter_id": USE_TRANSFER,
        "channel": CHECKIN,
        "state": USE_CALL,
        "call_time": USE_CALL,
        "service_id": CHECKIN,
        "queue_number": CHECKIN,
        "queue_seq": CHECKIN,
        "queue_date": CHECKIN,
        "priority": CHECKIN,
        "service_start": USE_CALL,
        "service_end": USE_CALL,
        "transferred_to_id": USE_CALL,
        "transferred_from_id": USE_CALL,
        "wait_minutes": COMPUTED,
        "service_minutes": COMPUTED,
        "within_service_level": COMPUTED,
        "service_level_minutes": COMPUTED,
    }

    service_id = fields.Many2one(
        "crm.mall.queue.service", check_company=True, readonly=True, index=True
    )
    queue_number = fields.Char(readonly=True, copy=False, index="btree_not_null")
    queue_seq = fields.Integer(
        string="Rank in the series", readonly=True, copy=False, aggregator=False
    )
    queue_date = fields.Date(
        readonly=True, copy=False, index=True, help="The counter's local day."
    )
    priority = fields.Boolean(
        default=False,
        readonly=True,
        help="Elderly or disabled visitor: called before the others.",
    )
    service_start = fields.Datetime(readonly=True, copy=False)
    service_end = fields.Datetime(readonly=True, copy=False)
    transferred_to_id = fields.Many2one(
        "crm.mall.counter", check_company=True, readonly=True, copy=False
    )
    transferred_from_id = fields.Many2one(
        "crm.mall.visit",
        check_company=True,
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The visit at the counter that sent the visitor here.",
    )
    wait_minutes = fields.Float(
        compute="_compute_minutes", store=True, aggregator="avg", readonly=True
    )
    service_minutes = fields.Float(
        compute="_compute_minutes", store=True, aggregator="avg", readonly=True
    )
    service_level_minutes = fields.Integer(
        string="Service level at the call",
        compute="_compute_service_level",
        store=True,
        readonly=True,
        aggregator=False,
        help="The counter's service level (minutes of waiting) when the visitor "
        "was called: a later change of the counter's level keeps the past.",
    )
    within_service_level = fields.Boolean(
        compute="_compute_minutes",
        store=True,
        readonly=True,
        help="Called within the counter's service level of the moment of the call.",
    )

    _queue_number_uniq = models.UniqueIndex(
        "(counter_id, service_id, queue_date, queue_seq) WHERE queue_seq IS NOT NULL",
        "This queue number was just drawn by another check-in.",
    )
    _waiting_idx = models.Index(
        "(counter_id, priority DESC, checkin_date, id) WHERE state = 'waiting'"
    )

    @api.depends("call_time")
    def _compute_service_level(self):
        """The counter's level when the call is stamped, and never again: it
        depends on the call alone, not on the counter's level (nor on the
        counter, which only Transfer changes, on a new visit)."""
        for visit in self:
            visit.service_level_minutes = (
                visit.counter_id.service_level_minutes if visit.call_time else 0
            )

    @api.depends(
        "checkin_date",
        "call_time",
        "service_start",
        "service_end",
        "state",
        "service_level_minutes",
    )
    def _compute_minutes(self):
        """Minutes between the stamps; within the service level of the call
        (``service_level_minutes``), whatever the counter's level is now."""
        for visit in self:
            called = visit.call_time and visit.checkin_date
            wait = (visit.call_time - visit.checkin_date) if called else None
            served = visit.service_start and visit.service_end
            service = (visit.service_end - visit.service_start) if served else None
            visit.wait_minutes = wait.total_seconds() / 60 if called else 0.0
            visit.service_minutes = service.total_seconds() / 60 if served else 0.0
            visit.within_service_level = bool(
                called
                and visit.state != "no_show"
                and visit.wait_minutes <= visit.service_level_minutes
            )

    # ------------------------------------------------------------ doors
    @api.model_create_multi
    def create(self, vals_list):
        """A visit is opened by the check-in alone (``checkin``: at a counter,
        with its number, or a call of the call centre), from every client and
        every user: no visit enters a queue without a number, and no visit is
        made up over RPC."""
        if not self._crm_iso_is_unlocked():
            raise UserError(
                self.env._(
                    "A visit is opened by the check-in (or the call centre's "
                    "Register a call), which gives it its queue number."
                )
            )
        return super().create(vals_list)

    # ------------------------------------------------------------ numbers
    @api.model
    def _queue_values(self, counter, service_id, priority):
        """The queue fields of a new visit at ``counter``: its service (the
        first one offered when none is given) and the next number of its series
        on the counter's local day."""
        if not isinstance(priority, bool):
            raise UserError(self.env._("The priority is true or false."))
        Service = self.env["crm.mall.queue.service"].sudo()
        offered = Domain("company_id", "in", [False, counter.company_id.id]) & Domain(
            "active", "=", True
        )
        if service_id in (None, False):
            service = Service.search(offered, limit=1)
        else:
            service = record_by_id(Service, service_id).filtered_domain(offered)
        if not service:
            raise UserError(
                self.env._(
                    "No queue service %(value)r is offered at %(counter)s.",
                    value=service_id or "",
                    counter=counter.display_name,
                )
            )
        today = clock.day_start(clock.record_tz(counter))[0]
        self.flush_model(["counter_id", "service_id", "queue_date", "queue_seq"])
        self.env.cr.execute(
            SQL(
                "SELECT COALESCE(MAX(queue_seq), 0) + 1 FROM crm_mall_visit"
                " WHERE counter_id = %s AND service_id = %s AND queue_date = %s",
                counter.id,
                service.id,
                today,
            )
        )
        seq = self.env.cr.fetchone()[0]
        return {
            "service_id": service.id,
            "priority": priority,
            "queue_date": today,
            "queue_seq": seq,
            "queue_number": _queue_label(service, seq),
        }

    @api.model
    def _create_queued(self, values):
        """Create a visit holding a drawn number.

        The number is the day's highest plus one as this transaction sees it.
        Check-ins at the same counter and service running at the same moment
        draw the same number; the unique index, which sees every committed
        number, refuses all but one. The others take the next number at once,
        in the same transaction (a failed insert rolls back to its savepoint
        only), instead of retrying the whole request: with many agents on one
        series a retried request could draw a taken number again and again.
        After ``QUEUE_DRAWS`` taken numbers, Odoo retries the request. A visit
        without a number (a call) is simply created.
        """
        values = dict(values)
        if not values.get("queue_seq"):
            with self._crm_iso_unlocked():
                return self.create(values)
        service = self.env["crm.mall.queue.service"].sudo().browse(values["service_id"])
        for _draw in range(QUEUE_DRAWS):
            try:
                with (
                    mute_logger("odoo.sql_db"),
                    self.env.cr.savepoint(),
                    self._crm_iso_unlocked(),
                ):
                    return self.create(values)
            except errors.UniqueViolation as error:
                if error.diag.constraint_name != f"{self._table}_queue_number_uniq":
                    raise
                values["queue_seq"] += 1
                values["queue_number"] = _queue_label(service, values["queue_seq"])
        raise ConcurrencyError(
            self.env._(
                "The queue numbers up to %(number)s were just drawn.",
                number=values["queue_number"],
            )
        )

    # ------------------------------------------------------------ the queue
    @api.model
    def _queue_waiting(self, counter):
        """(domain, order) of today's queue at ``counter``: the visitors waiting
        since the counter's local midnight, in the order *Call next* calls them
        (``QUEUE_ORDER``). The one definition of the queue: *Call next* and the
        check-in screen both search it, as the user (record rules apply). A
        visitor left waiting since an earlier day is not in today's queue."""
        start = clock.day_start(clock.record_tz(counter))[1]
        domain = (
            Domain("counter_id", "=", counter.id)
            & Domain("state", "=", "waiting")
            & Domain("checkin_date", ">=", start)
        )
        return domain, QUEUE_ORDER

    @api.model
    def _queue_lock(self, query, message=None):
        """The ids of visits that ``query`` (a ``SELECT ... FOR UPDATE``) locks.

        Two agents calling the same visitor at once is the queue's expected
        race: the row is locked by the other's transaction (``NOWAIT``), or was
        changed by it after this one began (REPEATABLE READ). That is no bad
        query: it runs without Odoo's ERROR log (``log_exceptions=False``, in a
        savepoint) and becomes a ConcurrencyError, on which Odoo runs the
        request again on a fresh snapshot (logged at INFO); there the visitor is
        seen called, and the caller is told so or gets the next one.
        ``message``: the refusal when every retry failed (another agent calls).
        """
        try:
            with self.env.cr.savepoint():
                self.env.cr.execute(query, log_exceptions=False)
                return [row[0] for row in self.env.cr.fetchall()]
        except (errors.LockNotAvailable, errors.SerializationFailure) as error:
            raise ConcurrencyError(
                message
                or self.env._("Another agent is calling this visitor right now.")
            ) from error

    # ------------------------------------------------------------ transitions
    def _numbers_not_in(self, states):
        """The numbers (or names) of these visits not in ``states``, for a
        refusal; empty when all are."""
        wrong = self.filtered(lambda v: v.state not in states)
        return ", ".join(wrong.mapped(lambda v: v.queue_number or v.display_name))

    def _caller_shift(self):
        """The caller's open shift at the counter of these visits, or a refusal:
        every transition of the queue is done by an agent on shift there. The
        caller is the real user (``env.user``, also under sudo), whatever their
        group: a supervisor or a manager takes a shift to serve."""
        shift = self.env["crm.mall.shift"]._current()
        if not shift or self.counter_id != shift.counter_id:
            raise UserError(
                self.env._(
                    "You have no open shift at %(counter)s: only an agent on "
                    "shift there calls, serves or transfers its visitors.",
                    counter=", ".join(self.counter_id.mapped("display_name"))
                    or self.env._("this counter"),
                )
            )
        return shift

    def action_call(self):
        """Call these waiting visitors to the caller's counter (the caller must
        be on shift there). A visitor already called is refused, not recalled."""
        if not self:
            return True
        if numbers := self._numbers_not_in(("waiting",)):
            raise UserError(
                self.env._("%(numbers)s: already called, not waiting.", numbers=numbers)
            )
        shift = self._caller_shift()
        # lock them: two agents calling the same visitor at once, one wins (the
        # other's lock fails, its request is retried, then refused)
        self._queue_lock(
            SQL(
                "SELECT id FROM crm_mall_visit WHERE id IN %s FOR UPDATE NOWAIT",
                tuple(self.ids),
            )
        )
        self._crm_iso_write(
            {
                "state": "called",
                "call_time": fields.Datetime.now(),
                "shift_id": shift.id,
                "agent_id": self.env.uid,
            }
        )
        # the waiting-room screens of these counters show the numbers called
        self.env["crm.mall.display"]._crm_mall_announce(self)
        return True

    def action_start_service(self):
        if numbers := self._numbers_not_in(("called",)):
            raise UserError(
                self.env._("%(numbers)s: call the visitor first.", numbers=numbers)
            )
        self._caller_shift()
        self._crm_iso_write(
            {"state": "in_service", "service_start": fields.Datetime.now()}
        )
        return True

    def action_served(self):
        """End the service. A visitor served without a call (the counter's
        first visitor of a quiet hour) is called and served at once, by the
        caller on shift."""
        if numbers := self._numbers_not_in(("waiting", "called", "in_service")):
            raise UserError(
                self.env._("%(numbers)s: not waiting nor in service.", numbers=numbers)
            )
        shift = self._caller_shift()
        now = fields.Datetime.now()
        self._crm_iso_write_grouped(
            {
                visit.id: {
                    "state": "served",
                    "service_start": visit.service_start or visit.call_time or now,
                    "service_end": now,
                    # called now, by the caller, as Call does it; a call already
                    # stamped is not written again (its service level stays)
                    **(
                        {}
                        if visit.call_time
                        else {
                            "call_time": now,
                            "shift_id": shift.id,
                            "agent_id": self.env.uid,
                        }
                    ),
                }
                for visit in self
            }
        )
        return True

    def action_no_show(self):
        """The visitor called did not come to the counter."""
        if numbers := self._numbers_not_in(("called",)):
            raise UserError(
                self.env._(
                    "%(numbers)s: only a called visitor who did not come is a no-show.",
                    numbers=numbers,
                )
            )
        self._caller_shift()
        self._crm_iso_write({"state": "no_show"})
        return True

    def action_transfer(self, counter_id):
        """Send the visitor to another counter: this visit ends as transferred,
        and a new visit waits at that counter, in its series, with the same
        arrival time (so the visitor keeps their place by waiting time), the
        same service and priority. Returns the new visits."""
        counter = record_by_id(self.env["crm.mall.counter"], counter_id)
        if not counter or not counter.active:
            raise UserError(
                self.env._(
                    "Transfer to a counter given by its id (got %(value)r).",
                    value=counter_id,
                )
            )
        if numbers := self._numbers_not_in(("waiting", "called", "in_service")):
            raise UserError(
                self.env._(
                    "%(numbers)s: the visit is over, nothing to transfer.",
                    numbers=numbers,
                )
            )
        if any(v.channel != "counter" or v.counter_id == counter for v in self):
            raise UserError(
                self.env._("A visitor is transferred to another counter than theirs.")
            )
        if counter.company_id not in self.company_id:
            raise UserError(
                self.env._("A visitor is transferred within the same company.")
            )
        self._caller_shift()
        now = fields.Datetime.now()
        self._crm_iso_write_grouped(
            {
                visit.id: {
                    "state": "transferred",
                    "transferred_to_id": counter.id,
                    "service_end": now if visit.service_start else False,
                }
                for visit in self
            }
        )
        return self.env["crm.mall.visit"].union(
            *(visit._transferred_visit(counter) for visit in self)
        )

    def _transferred_visit(self, counter):
        self.ensure_one()
        values = self._queue_values(counter, self.service_id.id, self.priority)
        values.update(
            channel="counter",
            counter_id=counter.id,
            company_id=counter.company_id.id,
            partner_id=self.partner_id.id,
            phone=self.phone,
            checkin_date=self.checkin_date,
            transferred_from_id=self.id,
        )
        return self._create_queued(values)

    def action_open_transfer(self):
        """The Transfer button: choose the counter."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Transfer to another counter"),
            "res_model": "crm.mall.visit.transfer",
            "view_mode": "form",
            "target": "new",
            "context": {"default_visit_id": self.id},
        }

    # ------------------------------------------------------------ figures
    @api.model
    def _queue_pace(self, counter):
        """Minutes between two calls at ``counter`` as measured today: the
        average service time of the day (``_queue_figures``) shared among the
        agents on shift there now. A visitor with ``n`` people ahead expects
        to wait ``n`` times the pace (the phone's page). None before the first
        service of the day ends: no guess is shown."""
        start = clock.day_start(clock.record_tz(counter))[1]
        figures = self.sudo()._queue_figures(
            Domain("counter_id", "=", counter.id)
            & Domain("checkin_date", ">=", start)
            & Domain("service_end", "!=", False)
        )[0]
        if not figures["visits"]:
            return None
        now = fields.Datetime.now()
        agents = (
            self.env["crm.mall.shift"]
            .sudo()
            .search_count(
                [
                    ("counter_id", "=", counter.id),
                    ("start", "<=", now),
                    ("stop", ">", now),
                ]
            )
        )
        return figures["avg_service"] / max(agents, 1)

    @api.model
    def _queue_figures(self, domain, groupby=()):
        """The figures of the queue for the visits of ``domain``, in one query.

        ``groupby``: read_group specs of the visit (``counter_id``, ``shift_id``,
        ``service_id``, ``agent_id``, ``queue_date:month``...). Returns a list of
        dicts, one per group: the groupby values as ``_read_group`` gives them
        (records for relations), and

        - ``visits``: the number of visits;
        - ``avg_wait``, ``p90_wait``: average and 90th percentile (interpolated,
          PostgreSQL ``percentile_cont``) of minutes from arrival to call, over
          the visits called;
        - ``avg_service``, ``p90_service``: the same of minutes from service start
          to end, over the visits served;
        - ``no_show_rate``: % of the visits called that were no-shows;
        - ``within_level``: % of the visits called and come (not no-shows) that
          were called within their counter's service level.

        Figures without a visit to measure are 0. Record rules apply. Group by
        ``queue_origin`` for walk-in visitors and numbers taken on the phone
        apart (the same figures over ``domain`` as a whole without it).
        """
        self.browse().check_access("read")
        query = self._search(domain)
        if query.is_empty():
            return [] if groupby else [dict.fromkeys(QUEUE_FIGURES, 0)]
        columns = {
            name: self._field_to_sql(self._table, name, query) for name in QUEUE_COLUMNS
        }
        placeholders = {name: f"%({name})s" for name in QUEUE_COLUMNS}
        figures = [
            SQL(template.format(**placeholders), **columns)
            for template in QUEUE_FIGURES.values()
        ]
        terms = [self._read_group_groupby(self._table, spec, query) for spec in groupby]
        if terms:
            query.groupby = SQL(", ").join(terms)
        rows = self.env.execute_query(query.select(*terms, *figures))
        keys = (
            zip(
                *(
                    self._read_group_postprocess_groupby(spec, column)
                    for spec, column in zip(
                        groupby, zip(*rows, strict=True), strict=False
                    )
                ),
                strict=True,
            )
            if groupby
            else [()] * len(rows)
        )
        return [
            {
                **dict(zip(groupby, key, strict=True)),
                **{
                    name: float(value or 0) if name != "visits" else value
                    for name, value in zip(
                        QUEUE_FIGURES, row[len(terms) :], strict=True
                    )
                },
            }
            for key, row in zip(keys, rows, strict=True)
        ]
