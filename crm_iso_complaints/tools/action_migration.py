# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Move the suite's hand-written action models into OCA's ``mgmtsystem.action``.

Used by the ``migrations/19.0.2.0.0/{pre,post}-actions.py`` scripts of the three
addons (databases of 19.0.1.x: corrective actions, improvement actions and QC action
orders in tables of their own).

``pre``: before the addon's models load, the extension columns the rows need are
added to ``mgmtsystem_action`` (Odoo then finds them with the right types), the rows
are copied, and the old id -> new id of every row is kept in
``crm_iso_action_legacy`` (a log of the move, left in the database), and which old
field became which new one in ``crm_iso_action_legacy_field``. Messages, followers,
activities, attachments and external ids (demo records) follow their record.
``post``: the OCA reference, the stored computed fields, the links that need tables
Odoo creates itself (the complaints' many2many), the tracked changes' fields (they
point to the new fields, or keep the old field's name and label), then a check that
every old row has its action, and the old tables are dropped (Odoo forgets the
removed models but leaves their tables, whose foreign keys would later block
deleting a user, a company, a plan or an inspection).
"""

import logging
import re

from odoo.tools import SQL

_logger = logging.getLogger(__name__)
TARGET_MODEL = "mgmtsystem.action"
LEGACY = "crm_iso_action_legacy"
LEGACY_FIELDS = "crm_iso_action_legacy_field"
AUDIT = {"id", "create_uid", "create_date", "write_uid", "write_date"}


def table_exists(cr, table):
    cr.execute(
        SQL("SELECT 1 FROM pg_class WHERE relname = %s AND relkind = 'r'", table)
    )
    return bool(cr.fetchone())


def columns_of(cr, table):
    """The columns a table has in this database."""
    cr.execute(
        SQL(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = %s",
            table,
        )
    )
    return {row[0] for row in cr.fetchall()}


def read_what_is_there(cr, table, values):
    """``values`` with every ``o.<column>`` the old table lacks read as NULL.

    The same version (19.0.1.0.0) was carried by several schemas: an older
    database has no stamp columns (``effectiveness_uid``, ``approved_uid``...).
    A value the database never had stays empty instead of aborting the update.
    """
    present = columns_of(cr, table)
    missing = set()

    def column(match):
        if match[1] in present:
            return match[0]
        missing.add(match[1])
        return "NULL"

    read = {
        target: re.sub(r"\bo\.(\w+)\b", column, expr) for target, expr in values.items()
    }
    if missing:
        _logger.info("%s: no %s in this database, read as empty", table, missing)
    return read


def stage_id(cr, name):
    cr.execute(
        SQL(
            "SELECT res_id FROM ir_model_data "
            "WHERE module = 'mgmtsystem_action' AND name = %s",
            name,
        )
    )
    row = cr.fetchone()
    return row[0] if row else None


def add_columns(cr, columns):
    """Add ``{column: postgres type}`` to mgmtsystem_action when missing."""
    for column, kind in columns.items():
        cr.execute(
            SQL(
                "ALTER TABLE mgmtsystem_action ADD COLUMN IF NOT EXISTS %s %s",
                SQL.identifier(column),
                SQL(kind),
            )
        )


def field_map(values, tracked=None):
    """Old field -> new field: a value read straight from one old column (``o.x``,
    ``o.x::type``, ``COALESCE(o.x, ...)``), plus ``tracked`` (e.g. the old state
    to the new state)."""
    moved = {}
    for target, expr in values.items():
        first = re.match(r"^(?:COALESCE\()?o\.(\w+)\b", expr)
        if first and first[1] not in AUDIT:
            moved.setdefault(first[1], target)
    return {**moved, **(tracked or {})}


def _keep_field_map(cr, old_model, fields_map):
    cr.execute(
        SQL(
            "CREATE TABLE IF NOT EXISTS %s (old_model varchar NOT NULL, "
            "old_field varchar NOT NULL, new_field varchar NOT NULL, "
            "PRIMARY KEY (old_model, old_field))",
            SQL.identifier(LEGACY_FIELDS),
        )
    )
    for old, new in fields_map.items():
        cr.execute(
            SQL(
                "INSERT INTO %s VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                SQL.identifier(LEGACY_FIELDS),
                old_model,
                old,
                new,
            )
        )


def move_rows(
    cr, origin, old_model, old_table, values, attachment_fields=None, tracked=None
):
    """Copy the rows of ``old_table`` into mgmtsystem_action.

    ``values``: ``{column of mgmtsystem_action: SQL expression over the old row o}``;
    ``tracked``: ``{old field: new field}`` for tracked changes the values do not
    say (see ``field_map``). Return the number of rows moved (0 when the old table
    is gone: already moved).
    """
    if not table_exists(cr, old_table):
        return 0
    _keep_field_map(
        cr, old_model, {**field_map(values, tracked), **(attachment_fields or {})}
    )
    cr.execute(
        SQL(
            "CREATE TABLE IF NOT EXISTS %s (origin varchar NOT NULL, "
            "old_model varchar NOT NULL, old_id int4 NOT NULL, new_id int4 NOT NULL, "
            "PRIMARY KEY (old_model, old_id))",
            SQL.identifier(LEGACY),
        )
    )
    cr.execute(
        SQL(
            "SELECT count(*) FROM %s WHERE old_model = %s",
            SQL.identifier(LEGACY),
            old_model,
        )
    )
    if cr.fetchone()[0]:
        return 0
    add_columns(cr, {"crm_iso_legacy_id": "int4"})
    values = read_what_is_there(cr, old_table, values)
    columns = [*values, "crm_iso_origin", "crm_iso_legacy_id"]
    exprs = [SQL(expr) for expr in values.values()]
    cr.execute(
        SQL(
            "INSERT INTO mgmtsystem_action (%s) SELECT %s, %s, o.id FROM %s o "
            "ORDER BY o.id",
            SQL(", ").join(SQL.identifier(c) for c in columns),
            SQL(", ").join(exprs),
            origin,
            SQL.identifier(old_table),
        )
    )
    moved = cr.rowcount
    cr.execute(
        SQL(
            "INSERT INTO %s (origin, old_model, old_id, new_id) "
            "SELECT %s, %s, crm_iso_legacy_id, id FROM mgmtsystem_action "
            "WHERE crm_iso_origin = %s AND crm_iso_legacy_id IS NOT NULL",
            SQL.identifier(LEGACY),
            origin,
            old_model,
            origin,
        )
    )
    cr.execute("ALTER TABLE mgmtsystem_action DROP COLUMN crm_iso_legacy_id")
    _move_linked(cr, old_model, attachment_fields or {})
    return moved


def _move_linked(cr, old_model, attachment_fields):
    """Messages, followers, activities, attachments and xmlids follow the rows."""
    legacy = SQL.identifier(LEGACY)
    for table, column in (
        ("mail_message", "model"),
        ("mail_followers", "res_model"),
        ("mail_activity", "res_model"),
        ("ir_attachment", "res_model"),
        ("ir_model_data", "model"),
    ):
        cr.execute(
            SQL(
                "UPDATE %(table)s t SET %(column)s = %(target)s, res_id = l.new_id "
                "FROM %(legacy)s l WHERE l.old_model = %(old)s "
                "AND t.%(column)s = %(old)s AND t.res_id = l.old_id",
                table=SQL.identifier(table),
                column=SQL.identifier(column),
                target=TARGET_MODEL,
                legacy=legacy,
                old=old_model,
            )
        )
    cr.execute(
        SQL(
            "UPDATE mail_activity SET res_model_id = "
            "(SELECT id FROM ir_model WHERE model = %s) WHERE res_model = %s",
            TARGET_MODEL,
            TARGET_MODEL,
        )
    )
    for old_field, new_field in attachment_fields.items():
        cr.execute(
            SQL(
                "UPDATE ir_attachment a SET res_field = %s FROM %s l "
                "WHERE a.res_model = %s AND a.res_field = %s "
                "AND l.old_model = %s AND a.res_id = l.new_id",
                new_field,
                legacy,
                TARGET_MODEL,
                old_field,
                old_model,
            )
        )


def new_ids(cr, old_model):
    """old id -> new id of the rows moved from old_model."""
    if not table_exists(cr, LEGACY):
        return {}
    cr.execute(
        SQL(
            "SELECT old_id, new_id FROM %s WHERE old_model = %s",
            SQL.identifier(LEGACY),
            old_model,
        )
    )
    return dict(cr.fetchall())


def _move_tracking(cr, old_model):
    """Tracked changes of the moved actions: to the new field when the old one has
    a counterpart, else keeping the old field's name and label (``field_info``,
    what Odoo itself keeps of a removed field) instead of "Unknown"."""
    if not table_exists(cr, LEGACY_FIELDS):
        return
    moved = SQL(
        "v.mail_message_id = m.id AND m.model = %(target)s AND m.res_id = l.new_id"
        " AND l.old_model = %(old)s AND v.field_id = f.id AND f.model = %(old)s",
        target=TARGET_MODEL,
        old=old_model,
    )
    cr.execute(
        SQL(
            "UPDATE mail_tracking_value v SET field_info = jsonb_build_object("
            "'desc', COALESCE(f.field_description->>'en_US', f.name), "
            "'name', f.name, 'type', f.ttype, 'sequence', 100) "
            "FROM mail_message m, %(legacy)s l, ir_model_fields f "
            "WHERE %(moved)s AND v.field_info IS NULL",
            legacy=SQL.identifier(LEGACY),
            moved=moved,
        )
    )
    cr.execute(
        SQL(
            "UPDATE mail_tracking_value v SET field_id = n.id "
            "FROM mail_message m, %(legacy)s l, ir_model_fields f, %(fields)s k, "
            "ir_model_fields n WHERE %(moved)s AND k.old_model = %(old)s "
            "AND k.old_field = f.name AND n.model = %(target)s "
            "AND n.name = k.new_field",
            legacy=SQL.identifier(LEGACY),
            fields=SQL.identifier(LEGACY_FIELDS),
            moved=moved,
            old=old_model,
            target=TARGET_MODEL,
        )
    )


def drop_old_tables(cr, old_model, old_table, *link_tables):
    """Drop the old table (and its relation tables) once every row is moved."""
    if not table_exists(cr, old_table):
        return
    cr.execute(
        SQL(
            "SELECT count(*) FROM %s o WHERE NOT EXISTS (SELECT 1 FROM %s l "
            "JOIN mgmtsystem_action a ON a.id = l.new_id "
            "WHERE l.old_model = %s AND l.old_id = o.id)",
            SQL.identifier(old_table),
            SQL.identifier(LEGACY),
            old_model,
        )
    )
    lost = cr.fetchone()[0]
    if lost:
        raise RuntimeError(
            f"{old_table}: {lost} rows have no action after the move; "
            "the update stops and keeps them"
        )
    for table in (*link_tables, old_table):
        cr.execute(SQL("DROP TABLE IF EXISTS %s CASCADE", SQL.identifier(table)))
    _logger.info("%s: every row moved, table dropped", old_table)


def finish(env, old_model, old_table, fields_to_compute=(), link_tables=()):
    """After the models load: OCA references, stored computed fields, tracked
    fields, then the old tables go."""
    actions = env[TARGET_MODEL].browse(sorted(new_ids(env.cr, old_model).values()))
    _move_tracking(env.cr, old_model)
    drop_old_tables(env.cr, old_model, old_table, *link_tables)
    if not actions:
        return actions
    Sequence = env["ir.sequence"].sudo()
    for action in actions.filtered(lambda a: not a.reference):
        # not a protected field: OCA's reference of a new action
        action.reference = Sequence.next_by_code(TARGET_MODEL)
    names = (
        "crm_iso_state",
        "number_of_days_to_open",
        "number_of_days_to_close",
        *fields_to_compute,
    )
    for name in names:
        env.add_to_compute(actions._fields[name], actions)
    actions.flush_recordset()
    return actions
