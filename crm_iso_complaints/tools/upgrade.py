# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Helpers of the suite's migration scripts (``migrations/<version>/*.py``).

A migration meets whatever schema the database has: the same version was carried
by several schemas (main kept 19.0.1.0.0 through three of them), and an update may
have stopped half-way (Odoo commits module by module). Every helper here reads
what is there first and can run again without harm.
"""

import json
import re

from odoo.tools import SQL, sql

# Where stored configuration names a field of a model: (table, model column,
# columns, expression prefixes that introduce a field name in those columns).
# Mail templates render ``object.<field>``, server actions run ``record.<field>``,
# filters and views name fields in quotes.
_TEMPLATE_COLUMNS = ("subject", "body_html", "email_to", "email_cc", "partner_to")


def table_exists(cr, table):
    return sql.table_exists(cr, table)


def column_exists(cr, table, column):
    return sql.table_exists(cr, table) and sql.column_exists(cr, table, column)


def is_table(cr, table):
    """A real table (a report's model may have none, or be a view)."""
    return sql.table_kind(cr, table) == sql.TableKind.Regular


def rename_xmlids(cr, old_prefix, new_prefix):
    """xmlids of the suite's addons named ``old_prefix`` or ``old_prefix__...``
    (a field's, its selection values') renamed to ``new_prefix``; idempotent."""
    cr.execute(
        SQL(
            "UPDATE ir_model_data SET name = %s || substr(name, %s) "
            "WHERE module LIKE 'crm\\_%%' AND (name = %s OR name LIKE %s)",
            new_prefix,
            len(old_prefix) + 1,
            old_prefix,
            old_prefix.replace("_", "\\_") + "\\_\\_%",
        )
    )


def _rewrite(value, pattern, renames):
    """``value`` (text, or a jsonb dict of every language) with old names
    replaced; None when nothing changed."""
    if isinstance(value, dict):
        new = {lang: _rewrite(text, pattern, renames) for lang, text in value.items()}
        if not any(text is not None for text in new.values()):
            return None
        return json.dumps(
            {
                lang: text if new[lang] is None else new[lang]
                for lang, text in value.items()
            }
        )
    if not isinstance(value, str):
        return None
    text = pattern.sub(lambda match: match[1] + renames[match[2]] + match[3], value)
    return text if text != value else None


def _rewrite_rows(cr, table, columns, where, pattern, renames):
    present = [c for c in columns if column_exists(cr, table, c)]
    if not present:
        return 0
    cr.execute(
        SQL(
            "SELECT id, %s FROM %s WHERE %s",
            SQL(", ").join(SQL.identifier(c) for c in present),
            SQL.identifier(table),
            where,
        )
    )
    changed = 0
    for row in cr.fetchall():
        updates = {
            column: new
            for column, value in zip(present, row[1:], strict=True)
            if (new := _rewrite(value, pattern, renames)) is not None
        }
        if not updates:
            continue
        cr.execute(
            SQL(
                "UPDATE %s SET %s WHERE id = %s",
                SQL.identifier(table),
                SQL(", ").join(
                    SQL("%s = %s", SQL.identifier(column), value)
                    for column, value in updates.items()
                ),
                row[0],
            )
        )
        changed += 1
    return changed


def rename_field_references(cr, model, renames):
    """Rewrite what stored configuration says about renamed fields of ``model``.

    In every installed language (translated columns are jsonb): mail templates
    (``object.<old>``), server actions (``record.<old>``/``records.<old>``),
    saved filters and the views users made (``'<old>'``, ``"<old>"``, a dotted
    path, a group-by or a sort starting with it; a module's views are reloaded
    from its files), export lists (``<old>``, ``<old>/...``). Run
    before the addon loads: Odoo re-renders templates and re-checks views against
    the new fields. Idempotent. Returns the number of records rewritten.
    """
    names = "|".join(re.escape(old) for old in sorted(renames, key=len, reverse=True))
    dotted = re.compile(rf"(\b(?:object|record|records)\.)({names})(\b)")
    # 'name', "name", a dotted path, a group-by "name:month", a sort "name desc"
    quoted = re.compile(rf"""(['"])({names})(['".: ])""")
    changed = _rewrite_rows(
        cr,
        "mail_template",
        _TEMPLATE_COLUMNS,
        SQL("model = %s", model),
        dotted,
        renames,
    )
    changed += _rewrite_rows(
        cr,
        "ir_act_server",
        ("code",),
        SQL("model_id IN (SELECT id FROM ir_model WHERE model = %s)", model),
        dotted,
        renames,
    )
    changed += _rewrite_rows(
        cr,
        "ir_exports_line",
        ("name",),
        SQL("export_id IN (SELECT id FROM ir_exports WHERE resource = %s)", model),
        re.compile(rf"^()({names})(/|$)"),
        renames,
    )
    changed += _rewrite_rows(
        cr,
        "ir_filters",
        ("domain", "context", "sort"),
        SQL("model_id = %s", model),
        quoted,
        renames,
    )
    users_own = SQL(
        "NOT EXISTS (SELECT 1 FROM ir_model_data d WHERE d.model = 'ir.ui.view'"
        " AND d.res_id = ir_ui_view.id AND d.module != '__export__')"
    )
    changed += _rewrite_rows(
        cr,
        "ir_ui_view",
        ("arch_db",),
        SQL("model = %s AND %s", model, users_own),
        quoted,
        renames,
    )
    return changed


def rename_method_references(cr, model, renames):
    """Server actions and scheduled actions of ``model`` whose code calls a
    renamed method (``model.<old>``, ``record.<old>``, ``records.<old>``), rewritten
    before the addon loads. Idempotent. Returns the number of actions rewritten."""
    names = "|".join(re.escape(old) for old in sorted(renames, key=len, reverse=True))
    return _rewrite_rows(
        cr,
        "ir_act_server",
        ("code",),
        SQL("model_id IN (SELECT id FROM ir_model WHERE model = %s)", model),
        re.compile(rf"(\b(?:model|record|records)\.)({names})(\b)"),
        renames,
    )
