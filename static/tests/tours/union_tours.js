/** @odoo-module **/

import { registry } from "@web/core/registry";

/**
 * The yearly cycle as each role works it, from the union's home (the user's
 * home action): the cards are found by their kind (data-union-card) and the
 * documents they count (data-union-model), whatever the user's language.
 */
const card = (code, model) =>
    `.o_kanban_record:has([data-union-card=${code}]${model ? `[data-union-model='${model}']` : ""})`;

function openCard(code, model) {
    return [
        {
            content: `The home shows the card ${code}`,
            trigger: `${card(code, model)}`,
        },
        {
            content: `Open the card ${code}`,
            trigger: `${card(code, model)} button[name=action_open]`,
            run: "click",
        },
    ];
}

const line = (index) => `.o_field_widget[name=line_ids] .o_data_row:nth-child(${index})`;

function writeCommitments(count, text = "Sản phẩm của đoàn viên số") {
    const steps = [];
    for (let index = 1; index <= count; index++) {
        steps.push(
            {
                content: `Open commitment ${index}`,
                trigger: `${line(index)} td[name=commitment]`,
                run: "click",
            },
            {
                content: `Write the concrete product of commitment ${index}`,
                trigger: `${line(index)} td[name=commitment] textarea`,
                run: `edit ${text} ${index}`,
            }
        );
    }
    return steps;
}

// The pledge campaign's dialog is open: create the year's draft pledges.
function runCampaign() {
    return [
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
    ];
}

const statusIs = (state) => ({
    content: `The document is now ${state}`,
    trigger: `.o_statusbar_status button.o_arrow_button_current[data-value=${state}]`,
});

// A member: her home opens her pledge of the year; she writes it and sends it.
registry.category("web_tour.tours").add("union_member_home_tour", {
    steps: () => [
        ...openCard("my_pledge"),
        ...writeCommitments(3),
        {
            content: "Submit the pledge",
            trigger: ".o_form_view button[name=action_submit]",
            run: "click",
        },
        statusIs("submitted"),
    ],
});

// A grassroots leader: the pledges waiting for her, approved in one action.
registry.category("web_tour.tours").add("union_leader_bulk_tour", {
    steps: () => [
        ...openCard("to_approve", "union.pledge"),
        {
            content: "The list holds the waiting pledges",
            trigger: ".o_list_view .o_data_row:nth-child(3)",
        },
        {
            content: "Select them all",
            trigger: ".o_list_view thead .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Approve the selection",
            trigger: "button[name=action_bulk_approve]",
            run: "click",
        },
        {
            content: "The user is told that every pledge went through",
            trigger: ".o_notification",
        },
        {
            content: "Nothing waits any more",
            trigger: ".o_list_view:not(:has(.o_data_row))",
        },
    ],
});

// An officer: opens the year's pledge campaign from her home, then writes and
// sends the annual report of her union.
registry.category("web_tour.tours").add("union_officer_home_tour", {
    steps: () => [
        {
            content: "Open the pledge campaign from the card of members without a pledge",
            trigger: `${card("members_without_pledge")} button[name=action_open_secondary]`,
            run: "click",
        },
        ...runCampaign(),
        ...openCard("annual_report"),
        {
            content: "Open the page of the results achieved",
            trigger: ".o_form_view .o_notebook a.nav-link[name=results]",
            run: "click",
        },
        {
            content: "Write the results achieved",
            trigger: ".o_form_view .o_field_widget[name=results] .odoo-editor-editable",
            run: "editor Toàn thể đoàn viên đã đăng ký làm theo Bác.",
        },
        {
            content: "Submit the report",
            trigger: ".o_form_view button[name=action_submit]",
            run: "click",
        },
        statusIs("submitted"),
    ],
});

// The provincial level: the report status board, a unit's submitted report
// accepted, and its Excel document downloaded.
registry.category("web_tour.tours").add("union_province_board_tour", {
    steps: () => [
        ...openCard("report_status"),
        {
            content: "Open the group of the district's units",
            trigger: ".o_list_view .o_group_header:contains('LĐLĐ huyện Tour')",
            run: "click",
        },
        {
            content: "Open the district's submitted report",
            trigger:
                ".o_list_view .o_data_row:has(td[name=organization_id]:contains('LĐLĐ huyện Tour')) button[name=action_open_report]",
            run: "click",
        },
        {
            content: "Accept the report",
            trigger: ".o_form_view button[name=action_accept]",
            run: "click",
        },
        statusIs("accepted"),
        {
            content: "Open the form's action menu",
            trigger: ".o_control_panel .o_cp_action_menus button:has(.fa-cog)",
            run: "click",
        },
        {
            content: "Download the report's Excel document (its only print item)",
            trigger: ".o-dropdown--menu .o_menu_item:has(.fa-print)",
            run: "click",
        },
        {
            content: "The download is over, without an error",
            trigger: "body:not(:has(.o_blockUI)):not(:has(.o_error_dialog))",
        },
    ],
});

// A grassroots union's leader through the menus: open the year's pledge
// campaign, find the member's new draft pledge, write its concrete products,
// submit it, approve it, record its result and close the assessment.
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
        ...runCampaign(),
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
        ...writeCommitments(3, "Sản phẩm cụ thể số"),
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
        statusIs("assessed"),
    ],
});
