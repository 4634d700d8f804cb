# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Run inside ``odoo shell`` by tests/test_upgrade.py (its text is the shell's
input, after ``MODE`` and ``OUT`` are set): ``MODE == "seed"`` adds records of every
model the migrations touch, then both modes write the database's fingerprint as
JSON to ``OUT``. The same code runs on every earlier state of the addons and on the
working tree: it only reads what the registry says is there.

The fingerprint, per record of every model the suite declares or extends (the
suite's own stored fields that are not computed, or that a user may set; every
such one of its own models):
its values, and per record its messages (text, tracked changes with the field's
id and name), followers, activities and attachments; the field ids of the fields
(a renamed field keeps its ``ir.model.fields`` row); the filters, server actions
and mail templates that target complaints.
"""
# ruff: noqa: F821  (env, MODE and OUT are the shell's)
# pylint: disable=undefined-variable

import hashlib
import json

from odoo.tests.common import new_test_user
from odoo.tools import html2plaintext

SUITE = ("crm_iso_complaints", "crm_iso_surveys", "crm_mall_counter")
# where the migrations move records: every stored field of theirs is compared
TARGETS = ("mgmtsystem.action", "document.page")
# values are read in the source language (the administrator may read Persian)
env = env(context={**env.context, "lang": "en_US"})


def suite_models():
    """{model: [field names]} of the suite's stored data."""
    out = {}
    for name, model in env.registry.items():
        if model._abstract or model._transient or not model._auto:
            continue
        own = model._original_module in SUITE or name in TARGETS
        stored = {
            fname: field
            for fname, field in model._fields.items()
            if field.store
            # a computed field a user may set (``readonly=False``) holds data
            and (not field.compute or not field.readonly)
            and not field.related
            and field.type != "one2many"
            and fname not in ("write_date", "write_uid")
        }
        names = [
            fname
            for fname, field in stored.items()
            if own or getattr(field, "_module", None) in SUITE
        ]
        if names:
            out[name] = sorted({*names, "id"} | ({model._rec_name} & set(stored)))
    return out


def seed():
    """Records of every kind the migrations move or rename, with chatter."""
    admin = env.ref("base.user_admin")
    groups = [
        xmlid
        for xmlid in (
            "crm_iso_complaints.group_complaint_manager",
            "crm_iso_surveys.group_survey_manager",
            "crm_mall_counter.group_mall_manager",
            "crm_mall_counter.group_action_staff",
            "mgmtsystem.group_mgmtsystem_manager",
        )
        if env.ref(xmlid, raise_if_not_found=False)
    ]
    admin.write({"group_ids": [(4, env.ref(xmlid).id) for xmlid in groups]})
    owner = new_test_user(
        env, "upg_owner", groups=",".join(["base.group_user", *groups])
    )
    follower = env["res.partner"].create({"name": "UPG follower"})
    changes = []  # tracked changes, made once the records are committed
    ticket = env.ref("crm_iso_complaints.demo_complaint_closed")

    def chatter(rec, tag):
        rec.message_post(body=f"UPG note {tag}")
        rec.message_subscribe(partner_ids=follower.ids)
        if "activity_ids" in rec._fields:
            rec.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=owner.id,
                summary=f"UPG todo {tag}",
            )
        env["ir.attachment"].create(
            {
                "name": f"UPG file {tag}",
                "res_model": rec._name,
                "res_id": rec.id,
                "raw": b"UPG",
            }
        )

    if "crm.iso.corrective.action" in env:
        for state in ("draft", "in_progress"):
            action = env["crm.iso.corrective.action"].create(
                {
                    "name": f"UPG corrective {state}",
                    "owner_id": owner.id,
                    "complaint_ids": [(6, 0, ticket.ids)],
                    "due_date": "2030-01-01",
                }
            )
            if state == "in_progress":
                action.action_start()
            changes.append((action, "due_date", "2030-02-01"))
            chatter(action, action.name)
        plan = env["crm.iso.measurement.plan"].search([], limit=1)
        action = env["crm.iso.improvement.action"].create(
            {
                "name": "UPG improvement",
                "plan_id": plan.id,
                "owner_id": owner.id,
                "kpi": "nps",
            }
        )
        action.action_approve()
        changes.append((action, "due_date", "2030-03-01"))
        chatter(action, action.name)
        template = env["crm.mall.qc.template"].create(
            {
                "name": "UPG round",
                "zone": "UPG zone",
                "item_ids": [(0, 0, {"name": "Tables clean", "answer_type": "yes_no"})],
            }
        )
        inspection = env["crm.mall.qc.inspection"].create(
            {"template_id": template.id, "zone": "UPG zone"}
        )
        action = env["crm.mall.qc.action.order"].create(
            {
                "name": "UPG qc",
                "inspection_id": inspection.id,
                "responsible_id": owner.id,
                "due_date": "2030-01-01",
                "department": "UPG",
            }
        )
        changes.append((action, "due_date", "2030-04-01"))
        chatter(action, action.name)
    else:
        action = env["mgmtsystem.action"].create(
            {
                "name": "UPG action",
                "user_id": owner.id,
                "type_action": "correction",
                "crm_iso_origin": "complaint",
                "crm_iso_complaint_ids": [(6, 0, ticket.ids)],
            }
        )
        changes.append((action, "date_deadline", "2030-02-01"))
        chatter(action, action.name)
    if "crm.mall.answer" in env:
        answer = env["crm.mall.answer"].create(
            {
                "name": "UPG answer",
                "keywords": "upg words",
                "answer": "<p>UPG text</p>",
                "approved": False,
            }
        )
        changes.append((answer, "approved", True))
        chatter(answer, answer.name)
        chatter(env.ref("crm_mall_counter.answer_parking"), "answer_parking")
    else:
        page = env["document.page"].create(
            {
                "name": "UPG answer",
                "crm_mall_keywords": "upg words",
                "parent_id": env.ref("crm_mall_counter.page_category_answers").id,
                "content": "<p>UPG text</p>",
            }
        )
        chatter(page, page.name)
    chatter(ticket, "complaint")
    severity = "severity" if "severity" in ticket._fields else "complaint_severity"
    # renamed in 19.0.2.3.0
    received = next(
        name
        for name in ("received_date", "complaint_received_date")
        if name in ticket._fields
    )
    env["ir.filters"].create(
        {
            "name": "UPG filter",
            "model_id": "helpdesk.ticket",
            "domain": repr([(severity, "!=", False), (received, "!=", False)]),
        }
    )
    env["ir.actions.server"].create(
        {
            "name": "UPG server action",
            "state": "code",
            "model_id": env["ir.model"]._get_id("helpdesk.ticket"),
            "code": f"log(str(record.{severity}) + str(record.{received}))",
        }
    )
    env.cr.commit()
    for record, name, value in changes:
        # logged the way mail's tracking logs a change
        initial = record[name]
        record[name] = value
        tracking = env["mail.tracking.value"]._create_tracking_values(
            initial, record[name], name, record.fields_get([name])[name], record
        )
        record._message_log(body="", tracking_value_ids=[(0, 0, tracking)])
    env.cr.commit()


