/** @odoo-module */
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";

// A phone scans the QR code (tests/test_pocket.py gives the URL), takes a
// number, and waits on its number's page: the agent calls the queue, the page
// moves without a reload, then shows the counter to go to.
registry.category("web_tour.tours").add("crm_mall_pocket_tour", {
    steps: () => [
        {
            content: "Choose the service",
            trigger: "#pocket_take input[name=service]",
            run: "click",
        },
        {
            content: "Take a number",
            trigger: "#pocket_take button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The number's page listens, one visitor ahead",
            trigger: ".o_crm_mall_pocket_ticket[data-listening='1']",
            run() {
                // lost on a reload: the last step checks the page stayed
                window.crmMallPocketNoReload = true;
            },
        },
        {
            content: "Called: the counter to go to is shown",
            trigger:
                ".o_crm_mall_pocket_ticket[data-state=called] #pocket_counter:contains(Desk A)",
            run() {
                if (!window.crmMallPocketNoReload) {
                    throw new Error("the page was reloaded");
                }
                if (
                    !document
                        .querySelector("#pocket_waiting")
                        .classList.contains("d-none")
                ) {
                    throw new Error("still shown as waiting");
                }
            },
        },
    ],
});
