#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Screenshots of the main screens, for each addon's static/description.

    pip install playwright   # the Python driver only: Debian's chromium is used
    make run                 # in another terminal (demo data)
    python3 tools/screenshots.py [--url http://127.0.0.1:8069]

Logs in as admin/admin in headless Debian Chromium and saves PNGs next to each
addon's icon; the readme fragments show them. A screen is (addon, file name, URL
path, steps): each step fills a field (selector, text) or clicks (selector, None)
before the shot; ``{review}`` in a path is a management review of the last 90 days
that the script opens (or creates) and pulls the suite's inputs into. The first run
also opens a nonconformity per root cause of the demo complaints (improvement log).
``--only crm_plan ...`` shoots only those screens of ``SHOTS``.
``--lang fa_IR`` switches admin to Persian for the run (right to left: Odoo needs
rtlcss, see README) and back, and names the files ``<screen>_fa_IR.png``.
"""

import argparse
from datetime import date, datetime, timedelta
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
ACTION = "/odoo/action-"
# a chart's title: clicking it scrolls the chart into view
CHART = ".o_crm_iso_chart[data-chart={}] .card-header"
SHOTS = (
    ("crm_iso_complaints", "complaints_list", "/odoo/complaints", ()),
    ("crm_iso_complaints", "complaint_kpis", "/odoo/complaint-kpis", ()),
    (
        "crm_iso_complaints",
        "corrective_actions",
        ACTION + "crm_iso_complaints.action_crm_iso_corrective_actions",
        (),
    ),
    (
        "crm_iso_complaints",
        "improvement_log",
        ACTION + "crm_iso_complaints.action_crm_iso_improvement_log",
        (("tr.o_group_header >> nth=1", None), ("tr.o_group_header >> nth=0", None)),
    ),
    (
        "crm_iso_complaints",
        "management_review",
        "/odoo/mgmtsystem-reviews/{review}",
        (("a[name=crm_iso_inputs]", None),),
    ),
    ("crm_iso_surveys", "satisfaction_kpis", "/odoo/satisfaction-kpis", ()),
    ("crm_mall_counter", "counter_board", "/odoo/counter-board", ()),
    (
        "crm_mall_counter",
        "checkin",
        "/odoo/counter-checkin",
        (
            ("input[name=phone]", "09120000007"),
            ("textarea[name=description]", "Where is the parking?"),
            (".o_crm_mall_answers button", None),
        ),
    ),
    (
        "crm_mall_counter",
        "answer_library",
        ACTION + "crm_mall_counter.action_crm_mall_answers",
        (),
    ),
    ("crm_mall_counter", "cockpit", "/odoo/mall-cockpit", ()),
    (
        "crm_mall_counter",
        "cockpit_charts",
        "/odoo/mall-cockpit",
        ((CHART.format("counters"), None),),
    ),
    ("crm_iso_complaints", "complaint_dashboard", "/odoo/complaint-dashboard", ()),
    ("crm_iso_surveys", "satisfaction_dashboard", "/odoo/satisfaction-dashboard", ()),
    (
        "crm_mall_counter",
        "calls",
        ACTION + "crm_mall_counter.action_crm_mall_call",
        (),
    ),
    (
        "crm_mall_counter",
        "qc_inspections",
        ACTION + "crm_mall_counter.action_crm_mall_qc_inspections",
        (),
    ),
    (
        "crm_iso_complaints",
        "integrity_check",
        ACTION + "crm_iso_complaints.action_crm_iso_integrity_check",
        (),
    ),
    (
        "crm_mall_counter",
        "crm_plan",
        ACTION + "crm_mall_counter.action_crm_mall_plan",
        ((".o_data_row >> nth=0", None),),
    ),
    (
        "crm_mall_counter",
        "competence_matrix",
        ACTION + "crm_mall_counter.action_crm_mall_competence",
        ((".o_switch_view.o_pivot", None),),
    ),
    (
        "crm_mall_counter",
        "competitor_comparison",
        ACTION + "crm_mall_counter.action_crm_mall_competitor_report",
        (),
    ),
    (
        "crm_iso_complaints",
        "iso10002_audit",
        ACTION + "crm_iso_complaints.action_crm_iso_audits",
        ((".o_data_row >> nth=0", None),),
    ),
)
#: the demo agent the first-hour shots log in as (on shift: see the README's "Try it")
AGENT = "demo_agent_1"
#: a demo visitor's phone, as the agent types it
VIEWPORT = {"width": 1400, "height": 860}
#: the demo mall's time zone: the browsers of its staff and screens
MALL_TZ = "Asia/Tehran"
VISITOR_PHONE, E164 = "09120000007", "+989120000007"
REVIEW_NAMES = {"fa_IR": "بازنگری مدیریت سه ماه گذشته"}

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


def nonconformities(page, url):
    """Open a nonconformity for the complaints of each root cause, once."""
    Nonconformity, Ticket = "mgmtsystem.nonconformity", "helpdesk.ticket"
    if call(
        page, url, Nonconformity, "search", [[("crm_iso_root_cause_id", "!=", False)]]
    ):
        return
    complaints = call(
        page,
        url,
        Ticket,
        "search_read",
        [[("complaint_root_cause_id", "!=", False)], ["complaint_root_cause_id"]],
    )
    for cause in {c["complaint_root_cause_id"][0] for c in complaints}:
        ids = [c["id"] for c in complaints if c["complaint_root_cause_id"][0] == cause]
        call(page, url, Ticket, "action_nonconformity_create", [ids])


def review(page, url, lang):
    """The id of an open management review of the last 90 days (created the
    first time), its inputs pulled again in ``lang``."""
    name = REVIEW_NAMES.get(lang, "Management review, last quarter")
    found = call(page, url, "mgmtsystem.review", "search", [[("name", "=", name)]])
    review_id = found[0] if found else None
    if not review_id:
        review_id = call(
            page,
            url,
            "mgmtsystem.review",
            "create",
            [
                {
                    "name": name,
                    "date": datetime.now().strftime("%Y-%m-%d %H:%M:%S"),
                    "crm_iso_date_from": str(date.today() - timedelta(days=90)),
                    "crm_iso_date_to": str(date.today()),
                }
            ],
        )
    call(
        page,
        url,
        "mgmtsystem.review",
        "action_crm_iso_pull_inputs",
        [[review_id]],
        context={"lang": lang},
    )
    return review_id


def shoot_kiosk(page, url, lang, suffix):
    """The counter tablet's survey page (public, opened with the demo tablet's
    known link: tokens are stored hashed, see crm_mall_counter/readme/USAGE.md)."""
    language = "fa" if lang.startswith("fa") else "en"
    page.goto(f"{url}/kiosk/demo-ground-floor-kiosk?language={language}")
    page.wait_for_selector("form", timeout=60000)
    target = REPO / "crm_mall_counter" / "static" / "description" / f"kiosk{suffix}.png"
    page.screenshot(path=str(target))
    print(target)


def login(page, url, user):
    """Log ``user`` in (the demo's passwords are the logins)."""
    page.goto(f"{url}/web/login")
    page.fill("input[name=login]", user)
    page.fill("input[name=password]", user)
    page.click("button[type=submit]")
    page.wait_for_selector(".o_main_navbar", timeout=60000)


def shoot_public(page, url, lang, suffix):
    """The waiting-room screen and a complaint's tracking page, logged out."""
    language = "fa" if lang.startswith("fa") else "en"
    description = REPO / "crm_mall_counter" / "static" / "description"
    page.goto(f"{url}/mall/display/demo-waiting-room?lang={language}")
    page.wait_for_selector("#display_calls", timeout=60000)
    page.screenshot(path=str(description / f"waiting_room{suffix}.png"))
    print(description / f"waiting_room{suffix}.png")


def shoot_agent(browser, url, lang, suffix):
    """What a demo agent sees after login (their landing screen: check-in),
    a demo visitor's complaint registered, and that complaint's tracking page
    opened without a session, in ``lang``."""
    context = browser.new_context(viewport=VIEWPORT, timezone_id=MALL_TZ)
    page = context.new_page()
    login(page, url, AGENT)
    previous = set_lang(page, url, lang)
    # a new session: its assets follow the new language (right to left or not)
    page.goto(f"{url}/web/session/logout")
    login(page, url, AGENT)
    page.goto(f"{url}/odoo")
    screen = ".o_crm_mall_checkin_screen"
    page.wait_for_selector(f"{screen} input[name=phone]", timeout=60000)
    page.fill(f"{screen} input[name=phone]", VISITOR_PHONE)
    page.wait_for_selector(f"{screen} .o_crm_mall_visitor_card", timeout=60000)
    page.fill(f"{screen} textarea[name=description]", "The lift on floor 2 is broken")
    page.click(f"{screen} button[name=register_complaint]")
    result = page.wait_for_selector(
        f"{screen} .o_crm_mall_checkin_result[data-subject-id]"
    )
    page.wait_for_timeout(800)
    description = REPO / "crm_mall_counter" / "static" / "description"
    page.screenshot(path=str(description / f"checkin_agent{suffix}.png"))
    print(description / f"checkin_agent{suffix}.png")
    receipt = page.evaluate(
        "async (path) => (await fetch(path)).text()",
        "/report/html/crm_mall_counter.report_counter_receipt/"
        + result.get_attribute("data-subject-id"),
    )
    tracking = receipt.split('data-tracking-url="', 1)[1].split('"', 1)[0]
    set_lang(page, url, previous)
    context.close()
    public = browser.new_page(
        viewport={"width": 1000, "height": 700}, timezone_id=MALL_TZ
    )
    public.goto(tracking.replace("&amp;", "&"))
    public.wait_for_selector("#crm_iso_complaint_tracking", timeout=60000)
    target = REPO / "crm_iso_complaints" / "static" / "description"
    public.screenshot(path=str(target / f"tracking_page{suffix}.png"))
    print(target / f"tracking_page{suffix}.png")
    public.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--lang", default="en_US", help="e.g. fa_IR for right to left")
    parser.add_argument(
        "--only", nargs="+", metavar="SCREEN", help="only these screens of SHOTS"
    )
    args = parser.parse_args()
    shots = [shot for shot in SHOTS if not args.only or shot[1] in args.only]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        # the mall's computers run on the mall's clock
        page = browser.new_page(viewport=VIEWPORT, timezone_id=MALL_TZ)
        login(page, args.url, "admin")
        previous = set_lang(page, args.url, args.lang)
        suffix = "" if args.lang == "en_US" else f"_{args.lang}"
        # a first page in the new language: the right-to-left assets are built
        page.goto(f"{args.url}/odoo")
        page.wait_for_selector(".o_main_navbar", timeout=60000)
        nonconformities(page, args.url)
        review_id = review(page, args.url, args.lang)
        for addon, name, path, steps in shots:
            page.goto(f"{args.url}{path.format(review=review_id)}")
            page.wait_for_selector(
                ".o_view_controller, .modal-dialog, .o_crm_mall_checkin_screen",
                timeout=60000,
            )
            page.wait_for_timeout(1500)
            for selector, text in steps:
                if text is None:
                    page.click(selector)
                else:
                    page.fill(selector, text)
                page.wait_for_timeout(800)
            page.wait_for_timeout(700 if steps else 0)
            target = REPO / addon / "static" / "description" / f"{name}{suffix}.png"
            page.screenshot(path=str(target))
            print(target)
        set_lang(page, args.url, previous)
        if args.only:
            browser.close()
            return
        shoot_kiosk(page, args.url, args.lang, suffix)
        shoot_public(page, args.url, args.lang, suffix)
        # the tracking page speaks the complainant's language: the run's, for the shot
        visitor = call(
            page, args.url, "res.partner", "search", [[("crm_mall_phone", "=", E164)]]
        )
        lang = call(page, args.url, "res.partner", "read", [visitor, ["lang"]])
        call(page, args.url, "res.partner", "write", [visitor, {"lang": args.lang}])
        shoot_agent(browser, args.url, args.lang, suffix)
        call(
            page, args.url, "res.partner", "write", [visitor, {"lang": lang[0]["lang"]}]
        )
        browser.close()


if __name__ == "__main__":
    main()
