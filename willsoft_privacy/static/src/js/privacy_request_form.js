import {loadJS} from "@web/core/assets";
import publicWidget from "@web/legacy/js/public/public_widget";
import {session} from "@web/session";

/**
 * The public privacy forms: when google_recaptcha is installed and
 * configured (its key is then in the session), fetch a reCAPTCHA v3 token
 * before posting; when website_cf_turnstile is, show Cloudflare's Turnstile
 * widget, whose answer goes in the form as `turnstile_captcha`. The server's
 * `_verify_request_recaptcha_token` hook checks both. Without a key the form
 * posts as it is.
 */
publicWidget.registry.WillsoftPrivacyRequestForm = publicWidget.Widget.extend({
    selector: "form.o_privacy_public_form",
    events: {submit: "_onSubmit"},

    start() {
        const siteKey = session.turnstile_site_key;
        if (siteKey && !this.el.querySelector(".cf-turnstile")) {
            const widget = document.createElement("div");
            widget.className = "cf-turnstile mb-3";
            widget.dataset.sitekey = siteKey;
            widget.dataset.action =
                this.el.dataset.captchaAction || "willsoft_privacy_request";
            widget.dataset.responseFieldName = "turnstile_captcha";
            const submit = this.el.querySelector("[type='submit']");
            (submit ? submit.parentNode : this.el).insertBefore(widget, submit);
            loadJS("https://challenges.cloudflare.com/turnstile/v0/api.js");
        }
        return this._super(...arguments);
    },

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
            action: this.el.dataset.captchaAction || "willsoft_privacy_request",
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
