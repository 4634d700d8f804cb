/** @odoo-module */
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";
import {formatDate} from "@web/core/l10n/dates";

const {DateTime} = luxon;

// The senior manager reviews a submitted QC report and orders the cleaning of
// its failed item. The data (an inspection of "Tour food court" with the
// failed "Tables clean" item, the "Tour Cleaning Staff" user) comes from
// tests/test_tour_qc_review.py, which checks the result in the database.
const ZONE = "Tour food court";
const ORDER = "Clean and disinfect every food court table";
const ASSIGNEE = "Tour Cleaning Staff";

registry.category("web_tour.tours").add("crm_mall_qc_review_tour", {
    url: "/odoo/mall-cockpit",
    steps: () => [
        {
            content: "From the management cockpit, see the inspections",
            trigger: ".o_form_view button[name=action_open_inspections]",
            run: "click",
        },
        {
            content: "Open the filters",
            trigger: ".o_control_panel .o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "Keep the reports waiting for a review",
            trigger: ".o_filter_menu .dropdown-item:contains('To review')",
            run: "click",
        },
        {
            content: "The filter is on",
            trigger: ".o_searchview_facet:contains('To review')",
        },
        {
            content: "Open the report of the tour zone",
            trigger: `.o_list_renderer .o_data_row:contains('${ZONE}') td[name=zone]`,
            run: "click",
        },
        {
            content: "The report is submitted",
            trigger:
                ".o_statusbar_status button.o_arrow_button_current[data-value=submitted]",
        },
        {
            content: "One item failed",
            trigger: ".o_form_view div[name=failed_count] span:text(1)",
        },
        {
            content: "The failed item is shown in red",
            trigger:
                "div[name=line_ids] .o_data_row.text-danger:contains('Tables clean')",
        },
        {
            content: "The items that passed are not",
            trigger:
                "div[name=line_ids] .o_data_row:not(.text-danger):contains('Smell')",
        },
        {
            content: "Comment on the report",
            trigger: ".o_form_view div[name=review_comment] textarea",
            run: "edit The tables were dirty at noon.",
        },
        {
            content: "Order an action on the failed item",
            trigger: ".o_form_view button[name=action_order_from_failed]",
            run: "click",
        },
        {
            content: "Open the new action order",
            trigger:
                "div[name=action_order_ids] .o_data_row:contains('Tables clean') td[name=name]",
            run: "click",
        },
        {
            content: "Say what is to be done",
            trigger: ".modal div[name=name] input",
            run: `edit ${ORDER}`,
        },
        {
            content: "Assign it",
            trigger: ".modal div[name=user_id] input",
            run: `edit ${ASSIGNEE}`,
        },
        {
            content: "Pick the cleaning staff member",
            trigger: `.o-autocomplete--dropdown-item > a:contains('${ASSIGNEE}')`,
            run: "click",
        },
        {
            content: "The staff member is picked",
            trigger: `.modal div[name=user_id] input:value('${ASSIGNEE}')`,
        },
        {
            content: "Open the deadline",
            trigger: ".modal div[name=date_deadline] button",
            run: "click",
        },
        {
            content: "Give a week",
            trigger: ".modal div[name=date_deadline] input",
            run: `edit ${formatDate(DateTime.now().plus({days: 7}))} && press Enter`,
        },
        {
            content: "Save the action order",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The order is listed with its assignee",
            trigger: `div[name=action_order_ids] .o_data_row:contains('${ORDER}'):contains('${ASSIGNEE}')`,
        },
        {
            content: "Approve the report",
            trigger: ".o_form_view button[name=action_approve]",
            run: "click",
        },
        {
            content: "The report is approved",
            trigger:
                ".o_statusbar_status button.o_arrow_button_current[data-value=approved]",
        },
        {
            content: "The manager is its reviewer",
            trigger: ".o_form_view div[name=reviewer_id]:contains('Tour Manager')",
        },
        {
            content: "It can no longer be approved or returned",
            trigger:
                ".o_form_view .o_form_statusbar:not(:has(button[name=action_approve])):not(:has(button[name=action_return]))",
        },
        {
            content: "The saved action order is still listed",
            trigger: `div[name=action_order_ids] .o_data_row:contains('${ORDER}'):contains('${ASSIGNEE}')`,
        },
    ],
});
