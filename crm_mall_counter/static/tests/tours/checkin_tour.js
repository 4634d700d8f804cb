/** @odoo-module */
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("crm_mall_checkin_tour", {
    url: "/odoo/counter-checkin",
    steps: () => [
        {
            content: "Type the visitor's phone in Persian digits",
            trigger: ".modal div[name=phone] input",
            run: "edit ۰۹۱۲۷۷۷۶۶۵۵ && press Tab",
        },
        {
            content: "The number is read as +989127776655",
            trigger: ".modal div[name=phone_e164]:contains('+989127776655')",
        },
        {
            content: "A new visitor: type the name",
            trigger: ".modal div[name=name] input",
            run: "edit Tour Visitor",
        },
        {
            content: "Check in",
            trigger: ".modal button[name=action_checkin]",
            run: "click",
        },
        {
            content: "Register a subject",
            trigger:
                ".o_form_view div[name=subject_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "Open the subject types",
            trigger:
                ".o_data_row.o_selected_row div[name=subject_type] .o_select_menu_toggler",
            run: "click",
        },
        {
            content: "It is a complaint",
            trigger: ".o_select_menu_item:contains('Complaint')",
            run: "click",
        },
        {
            content: "Describe it",
            trigger:
                ".o_data_row.o_selected_row div[name=description] input, .o_data_row.o_selected_row div[name=description] textarea",
            run: "edit The escalator stopped",
        },
        {
            content: "Save the visit",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The complaint ticket was created at once",
            trigger:
                ".o_data_row div[name=ticket_id]:not(:empty), .o_data_row td[name=ticket_id]:not(:empty)",
        },
    ],
});
