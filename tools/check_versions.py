#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Refuse a change of an addon's database schema without a version bump.

Odoo runs an addon's migration scripts only when its manifest version grows: a
database installed from a commit whose schema differs from a later commit of the
*same* version never gets the scripts that bridge them (main carried 19.0.1.0.0
through three schemas, issue #31). This check compares, per addon, the schema
declared by the Python of the previous commit (``--base``, default ``HEAD~1``:
on a merge commit, main before the merge) with the working tree's:

* models (``_name``) with a table: new, removed;
* stored fields: new, removed, renamed (a removal plus an addition), a new type,
  comodel, relation table, translation or company dependency, index, a removed
  selection value;
* SQL constraints and indexes (``models.Constraint``/``Index``/``UniqueIndex``,
  ``_sql_constraints``).

It reads the sources with ``ast`` (no Odoo, no database: it runs in a second).
A difference passes when the manifest version grew since the base, or when the
base's ``readme/HISTORY.md`` still marks the version as open (``## <version>
(unreleased)``: no database runs it yet, its migrations are still being written);
the release replaces ``(unreleased)`` by the date, and from then on a schema change
needs the next version. Without a previous commit (a first commit, a shallow
clone, a tarball) there is nothing to compare: it says so and passes.

Usage: ``tools/check_versions.py [--base REV]`` (exit 1 on a refused change).
"""

import argparse
import ast
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ADDONS = ("crm_iso_complaints", "crm_iso_surveys", "crm_mall_counter")
SKIPPED_DIRS = {"tests", "migrations", "static", "node_modules"}
# field types without a column of their own
NO_COLUMN = {"One2many"}
# keyword arguments of a field that shape its column (or its relation table)
SHAPE = ("comodel_name", "relation", "column1", "column2", "index")
FLAGS = ("translate", "company_dependent")
OPEN = "(unreleased)"


def version_tuple(version):
    return tuple(int(part) for part in re.findall(r"\d+", version))


def _const(node):
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return ast.unparse(node)


def _field(call):
    """(type, shape) of a ``fields.X(...)`` call, or None when it has no column."""
    kind = call.func.attr
    kwargs = {kw.arg: kw.value for kw in call.keywords if kw.arg}
    store = _const(kwargs["store"]) if "store" in kwargs else None
    computed = "compute" in kwargs or "related" in kwargs
    if kind in NO_COLUMN or store is False or (computed and store is not True):
        return None
    shape = {"type": kind}
    if call.args and kind in ("Many2one", "Many2many", "Many2oneReference"):
        shape["comodel_name"] = _const(call.args[0])
    if kind == "Many2many":
        for position, name in enumerate(("relation", "column1", "column2"), 1):
            if len(call.args) > position:
                shape[name] = _const(call.args[position])
    for name in SHAPE:
        if name in kwargs:
            shape[name] = _const(kwargs[name])
    for name in FLAGS:
        if name in kwargs:
            shape[name] = bool(_const(kwargs[name]))
    selection = call.args[0] if kind == "Selection" and call.args else None
    selection = kwargs.get("selection", selection)
    if isinstance(selection, ast.List):
        values = _const(selection)
        if isinstance(values, list):
            shape["selection"] = [item[0] for item in values]
    return shape


def _is_call(node, module, names=None):
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == module
        and (names is None or node.func.attr in names)
    )


def _model_of(cls):
    """The model a class declares or extends, and what it declares: "table",
    "abstract" (a mixin: its fields are columns of the models using it) or None
    (it extends a model declared elsewhere)."""
    attrs = {}
    for stmt in cls.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target = stmt.targets[0]
            if isinstance(target, ast.Name):
                attrs[target.id] = stmt.value
        elif isinstance(stmt, ast.FunctionDef) and stmt.name == "_table_query":
            attrs["_table_query"] = stmt
    bases = {ast.unparse(base) for base in cls.bases}
    if "models.TransientModel" in bases or "_table_query" in attrs:
        return None, None
    if "_auto" in attrs and _const(attrs["_auto"]) is False:
        return None, None
    name = _const(attrs["_name"]) if "_name" in attrs else None
    if name is None and "_inherit" in attrs:
        inherit = _const(attrs["_inherit"])
        name = inherit if isinstance(inherit, str) else (inherit or [None])[0]
    if not isinstance(name, str):
        return None, None
    if "_name" not in attrs:
        return name, None
    return name, "abstract" if "models.AbstractModel" in bases else "table"


def schema_of(root):
    """The schema an addon folder declares: ``{key: description}``."""
    schema = {}
    root = Path(root)
    for path in sorted(root.rglob("*.py")):
        if SKIPPED_DIRS & set(path.relative_to(root).parts[:-1]):
            continue
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except SyntaxError as exc:
            raise SystemExit(f"{path}: {exc}") from exc
        for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
            model, declares = _model_of(cls)
            if not model:
                continue
            if declares:
                schema[f"model {model}"] = declares
            for stmt in cls.body:
                if not (
                    isinstance(stmt, ast.Assign)
                    and len(stmt.targets) == 1
                    and isinstance(stmt.targets[0], ast.Name)
                ):
                    continue
                attr, value = stmt.targets[0].id, stmt.value
                if _is_call(value, "fields"):
                    shape = _field(value)
                    if shape:
                        schema[f"field {model}.{attr}"] = shape
                elif _is_call(value, "models", ("Constraint", "Index", "UniqueIndex")):
                    schema[f"constraint {model}.{attr}"] = ast.unparse(value)
                elif attr == "_sql_constraints":
                    schema[f"constraint {model}._sql_constraints"] = ast.unparse(value)
    return schema


def differences(old, new):
    """Readable lines for what changed between two schemas."""
    lines = []
    for key in sorted(set(old) | set(new)):
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        if before is None:
            lines.append(f"+ {key} {after}")
        elif after is None:
            lines.append(f"- {key}")
        elif key.startswith("field "):
            changed = {
                name: (before.get(name), after.get(name))
                for name in set(before) | set(after)
                if name != "selection" and before.get(name) != after.get(name)
            }
            removed = set(before.get("selection") or ()) - set(
                after.get("selection") or before.get("selection") or ()
            )
            if removed:
                changed["selection removed"] = sorted(removed)
            if changed:
                lines.append(f"~ {key} {changed}")
        else:
            lines.append(f"~ {key}: {before} -> {after}")
    return lines


def manifest_version(root):
    manifest = ast.literal_eval((Path(root) / "__manifest__.py").read_text("utf-8"))
    return manifest["version"]


def open_versions(root):
    """Versions the addon's HISTORY.md marks ``(unreleased)``."""
    history = Path(root) / "readme" / "HISTORY.md"
    if not history.exists():
        return set()
    heading = re.compile(r"^##\s+(\S+)\s+" + re.escape(OPEN), re.MULTILINE)
    return {match[1] for match in heading.finditer(history.read_text("utf-8"))}