def values(models):
    out = {}
    for model, names in models.items():
        records = env[model].with_context(active_test=False).search([], order="id")
        rows = (
            records.read([n for n in names if n != "id"], load=None) if records else []
        )
        for row in rows:
            for name, value in row.items():
                if isinstance(value, bytes | str) and len(value) > 300:
                    row[name] = (
                        "sha1:"
                        + hashlib.sha1(
                            value if isinstance(value, bytes) else value.encode()
                        ).hexdigest()
                    )
            out.update({f"{model},{row['id']}": row})
    return out


def mail(models):
    """Chatter of each record of the suite's models: messages (text, tracked
    changes), followers, activities, attachments."""
    out = {}
    threads = [m for m in models if "message_ids" in env[m]._fields]

    def entry(model, res_id):
        return out.setdefault(
            f"{model},{res_id}",
            {
                "messages": [],
                "tracking": [],
                "followers": [],
                "activities": [],
                "attachments": [],
            },
        )

    for message in env["mail.message"].search([("model", "in", threads)]):
        item = entry(message.model, message.res_id)
        item["messages"].append(html2plaintext(message.body or "").strip()[:200])
        for value in message.sudo().tracking_value_ids:
            item["tracking"].append(
                [
                    value.field_id.id,
                    value.field_id.name or False,
                    (value.field_info or {}).get("name", False),
                    value.old_value_char or value.old_value_integer or False,
                    value.new_value_char or value.new_value_integer or False,
                ]
            )
    for follower in env["mail.followers"].search([("res_model", "in", threads)]):
        entry(follower.res_model, follower.res_id)["followers"].append(
            follower.partner_id.id
        )
    for activity in env["mail.activity"].search([("res_model", "in", threads)]):
        entry(activity.res_model, activity.res_id)["activities"].append(
            activity.summary or ""
        )
    for attachment in env["ir.attachment"].search(
        [("res_model", "in", list(models)), ("res_field", "=", False)]
    ):
        entry(attachment.res_model, attachment.res_id)["attachments"].append(
            attachment.name
        )
    for item in out.values():
        for key in item:
            item[key].sort(key=repr)
    return out


def relations(models):
    """{model.field: comodel} of the relational fields fingerprinted."""
    return {
        f"{model}.{name}": env[model]._fields[name].comodel_name
        for model, names in models.items()
        for name in names
        if env[model]._fields[name].type in ("many2one", "many2many")
    }


def field_ids(models):
    Fields = env["ir.model.fields"]
    return {
        f"{field.model}.{field.name}": field.id
        for field in Fields.search([("model", "in", list(models))])
    }


def templates():
    """Each complaint mail template rendered in each installed language."""
    ticket = env.ref("crm_iso_complaints.demo_complaint_closed")
    out = {}
    for template in env["mail.template"].search([("model", "=", "helpdesk.ticket")]):
        for lang in env["res.lang"].search([]).mapped("code"):
            try:
                with env.cr.savepoint():
                    template.with_context(lang=lang)._render_field(
                        "body_html", ticket.ids
                    )
                result = "ok"
            except Exception as exc:  # noqa: BLE001  (reported, then compared)
                result = f"{type(exc).__name__}: {str(exc)[:200]}"
            out[f"{template.get_external_id()[template.id]} {lang}"] = result
    return out


def configuration():
    out = {
        "filters": {
            f.name: f.domain
            for f in env["ir.filters"]
            .with_context(active_test=False)
            .search([("model_id", "=", "helpdesk.ticket")])
        },
        "server_actions": {
            a.name: a.code or ""
            for a in env["ir.actions.server"].search(
                [("model_id.model", "=", "helpdesk.ticket"), ("state", "=", "code")]
            )
        },
        "languages": sorted(env["res.lang"].search([]).mapped("code")),
        "templates": templates(),
        "modules": {
            m.name: m.latest_version
            for m in env["ir.module.module"].search([("name", "in", SUITE)])
        },
    }
    return out


if MODE == "seed":
    seed()
MODELS = suite_models()
with open(OUT, "w", encoding="utf-8") as fh:
    json.dump(
        {
            "models": MODELS,
            "values": values(MODELS),
            "mail": mail(MODELS),
            "field_ids": field_ids(MODELS),
            "relations": relations(MODELS),
            "config": configuration(),
        },
        fh,
        default=str,
    )
print("FINGERPRINT-OK")
