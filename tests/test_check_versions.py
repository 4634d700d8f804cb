# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""tools/check_versions.py (run by `make lint`): a change of the stored schema
without a version bump is refused; a bump, an open (unreleased) version, a change
that touches no column, and a clone without a previous commit pass."""

import subprocess
import sys

import pytest

from .conftest import REPO

sys.path.insert(0, str(REPO / "tools"))

import check_versions

ADDON = "demo_addon"
MODEL = """from odoo import fields, models


class Thing(models.Model):
    _name = "demo.thing"

    name = fields.Char()
%s
"""


def git(repo, *args):
    subprocess.run(
        ["git", "-C", str(repo), *args],
        check=True,
        capture_output=True,
        env={
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.com",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.com",
            "PATH": "/usr/bin:/bin",
        },
    )


def write(repo, version, extra="", history=None):
    addon = repo / ADDON
    (addon / "models").mkdir(parents=True, exist_ok=True)
    (addon / "__manifest__.py").write_text(f'{{"version": "{version}"}}\n')
    (addon / "models" / "thing.py").write_text(MODEL % extra)
    if history is not None:
        (addon / "readme").mkdir(exist_ok=True)
        (addon / "readme" / "HISTORY.md").write_text(history)


def commit(repo):
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "c")


@pytest.fixture
def repo(tmp_path):
    git(tmp_path, "init", "-q")
    write(tmp_path, "19.0.1.0.0", history="## 19.0.1.0.0 (2026-11-24)\n\nFirst.\n")
    commit(tmp_path)
    return tmp_path


def run(repo, base="HEAD~1"):
    lines = []
    refused = check_versions.check(base, repo=repo, addons=(ADDON,), out=lines.append)
    return refused, "\n".join(lines)


def test_a_stored_field_without_a_bump_is_refused(repo):
    write(repo, "19.0.1.0.0", "    note = fields.Text()\n")
    commit(repo)
    refused, said = run(repo)
    assert refused == [ADDON]
    assert "+ field demo.thing.note" in said and "Bump" in said
    # the command line says it with its exit code
    assert check_versions.main(["--repo", str(repo), "--addons", ADDON]) == 1


@pytest.mark.parametrize(
    "extra",
    [
        "    name = fields.Char(translate=True)\n",  # a column type of its own
        '    _name_uniq = models.Constraint("UNIQUE (name)", "unique")\n',
        '    state = fields.Selection([("a", "A")])\n',
    ],
)
def test_other_schema_changes_are_refused(repo, extra):
    write(repo, "19.0.1.0.0", extra)
    commit(repo)
    assert run(repo)[0] == [ADDON]


def test_a_renamed_field_is_refused(repo):
    write(repo, "19.0.1.0.0", "    note = fields.Text()\n")
    commit(repo)
    write(repo, "19.0.1.0.1", "    remark = fields.Text()\n")
    commit(repo)
    write(repo, "19.0.1.0.1", "    comment = fields.Text()\n")  # working tree
    refused, said = run(repo, "HEAD")
    assert refused == [ADDON]
    assert "- field demo.thing.remark" in said and "+ field demo.thing.comment" in said


def test_a_removed_selection_value_is_refused(repo):
    write(
        repo, "19.0.1.0.1", '    state = fields.Selection([("a", "A"), ("b", "B")])\n'
    )
    commit(repo)
    write(repo, "19.0.1.0.1", '    state = fields.Selection([("a", "A")])\n')
    refused, said = run(repo, "HEAD")
    assert refused == [ADDON] and "selection removed" in said


def test_a_bump_passes(repo):
    write(repo, "19.0.1.1.0", "    note = fields.Text()\n")
    commit(repo)
    refused, said = run(repo)
    assert refused == [] and "19.0.1.0.0 -> 19.0.1.1.0" in said


def test_an_open_version_takes_more_schema_changes(repo):
    write(
        repo,
        "19.0.1.1.0",
        "    note = fields.Text()\n",
        history="## 19.0.1.1.0 (unreleased)\n\nNotes.\n",
    )
    commit(repo)
    write(repo, "19.0.1.1.0", "    note = fields.Text()\n    memo = fields.Text()\n")
    commit(repo)
    refused, said = run(repo)
    assert refused == [] and "open 19.0.1.1.0" in said
    # once released, the next schema change needs the next version
    write(
        repo,
        "19.0.1.1.0",
        "    note = fields.Text()\n    memo = fields.Text()\n",
        history="## 19.0.1.1.0 (2026-12-05)\n\nNotes.\n",
    )
    commit(repo)
    write(repo, "19.0.1.1.0", "    note = fields.Text()\n")
    assert run(repo, "HEAD")[0] == [ADDON]


@pytest.mark.parametrize(
    "extra",
    [
        '    total = fields.Integer(compute="_compute_total")\n',  # no column
        '    line_ids = fields.One2many("demo.line", "thing_id")\n',
        "\n    def action_done(self):\n        return True\n",
    ],
)
def test_changes_without_a_column_pass(repo, extra):
    write(repo, "19.0.1.0.0", extra)
    commit(repo)
    assert run(repo) == ([], "")


def test_no_previous_commit_passes_and_says_so(repo):
    refused, said = run(repo)
    assert refused == [] and "no previous commit" in said


def test_a_shallow_clone_passes_and_says_so(repo, tmp_path_factory):
    write(repo, "19.0.1.0.0", "    note = fields.Text()\n")
    commit(repo)
    clone = tmp_path_factory.mktemp("shallow") / "clone"
    git(repo, "clone", "-q", "--depth=1", f"file://{repo}", str(clone))
    refused, said = run(clone)
    assert refused == [] and "shallow" in said


def test_the_suite_passes_against_its_previous_commit():
    assert check_versions.main(["--repo", str(REPO)]) == 0
