# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A database of the released version (19.0.1.x) updated to this one (19.0.2.x).

- The hand-written action models (corrective actions, improvement actions, QC
  action orders) become OCA actions, each with its state, links, messages,
  followers, activities, attachments and external id.
- The complaint fields with new, specific names keep their values.
- An answer of the library becomes an OCA knowledge page with its text and chatter.
- The noupdate acknowledgement and decision mails get the tracking link.

The released version is the last landed commit before the suite depended on OCA's
management system (``PREVIOUS``): its three addons, taken with ``git archive``,
build the database in real Odoo processes; then ``-u`` with this checkout runs the
migration scripts.
"""

import json
import subprocess
import uuid

import pytest

from .conftest import REPO, crm_suite, odoo_shell

ADDONS = ("crm_iso_complaints", "crm_iso_surveys", "crm_mall_counter")
# the last landed commit before the suite's actions became OCA actions (19.0.1.x)
PREVIOUS = "fe70cfc10074807ef0e695a768b7fe9649d45d69"

PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8"
    "AAAAASUVORK5CYII="
)

# old state -> (crm_iso_state, crm_iso_effectiveness) after the move
EXPECTED = {
    "corrective": {
        "draft": ("draft", "pending"),
        "in_progress": ("open", "pending"),
        "done": ("done", "pending"),
        "cancelled": ("cancelled", "pending"),
        "effective": ("done", "effective"),
    },
    "improvement": {
        "draft": ("draft", "pending"),
        "approved": ("open", "pending"),
        "done": ("done", "pending"),
        "reviewed": ("done", "effective"),
    },
    "qc": {
        "open": ("open", "pending"),
        "done": ("done", "pending"),
        "verified": ("done", "effective"),
    },
}
ORIGINS = {"corrective": "complaint", "improvement": "satisfaction", "qc": "qc"}

# run by `odoo shell` on the released code: actions of every kind and state
CREATE_OLD = f"""
import json
from odoo.tests.common import new_test_user

PNG = {PNG!r}
owner = new_test_user(
    env, "mig_owner",
    groups="crm_iso_complaints.group_complaint_user,"
    "crm_iso_surveys.group_survey_analyst,crm_mall_counter.group_action_staff",
)
cm = new_test_user(env, "mig_cm", groups="crm_iso_complaints.group_complaint_manager")
sm = new_test_user(env, "mig_sm", groups="crm_iso_surveys.group_survey_manager")
mm = new_test_user(env, "mig_mm", groups="crm_mall_counter.group_mall_manager")
ticket = env.ref("crm_iso_complaints.demo_complaint_closed")
made = {{}}

CA = env["crm.iso.corrective.action"]
for state in {list(EXPECTED["corrective"])!r}:
    a = CA.create({{
        "name": f"MIG corrective {{state}}", "owner_id": owner.id,
        "complaint_ids": [(6, 0, ticket.ids)], "due_date": "2030-01-01",
    }})
    if state == "cancelled":
        a.action_cancel()
    elif state != "draft":
        a.action_start()
        if state in ("done", "effective"):
            a.action_done()
        if state == "effective":
            a.with_user(cm).action_effective()
    made[a.name] = ("corrective", state, a)

plan = env["crm.iso.measurement.plan"].search([], limit=1)
IA = env["crm.iso.improvement.action"]
for state in {list(EXPECTED["improvement"])!r}:
    a = IA.create({{
        "name": f"MIG improvement {{state}}", "plan_id": plan.id,
        "owner_id": owner.id, "kpi": "nps",
    }})
    if state != "draft":
        a.with_user(sm).action_approve()
    if state in ("done", "reviewed"):
        a.action_done()
    if state == "reviewed":
        a.with_user(sm).action_review()
    made[a.name] = ("improvement", state, a)

template = env["crm.mall.qc.template"].create({{
    "name": "MIG round", "zone": "MIG zone",
    "item_ids": [(0, 0, {{"name": "Tables clean", "answer_type": "yes_no"}})],
}})
inspection = env["crm.mall.qc.inspection"].create(
    {{"template_id": template.id, "zone": "MIG zone"}}
)
QA = env["crm.mall.qc.action.order"]
for state in {list(EXPECTED["qc"])!r}:
    a = QA.create({{
        "name": f"MIG qc {{state}}", "inspection_id": inspection.id,
        "responsible_id": owner.id, "due_date": "2030-01-01", "department": "MIG",
    }})
    if state != "open":
        a.write({{"evidence": "MIG evidence", "evidence_photo": PNG}})
        a.action_done()
    if state == "verified":
        a.with_user(mm).action_verify()
    made[a.name] = ("qc", state, a)

