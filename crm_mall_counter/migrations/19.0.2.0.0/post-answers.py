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
text, the one users may have edited. The old table is dropped last.
"""

import logging

from markupsafe import Markup

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL, sql

_logger = logging.getLogger(__name__)
TABLE = "crm_mall_answer"
SOURCE = "en_US"


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


def migrate(cr, version):
    if not version or not sql.table_exists(cr, TABLE):
        return
    env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
    legacy = sql.column_exists(cr, TABLE, "crm_legacy_xmlid")
    cr.execute(
        SQL(
            "SELECT id, name, keywords, answer, approved, active, company_id,"
            " create_uid, create_date, %s FROM %s ORDER BY id",
            SQL("crm_legacy_xmlid") if legacy else SQL("NULL"),
            SQL.identifier(TABLE),
        )
    )
    rows = cr.dictfetchall()
    category = env.ref("crm_mall_counter.page_category_answers")
    Page, Data = env["document.page"], env["ir.model.data"]
    for row in rows:
        xmlid = row["crm_legacy_xmlid"]
        values = {
            "name": _text(row["name"]) or f"Answer {row['id']}",
            "parent_id": category.id,
            "crm_mall_keywords": page_keywords(row["keywords"]),
            "crm_mall_approved": bool(row["approved"]),
            "active": row["active"] is not False,
            "company_id": row["company_id"],
            "draft_name": "1.0",
            "draft_summary": "Migrated from the answer library",
            "content": page_content(row["name"], row["answer"]),
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
        for table, model_column in (
            ("mail_message", "model"),
            ("ir_attachment", "res_model"),
        ):
            cr.execute(
                SQL(
                    "UPDATE %s SET %s = 'document.page', res_id = %s"
                    " WHERE %s = 'crm.mall.answer' AND res_id = %s",
                    SQL.identifier(table),
                    SQL.identifier(model_column),
                    page.id,
                    SQL.identifier(model_column),
                    row["id"],
                )
            )
    cr.execute("DELETE FROM mail_followers WHERE res_model = 'crm.mall.answer'")
    cr.execute(SQL("DROP TABLE %s CASCADE", SQL.identifier(TABLE)))
    env.invalidate_all()
    _logger.info("answer library: %s answers moved to knowledge pages", len(rows))
