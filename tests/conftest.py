# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Suite-level fixtures: real databases built by real Odoo processes."""

import subprocess
import sys
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tools"))

import crm_suite

# Addons our three addons depend on: installed once per demo flag in a template
# database, so that every install test starts from a copy in a second.
DEPENDENCIES = (
    "helpdesk_mgmt",
    "survey",
    "contacts",
    "resource",
    "phone_validation",
    "mgmtsystem_review",
    "mgmtsystem_audit",
    "helpdesk_mgmtsystem_nonconformity",
    "document_page",
    "queue_job",
)


@pytest.fixture(scope="session")
def suite():
    return crm_suite.Suite()


@pytest.fixture(scope="session")
def template_dbs(suite):
    names = {}
    try:
        for demo in (True, False):
            name = f"crm_iso_tpl_{'demo' if demo else 'nodemo'}_{uuid.uuid4().hex[:6]}"
            names[demo] = name
            suite.install(name, DEPENDENCIES, with_demo=demo)
        yield names
    finally:
        for name in names.values():
            suite.drop_db(name)


@pytest.fixture(scope="session")
def complaints_template(suite):
    """crm_iso_complaints installed without demo data, once per test process:
    the register race and the two-node benches start from copies of it."""
    name = f"crm_iso_tpl_complaints_{uuid.uuid4().hex[:6]}"
    try:
        suite.install(name, ["crm_iso_complaints"], with_demo=False)
        yield name
    finally:
        suite.drop_db(name)


@pytest.fixture
def new_db(suite, template_dbs):
    """Return a factory of databases copied from a template; dropped afterwards."""
    created = []

    def make(demo=True):
        name = f"crm_iso_t_{uuid.uuid4().hex[:10]}"
        suite.psql(f'CREATE DATABASE "{name}" TEMPLATE "{template_dbs[demo]}"')
        created.append(name)
        return name

    yield make
    for name in created:
        suite.drop_db(name)


def odoo_shell(suite, db, code, conf=None):
    """Run Python code in `odoo shell` on db (with the configuration file conf,
    else the suite's own for db); return its standard output."""
    conf = conf or suite.write_conf(f"shell-{db}", db)
    res = subprocess.run(
        [sys.executable, "-m", "odoo", "shell", "-c", str(conf), "--no-http"],
        input=code,
        env=suite.env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert res.returncode == 0, res.stderr[-3000:]
    return res.stdout


def pytest_terminal_summary(terminalreporter):
    """The upgrade test's table of starting points and their times."""
    timings = getattr(sys.modules.get("tests.test_upgrade"), "TIMINGS", None)
    if timings:
        terminalreporter.section("upgrade starting points")
        for label, what, seconds in timings:
            terminalreporter.write_line(f"{label:45} {seconds:6.0f}s  {what}")
