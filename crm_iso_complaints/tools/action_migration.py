# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Move the suite's hand-written action models into OCA's ``mgmtsystem.action``.

Used by the ``migrations/19.0.2.0.0/{pre,post}-actions.py`` scripts of the three
addons (databases of 19.0.1.x: corrective actions, improvement actions and QC action
orders in tables of their own).

``pre``: before the addon's models load, the extension columns the rows need are
added to ``mgmtsystem_action`` (Odoo then finds them with the right types), the rows
are copied, and the old id -> new id of every row is kept in
``crm_iso_action_legacy`` (a log of the move, left in the database). Messages,
followers, activities, attachments and external ids (demo records) follow their
record. ``post``: the OCA reference, the stored computed fields and the links that
need tables Odoo creates itself (the complaints' many2many).

The old tables stay until Odoo drops the removed models at the end of the update.
"""

from odoo.tools import SQL

TARGET_MODEL = "mgmtsystem.action"
LEGACY = "crm_iso_action_legacy"


def table_exists(cr, table):
    cr.execute(
        SQL("SELECT 1 FROM pg_class WHERE relname = %s AND relkind = 'r'", table)
    )
    return bool(cr.fetchone())


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


def move_rows(cr, origin, old_model, old_table, values, attachment_fields=None):
    """Copy the rows of ``old_table`` into mgmtsystem_action.

    ``values``: ``{column of mgmtsystem_action: SQL expression over the old row o}``.
    Return the number of rows moved (0 when the old table is gone: already moved).
    """
    if not table_exists(cr, old_table):
        return 0
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


def finish(env, old_model, fields_to_compute=()):
    """After the models load: OCA references and stored computed fields."""
    actions = env[TARGET_MODEL].browse(sorted(new_ids(env.cr, old_model).values()))
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