out = {{}}
for name, (kind, state, a) in made.items():
    a.message_post(body=f"MIG note {{name}}")
    a.message_subscribe(partner_ids=cm.partner_id.ids)
    a.activity_schedule(
        "mail.mail_activity_data_todo", user_id=owner.id, summary=f"MIG todo {{name}}"
    )
    env["ir.attachment"].create(
        {{"name": f"MIG file {{name}}", "res_model": a._name, "res_id": a.id,
          "raw": b"MIG"}}
    )
    out[name] = {{
        "kind": kind, "state": state, "old_id": a.id,
        "complaints": sorted(getattr(a, "complaint_ids", a.browse()).ids),
        "messages": len(a.message_ids),
        "followers": sorted(a.message_partner_ids.ids),
        "owner": (getattr(a, "owner_id", None) or a.responsible_id).id,
    }}
# the same update renames the complaint's fields and moves the answer library
c = env.ref("crm_iso_complaints.demo_complaint_closed")
out["__complaint__"] = [
    c.id, c.severity, c.impact, c.complexity, c.is_eligible, c.remedy, c.response,
    c.findings, c.root_cause_id.id, c.policy_id.id, len(c.event_ids),
]
answer = env["crm.mall.answer"].create({{
    "name": "MIG answer", "keywords": "mig words", "answer": "<p>MIG text</p>",
    "approved": True,
}})
answer.message_post(body="MIG answer note")
out["__answer__"] = [answer.name, answer.keywords, True]
env.cr.commit()
print("OLD" + json.dumps(out))
"""

# run by `odoo shell` on this checkout, after the update
READ_NEW = """
import json
out = {}
for a in env["mgmtsystem.action"].search([("name", "=like", "MIG %")]):
    out.setdefault(a.name, []).append({
        "id": a.id,
        "origin": a.crm_iso_origin,
        "state": a.crm_iso_state,
        "effectiveness": a.crm_iso_effectiveness,
        "stage": a.stage_id.get_external_id()[a.stage_id.id],
        "type": a.type_action,
        "reference": a.reference,
        "complaints": sorted(a.crm_iso_complaint_ids.ids),
        "messages": len(a.message_ids),
        "note": any(f"MIG note {a.name}" in (m.body or "") for m in a.message_ids),
        "followers": sorted(a.message_partner_ids.ids),
        "activities": a.activity_ids.mapped("summary"),
        "attachments": env["ir.attachment"].search(
            [("res_model", "=", a._name), ("res_id", "=", a.id)]
        ).mapped("name"),
        "photo": bool(a.crm_mall_evidence_photo),
        "owner": a.user_id.id,
        "zone": a.crm_mall_zone or False,
        "done": bool(a.crm_iso_done_date),
        "date_open": bool(a.date_open),
        "date_closed": bool(a.date_closed),
    })
