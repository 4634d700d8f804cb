# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The wheel carries the three addons in the odoo.addons namespace, like OCA's."""

import ast
import email
import subprocess
import sys
import uuid
import venv
import zipfile
from pathlib import Path

import pytest

from .conftest import REPO, crm_suite

ADDONS = (
    "crm_iso_complaints",
    "crm_iso_surveys",
    "crm_mall_counter",
    "crm_iso_complaints_merge",
    "crm_iso_replica",
)
# addons of the wheel that no other one depends on: the merge bridge
# (auto_install beside OCA's helpdesk_mgmt_merge), the replica plumbing
# (installed by hand where a node reads from a replica)
OPTIONAL = ("crm_iso_complaints_merge", "crm_iso_replica")
# where Python finds the addon, without running it outside an Odoo server
FIND_SPEC = (
    "import importlib.util as u; "
    "print(u.find_spec('odoo.addons.crm_mall_counter').origin)"
)


def _build_wheels(out, *sources):
    """Wheels of ``sources`` into ``out``, with this Python's build tools."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            *map(str, sources),
        ],
        check=True,
    )


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    _build_wheels(out, REPO)
    (path,) = out.glob("crm_iso_suite-*.whl")
    return path


def _tracked_files(addon):
    res = subprocess.run(
        ["git", "ls-files", addon], cwd=REPO, capture_output=True, text=True, check=True
    )
    files = set(res.stdout.split())
    if not files:  # not a git checkout: every file on disk
        files = {
            str(p.relative_to(REPO))
            for p in (REPO / addon).rglob("*")
            if p.is_file() and "__pycache__" not in p.parts
        }
    return files


def test_wheel_contains_the_addons_at_odoo_addons_paths(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for addon in ADDONS:
        for rel in _tracked_files(addon):
            assert f"odoo/addons/{rel}" in names, f"{rel} missing from the wheel"
        assert f"odoo/addons/{addon}/__manifest__.py" in names
        assert f"odoo/addons/{addon}/static/description/icon.png" in names
    # namespace packages: no odoo/__init__.py nor odoo/addons/__init__.py
    assert "odoo/__init__.py" not in names
    assert "odoo/addons/__init__.py" not in names


def test_wheel_requirements_come_from_the_manifests(wheel):
    with zipfile.ZipFile(wheel) as zf:
        meta_name = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        meta = email.message_from_bytes(zf.read(meta_name))
    # names as the wheel normalises them (PEP 503)
    requires = {r.replace("_", "-") for r in meta.get_all("Requires-Dist")}
    assert "odoo-addon-helpdesk-mgmt==19.0.*" in requires
    assert "odoo==19.0.*" in requires
    assert not [r for r in requires if r.startswith("odoo-addon-crm-")]


def test_no_addon_depends_on_the_replica_plumbing():
    """crm_iso_replica is optional: no addon of the suite lists it in its
    manifest or imports it, and it needs nothing of the suite."""
    replica = "crm_iso_replica"
    for addon in ADDONS:
        manifest = ast.literal_eval(
            (REPO / addon / "__manifest__.py").read_text(encoding="utf-8")
        )
        if addon == replica:
            assert manifest["depends"] == ["web"], manifest["depends"]
            assert not manifest.get("auto_install"), "installed by choice only"
            continue
        assert replica not in manifest["depends"], addon
        for path in (REPO / addon).rglob("*.py"):
            assert f"addons.{replica}" not in path.read_text(encoding="utf-8"), path


def test_pip_installed_wheel_installs_without_addons_path(
    suite, wheel, tmp_path, template_dbs
):
    """pip install the wheel, then `odoo -i crm_mall_counter` with no addons_path,
    in a copy of a database holding its dependencies (from OCA's wheels)."""
    env_dir = tmp_path / "venv"
    python = crm_suite.child_venv(env_dir)
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", str(wheel)], check=True
    )
    db = f"crm_iso_wheel_{uuid.uuid4().hex[:8]}"
    conf = tmp_path / "odoo.conf"
    conf.write_text(
        f"[options]\ndb_host = {suite.host}\ndb_port = {suite.port}\n"
        f"db_user = {suite.user}\ndata_dir = {crm_suite.STATE / 'data'}\n",
        encoding="utf-8",
    )
    try:
        suite.copy_db(template_dbs[True], db)
        res = subprocess.run(
            [
                str(python),
                "-m",
                "odoo",
                "-c",
                str(conf),
                "-d",
                db,
                "-i",
                "crm_mall_counter",
                "--stop-after-init",
                "--no-http",
            ],
            env=suite.env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert res.returncode == 0, res.stderr[-3000:]
        states = dict(
            row.split("=")
            for row in suite.psql(
                "SELECT name || '=' || state FROM ir_module_module "
                f"WHERE name IN {ADDONS} ORDER BY name",
                db,
            ).split()
        )
        # the wheel ships the optional addons too; crm_mall_counter installs
        # neither (the merge bridge comes only beside OCA's helpdesk_mgmt_merge)
        optional = {name: states.pop(name) for name in OPTIONAL}
        assert optional == dict.fromkeys(OPTIONAL, "uninstalled"), optional
        assert states == dict.fromkeys(set(ADDONS) - set(OPTIONAL), "installed")
        where = subprocess.run(
            [
                str(python),
                "-c",
                FIND_SPEC,
            ],
            capture_output=True,
            text=True,
            check=True,
            env=suite.env,
        ).stdout
        assert str(env_dir) in where
    finally:
        suite.drop_db(db)


def test_one_oca_wheel_per_addon(tmp_path):
    """`make wheels`: odoo-addon-<name> wheels built by OCA's whool backend."""
    _build_wheels(tmp_path, *(REPO / addon for addon in ADDONS))
    for addon in ADDONS:
        (wheel,) = tmp_path.glob(f"odoo_addon_{addon}-19.0.*.whl")
        with zipfile.ZipFile(wheel) as zf:
            names = zf.namelist()
            meta_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
            meta = email.message_from_bytes(zf.read(meta_name))
        assert f"odoo/addons/{addon}/__manifest__.py" in names
        assert meta["Name"] == f"odoo-addon-{addon}"
        assert "odoo==19.0.*" in meta.get_all("Requires-Dist")


def test_child_venv_sees_an_odoo_installed_in_a_virtualenv(tmp_path):
    """Odoo installed in a virtualenv: the test's own virtualenv still finds it.

    A virtualenv ``outer`` (no system site packages) holds a package, as a
    user's virtualenv holds Odoo; ``child_venv`` run from ``outer`` must see it
    (``venv.create(system_site_packages=True)`` would not).
    """
    outer = tmp_path / "outer"
    venv.create(outer, with_pip=False)
    outer_python = outer / "bin" / "python"
    package = Path(crm_suite.purelib(outer_python)) / "crm_suite_probe_odoo"
    package.mkdir()
    (package / "__init__.py").write_text("WHERE = 'outer venv'\n", encoding="utf-8")
    code = (
        f"import sys; sys.path.insert(0, {str(REPO / 'tools')!r}); import crm_suite; "
        f"print(crm_suite.child_venv({str(tmp_path / 'child')!r}))"
    )
    child = subprocess.run(
        [str(outer_python), "-c", code],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    res = subprocess.run(
        [child, "-c", "import crm_suite_probe_odoo as m; print(m.WHERE)"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert res.stdout.strip() == "outer venv", res.stderr[-2000:]
    # the naive way does not: the reason for child_venv
    naive = tmp_path / "naive"
    subprocess.run(
        [
            str(outer_python),
            "-c",
            f"import venv; venv.create({str(naive)!r}, system_site_packages=True)",
        ],
        check=True,
    )
    res = subprocess.run(
        [str(naive / "bin" / "python"), "-c", "import crm_suite_probe_odoo"],
        capture_output=True,
        check=False,
    )
    assert res.returncode != 0
