// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";
import {Interaction} from "@web/public/interaction";
import {digits} from "@crm_mall_counter/digits/persian_digits";

/**
 * The visitor's number on the phone (/queue/ticket/<token>): listens on the
 * number's bus channel (given by the server to a valid token only, see
 * ir.websocket) and shows where the number stands without reloading; when it
 * is called, shows the counter, beeps and vibrates.
 */
export class PocketTicket extends Interaction {
    static selector = ".o_crm_mall_pocket_ticket";

    setup() {
        this.persian = this.el.dataset.persian === "1";
        this.lastState = null;
    }

    async willStart() {
        const bus = this.services.bus_service;
        bus.subscribe("crm_mall_ticket/state", (state) => this.show(state));
        await this.waitFor(bus.addChannel(this.el.dataset.channel));
    }

    start() {
        // tests and the bench wait for this before the queue moves
        this.el.dataset.listening = "1";
    }

    digits(value) {
        return digits(value, this.persian);
    }

    text(id, value) {
        this.el.querySelector(`#${id}`).textContent = value;
    }

    show(state) {
        const called = state.state === "called";
        const waiting = state.state === "waiting";
        this.text("pocket_position", this.digits(state.position));
        this.text("pocket_ahead", this.digits(state.ahead));
        this.text("pocket_wait", state.wait === null ? "—" : this.digits(state.wait));
        this.text("pocket_counter", state.counter || "");
        this.el.querySelector("#pocket_waiting").classList.toggle("d-none", !waiting);
        this.el.querySelector("#pocket_called").classList.toggle("d-none", !called);
        this.el
            .querySelector("#pocket_over")
            .classList.toggle("d-none", waiting || called);
        if (called && this.lastState !== "called") {
            this.alert();
        }
        this.lastState = state.state;
        this.el.dataset.state = state.state;
        this.el.dataset.ahead = state.ahead ?? "";
    }

    alert() {
        if (navigator.vibrate) {
            navigator.vibrate([300, 150, 300, 150, 600]);
        }
        try {
            const audio = new (window.AudioContext || window.webkitAudioContext)();
            const tone = audio.createOscillator();
            tone.frequency.value = 880;
            tone.connect(audio.destination);
            tone.start();
            tone.stop(audio.currentTime + 0.6);
        } catch {
            // no sound on this phone: the page and the vibration tell it
        }
    }
}

registry
    .category("public.interactions")
    .add("crm_mall_counter.pocket_ticket", PocketTicket);