c = env.ref("crm_iso_complaints.demo_complaint_closed")
out["__complaint__"] = [
    c.id, c.complaint_severity, c.complaint_impact, c.complaint_complexity,
    c.is_eligible_complaint, c.complaint_remedy, c.complaint_response,
    c.complaint_investigation_findings, c.complaint_root_cause_id.id,
    c.complaint_policy_id.id, len(c.complaint_event_ids),
]
page = env["document.page"].search([("name", "=", "MIG answer")])
out["__answer__"] = [
    page.name, page.crm_mall_keywords, page.crm_mall_approved,
] if len(page) == 1 and "MIG text" in (page.content or "") and any(
    "MIG answer note" in (m.body or "") for m in page.message_ids
) else [len(page)]
out["__answer_model__"] = env["ir.model"].search_count(
    [("model", "=", "crm.mall.answer")]
)
demo = env.ref("crm_iso_complaints.demo_corrective_action")
out["__demo__"] = [demo._name, demo.crm_iso_origin, demo.crm_iso_state]
out["__old_models__"] = env["ir.model"].search_count(
    [("model", "in", ("crm.iso.corrective.action", "crm.iso.improvement.action",
                      "crm.mall.qc.action.order"))]
)
out["__tracking_link__"] = [
    "crm_iso_tracking_url" in (env.ref(f"crm_iso_complaints.{name}").body_html or "")
    for name in (
        "mail_template_complaint_acknowledgement", "mail_template_complaint_decision"
    )
]
print("NEW" + json.dumps(out))
"""


def _payload(out, tag):
    line = next(line for line in out.splitlines() if line.startswith(tag))
    return json.loads(line[len(tag) :])


@pytest.fixture(scope="module")
def previous_tree(tmp_path_factory):
    """The three addons of the released version, from git."""
    target = tmp_path_factory.mktemp("previous_addons")
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", "--format=tar", PREVIOUS, *ADDONS],
        capture_output=True,
        check=False,
    )
    if archive.returncode:
        pytest.fail(f"{PREVIOUS} is not in this clone: {archive.stderr[:200]!r}")
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    return target


def _errors(log_file):
    return [
        line
        for line in log_file.read_text(encoding="utf-8").splitlines()
        if " ERROR " in line or " CRITICAL " in line
    ]


@pytest.fixture
def fresh_db(suite, old_dependencies_template):
    """A copy of the template of the released addons' dependencies, the
    upgrade test's (a template of this version's would already hold OCA's
    management system)."""
    db = f"crm_iso_mig_{uuid.uuid4().hex[:10]}"
    suite.copy_db(old_dependencies_template, db)
    yield db
    suite.drop_db(db)


def test_update_moves_actions_fields_and_answers(suite, fresh_db, previous_tree):
    db = fresh_db
    old_conf = suite.write_conf(f"migrate-old-{db}", db)
    old_conf.write_text(
        old_conf.read_text(encoding="utf-8").replace(
            f"addons_path = {REPO}\n", f"addons_path = {previous_tree}\n"
        ),
        encoding="utf-8",
    )
    logs = crm_suite.STATE / "logs"
    suite.odoo(
        old_conf,
        "-i",
        ",".join(ADDONS),
        "--stop-after-init",
        "--no-http",
        log_file=logs / "migrate-actions-old.log",
    )
    old = _payload(odoo_shell(suite, db, CREATE_OLD, conf=old_conf), "OLD")
    complaint, answer = old.pop("__complaint__"), old.pop("__answer__")
    assert len(old) == sum(len(states) for states in EXPECTED.values())

    conf = suite.write_conf(f"migrate-new-{db}", db)
    suite.odoo(
        conf,
        "-u",
        ",".join(ADDONS),
        "--stop-after-init",
        "--no-http",
        log_file=logs / "migrate-actions-update.log",
    )
    assert _errors(logs / "migrate-actions-update.log") == []
    new = _payload(odoo_shell(suite, db, READ_NEW), "NEW")

    assert new.pop("__old_models__") == 0, "the hand-written models are gone"
    # noupdate mail templates get the tracking link (19.0.2.1.0 post-migration)
    assert new.pop("__tracking_link__") == [True, True]
    assert new.pop("__demo__") == ["mgmtsystem.action", "complaint", "open"]
    # the renamed complaint fields keep their values (pre-rename-ticket-fields)
    assert complaint[1] and complaint[5] and complaint[8], "the demo was assessed"
    assert new.pop("__complaint__") == complaint
    # an answer of the library is a knowledge page with its text and chatter
    new_answer = new.pop("__answer__")
    assert new_answer == answer
    assert new.pop("__answer_model__") == 0
    assert set(new) == set(old)
    for name, before in old.items():
        (after,) = new[name]
        kind, state = before["kind"], before["state"]
        assert after["origin"] == ORIGINS[kind], name
        assert (after["state"], after["effectiveness"]) == EXPECTED[kind][state], name
        assert after["type"] == (
            "improvement" if kind == "improvement" else "correction"
        )
        assert after["reference"], name
        assert after["owner"] == before["owner"], name
        assert after["complaints"] == before["complaints"], name
        assert after["messages"] >= before["messages"] and after["note"], name
        assert set(before["followers"]) <= set(after["followers"]), name
        assert after["activities"] == [f"MIG todo {name}"], name
        assert f"MIG file {name}" in after["attachments"], name
        assert after["date_open"] == (after["state"] != "draft"), name
        assert after["date_closed"] == (after["state"] in ("done", "cancelled")), name
        if kind == "qc":
            assert after["zone"] == "MIG zone", name
            assert after["photo"] == (state != "open"), name
            assert after["done"] == (state != "open"), name
    # a second update finds nothing more to move
    suite.odoo(
        conf,
        "-u",
        "crm_iso_complaints",
        "--stop-after-init",
        "--no-http",
        log_file=logs / "migrate-actions-again.log",
    )
    again = _payload(odoo_shell(suite, db, READ_NEW), "NEW")
    assert again["__answer__"] == new_answer
    assert {
        name: len(rows) for name, rows in again.items() if name in old
    } == dict.fromkeys(old, 1)
