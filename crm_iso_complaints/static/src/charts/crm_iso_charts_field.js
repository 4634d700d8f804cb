/* License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {Component, onWillStart, useEffect, useRef} from "@odoo/owl";
import {loadBundle} from "@web/core/assets";
import {getColor} from "@web/core/colors/colors";
import {localization} from "@web/core/l10n/localization";
import {_t} from "@web/core/l10n/translation";
import {pyToJsLocale} from "@web/core/l10n/utils";
import {registry} from "@web/core/registry";
import {useService} from "@web/core/utils/hooks";
import {standardFieldProps} from "@web/views/fields/standard_field_props";

/**
 * One chart of the server's crm.iso.chart.get_charts(): Chart.js (the bundle
 * Odoo ships, loaded on demand), right to left for a right-to-left language,
 * numbers in the reader's locale; a click on a bar or a point opens the
 * records behind it (the dataset's model and the point's domain).
 */
export class CrmIsoChart extends Component {
    static template = "crm_iso_complaints.CrmIsoChart";
    static props = {chart: Object};

    setup() {
        this.canvasRef = useRef("canvas");
        this.action = useService("action");
        this.chartJs = null;
        useEffect(
            () => {
                this.renderChart();
                return () => this.chartJs?.destroy();
            },
            () => [this.props.chart]
        );
    }

    get isEmpty() {
        return !this.props.chart.labels.length;
    }

    renderChart() {
        if (this.isEmpty) {
            return;
        }
        const chart = this.props.chart;
        const rtl = localization.direction === "rtl";
        const twoAxes = chart.datasets.some((dataset) => dataset.axis === "y1");
        const datasets = chart.datasets.map((dataset, index) => {
            const color = getColor(index, undefined, chart.datasets.length);
            return {
                label: dataset.label,
                data: dataset.data,
                type: dataset.type || chart.type,
                yAxisID: dataset.axis || "y",
                backgroundColor: color,
                borderColor: color,
                order: dataset.type === "line" ? 0 : 1,
            };
        });
        const scales = {
            x: {reverse: rtl, stacked: chart.stacked},
            y: {
                beginAtZero: true,
                ticks: {precision: 0},
                stacked: chart.stacked,
                position: rtl ? "right" : "left",
            },
        };
        if (twoAxes) {
            scales.y1 = {
                beginAtZero: true,
                ticks: {precision: 0},
                position: rtl ? "left" : "right",
                grid: {drawOnChartArea: false},
            };
        }
        this.chartJs = new window.Chart(this.canvasRef.el, {
            type: chart.type,
            data: {labels: chart.labels, datasets},
            options: {
                locale: pyToJsLocale(localization.code),
                maintainAspectRatio: false,
                // room for the outermost tick labels (the canvas clips them)
                layout: {padding: {left: 32, right: 32, top: 4}},
                interaction: {mode: "nearest", intersect: true},
                scales,
                plugins: {
                    legend: {rtl, textDirection: rtl ? "rtl" : "ltr"},
                    tooltip: {rtl, textDirection: rtl ? "rtl" : "ltr"},
                },
                onClick: (event, elements) => this.openPoint(elements),
                onHover: (event, elements) => {
                    event.native.target.style.cursor = elements.length
                        ? "pointer"
                        : "default";
                },
            },
        });
    }

    /** Open the records behind the clicked bar or point. */
    openPoint(elements) {
        if (!elements.length) {
            return;
        }
        const {datasetIndex, index} = elements[0];
        const chart = this.props.chart;
        const dataset = chart.datasets[datasetIndex];
        this.action.doAction({
            type: "ir.actions.act_window",
            name: `${chart.title}: ${dataset.label} (${chart.labels[index]})`,
            res_model: dataset.model,
            domain: dataset.domains[index],
            views: [
                [false, "list"],
                [false, "form"],
            ],
            target: "current",
        });
    }
}

/** The charts of a Json field holding a list of charts. */
export class CrmIsoChartsField extends Component {
    static template = "crm_iso_complaints.CrmIsoChartsField";
    static components = {CrmIsoChart};
    static props = {...standardFieldProps};

    setup() {
        onWillStart(() => loadBundle("web.chartjs_lib"));
    }

    get charts() {
        return this.props.record.data[this.props.name] || [];
    }
}

export const crmIsoChartsField = {
    component: CrmIsoChartsField,
    displayName: _t("Charts"),
    supportedTypes: ["json"],
};

registry.category("fields").add("crm_iso_charts", crmIsoChartsField);
