import { loadJS } from "@web/core/assets";
import publicWidget from "@web/legacy/js/public/public_widget";
import { session } from "@web/session";

/**
 * The public privacy request form: when google_recaptcha is installed and
 * configured (its key is then in the session), fetch a reCAPTCHA v3 token
 * before posting, for the server's `_verify_request_recaptcha_token` hook.
 * Without a key the form posts as it is.
 */
publicWidget.registry.WillsoftPrivacyRequestForm = publicWidget.Widget.extend({
    selector: "form.o_privacy_public_form",
    events: { submit: "_onSubmit" },

    async _onSubmit(ev) {
        const publicKey = session.recaptcha_public_key;
        if (!publicKey || this._tokenAdded) {
            return;
        }
        ev.preventDefault();
        await loadJS(
            `https://www.recaptcha.net/recaptcha/api.js?render=${encodeURIComponent(publicKey)}`
        );
        await new Promise((resolve) => window.grecaptcha.ready(resolve));
        const token = await window.grecaptcha.execute(publicKey, {
            action: "willsoft_privacy_request",
        });
        const input = document.createElement("input");
        input.type = "hidden";
        input.name = "recaptcha_token_response";
        input.value = token;
        this.el.appendChild(input);
        this._tokenAdded = true;
        this.el.submit();
    },
});