def git(*args, repo=REPO):
    return subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, check=False
    )


def extract(rev, addons, target, repo=REPO):
    """The addons of commit ``rev`` in folder ``target`` (those that exist)."""
    listed = git("ls-tree", "--name-only", rev, *addons, repo=repo)
    present = listed.stdout.decode().split()
    if not present:
        return []
    archive = git("archive", "--format=tar", rev, *present, repo=repo)
    if archive.returncode:
        raise SystemExit(archive.stderr.decode())
    tar_path = Path(target) / "base.tar"
    tar_path.write_bytes(archive.stdout)
    with tarfile.open(tar_path) as tar:
        tar.extractall(target, filter="data")
    return present


def check(base, repo=REPO, addons=ADDONS, out=print):
    """Return the refused changes (an empty list when every addon is fine)."""
    if git("rev-parse", "--git-dir", repo=repo).returncode:
        out("check_versions: not a git checkout, nothing to compare")
        return []
    resolved = git("rev-parse", "--verify", "-q", f"{base}^{{commit}}", repo=repo)
    if resolved.returncode:
        shallow = git("rev-parse", "--is-shallow-repository", repo=repo)
        why = (
            "a shallow clone"
            if shallow.stdout.strip() == b"true"
            else "no previous commit"
        )
        out(f"check_versions: {base} is not available ({why}): nothing to compare")
        return []
    refused = []
    with tempfile.TemporaryDirectory() as tmp:
        present = extract(base, addons, tmp, repo=repo)
        for addon in addons:
            new_root = Path(repo) / addon
            if addon not in present or not new_root.is_dir():
                out(f"check_versions: {addon} is new or gone since {base}")
                continue
            old_root = Path(tmp) / addon
            changes = differences(schema_of(old_root), schema_of(new_root))
            if not changes:
                continue
            old_version, new_version = (
                manifest_version(old_root),
                manifest_version(new_root),
            )
            if version_tuple(new_version) > version_tuple(old_version):
                out(f"{addon}: schema changed, version {old_version} -> {new_version}")
            elif new_version == old_version and new_version in open_versions(old_root):
                out(f"{addon}: schema changed within the open {new_version}")
            else:
                refused.append(addon)
                out(
                    f"{addon}: the schema changed since {base} but the version "
                    f"stayed {new_version} (released: see readme/HISTORY.md). Bump "
                    f"__manifest__.py's version, put the migration scripts under "
                    f"migrations/<new version>/ and open its HISTORY.md section "
                    f"'## <new version> {OPEN}':"
                )
            for line in changes:
                out(f"    {line}")
    return refused


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="HEAD~1", help="commit to compare with")
    parser.add_argument("--repo", default=str(REPO), help=argparse.SUPPRESS)
    parser.add_argument("--addons", nargs="+", default=ADDONS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    return 1 if check(args.base, repo=Path(args.repo), addons=args.addons) else 0


if __name__ == "__main__":
    sys.exit(main())
