# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""`make run` / `make test` stop with a clear message when Odoo 19 is missing."""

import os
import subprocess
import sys

from .conftest import REPO


def _check(env_extra):
    env = {k: v for k, v in os.environ.items() if k != "ODOO_PATH"}
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, str(REPO / "tools" / "crm_suite.py"), "check"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_odoo_path_that_is_not_odoo(tmp_path):
    res = _check({"ODOO_PATH": str(tmp_path)})
    assert res.returncode == 2
    assert "is not an Odoo source tree" in res.stderr
    assert "Traceback" not in res.stderr


def test_wrong_odoo_version(tmp_path):
    (tmp_path / "odoo").mkdir()
    (tmp_path / "odoo" / "release.py").write_text("version_info = (18, 0, 0)\n")
    # a PEP 420 namespace package: the fake shadows the real one via PYTHONPATH
    res = _check({"ODOO_PATH": str(tmp_path)})
    assert res.returncode == 2
    assert "needs Odoo 19.0" in res.stderr
    assert "Traceback" not in res.stderr


def test_found_odoo_and_postgres():
    res = _check({})
    assert res.returncode == 0, res.stderr
    assert "Odoo 19.0 found" in res.stdout
    assert "PostgreSQL: host=" in res.stdout
