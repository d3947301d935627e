/** @odoo-module **/

import { registry } from "@web/core/registry";

const line = (index) => `.o_field_widget[name=line_ids] .o_data_row:nth-child(${index})`;

function writeCommitment(index) {
    return [
        {
            content: `Open commitment ${index}`,
            trigger: `${line(index)} td[name=commitment]`,
            run: "click",
        },
        {
            content: `Write the concrete product of commitment ${index}`,
            trigger: `${line(index)} td[name=commitment] textarea`,
            run: `edit Sản phẩm cụ thể số ${index}`,
        },
    ];
}

/**
 * The main flow of a grassroots union's leader: open the year's pledge
 * campaign, find the member's new draft pledge, write its concrete products,
 * submit it, approve it, record its result and close the assessment.
 */
registry.category("web_tour.tours").add("union_pledge_tour", {
    url: "/odoo/action-trade_union_emulation.union_pledge_action",
    steps: () => [
        {
            content: "Open the Pledges menu",
            trigger: ".o_menu_sections [data-menu-xmlid='trade_union_emulation.union_pledge_section_menu']",
            run: "click",
        },
        {
            content: "Open the pledge campaign",
            trigger: "[data-menu-xmlid='trade_union_emulation.union_pledge_campaign_wizard_menu']",
            run: "click",
        },
        {
            content: "Create the year's draft pledges",
            trigger: ".modal button[name=action_generate]",
            run: "click",
        },
        {
            // The counts of the notification are asserted by the campaign tests;
            // the notification itself may be gone before a loaded machine looks.
            content: "The campaign dialog closes once the pledges are made",
            trigger: "body:not(:has(.modal))",
        },
        {
            content: "Back to the pledges",
            trigger: ".o_menu_sections [data-menu-xmlid='trade_union_emulation.union_pledge_section_menu']",
            run: "click",
        },
        {
            content: "Open the pledge list",
            trigger: "[data-menu-xmlid='trade_union_emulation.union_pledge_menu']",
            run: "click",
        },
        {
            content: "Open the member's draft pledge",
            trigger: ".o_data_row .o_data_cell:contains('Hoàng Văn Tour')",
            run: "click",
        },
        ...writeCommitment(1),
        ...writeCommitment(2),
        ...writeCommitment(3),
        {
            content: "Submit the pledge",
            trigger: ".o_form_view button[name=action_submit]",
            run: "click",
        },
        {
            content: "Approve the pledge",
            trigger: ".o_form_view button[name=action_approve]",
            run: "click",
        },
        {
            content: "Record the result",
            trigger: ".o_form_view .o_field_widget[name=result] input[data-value=achieved]",
            run: "click",
        },
        {
            content: "Close the assessment",
            trigger: ".o_form_view button[name=action_assess]",
            run: "click",
        },
        {
            content: "The pledge is assessed",
            trigger: ".o_statusbar_status button.o_arrow_button_current[data-value=assessed]",
        },
    ],
});
