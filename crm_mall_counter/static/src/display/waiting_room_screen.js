// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";
import {Interaction} from "@web/public/interaction";
import {digits} from "@crm_mall_counter/digits/persian_digits";

/**
 * The waiting-room screen (/mall/display/<token>): listens on its screen's bus
 * channel and puts each number called on top, highlighted, without reloading.
 * The server gives the channel only to a valid token (ir.websocket); a revoked
 * or replaced token makes the screen reload, onto the refusal page.
 */
export class WaitingRoomScreen extends Interaction {
    static selector = ".o_crm_mall_display";

    setup() {
        this.persian = this.el.dataset.persian === "1";
        this.counters = JSON.parse(this.el.dataset.counters || "{}");
        this.maxRows = parseInt(this.el.dataset.maxRows, 10) || 10;
        this.tbody = this.el.querySelector("#display_calls tbody");
    }

    async willStart() {
        const bus = this.services.bus_service;
        bus.subscribe("crm_mall_display/called", ({calls}) => this.showCalls(calls));
        bus.subscribe("crm_mall_display/revoked", () => window.location.reload());
        await this.waitFor(bus.addChannel(this.el.dataset.channel));
    }

    start() {
        // tests wait for this before a call is announced
        this.el.dataset.listening = "1";
    }

    digits(text) {
        return digits(text, this.persian);
    }

    counterName(call) {
        return (
            this.counters[call.counter_id]?.name ||
            call.counter_name ||
            call.counter_code
        );
    }

    /** @param {Array} calls the numbers just called, newest first */
    showCalls(calls) {
        const fresh = calls.filter(
            (call) => !this.tbody.querySelector(`tr[data-visit="${Number(call.id)}"]`)
        );
        if (!fresh.length) {
            return;
        }
        for (const call of [...fresh].reverse()) {
            const row = document.createElement("tr");
            row.dataset.visit = call.id;
            for (const [name, text] of [
                ["number", this.digits(call.number)],
                ["counter", this.counterName(call)],
                ["time", this.digits(call.time)],
            ]) {
                const cell = document.createElement("td");
                cell.className = name;
                cell.textContent = text;
                row.append(cell);
            }
            this.tbody.prepend(row);
        }
        for (const row of this.tbody.querySelectorAll("tr")) {
            row.classList.remove("o_newest");
        }
        this.tbody.firstElementChild.classList.add("o_newest");
        for (const row of [...this.tbody.querySelectorAll("tr")].slice(this.maxRows)) {
            row.remove();
        }
        const now = this.el.querySelector("#display_now");
        now.querySelector(".number").textContent = this.digits(fresh[0].number);
        now.querySelector(".name").textContent = this.counterName(fresh[0]);
        this.el.querySelector("#display_empty").classList.add("d-none");
    }
}

registry
    .category("public.interactions")
    .add("crm_mall_counter.waiting_room_screen", WaitingRoomScreen);
