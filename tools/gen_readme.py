#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Generate each addon's README.rst from its readme/*.md fragments, and its
static/description/index.html from that, like OCA's oca-gen-addon-readme does:
run `make readme` after editing a fragment."""

import ast
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ADDONS = (
    "crm_iso_complaints",
    "crm_iso_surveys",
    "crm_mall_counter",
    "crm_iso_complaints_merge",
    "crm_iso_replica",
)
IMAGE = re.compile(r"^!\[(?P<alt>[^\]]*)\]\((?P<path>[^)]+)\)$")
SECTIONS = (
    ("DESCRIPTION", None),
    ("CONFIGURE", "Configuration"),
    ("USAGE", "Usage"),
    ("DEVELOP", "Development"),
    ("ROADMAP", "Known issues / Roadmap"),
    ("HISTORY", "Changelog"),
    ("CONTRIBUTORS", "Contributors"),
)


def md_to_rst(text):
    """The small Markdown subset used by the fragments: headings, lists, code."""
    out = []
    for line in text.splitlines():
        image = IMAGE.match(line)
        if image:
            out += [f".. image:: {image['path']}", f"   :alt: {image['alt']}", ""]
        elif line.startswith("#"):
            title = line.lstrip("#").strip()
            out += [title, "~" * len(title)]
        else:
            out.append(line.replace("`", "``").replace("````", "``"))
    return "\n".join(out).strip() + "\n"


def render(addon):
    root = REPO / addon
    manifest = ast.literal_eval((root / "__manifest__.py").read_text(encoding="utf-8"))
    name = manifest["name"]
    parts = [
        "=" * len(name),
        name,
        "=" * len(name),
        "",
        f"*{manifest['summary']}*",
        "",
        f"License: {manifest['license']} · Version: {manifest['version']}",
        "",
    ]
    for fragment, title in SECTIONS:
        path = root / "readme" / f"{fragment}.md"
        if not path.exists():
            continue
        if title:
            parts += [title, "=" * len(title), ""]
        parts.append(md_to_rst(path.read_text(encoding="utf-8")))
    parts += ["Authors", "=======", "", f"* {manifest['author']}", ""]
    return "\n".join(parts)


def to_html(rst, addon):
    """The HTML page Odoo's Apps screen shows (docutils, like OCA's); images are
    served from the addon's static folder."""
    from docutils.core import publish_string

    rst = rst.replace(".. image:: static/", f".. image:: /{addon}/static/")
    return publish_string(
        rst,
        writer_name="html4css1",
        settings_overrides={
            "stylesheet_path": "",
            "embed_stylesheet": False,
            "output_encoding": "unicode",
        },
    )


def main():
    check = "--check" in sys.argv
    stale = []
    for addon in ADDONS:
        text = render(addon)
        outputs = {
            REPO / addon / "README.rst": text,
            REPO / addon / "static" / "description" / "index.html": to_html(
                text, addon
            ),
        }
        for target, content in outputs.items():
            if check:
                if not target.exists() or target.read_text(encoding="utf-8") != content:
                    stale.append(str(target))
            else:
                target.write_text(content, encoding="utf-8")
    if stale:
        print("README.rst out of date (run `make readme`):", *stale, sep="\n  ")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
