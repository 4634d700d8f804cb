# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Each addon installs alone and with the others, with and without demo data, and
uninstalls leaving a working database."""

import uuid

import pytest

from .conftest import crm_suite, odoo_shell

ADDONS = ("crm_iso_complaints", "crm_iso_surveys", "crm_mall_counter")
# models whose records are never deleted, but by the uninstall of their addon
KEPT_MODELS = (
    "helpdesk.ticket",
    "crm.iso.dispute",
    "crm.iso.dr.provider",
    "crm.iso.event",
    "crm.mall.qc.inspection",
    "crm.iso.survey.invitation",
)


def _state(suite, db):
    rows = suite.psql(
        "SELECT name, state FROM ir_module_module WHERE name LIKE 'crm_%' "
        "OR name IN ('helpdesk_mgmt', 'survey') ORDER BY name",
        db,
    )
    return dict(line.split("|") for line in rows.splitlines())


def _own_menus(suite, db, addon):
    return int(
        suite.psql(
            "SELECT count(*) FROM ir_model_data d JOIN ir_ui_menu m ON m.id = d.res_id "
            f"WHERE d.model = 'ir.ui.menu' AND d.module = '{addon}'",
            db,
        )
    )


@pytest.fixture(scope="module")
def installed_with_demo(suite, template_dbs):
    """The three addons installed with demo data, once: its own test reads it,
    the uninstall and update tests work on copies of it."""
    db = f"crm_iso_t_all_{uuid.uuid4().hex[:10]}"
    suite.copy_db(template_dbs[True], db)
    try:
        suite.install(db, ADDONS, with_demo=True, log_name="install-all-demo")
        yield db
    finally:
        suite.drop_db(db)


@pytest.mark.parametrize(
    ("addons", "demo"),
    [
        *[((a,), demo) for demo in (True, False) for a in ADDONS],
        (ADDONS, False),
    ],
    ids=[*[f"{a}-{d}" for d in ("demo", "nodemo") for a in ADDONS], "all-nodemo"],
)
def test_install(suite, copy_of, template_dbs, addons, demo):
    db = copy_of(template_dbs[demo])
    suite.install(db, addons, with_demo=demo, log_name=f"install-{'-'.join(addons)}")
    _assert_installed(suite, db, addons, demo)


def test_install_all_with_demo(suite, installed_with_demo):
    _assert_installed(suite, installed_with_demo, ADDONS, True)


def _assert_installed(suite, db, addons, demo):
    state = _state(suite, db)
    for addon in addons:
        assert state[addon] == "installed"
        assert _own_menus(suite, db, addon) >= 2, "top-level menu and settings"
    demo_loaded = suite.psql(
        "SELECT bool_or(demo) FROM ir_module_module WHERE state = 'installed'", db
    )
    assert demo_loaded == ("t" if demo else "f")


def _kept_data(suite, db, addon):
    """The records of the models the suite never deletes that addon owns."""
    return int(
        suite.psql(
            "SELECT count(*) FROM ir_model_data WHERE module = "
            f"'{addon}' AND model IN {KEPT_MODELS}",
            db,
        )
    )


def test_uninstall_each_leaves_a_working_database(suite, copy_of, installed_with_demo):
    db = copy_of(installed_with_demo)
    # demo complaints (and a dispute): never deleted, but by a real uninstall
    complaints = suite.psql(
        "SELECT string_agg(t.id::text, ',') FROM ir_model_data d JOIN "
        "helpdesk_ticket t ON t.id = d.res_id AND t.is_complaint WHERE "
        "d.model = 'helpdesk.ticket' AND d.module = 'crm_iso_complaints'",
        db,
    )
    assert complaints and _kept_data(suite, db, "crm_iso_complaints") > 1
    for addon in reversed(ADDONS):
        out = odoo_shell(
            suite,
            db,
            f"env['ir.module.module'].search([('name', '=', '{addon}')])"
            ".button_immediate_uninstall()\n"
            "env.cr.commit()\n"
            "print('MENUS', env['ir.ui.menu'].search_count([]))\n",
        )
        assert "MENUS" in out
        state = _state(suite, db)
        assert state[addon] == "uninstalled"
        assert _own_menus(suite, db, addon) == 0
        assert _kept_data(suite, db, addon) == 0, "kept records left behind"
        remaining = ADDONS[: ADDONS.index(addon)]
        assert all(state[other] == "installed" for other in remaining)
        assert state["helpdesk_mgmt"] == "installed"
        # the remaining addons still load: a registry load logs no error
        suite.install(db, ("base",), log_name=f"reload-after-{addon}")
    left = f"SELECT count(*) FROM helpdesk_ticket WHERE id IN ({complaints})"
    assert suite.psql(left, db) == "0"


def test_update_keeps_the_data(suite, copy_of, installed_with_demo):
    """-u of each addon on a database with demo data keeps every record."""
    db = copy_of(installed_with_demo)
    tables = (
        "helpdesk_ticket",
        "crm_iso_dispute",
        "crm_iso_conduct_commitment",
        "crm_iso_measurement_plan",
        "survey_user_input",
        "crm_mall_counter",
        "crm_mall_lost_item",
        "mgmtsystem_action",  # the suite's actions are OCA actions
    )
    counts = "SELECT " + ", ".join(f"(SELECT count(*) FROM {t})" for t in tables)
    before = suite.psql(counts, db)
    assert "|0|" not in f"|{before}|", "demo data in every table"
    conf = suite.write_conf(f"update-{db}", db)
    for addon in ADDONS:
        suite.odoo(
            conf,
            "-u",
            addon,
            "--stop-after-init",
            "--no-http",
            log_file=crm_suite.STATE / "logs" / f"update-{addon}.log",
        )
        assert suite.psql(counts, db) == before, f"-u {addon} changed the data"
