/** @odoo-module */
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {fill} from "@odoo/hoot-dom";
import {registry} from "@web/core/registry";

const SCREEN = ".o_crm_mall_checkin_screen";
// clicks since the journey started, the screen's node and URL then
const journey = {clicks: 0, screen: null, url: ""};

function startJourney() {
    journey.clicks = 0;
    journey.screen = document.querySelector(SCREEN);
    journey.url = window.location.href;
    document.addEventListener("click", () => journey.clicks++, true);
}

/** The phone field has the focus: type into it without a click. */
function typeInFocusedPhone(number) {
    return async () => {
        if (!document.activeElement.matches(`${SCREEN} input[name=phone]`)) {
            throw new Error("the phone field does not have the focus");
        }
        await fill(number);
    };
}

/** The same page, the same URL, at most ``max`` clicks. */
function checkJourney(max) {
    return () => {
        if (journey.screen !== document.querySelector(SCREEN)) {
            throw new Error("the check-in screen was replaced");
        }
        if (window.location.href !== journey.url) {
            throw new Error(`the URL changed: ${window.location.href}`);
        }
        if (!journey.clicks) {
            throw new Error("no click counted: the click counter is broken");
        }
        if (journey.clicks > max) {
            throw new Error(`${journey.clicks} clicks, at most ${max} expected`);
        }
        console.log(`check-in journey: ${journey.clicks} clicks`);
    };
}

// A known visitor (see tests/test_tours.py): phone -> card -> complaint, two clicks.
registry.category("web_tour.tours").add("crm_mall_checkin_tour", {
    url: "/odoo/counter-checkin",
    steps: () => [
        {
            content: "The counter's screen opens on the phone field",
            trigger: `${SCREEN} input[name=phone]`,
            run: startJourney,
        },
        {
            content: "Type the visitor's phone in Persian digits (no click)",
            trigger: `${SCREEN} input[name=phone]`,
            run: typeInFocusedPhone("۰۹۱۲۷۷۷۶۶۵۵"),
        },
        {
            content: "The card of the known visitor shows as typed",
            trigger: `${SCREEN} .o_crm_mall_visitor_card:contains('Tour Known Visitor')`,
        },
        {
            content: "Their open complaint with its reference and state",
            trigger: `${SCREEN} .o_crm_mall_open_complaints li:contains('Received')`,
        },
        {
            content: "Their email is prefilled",
            trigger: `${SCREEN} input[name=email]:value('known@example.com')`,
        },
        {
            content: "Describe the subject (click 1)",
            trigger: `${SCREEN} textarea[name=description]`,
            run: "edit The escalator stopped",
        },
        {
            content: "Register it as a complaint (click 2)",
            trigger: `${SCREEN} button[name=register_complaint]:enabled`,
            run: "click",
        },
        {
            content: "The complaint's reference shows on the same page",
            trigger: `${SCREEN} .o_crm_mall_checkin_result .o_crm_mall_reference`,
            run: checkJourney(2),
        },
    ],
});

// A new visitor: name, email and consent typed on the same screen.
registry.category("web_tour.tours").add("crm_mall_checkin_new_visitor_tour", {
    url: "/odoo/counter-checkin",
    steps: () => [
        {
            content: "Type a new phone number",
            trigger: `${SCREEN} input[name=phone]`,
            run: typeInFocusedPhone("09127776600"),
        },
        {
            content: "A new visitor",
            trigger: `${SCREEN} .o_crm_mall_new_visitor`,
        },
        {
            content: "Their name",
            trigger: `${SCREEN} input[name=name]`,
            run: "edit Tour New Visitor",
        },
        {
            content: "Their email",
            trigger: `${SCREEN} input[name=email]`,
            run: "edit new.visitor@example.com",
        },
        {
            content: "They agree to be contacted",
            trigger: `${SCREEN} input[name=consent]`,
            run: "check",
        },
        {
            content: "Describe the subject",
            trigger: `${SCREEN} textarea[name=description]`,
            run: "edit The toilets on floor 2 are closed",
        },
        {
            content: "Register it as a complaint",
            trigger: `${SCREEN} button[name=register_complaint]:enabled`,
            run: "click",
        },
        {
            content: "The reference shows",
            trigger: `${SCREEN} .o_crm_mall_checkin_result .o_crm_mall_reference`,
        },
        {
            content: "The new visitor now has a card, their email kept",
            trigger: `${SCREEN} .o_crm_mall_visitor_card:contains('Tour New Visitor')`,
        },
    ],
});
