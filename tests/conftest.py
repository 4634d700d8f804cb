# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Suite-level fixtures: real databases built by real Odoo processes."""

import os
import sys
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tools"))

import crm_suite

# what the earliest states of the addons depend on, for the upgrade and
# migration tests (installed once, with Persian, in a template)
OLD_DEPENDENCIES = (
    "helpdesk_mgmt",
    "survey",
    "contacts",
    "resource",
    "phone_validation",
    "mail",
    "portal",
)
LANGUAGES = ("fa_IR",)


@pytest.fixture(scope="session")
def suite():
    return crm_suite.Suite()


class _Templates(dict):
    """{with demo data: a database holding the suite's dependencies}: make
    test's (``crm_suite.TEMPLATES_VAR``), else each built on first use."""

    def __init__(self, suite):
        super().__init__()
        self.suite, self.built = suite, []

    def __missing__(self, demo):
        name = f"crm_iso_tpl_{'demo' if demo else 'nodemo'}_{uuid.uuid4().hex[:6]}"
        self.built.append(name)
        self.suite.install(name, crm_suite.dependencies(), with_demo=demo)
        self[demo] = name
        return name


@pytest.fixture(scope="session")
def template_dbs(suite):
    templates = _Templates(suite)
    given = os.environ.get(crm_suite.TEMPLATES_VAR)
    if given:
        templates.update(zip((True, False), given.split(","), strict=True))
    try:
        yield templates
    finally:
        for name in templates.built:
            suite.drop_db(name)


@pytest.fixture(scope="session")
def complaints_template(suite, template_dbs):
    """crm_iso_complaints installed without demo data, once per test process:
    the register race and the two-node benches start from copies of it."""
    name = f"crm_iso_tpl_complaints_{uuid.uuid4().hex[:6]}"
    try:
        suite.copy_db(template_dbs[False], name)
        suite.install(name, ["crm_iso_complaints"], with_demo=False)
        yield name
    finally:
        suite.drop_db(name)


@pytest.fixture(scope="session")
def old_dependencies_template(suite):
    """What every earlier state of the addons depends on, with demo data and
    Persian, for the upgrade and migration tests (``CRM_UPGRADE_BASE_DB``: an
    existing one, kept, to repeat a run)."""
    kept = os.environ.get("CRM_UPGRADE_BASE_DB")
    if kept and suite.db_exists(kept):
        yield kept
        return
    name = kept or f"crm_iso_up_base_{uuid.uuid4().hex[:6]}"
    try:
        suite.install(name, OLD_DEPENDENCIES, with_demo=True, languages=LANGUAGES)
        yield name
    finally:
        if not kept:
            suite.drop_db(name)


@pytest.fixture
def copy_of(suite):
    """A factory of copies of a database (and its filestore), in seconds;
    dropped afterwards."""
    copies = []

    def make(source):
        copies.append(f"crm_iso_t_{uuid.uuid4().hex[:10]}")
        suite.copy_db(source, copies[-1])
        return copies[-1]

    yield make
    for name in copies:
        suite.drop_db(name)


def odoo_shell(suite, db, code, conf=None):
    """Run Python code in `odoo shell` on db (``Suite.shell``); return its
    standard output."""
    return suite.shell(db, code, conf)


def pytest_terminal_summary(terminalreporter):
    """The upgrade test's table of starting points and their times."""
    timings = getattr(sys.modules.get("tests.test_upgrade"), "TIMINGS", None)
    if timings:
        terminalreporter.section("upgrade starting points")
        for label, what, seconds in timings:
            terminalreporter.write_line(f"{label:45} {seconds:6.0f}s  {what}")
