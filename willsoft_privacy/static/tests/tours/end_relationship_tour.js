import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("willsoft_privacy_end_relationship", {
    steps: () => [
        {
            content: "Open the customer from the privacy register",
            trigger: ".o_list_view .o_data_row td:contains('Tour Customer Oy')",
            run: "click",
        },
        {
            content: "Open the Privacy tab",
            trigger: ".o_notebook .nav-link:contains('Privacy')",
            run: "click",
        },
        {
            content: "The customer is active",
            trigger: "div[name=privacy_state_info]:contains('Active')",
        },
        {
            content: "End the customer relationship",
            trigger: "button[name=action_privacy_end_relationship]",
            run: "click",
        },
        {
            content: "Give the reason",
            trigger: ".modal div[name=reason] input",
            run: "edit Contract terminated",
        },
        {
            content: "Confirm",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The form shows the anonymisation date",
            trigger:
                "div[name=privacy_state_info]:contains('Ended, anonymisation due on')",
        },
    ],
});
