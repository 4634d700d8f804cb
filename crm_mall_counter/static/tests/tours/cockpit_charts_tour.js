/** @odoo-module */
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";

/** Click the smallest bar with a value of the chart's first dataset. */
function clickSmallestBar(chartName) {
    const canvas = document.querySelector(
        `.o_crm_iso_chart[data-chart=${chartName}] canvas`
    );
    const chart = window.Chart.getChart(canvas);
    chart.stop(); // bars where they end, not where their animation is
    chart.update("none");
    const values = chart.data.datasets[0].data;
    const smallest = Math.min(...values.filter((value) => value > 0));
    const index = values.indexOf(smallest);
    if (index < 0) {
        throw new Error(`no bar with a value in ${chartName}`);
    }
    window.crmIsoClickedValue = values[index];
    const bar = chart.getDatasetMeta(0).data[index];
    const rect = canvas.getBoundingClientRect();
    const position = bar.getCenterPoint();
    for (const type of ["mousemove", "click"]) {
        canvas.dispatchEvent(
            new MouseEvent(type, {
                clientX: rect.left + position.x,
                clientY: rect.top + position.y,
                bubbles: true,
            })
        );
    }
}

function cockpitChartsSteps(direction) {
    return [
        {
            content: `The cockpit is laid out ${direction}`,
            trigger: direction === "rtl" ? "body.o_rtl" : "body:not(.o_rtl)",
        },
        {
            content: "The counters chart is drawn",
            trigger: ".o_crm_iso_chart[data-chart=counters] canvas",
        },
        {
            content: `The charts read ${direction}, in the reader's months`,
            trigger: ".o_crm_iso_chart[data-chart=complaints_trend] canvas",
            run: () => {
                const canvas = document.querySelector(
                    ".o_crm_iso_chart[data-chart=complaints_trend] canvas"
                );
                const {options, data} = window.Chart.getChart(canvas);
                const rtl = direction === "rtl";
                const persianDigits = /[۰-۹]/.test(data.labels[0]);
                if (
                    options.scales.x.reverse !== rtl ||
                    options.plugins.legend.rtl !== rtl ||
                    persianDigits !== rtl
                ) {
                    throw new Error(`not ${direction}: ${data.labels[0]}`);
                }
            },
        },
        {
            content: "Click the visits of a counter",
            trigger: ".o_crm_iso_chart[data-chart=counters] canvas",
            run: () => clickSmallestBar("counters"),
        },
        {
            content: "The cockpit gives way to the visits behind the bar",
            trigger: "body:not(:has(.o_form_view)) .o_list_view.o_view_controller",
        },
        {
            content: "Exactly the records the bar counted",
            trigger: ".o_list_view.o_view_controller .o_data_row",
            run: () => {
                const rows = document.querySelectorAll(
                    ".o_list_view.o_view_controller .o_data_row"
                );
                if (rows.length !== window.crmIsoClickedValue) {
                    throw new Error(
                        `${rows.length} rows for a bar of ${window.crmIsoClickedValue}`
                    );
                }
            },
        },
    ];
}

registry.category("web_tour.tours").add("crm_mall_cockpit_charts_tour", {
    url: "/odoo/mall-cockpit",
    steps: () => cockpitChartsSteps("ltr"),
});

registry.category("web_tour.tours").add("crm_mall_cockpit_charts_rtl_tour", {
    url: "/odoo/mall-cockpit",
    steps: () => cockpitChartsSteps("rtl"),
});
