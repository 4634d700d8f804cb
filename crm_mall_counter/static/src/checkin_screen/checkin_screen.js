/** @odoo-module */
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {Component, markup, onWillStart, useState} from "@odoo/owl";
import {deserializeDateTime} from "@web/core/l10n/dates";
import {RPCError} from "@web/core/network/rpc";
import {registry} from "@web/core/registry";
import {useAutofocus, useService} from "@web/core/utils/hooks";
import {useDebounced} from "@web/core/utils/timing";
import {standardActionServiceProps} from "@web/webclient/actions/action_service";

const MODEL = "crm.mall.checkin";

/**
 * The counter's one-page check-in: the visitor's card is looked up while the
 * agent types (crm.mall.checkin.screen_lookup, a read-only RPC, debounced), and
 * one button per kind of subject checks the visitor in and registers it
 * (screen_register); the result, with the complaint's reference, shows on the
 * same page. The server checks everything: this screen only shows.
 */
export class CounterCheckinScreen extends Component {
    static template = "crm_mall_counter.CounterCheckinScreen";
    static props = {...standardActionServiceProps};

    setup() {
        this.orm = useService("orm");
        this.notification = useService("notification");
        this.action = useService("action");
        this.state = useState({
            phone: "",
            name: "",
            email: "",
            consent: false,
            description: "",
            lookup: {queue: [], answers: [], subject_types: []},
            openAnswer: false,
            result: false,
            error: "",
            busy: false,
        });
        // the visitor whose contact fields are shown (prefilled once per visitor)
        this.contactOf = false;
        this.lookupCount = 0;
        useAutofocus({refName: "phone"});
        this.debouncedLookup = useDebounced(() => this.lookup(), 300);
        onWillStart(() => this.lookup());
    }

    get visitor() {
        return this.state.lookup.visitor;
    }

    async lookup() {
        // only the answer to the last request is shown
        const number = ++this.lookupCount;
        const lookup = await this.orm.call(MODEL, "screen_lookup", [], {
            phone: this.state.phone,
            text: this.state.description,
        });
        if (number !== this.lookupCount) {
            return;
        }
        const visitorId = lookup.visitor ? lookup.visitor.id : false;
        if (visitorId !== this.contactOf) {
            this.contactOf = visitorId;
            this.state.email = lookup.visitor ? lookup.visitor.email : "";
            this.state.consent = lookup.visitor ? lookup.visitor.consent : false;
        }
        this.state.lookup = lookup;
    }

    onPhoneInput() {
        this.state.result = false;
        this.state.error = "";
        this.debouncedLookup();
    }

    onDescriptionInput() {
        this.debouncedLookup();
    }

    toggleAnswer(answer) {
        this.state.openAnswer = this.state.openAnswer === answer.id ? false : answer.id;
    }

    answerContent(answer) {
        // the library's content is sanitized when it is written (document_page.py)
        return markup(answer.content);
    }

    formatSince(value) {
        // waiting today: the time is enough
        return deserializeDateTime(value).toLocaleString(luxon.DateTime.TIME_SIMPLE);
    }

    async register(subjectType) {
        this.state.busy = true;
        this.state.error = "";
        this.state.result = false;
        try {
            this.state.result = await this.orm.call(MODEL, "screen_register", [], {
                phone: this.state.phone,
                subject_type: subjectType,
                description: this.state.description,
                name: this.state.name || null,
                email: this.state.email,
                consent: this.state.consent,
            });
            this.state.description = "";
        } catch (error) {
            if (!(error instanceof RPCError) || !error.data) {
                throw error;
            }
            this.state.error = error.data.message;
        } finally {
            this.state.busy = false;
        }
        await this.lookup();
    }

    async printReceipt() {
        // the complainant's 80 mm receipt with the QR code of the tracking link
        const action = await this.orm.call("crm.mall.subject", "action_print_receipt", [
            [this.state.result.subject_id],
        ]);
        await this.action.doAction(action);
    }

    async callNext() {
        // the server picks the visitor (priority first, then the oldest)
        this.state.error = "";
        try {
            const action = await this.orm.call("crm.mall.counter", "action_call_next", [
                [this.state.lookup.counter_id],
            ]);
            this.notification.add(action.params.message, {
                title: action.params.title,
                type: "success",
            });
        } catch (error) {
            if (!(error instanceof RPCError) || !error.data) {
                throw error;
            }
            this.state.error = error.data.message;
        }
        await this.lookup();
    }

    nextVisitor() {
        Object.assign(this.state, {
            phone: "",
            name: "",
            email: "",
            consent: false,
            description: "",
            result: false,
            error: "",
            openAnswer: false,
        });
        return this.lookup();
    }
}

registry.category("actions").add("crm_mall_counter_checkin", CounterCheckinScreen);
