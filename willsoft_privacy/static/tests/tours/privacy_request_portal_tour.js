import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("willsoft_privacy_request_portal_copy", {
    url: "/my/privacy",
    steps: () => [
        {
            content: "The page tells what is held about the person",
            trigger: "#privacy_holdings:contains('Tour Portal Customer')",
        },
        {
            content: "Ask for a copy of my data",
            trigger: "select#privacy_kind",
            run: "select access",
        },
        {
            content: "Say why",
            trigger: "textarea#privacy_description",
            run: "edit I want to see everything you have.",
        },
        {
            content: "Send the request",
            trigger: "form.o_privacy_new_request button[type=submit]",
            run: "click",
        },
        {
            content: "The request is answered at once",
            trigger: ".o_privacy_request_page .badge:contains('Done')",
        },
        {
            content: "The messages tell the export is ready",
            trigger:
                "#chatterRoot:shadow .o-mail-Message:contains('Your data export is ready')",
        },
        {
            content: "Download the export",
            trigger: "a.o_privacy_export_json",
            async run() {
                const response = await fetch(this.anchor.href);
                if (!response.ok) {
                    throw new Error(`The export link answered ${response.status}`);
                }
                const data = await response.json();
                if (data.schema !== "willsoft_privacy.export/1") {
                    throw new Error("The export has no schema");
                }
                const person = data.categories.partner.records[0];
                if (person.email !== "tour.portal@example.com") {
                    throw new Error("The export is not the person's");
                }
                document.body.classList.add("o_privacy_export_downloaded");
            },
        },
        {
            content: "The export was read",
            trigger: "body.o_privacy_export_downloaded",
        },
    ],
});
