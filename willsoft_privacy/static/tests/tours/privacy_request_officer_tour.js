import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("willsoft_privacy_request_officer_erasure", {
    steps: () => [
        {
            content: "Open the erasure request from the desk",
            trigger: ".o_kanban_record:contains('Tour Erasure Person')",
            run: "click",
        },
        {
            content: "The request is new",
            trigger:
                ".o_statusbar_status button.o_arrow_button_current:contains('New')",
        },
        {
            content: "Start it",
            trigger: "button[name=action_start]",
            run: "click",
        },
        {
            content: "It is in progress",
            trigger:
                ".o_statusbar_status button.o_arrow_button_current:contains('In progress')",
        },
        {
            content: "Open the answer",
            trigger: ".o_notebook .nav-link:contains('Answer')",
            run: "click",
        },
        {
            content: "Write what was done",
            trigger: "div[name=outcome] textarea",
            run: "edit We deleted your contact details and messages.",
        },
        {
            content: "Complete and send the letter",
            trigger: "button[name=action_done]",
            run: "click",
        },
        {
            content: "It is done",
            trigger:
                ".o_statusbar_status button.o_arrow_button_current:contains('Done')",
        },
        {
            content: "The completion letter is in the chatter",
            trigger: ".o-mail-Message:contains('is completed')",
        },
    ],
});
