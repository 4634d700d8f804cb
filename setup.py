# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Package the three addons into the ``odoo.addons`` namespace, like OCA's wheels.

``pip install .`` puts ``odoo/addons/crm_iso_complaints`` (and the two others) into
site-packages, so ``odoo -i crm_mall_counter`` finds them without any addons_path.
The requirements are derived from the manifests by OCA's ``manifestoo-core``
(``helpdesk_mgmt`` -> ``odoo-addon-helpdesk_mgmt``, ``external_dependencies`` ->
their PyPI names, ``odoo>=19.0a,<19.1dev``).
"""

import ast
from pathlib import Path

from manifestoo_core.metadata import metadata_from_addon_dir
from setuptools import setup

HERE = Path(__file__).resolve().parent
ADDONS = (
    "crm_iso_complaints",
    "crm_iso_surveys",
    "crm_mall_counter",
    "crm_iso_complaints_merge",
    "crm_iso_replica",
)
OWN_DISTS = {f"odoo-addon-{addon}" for addon in ADDONS}
# the version comes from the manifest as is (no git post-version)
NO_GIT = {"post_version_strategy_override": "none"}


def _requirements():
    reqs = set()
    for addon in ADDONS:
        for req in (
            metadata_from_addon_dir(HERE / addon, NO_GIT).get_all("Requires-Dist") or []
        ):
            if req.split("=")[0].split("<")[0].split(">")[0].strip() not in OWN_DISTS:
                reqs.add(req)
    return sorted(reqs)


def _package_data(addon):
    root = HERE / addon
    return [
        str(path.relative_to(root))
        for path in root.rglob("*")
        if path.is_file()
        and "__pycache__" not in path.parts
        and path.suffix != ".pyc"
        # modules of packages are packaged as such; migration scripts are not
        and not (path.suffix == ".py" and (path.parent / "__init__.py").exists())
    ]


def _packages():
    packages, package_dir, package_data = [], {}, {}
    for addon in ADDONS:
        for init in sorted((HERE / addon).rglob("__init__.py")):
            rel = init.parent.relative_to(HERE)
            name = "odoo.addons." + ".".join(rel.parts)
            packages.append(name)
            package_dir[name] = str(rel)
        package_data[f"odoo.addons.{addon}"] = _package_data(addon)
    return packages, package_dir, package_data


MANIFEST = ast.literal_eval(
    (HERE / "crm_iso_complaints" / "__manifest__.py").read_text()
)
packages, package_dir, package_data = _packages()

setup(
    name="crm-iso-suite",
    version=MANIFEST["version"],
    description="ISO 10001-10004 customer relations and a mall CRM unit for Odoo 19",
    long_description=(HERE / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    license="AGPL-3",
    url=MANIFEST["website"],
    author=MANIFEST["author"],
    python_requires=">=3.10",
    packages=packages,
    package_dir=package_dir,
    package_data=package_data,
    include_package_data=False,
    install_requires=_requirements(),
    classifiers=[
        "Programming Language :: Python",
        "Framework :: Odoo",
        "Framework :: Odoo :: 19.0",
        "License :: OSI Approved :: GNU Affero General Public License v3",
    ],
    zip_safe=False,
)
