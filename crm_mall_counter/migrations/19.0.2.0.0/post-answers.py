# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Answer library: every ``crm.mall.answer`` becomes a knowledge page.

Each old answer becomes a ``document.page`` under the "Mall counter answers"
category with its title, keywords, approval, company and active flag; its
messages and attachments follow it. The old fields were translated (jsonb):
the page holds the source (en_US) text, followed by each other language's
title and answer where it differs, in a section marked with its language (a
knowledge page has one content; nothing a counter agent searched for is lost).
Keywords of every language are kept, one list. The external ids set aside by
pre-answers.py point to the new pages; when the demo data of this version
already created the page (demo databases), that page takes the old answer's
text, the one users may have edited, as its current version. Messages,
attachments, activities, followers and tracked changes follow. The old table is
dropped last, once every answer has its page.
"""

import logging

from markupsafe import Markup

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL, sql

_logger = logging.getLogger(__name__)
TABLE = "crm_mall_answer"
SOURCE = "en_US"
COLUMNS = (
    "id",
    "name",
    "keywords",
    "answer",
    "approved",
    "active",
    "company_id",
    "create_uid",
    "create_date",
    "crm_legacy_xmlid",
)


def _text(value, lang=SOURCE):
    """A translated column's value in ``lang`` (jsonb), or the plain value."""
    if isinstance(value, dict):
        return value.get(lang) or value.get(SOURCE) or next(iter(value.values()), "")
    return value or ""


def page_content(name, answer):
    """The source answer, then each other language's differing version."""
    parts = [Markup(_text(answer))]
    if isinstance(answer, dict):
        for lang in sorted(set(answer) - {SOURCE}):
            title, text = _text(name, lang), _text(answer, lang)
            if text and text != _text(answer):
                parts.append(
                    Markup('<section lang="%s"><h3>%s</h3>%s</section>')
                    % (lang.replace("_", "-"), title, Markup(text))
                )
    return Markup("").join(parts)


def page_keywords(keywords):
    """Every language's keywords, each word once, in their first order."""
    values = keywords.values() if isinstance(keywords, dict) else [keywords or ""]
    words = []
    for value in values:
        words += [w for w in (value or "").split() if w not in words]
    return " ".join(words)


def _make_current(env, page, content):
    """The migrated text becomes the page's current version, whatever version
    the demo data (or an earlier run) left on top."""
    history = env["document.page.history"].search(
        [("page_id", "=", page.id), ("content", "=", content)], limit=1
    ) or env["document.page.history"].create(
        {
            "page_id": page.id,
            "name": "1.0",
            "summary": "Migrated from the answer library",
            "content": content,
        }
    )
    env.flush_all()
    env.cr.execute(
        SQL(
            "UPDATE document_page SET history_head = %s WHERE id = %s",
            history.id,
            page.id,
        )
    )
    page.invalidate_recordset()


def _move_linked(cr, moved):
    """Messages, attachments, activities, followers and tracked changes follow
    each answer to its page (a partner already following the page keeps one
    subscription)."""
    for old_id, page_id in moved.items():
        for table, model_column in (
            ("mail_message", "model"),
            ("ir_attachment", "res_model"),
            ("mail_activity", "res_model"),
        ):
            cr.execute(
                SQL(
                    "UPDATE %s SET %s = 'document.page', res_id = %s"
                    " WHERE %s = 'crm.mall.answer' AND res_id = %s",
                    SQL.identifier(table),
                    SQL.identifier(model_column),
                    page_id,
                    SQL.identifier(model_column),
                    old_id,
                )
            )
        cr.execute(
            SQL(
                "UPDATE mail_followers f SET res_model = 'document.page',"
                " res_id = %(page)s WHERE f.res_model = 'crm.mall.answer'"
                " AND f.res_id = %(old)s AND NOT EXISTS (SELECT 1 FROM"
                " mail_followers p WHERE p.res_model = 'document.page'"
                " AND p.res_id = %(page)s AND p.partner_id = f.partner_id)",
                page=page_id,
                old=old_id,
            )
        )
    cr.execute(
        "UPDATE mail_activity SET res_model_id = (SELECT id FROM ir_model"
        " WHERE model = 'document.page') WHERE res_model = 'document.page'"
    )
    # what is left are partners who already follow the page
    cr.execute("DELETE FROM mail_followers WHERE res_model = 'crm.mall.answer'")
    cr.execute(
        SQL(
            "UPDATE mail_tracking_value v SET field_id = n.id FROM ir_model_fields"
            " o, ir_model_fields n WHERE v.field_id = o.id"
            " AND o.model = 'crm.mall.answer' AND n.model = 'document.page'"
            " AND n.name = CASE o.name WHEN 'keywords' THEN 'crm_mall_keywords'"
            " WHEN 'approved' THEN 'crm_mall_approved' ELSE o.name END"
        )
    )


def migrate(cr, version):
    if not version or not sql.table_exists(cr, TABLE):
        return
    env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
    # what this database's answers have (an older state may lack a column)
    columns = [
        SQL("%s", SQL.identifier(column))
        if sql.column_exists(cr, TABLE, column)
        else SQL("NULL AS %s", SQL.identifier(column))
        for column in COLUMNS
    ]
    cr.execute(
        SQL(
            "SELECT %s FROM %s ORDER BY id",
            SQL(", ").join(columns),
            SQL.identifier(TABLE),
        )
    )
    rows = cr.dictfetchall()
    category = env.ref("crm_mall_counter.page_category_answers")
    Page, Data = env["document.page"], env["ir.model.data"]
    moved = {}
    for row in rows:
        xmlid = row["crm_legacy_xmlid"]
        values = {
            "name": _text(row["name"]) or f"Answer {row['id']}",
            "parent_id": category.id,
            "crm_mall_keywords": page_keywords(row["keywords"]),
            "crm_mall_approved": bool(row["approved"]),
            "active": row["active"] is not False,
            "company_id": row["company_id"],
        }
        page = env.ref(f"{xmlid['module']}.{xmlid['name']}", False) if xmlid else None
        if page and page._name == "document.page":
            page.write(values)
        else:
            page = Page.create(values)
            if xmlid:
                Data.create(
                    {
                        "module": xmlid["module"],
                        "name": xmlid["name"],
                        "model": "document.page",
                        "res_id": page.id,
                        "noupdate": xmlid["noupdate"],
                    }
                )
        _make_current(env, page, page_content(row["name"], row["answer"]))
        moved[row["id"]] = page.id
        env.flush_all()
        cr.execute(
            SQL(
                "UPDATE document_page SET create_uid = %s, create_date = %s"
                " WHERE id = %s",
                row["create_uid"],
                row["create_date"],
                page.id,
            )
        )
    _move_linked(cr, moved)
    if len(moved) != len(rows):
        raise RuntimeError("answer library: some answers have no page; kept")
    cr.execute(SQL("DROP TABLE %s CASCADE", SQL.identifier(TABLE)))
    env.invalidate_all()
    _logger.info("answer library: %s answers moved to knowledge pages", len(rows))
