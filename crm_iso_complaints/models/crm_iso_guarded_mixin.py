# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The one guard of every ISO record of the suite: fields only transitions change.

A model that ``_inherit``s ``crm.iso.guarded.mixin`` lists its protected fields in
``_crm_iso_protected`` (field name -> the action a user takes instead). Every class
of the model may list its own share (``helpdesk.ticket`` has one class per concern,
each with its fields): the guard protects the union of them all
(``_crm_iso_protected_fields``), so no class hides another's entries. ``create``
and ``write`` refuse those fields from every caller, superuser included, whatever
the context. The model's own transition methods change them inside
``self._crm_iso_unlocked()``: a Python context manager over a ``contextvars``
variable of the running request. Nothing a client sends can set it: no RPC
argument, no context key, no field value. ``default_<field>`` context keys are
ignored for protected fields, so that a context cannot preset them either.

On ``create`` a protected field may be given its declared default (the web client
sends the defaults of a new form, ``state='draft'`` say): that forges nothing.
Fields in ``_crm_iso_write_once`` are given at creation and never change after;
like ``_crm_iso_protected``, each class of the model lists its own share and the
guard locks their union (``_crm_iso_write_once_fields``): a class never re-lists
its parent's entries.

Deletion: the ``@api.ondelete(at_uninstall=False)`` checks of a guarded model (a
complaint, a dispute, a submitted report, every ``_crm_iso_append_only`` log...)
run on every ``unlink``, whatever the context. Odoo skips those checks when the
context carries ``_force_unlink`` (its module-uninstall flag), and a client can
send that key over ``/jsonrpc`` or ``/json/2``: the guard drops it unless Odoo is
really uninstalling modules, that is inside ``ir.model.data._module_data_uninstall``
(server code no RPC call reaches without uninstalling) of modules that are in the
``to remove`` state in ``ir_module_module`` (read in SQL). Only a real uninstall
removes the data of an addon.
"""

import contextvars
from collections import defaultdict
from contextlib import contextmanager

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.translate import LazyTranslate

from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG

from ..tools import clock

_lt = LazyTranslate(__name__)
WRITE_ONCE = _lt("it is set when the record is created and never changes")

# the models whose protected fields the running code may change now
_UNLOCKED = contextvars.ContextVar("crm_iso_unlocked", default=frozenset())
# the modules whose data Odoo is removing now (``_module_data_uninstall``)
_UNINSTALLING = contextvars.ContextVar("crm_iso_uninstalling", default=frozenset())


@contextmanager
def uninstalling(modules):
    """Mark the running code as Odoo's removal of the data of ``modules``;
    entered by ``ir.model.data._module_data_uninstall`` only."""
    token = _UNINSTALLING.set(_UNINSTALLING.get() | frozenset(modules))
    try:
        yield
    finally:
        _UNINSTALLING.reset(token)


class CrmIsoGuardedMixin(models.AbstractModel):
    _name = "crm.iso.guarded.mixin"
    _description = "ISO record whose protected fields only its transitions change"

    #: protected field -> what to use instead (a lazy translation, ``_lt``)
    _crm_iso_protected = {}
    #: fields set when the record is created and never changed afterwards (this
    #: class's share: the guard locks the union over the model's classes)
    _crm_iso_write_once = ()
    #: a log: rows are never deleted through the ORM (the superuser included)
    _crm_iso_append_only = False

    # ------------------------------------------------------------ unlocking
    @contextmanager
    def _crm_iso_unlocked(self):
        """Let the code inside change this model's protected fields.

        Only server code can enter it; keep the block to the writes themselves
        (no mail rendering, no call of user-defined code inside).
        """
        token = _UNLOCKED.set(_UNLOCKED.get() | {self._name})
        try:
            yield self
        finally:
            _UNLOCKED.reset(token)

    def _crm_iso_is_unlocked(self):
        return self._name in _UNLOCKED.get()

    def _crm_iso_write(self, vals):
        """A transition's write of protected fields."""
        with self._crm_iso_unlocked():
            return self.write(vals)

    def _crm_iso_write_grouped(self, values):
        """A transition's write of values that differ per record, set-based.

        ``values``: {record id: vals} for the records of ``self``. Records that
        receive the same vals are written together: one write per distinct vals,
        never one per record (the values must be plain, hashable ones).
        """
        groups = defaultdict(list)
        for record_id, vals in values.items():
            groups[tuple(sorted(vals.items()))].append(record_id)
        for items, ids in groups.items():
            self.browse(ids)._crm_iso_write(dict(items))

    def _crm_iso_today(self):
        """Today in the user's own time zone: their preference, not the context
        (the day a person stamps for what they did, see ``tools/clock.py``)."""
        return clock.local_date(self.env.user.tz)

    # ------------------------------------------------------------ the guard
    def _crm_iso_guarded_records(self):
        """The records whose protected fields are locked (helpdesk tickets: only
        complaints); all of them by default."""
        return self

    def _crm_iso_protected_fields(self):
        """Protected field -> what to use instead, for the whole model: the union
        of the ``_crm_iso_protected`` of every class that makes up the model."""
        protected = {}
        for cls in reversed(type(self).__mro__):
            protected.update(vars(cls).get("_crm_iso_protected", {}))
        return protected

    def _crm_iso_write_once_fields(self):
        """The write-once fields of the whole model: the union of the
        ``_crm_iso_write_once`` of every class that makes up the model."""
        return {
            name
            for cls in type(self).__mro__
            for name in vars(cls).get("_crm_iso_write_once", ())
        }

    def _crm_iso_refuse(self, field_name):
        field = self._fields[field_name]
        how = self._crm_iso_protected_fields().get(field_name) or WRITE_ONCE
        raise UserError(
            self.env._(
                "%(model)s: %(field)s is not changed by hand; %(how)s.",
                field=field._description_string(self.env),
                model=self._description,
                how=self.env._(how),
            )
        )

    def _crm_iso_check_create(self, vals_list):
        """Refuse protected values in create vals, but the field's own default."""
        if self._crm_iso_is_unlocked():
            return
        protected = self._crm_iso_protected_fields()
        for vals in vals_list:
            for name in protected:
                if name in vals and not self._crm_iso_is_default(name, vals[name]):
                    self._crm_iso_refuse(name)

    def _crm_iso_is_default(self, name, value):
        field = self._fields[name]
        default = field.default(self) if field.default else False
        if field.type in ("one2many", "many2many"):
            return not value
        if isinstance(default, models.BaseModel):  # a many2one's default record
            default = default.id
        return (value or False) == (default or False)

    def _crm_iso_check_write(self, vals):
        if self._crm_iso_is_unlocked() or not vals:
            return
        locked = self._crm_iso_write_once_fields() | set(
            self._crm_iso_protected_fields()
        )
        touched = [name for name in vals if name in locked]
        if touched and self._crm_iso_guarded_records():
            self._crm_iso_refuse(touched[0])

    # ------------------------------------------------------------ ORM
    @api.model
    def default_get(self, fields_list):
        """Context defaults never preset a protected field."""
        protected = self._crm_iso_protected_fields()
        preset = [
            key
            for key in self.env.context
            if key.startswith("default_") and key[8:] in protected
        ]
        records = self
        if preset:  # never honoured, even for the server's own code
            # an environment whose context lacks them (not merged into the old one)
            context = {k: v for k, v in self.env.context.items() if k not in preset}
            records = self.with_env(self.env(context=context))
        return super(CrmIsoGuardedMixin, records).default_get(fields_list)

    @api.model_create_multi
    def create(self, vals_list):
        self._crm_iso_check_create(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._crm_iso_check_write(vals)
        return super().write(vals)

    def _crm_iso_uninstalling(self):
        """Whether Odoo is really uninstalling modules now: inside its removal
        of their data, and the modules are in the 'to remove' state (read in
        SQL, not from anything the caller sends)."""
        modules = _UNINSTALLING.get()
        if not modules:
            return False
        self.env.cr.execute(
            SQL(
                "SELECT 1 FROM ir_module_module WHERE name IN %s"
                " AND state = 'to remove' LIMIT 1",
                tuple(modules),
            )
        )
        return bool(self.env.cr.fetchone())

    def unlink(self):
        """Every delete check of the model runs, unless a real uninstall."""
        records = self
        if self.env.context.get(MODULE_UNINSTALL_FLAG) and not (
            self._crm_iso_uninstalling()
        ):
            records = self.with_context(**{MODULE_UNINSTALL_FLAG: False})
        return super(CrmIsoGuardedMixin, records).unlink()

    @api.ondelete(at_uninstall=False)
    def _crm_iso_unlink_except_append_only(self):
        if self._crm_iso_append_only and self:
            raise UserError(
                self.env._(
                    "%(model)s rows are a record of the past: they are never deleted.",
                    model=self._description,
                )
            )
