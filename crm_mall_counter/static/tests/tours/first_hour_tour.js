/** @odoo-module */
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {fill} from "@odoo/hoot-dom";
import {registry} from "@web/core/registry";

const SCREEN = ".o_crm_mall_checkin_screen";
const RECEIPT = "/report/html/crm_mall_counter.report_counter_receipt/";

async function page(url, init) {
    const response = await fetch(url, init);
    if (!response.ok) {
        throw new Error(`${url}: HTTP ${response.status}`);
    }
    return new DOMParser().parseFromString(await response.text(), "text/html");
}

function text(doc, selector) {
    const node = doc.querySelector(selector);
    if (!node) {
        throw new Error(`${selector} not found`);
    }
    return node.textContent.trim();
}

const KEY = "crm_mall_first_hour_receipt";

/** The receipt's times and tracking link, kept for the page after logout. */
async function readReceiptAndLogOut() {
    const result = document.querySelector(`${SCREEN} .o_crm_mall_checkin_result`);
    const receipt = await page(RECEIPT + result.dataset.subjectId);
    const link = new URL(
        receipt.querySelector(".o_crm_iso_receipt_qr").dataset.trackingUrl
    );
    const times = [
        text(receipt, ".o_crm_iso_receipt_received"),
        text(receipt, ".o_crm_iso_receipt_deadline"),
    ];
    sessionStorage.setItem(KEY, JSON.stringify(times));
    // logged out, as the complainant scanning the QR code
    window.location.href = `/web/session/logout?redirect=${encodeURIComponent(
        link.pathname + link.search
    )}`;
}

/** The tracking page, without a session, reads the receipt's clock. */
function sameClockAsTheReceipt() {
    // logged out: the page offers to sign in
    if (!document.querySelector("a[href='/web/login']")) {
        throw new Error("the tracking page was opened with a session");
    }
    const [received, deadline] = JSON.parse(sessionStorage.getItem(KEY));
    const times = [
        text(document, ".o_crm_iso_track_received"),
        text(document, ".o_crm_iso_track_deadline"),
    ];
    if (times[0] !== received || times[1] !== deadline) {
        throw new Error(
            `receipt ${received} / ${deadline}, tracking page ${times.join(" / ")}`
        );
    }
    console.log(`first hour: received ${received}, answer by ${deadline}`);
}

// A demo agent right after installation (see tests/test_first_hour_tour.py).
registry.category("web_tour.tours").add("crm_mall_first_hour_tour", {
    steps: () => [
        {
            content: "The agent lands on the check-in screen, on shift at a counter",
            trigger: `${SCREEN} input[name=phone]`,
        },
        {
            content: "A demo visitor's phone",
            trigger: `${SCREEN} input[name=phone]`,
            run: async () => {
                document.querySelector(`${SCREEN} input[name=phone]`).focus();
                await fill("09120000007");
            },
        },
        {
            content: "Their card",
            trigger: `${SCREEN} .o_crm_mall_visitor_card`,
        },
        {
            content: "Describe the complaint",
            trigger: `${SCREEN} textarea[name=description]`,
            run: "edit The lift on floor 2 is out of order",
        },
        {
            content: "Register it as a complaint",
            trigger: `${SCREEN} button[name=register_complaint]:enabled`,
            run: "click",
        },
        {
            content: "No error: the agent is on shift",
            trigger: `${SCREEN} .o_crm_mall_checkin_result .o_crm_mall_reference`,
        },
        {
            content: "Print the receipt",
            trigger: `${SCREEN} .o_crm_mall_print_receipt`,
            run: "click",
        },
        {
            content: "Read the receipt, log out, open its tracking link",
            trigger: `${SCREEN} .o_crm_mall_checkin_result[data-subject-id]`,
            run: readReceiptAndLogOut,
            expectUnloadPage: true,
        },
        {
            content: "The tracking page reads the receipt's clock",
            trigger: "#crm_iso_complaint_tracking .o_crm_iso_track_deadline",
            run: sameClockAsTheReceipt,
        },
    ],
});
