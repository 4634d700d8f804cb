/* License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
/*
 * The counter kiosk goes back to its start page after a time without input
 * (data-kiosk-idle seconds, data-kiosk-start on <body>): the next visitor never
 * finds the half-filled answers of the previous one, and the start page picks
 * up the visit an agent has just sent. A sent form cannot be sent twice.
 */
const body = document.body;
const idleSeconds = Number(body.dataset.kioskIdle) || 90;
const startUrl = body.dataset.kioskStart;
let timer = null;

function restart() {
    window.clearTimeout(timer);
    timer = window.setTimeout(
        () => window.location.assign(startUrl),
        idleSeconds * 1000
    );
}

if (startUrl) {
    for (const type of ["pointerdown", "keydown", "input", "change", "scroll"]) {
        document.addEventListener(type, restart, {capture: true, passive: true});
    }
    restart();
}

const form = document.getElementById("kiosk_form");
if (form) {
    form.addEventListener("submit", () => {
        // disabled after the submit event: the browser still sends the form once
        window.setTimeout(() => {
            for (const button of form.querySelectorAll("button[type=submit]")) {
                button.disabled = true;
            }
        });
    });
}
