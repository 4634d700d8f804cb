#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Screenshots of the main screens, for each addon's static/description.

    pip install playwright   # the Python driver only: Debian's chromium is used
    make run                 # in another terminal (demo data)
    python3 tools/screenshots.py [--url http://127.0.0.1:8069]

Logs in as admin/admin in headless Debian Chromium and saves PNGs next to each
addon's icon; the readme fragments show them. ``--lang fa_IR`` switches admin to
Persian for the run (right to left: Odoo needs rtlcss, see README) and back, and
names the files ``<screen>_fa_IR.png``.
"""

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
SHOTS = (
    ("crm_iso_complaints", "complaints_list", "/odoo/complaints"),
    ("crm_iso_complaints", "complaint_kpis", "/odoo/complaint-kpis"),
    ("crm_iso_surveys", "satisfaction_kpis", "/odoo/satisfaction-kpis"),
    ("crm_mall_counter", "counter_board", "/odoo/counter-board"),
    ("crm_mall_counter", "checkin", "/odoo/counter-checkin"),
    ("crm_mall_counter", "cockpit", "/odoo/mall-cockpit"),
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


RPC = """async ([url, path, params]) => {
    const response = await fetch(url + path, {
        method: "POST",
        headers: {"Content-Type": "application/json"},
        body: JSON.stringify({jsonrpc: "2.0", method: "call", params}),
    });
    const {result, error} = await response.json();
    if (error) {
        throw new Error(error.data.message);
    }
    return result;
}"""


def call(page, url, model, method, args, **kwargs):
    """A JSON-RPC call to the ORM in the logged-in browser session."""
    params = {"model": model, "method": method, "args": args, "kwargs": kwargs}
    return page.evaluate(RPC, [url, "/web/dataset/call_kw", params])


def set_lang(page, url, lang):
    """Set the logged-in user's language; return the one it had."""
    info = page.evaluate(RPC, [url, "/web/session/get_session_info", {}])
    call(page, url, "res.users", "write", [[info["uid"]], {"lang": lang}])
    return info["user_context"]["lang"]


def shoot_kiosk(page, url, lang, suffix):
    """The counter tablet's survey page (public, opened with the demo tablet's
    known link: tokens are stored hashed, see crm_mall_counter/readme/USAGE.md)."""
    language = "fa" if lang.startswith("fa") else "en"
    page.goto(f"{url}/kiosk/demo-ground-floor-kiosk?language={language}")
    page.wait_for_selector("form", timeout=60000)
    target = REPO / "crm_mall_counter" / "static" / "description" / f"kiosk{suffix}.png"
    page.screenshot(path=str(target))
    print(target)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--lang", default="en_US", help="e.g. fa_IR for right to left")
    args = parser.parse_args()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        page = browser.new_page(viewport={"width": 1400, "height": 860})
        page.goto(f"{args.url}/web/login")
        page.fill("input[name=login]", "admin")
        page.fill("input[name=password]", "admin")
        page.click("button[type=submit]")
        page.wait_for_selector(".o_main_navbar", timeout=60000)
        previous = set_lang(page, args.url, args.lang)
        suffix = "" if args.lang == "en_US" else f"_{args.lang}"
        for addon, name, path in SHOTS:
            page.goto(f"{args.url}{path}")
            page.wait_for_selector(".o_view_controller, .modal-dialog", timeout=60000)
            page.wait_for_timeout(1500)
            target = REPO / addon / "static" / "description" / f"{name}{suffix}.png"
            page.screenshot(path=str(target))
            print(target)
        set_lang(page, args.url, previous)
        shoot_kiosk(page, args.url, args.lang, suffix)
        browser.close()


if __name__ == "__main__":
    main()
