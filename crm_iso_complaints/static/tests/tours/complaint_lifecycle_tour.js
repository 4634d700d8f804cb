/** @odoo-module */
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";

const FORM = ".o_form_view";

// The statusbar shows the current state as a button, or, when the header is
// too narrow for every state, as the label of its dropdown.
function state(value, label) {
    const bar = `${FORM} .o_statusbar_status`;
    return {
        content: `The complaint is now ${label}`,
        trigger: [
            `${bar} button[data-value='${value}'][aria-checked='true']:visible`,
            `${bar} .dropdown-toggle:visible:contains('${label}')`,
        ].join(", "),
    };
}

function press(button, content) {
    return {
        content,
        trigger: `${FORM} .o_statusbar_buttons button[name='${button}']`,
        run: "click",
    };
}

function select(field, label) {
    return [
        {
            content: `Open ${field}`,
            trigger: `${FORM} div[name='${field}'] .o_select_menu_toggler`,
            run: "click",
        },
        {
            content: `${field}: ${label}`,
            trigger: `.o_select_menu_item:contains('${label}')`,
            run: "click",
        },
        {
            // the choice is in the field (its onchange answered) before the
            // next step: on a loaded machine a step could outrun it
            content: `${field} shows ${label}`,
            trigger: `${FORM} div[name='${field}'] input:value("${label}")`,
        },
    ];
}

function save() {
    return [
        {
            content: "Save",
            trigger: `${FORM} .o_form_button_save`,
            run: "click",
        },
        {
            // the save's reply is in: the form is clean again (no save button)
            content: "Saved",
            trigger: `${FORM} .o_form_saved:not(:has(.o_form_button_save:visible))`,
        },
    ];
}

registry.category("web_tour.tours").add("crm_iso_complaint_lifecycle_tour", {
    url: "/odoo/complaints",
    steps: () => [
        {
            content: "Find the complaint in the list",
            trigger:
                ".o_list_view .o_data_row td[name='name']:contains('Tour: escalator stopped')",
            run: "click",
        },
        state("received", "Received"),
        press("action_acknowledge", "Acknowledge it (the complainant is mailed)"),
        state("acknowledged", "Acknowledged"),
        {
            content: "Open the complaint handling tab",
            trigger: `${FORM} .o_notebook a[name='complaint']`,
            run: "click",
        },
        ...select("complaint_severity", "Major"),
        ...select("complaint_impact", "Several customers"),
        {
            content: "It is an eligible complaint",
            trigger: `${FORM} div[name='is_eligible_complaint'] input`,
            run: "click",
        },
        ...save(),
        press("action_assess", "Confirm the assessment"),
        state("assessed", "Assessed"),
        press("action_start_investigation", "Investigate"),
        state("investigation", "Under investigation"),
        {
            content: "Record the findings",
            trigger: `${FORM} .o_field_html[name='complaint_investigation_findings'] .odoo-editor-editable`,
            run: "editor The escalator's safety sensor was faulty.",
        },
        ...select("complaint_remedy", "Apology"),
        {
            content: "Write the response to the complainant",
            trigger: `${FORM} .o_field_html[name='complaint_response'] .odoo-editor-editable`,
            run: "editor We replaced the sensor and apologise.",
        },
        ...save(),
        press("action_propose_response", "Send the decision"),
        {
            content: "Confirm sending it",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        state("response", "Response proposed"),
        press("action_customer_accept", "The complainant accepts"),
        {
            content: "The accept buttons are gone",
            trigger: `${FORM} .o_statusbar_buttons:not(:has(button[name='action_customer_accept']))`,
        },
        press("action_close", "Close the complaint"),
        state("closed", "Closed"),
    ],
});
