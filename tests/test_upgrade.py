# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Every earlier state of main upgrades to the working tree, in Persian, with
nothing lost (issue #31).

Starting points: the commits named in ``NAMED`` (main carried 19.0.1.0.0 through
several schemas) and, found in git history, the last commit of every earlier
version of the manifests (so a new release adds its predecessor by itself). Each
one, taken with ``git archive``, is installed with demo data into a copy of a
template database holding the dependencies those states share (with Persian);
``upgrade_fingerprint.py`` adds records of every model the migrations touch
(actions, answers, complaints with notes, followers, activities, attachments,
tracked changes, a saved filter and a server action naming a renamed field) and
takes a fingerprint; ``-u`` with the working tree upgrades it; a second fingerprint
is compared with the first, mapping renamed fields (their ``ir.model.fields`` row
keeps its id) and moved records (the migrations' logs); then the moved records,
their chatter and the renamed fields are read over the real HTTP API.

The clone must hold the full history (``git clone`` of a repository does): a
starting point that git cannot give fails the test, it never skips.
"""

import collections
import contextlib
import importlib.metadata
import json
import re
import socket
import subprocess
import sys
import time
import uuid

import pytest
import requests

from .conftest import LANGUAGES, REPO, crm_suite, odoo_shell

# the addons every earlier state carries (crm_iso_complaints_merge, a bridge
# added in 19.0.2.3.0, installs only beside helpdesk_mgmt_merge)
ADDONS = ("crm_iso_complaints", "crm_iso_surveys", "crm_mall_counter")
# main carried 19.0.1.0.0 through three schemas (issue #31)
NAMED = ("e8e8c27", "f4040e1", "fe70cfc")
FINGERPRINT = (REPO / "tests" / "upgrade_fingerprint.py").read_text(encoding="utf-8")
# answers became knowledge pages: old field -> page field
ANSWER_FIELDS = {
    "name": "name",
    "keywords": "crm_mall_keywords",
    "approved": "crm_mall_approved",
    "company_id": "company_id",
    "active": "active",
}
# stored data that an upgrade changes on purpose, and why
TRANSFORMED = {
    "crm.mall.kiosk.device.token": "kept as its SHA-256 (token_hash) only",
    "crm.iso.corrective.action.state": "becomes the OCA stage and crm_iso_state",
    "crm.iso.improvement.action.state": "becomes the OCA stage and crm_iso_state",
    "crm.mall.qc.action.order.state": "becomes the OCA stage and crm_iso_state",
    "crm.iso.corrective.action.effectiveness": "pending when it was empty",
    "crm.mall.answer.answer": "the page's content (checked by text)",
    "crm.mall.answer.keywords": "every language's keywords in one list",
}
# figures derived from other records, recomputed by the upgrade (19.0.1.0.1: per
# company, from the survey responses)
RECOMPUTED = ("res.partner.crm_iso_",)
MOVED_MODELS = (
    "crm.iso.corrective.action",
    "crm.iso.improvement.action",
    "crm.mall.qc.action.order",
    "crm.mall.answer",
)
TIMINGS = []


def git(*args, text=True):
    return subprocess.run(
        ["git", "-C", str(REPO), *args], capture_output=True, text=text, check=False
    )


def versions_at(commit):
    out = []
    for addon in ADDONS:
        shown = git("show", f"{commit}:{addon}/__manifest__.py")
        match = re.search(r"""["']version["']\s*:\s*["']([^"']+)""", shown.stdout)
        out.append(match[1] if match else None)
    return tuple(out)


def starting_points():
    """(commit, label): the named commits, then the last commit of each earlier
    version of the manifests (first-parent history)."""
    if git("rev-parse", "--is-shallow-repository").stdout.strip() == "true":
        return [("shallow", "a shallow clone: fetch the full history")]
    commits = git(
        "log",
        "--first-parent",
        "--format=%H",
        "--",
        *(f"{addon}/__manifest__.py" for addon in ADDONS),
    ).stdout.split()
    points = {git("rev-parse", c).stdout.strip(): c for c in NAMED}
    current = versions_at("HEAD")
    for commit in commits:
        parent = git("rev-parse", "-q", "--verify", f"{commit}^").stdout.strip()
        if not parent:
            continue
        before, after = versions_at(parent), versions_at(commit)
        if before != after and before != current and None not in before:
            points.setdefault(parent, parent[:7])
    return [
        (sha, f"{label} ({'/'.join(versions_at(sha))})")
        for sha, label in sorted(
            points.items(),
            key=lambda item: int(git("log", "-1", "--format=%ct", item[0]).stdout),
        )
    ]


POINTS = starting_points()


def _missing_requirements(commit):
    """Requirements of that state that this Python lacks."""
    text = git("show", f"{commit}:requirements.txt").stdout
    missing = []
    for line in text.splitlines():
        line = line.split("#")[0].strip()
        name = re.split(r"[<>=!~\[; ]", line, maxsplit=1)[0] if line else ""
        if not name:
            continue
        try:
            importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            missing.append(line)
    return missing


def _extract(commit, target):
    archive = git("archive", "--format=tar", commit, *ADDONS, text=False)
    if archive.returncode:
        pytest.fail(
            f"git cannot give {commit} ({archive.stderr[:200]!r}): the upgrade "
            "test needs the full history of main (git clone, not --depth)"
        )
    target.mkdir(parents=True)
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    return target


def _conf(suite, db, addons_path, tag):
    conf = suite.write_conf(f"upgrade-{tag}-{db}", db)
    conf.write_text(
        conf.read_text(encoding="utf-8").replace(
            f"addons_path = {REPO}\n", f"addons_path = {addons_path}\n"
        ),
        encoding="utf-8",
    )
    return conf


def _problems(log_file):
    return [
        line
        for line in log_file.read_text(encoding="utf-8").splitlines()
        if " ERROR " in line
        or " CRITICAL " in line
        or "demo data failed to install" in line
    ]


def _odoo(suite, conf, log_file, *args):
    res = suite.odoo(
        conf, *args, "--stop-after-init", "--no-http", log_file=log_file, check=False
    )
    problems = _problems(log_file)
    assert res.returncode == 0 and not problems, (
        f"odoo {' '.join(args)} failed (see {log_file}):\n" + "\n".join(problems[:20])
    )


def _fingerprint(suite, db, conf, mode, path):
    code = f"MODE = {mode!r}\nOUT = {str(path)!r}\n{FINGERPRINT}"
    out = odoo_shell(suite, db, code, conf=conf)
    assert "FINGERPRINT-OK" in out, out[-3000:]
    return json.loads(path.read_text(encoding="utf-8"))


def _moves(suite, db):
    """(old model, old id) -> new id, and (old model, old field) -> new field,
    from the action migration's logs."""
    ids, fields = {}, {}
    if suite.psql("SELECT to_regclass('crm_iso_action_legacy') IS NOT NULL", db) == "t":
        rows = suite.psql(
            "SELECT old_model, old_id, new_id FROM crm_iso_action_legacy", db
        )
        for row in rows.splitlines():
            model, old, new = row.split("|")
            ids[(model, int(old))] = int(new)
        rows = suite.psql(
            "SELECT old_model, old_field, new_field FROM crm_iso_action_legacy_field",
            db,
        )
        for row in rows.splitlines():
            model, old, new = row.split("|")
            fields[(model, old)] = new
    return ids, fields


class Mapper:
    """Where a record and a field of the earlier state are after the upgrade."""

    def __init__(self, before, after, ids, fields):
        self.before, self.after = before, after
        self.moved_ids, self.moved_fields = ids, fields
        by_id = {fid: key for key, fid in after["field_ids"].items()}
        self.renamed = {
            key: by_id[fid] for key, fid in before["field_ids"].items() if fid in by_id
        }
        pages = {
            row["name"]: row["id"]
            for key, row in after["values"].items()
            if key.startswith("document.page,")
        }
        for key, row in before["values"].items():
            if key.startswith("crm.mall.answer,") and row.get("name") in pages:
                self.moved_ids[("crm.mall.answer", row["id"])] = pages[row["name"]]

    def value(self, qualified, value):
        """A relational value of the earlier state, its moved records mapped."""
        comodel = self.before.get("relations", {}).get(qualified)
        moved = self.moved_ids if comodel in MOVED_MODELS else {}

        def new(res_id):
            return moved.get((comodel, res_id), res_id)

        return sorted(map(new, value)) if isinstance(value, list) else new(value)

    def record(self, key):
        model, res_id = key.split(",")
        if model in self.after["models"]:
            return key
        new_id = self.moved_ids.get((model, int(res_id)))
        target = "document.page" if model == "crm.mall.answer" else "mgmtsystem.action"
        return f"{target},{new_id}" if new_id else None

    def field(self, model, name):
        """The field's new name on the record's new model, or None."""
        if model in MOVED_MODELS and name in ("create_uid", "create_date"):
            return name
        if model == "crm.mall.answer":
            return ANSWER_FIELDS.get(name)
        if (model, name) in self.moved_fields:
            return self.moved_fields[(model, name)]
        if model not in self.after["models"]:
            return None
        key = self.renamed.get(f"{model}.{name}")
        return key.rsplit(".", 1)[1] if key and key.startswith(f"{model}.") else None


def compare_values(before, after, mapper, lost, counts):
    """Every record of the earlier state is there, with its values."""
    for key, row in before["values"].items():
        model = key.split(",")[0]
        new_key = mapper.record(key)
        if not new_key or new_key not in after["values"]:
            lost.append(f"record {key} is gone")
            continue
        counts["records"] += 1
        new_row = after["values"][new_key]
        for name, value in row.items():
            qualified = f"{model}.{name}"
            if name == "id" or qualified in TRANSFORMED:
                continue
            if qualified.startswith(RECOMPUTED):
                counts["recomputed values"] += 1
                continue
            new_name = mapper.field(model, name)
            if new_name is None or new_name not in new_row:
                if value not in (False, None, "", [], 0):
                    lost.append(f"{key}.{name} = {value!r}: no field after")
                continue
            counts["values"] += 1
            counts["renamed values"] += name != new_name
            value, after_value = mapper.value(qualified, value), new_row[new_name]
            if isinstance(after_value, list):
                after_value = sorted(after_value)
            if after_value != value and value not in (False, None, "", []):
                lost.append(f"{key}.{name}: {value!r} -> {after_value!r}")


def compare_tracking(model, key, item, new_item, mapper, lost, counts):
    """Each tracked change is there, on the field that follows the rename or
    the move (never an unknown field)."""
    for _field_id, name, _info, old, new in item["tracking"]:
        counts["tracking values"] += 1
        want = mapper.field(model, name) if name else None
        found = [t for t in new_item["tracking"] if t[3] == old and t[4] == new]
        if not found:
            lost.append(f"tracked change {name} {old}->{new} of {key} lost")
        elif want and not any(t[1] == want for t in found):
            lost.append(
                f"tracked change of {key}: field {name} -> "
                f"{[t[1] or t[2] for t in found]}, expected {want}"
            )
        elif not want and not any(t[1] or t[2] for t in found):
            lost.append(f"tracked change of {key}: field {name} unknown")
        counts["tracking values moved or renamed"] += bool(want and want != name)


def compare_mail(before, after, mapper, lost, counts):
    """Messages, followers, activities, attachments, tracked changes."""
    for key, item in before["mail"].items():
        new_key = mapper.record(key)
        new_item = after["mail"].get(new_key) if new_key else None
        if new_item is None:
            if any(item.values()):
                lost.append(f"chatter of {key}: gone")
            continue
        for part in ("messages", "followers", "activities", "attachments"):
            missing = collections.Counter(map(repr, item[part])) - collections.Counter(
                map(repr, new_item[part])
            )
            counts[part] += len(item[part])
            if missing:
                lost.append(f"{part} of {key} lost: {sorted(missing)[:5]}")
        compare_tracking(key.split(",")[0], key, item, new_item, mapper, lost, counts)


def compare(before, after, mapper):
    """Every difference that loses something, as readable lines; and what was
    compared (counts)."""
    lost, counts = [], collections.Counter()
    compare_values(before, after, mapper, lost, counts)
    compare_mail(before, after, mapper, lost, counts)
    return lost, counts


@contextlib.contextmanager
def server(suite, conf):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log_file = crm_suite.STATE / "logs" / f"upgrade-http-{port}.log"
    with open(log_file, "w", encoding="utf-8") as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "odoo",
                "-c",
                str(conf),
                f"--http-port={port}",
                "--max-cron-threads=0",
            ],
            env=suite.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        # /web/health answers a plain GET once the server listens (version_info,
        # a JSON-RPC route, refuses a GET: waiting for it ran out the clock)
        for _ in range(120):
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{url}/web/health", timeout=2).ok:
                    break
            if proc.poll() is not None:
                pytest.fail(f"the upgraded server stopped, see {log_file}")
            time.sleep(0.5)
        else:
            pytest.fail(f"the upgraded server never answered, see {log_file}")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _rpc(session, url, path, params):
    reply = session.post(
        f"{url}{path}",
        json={"jsonrpc": "2.0", "method": "call", "params": params, "id": 1},
        timeout=60,
    ).json()
    assert "error" not in reply, json.dumps(reply.get("error"))[:2000]
    return reply.get("result")


def open_over_http(suite, conf, db, records):
    """Log in as the administrator; read each record's every field and its chatter
    (as the web client does); return the records read."""
    seen = {}
    with server(suite, conf) as url, requests.Session() as session:
        _rpc(
            session,
            url,
            "/web/session/authenticate",
            {"db": db, "login": "admin", "password": "admin"},
        )
        for model, ids in records.items():
            fields = _rpc(
                session,
                url,
                "/web/dataset/call_kw",
                {
                    "model": model,
                    "method": "fields_get",
                    "args": [],
                    "kwargs": {"attributes": ["type"]},
                },
            )
            rows = _rpc(
                session,
                url,
                "/web/dataset/call_kw",
                {
                    "model": model,
                    "method": "read",
                    "args": [ids, list(fields)],
                    "kwargs": {},
                },
            )
            assert sorted(r["id"] for r in rows) == sorted(ids), model
            seen.update({f"{model},{row['id']}": row for row in rows})
            for res_id in ids:
                thread = _rpc(
                    session,
                    url,
                    "/mail/thread/messages",
                    {"thread_model": model, "thread_id": res_id, "limit": 100},
                )
                text = json.dumps(thread)
                assert "Unknown" not in text, f"{model},{res_id}: {text[:500]}"
    return seen


@pytest.mark.parametrize(("commit", "label"), POINTS, ids=[p[1] for p in POINTS])
def test_upgrade_from(suite, old_dependencies_template, tmp_path, commit, label):
    if commit == "shallow":
        pytest.fail(label)
    missing = _missing_requirements(commit)
    assert not missing, (
        f"{label} needs {missing}: pip install --no-deps them to test its upgrade"
    )
    t0 = time.monotonic()
    tree = _extract(commit, tmp_path / "addons")
    db = f"crm_iso_up_{uuid.uuid4().hex[:8]}"
    logs = crm_suite.STATE / "logs"
    try:
        suite.copy_db(old_dependencies_template, db)
        old_conf = _conf(suite, db, tree, "old")
        _odoo(
            suite,
            old_conf,
            logs / f"upgrade-{commit[:7]}-install.log",
            "-i",
            ",".join(ADDONS),
        )
        before = _fingerprint(suite, db, old_conf, "seed", tmp_path / "before.json")
        installed = time.monotonic()
        new_conf = _conf(suite, db, REPO, "new")
        _odoo(
            suite,
            new_conf,
            logs / f"upgrade-{commit[:7]}-update.log",
            "-u",
            ",".join(ADDONS),
        )
        upgraded = time.monotonic()
        after = _fingerprint(suite, db, new_conf, "read", tmp_path / "after.json")
        ids, fields = _moves(suite, db)
        lost, counts = compare(before, after, Mapper(before, after, ids, fields))
        (tmp_path.parent / f"{commit[:7]}-compared.json").write_text(
            json.dumps(counts), encoding="utf-8"
        )
        (tmp_path / "lost.txt").write_text("\n".join(lost), encoding="utf-8")
        assert not lost, f"{label}: {len(lost)} losses:\n" + "\n".join(lost[:40])

        config = after["config"]
        assert config["modules"] == {addon: _tree_version(addon) for addon in ADDONS}, (
            config["modules"]
        )
        # the states that had the replica plumbing in crm_iso_complaints (from
        # 19.0.2.2.0) keep it in the addon it moved to, the others do not get
        # it (crm_iso_complaints/migrations/19.0.2.3.0/post-replica-addon.py)
        had_it = _version_tuple(versions_at(commit)[0]) >= (19, 0, 2, 2, 0)
        replica = suite.psql(
            "SELECT state FROM ir_module_module WHERE name = 'crm_iso_replica'", db
        ).strip()
        assert replica == ("installed" if had_it else "uninstalled"), replica
        assert set(LANGUAGES) <= set(config["languages"])
        broken = {k: v for k, v in config["templates"].items() if v != "ok"}
        assert not broken, broken
        # named by the old names: the 19.0.2.0.0 and the 19.0.2.3.0 renames
        for name in ("complaint_severity", "complaint_received_date"):
            assert f"'{name}'" in config["filters"]["UPG filter"], name
            assert f"record.{name}" in config["server_actions"]["UPG server action"]
        assert not any(
            table
            in suite.psql(
                "SELECT string_agg(relname, ' ') FROM pg_class WHERE relkind = 'r'", db
            ).split()
            for table in (
                "crm_iso_corrective_action",
                "crm_iso_improvement_action",
                "crm_mall_qc_action_order",
                "crm_mall_answer",
            )
        ), "an old table is left behind"
        mapper = Mapper(before, after, ids, fields)
        moved = collections.defaultdict(list)
        for key in before["values"]:
            new_key = mapper.record(key)
            model = key.split(",")[0]
            if new_key and new_key.split(",")[0] != model:
                target, res_id = new_key.split(",")
                moved[target].append(int(res_id))
        moved["helpdesk.ticket"] = [
            after["values"][k]["id"]
            for k in after["values"]
            if k.startswith("helpdesk.ticket,")
        ][:5]
        seen = open_over_http(suite, new_conf, db, dict(moved))
        # an answer's page shows the answer's text as its current version
        for key, row in before["values"].items():
            if key.startswith("crm.mall.answer,"):
                page = seen[mapper.record(key)]
                assert row["answer"] in (page["content"] or ""), (key, page)
        total = time.monotonic() - t0
        TIMINGS.append(
            (
                label,
                (
                    f"install+seed {installed - t0:.0f}s, upgrade "
                    f"{upgraded - installed:.0f}s, compared {dict(counts)}, "
                    f"{len(seen)} records opened over HTTP"
                ),
                total,
            )
        )
        if commit == POINTS[0][0]:
            # re-runnable: a second update of the same database changes nothing
            _odoo(
                suite,
                new_conf,
                logs / f"upgrade-{commit[:7]}-again.log",
                "-u",
                ",".join(ADDONS),
            )
            again = _fingerprint(suite, db, new_conf, "read", tmp_path / "again.json")
            lost, _counts = compare(after, again, Mapper(after, again, {}, {}))
            assert not lost, "\n".join(lost[:40])
    finally:
        suite.drop_db(db)


def _version_tuple(version):
    return tuple(int(part) for part in version.split("."))


def _tree_version(addon):
    manifest = (REPO / addon / "__manifest__.py").read_text(encoding="utf-8")
    return re.search(r"""["']version["']\s*:\s*["']([^"']+)""", manifest)[1]
