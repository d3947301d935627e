from odoo import fields, models

# Stat button count field: (model, action of the list it opens).
YEAR_RECORDS = {
    "pledge_record_count": (
        "union.pledge",
        "trade_union_emulation.union_pledge_action",
    ),
    "evaluation_record_count": (
        "union.member.evaluation",
        "trade_union_emulation.union_member_evaluation_action",
    ),
    "session_record_count": (
        "union.study.session",
        "trade_union_emulation.union_study_session_action",
    ),
}


class UnionYearRecordsMixin(models.AbstractModel):
    """The pledges, member evaluations and study sessions of an organisation's
    subtree for a year, as the stat buttons of a yearly document open them:
    the counts are of the records the user may open, so that a button's
    figure is the length of the list it opens."""

    _name = "union.year.records.mixin"
    _description = "Yearly Records of an Organisation's Subtree"

    pledge_record_count = fields.Integer(
        string="Pledges", compute="_compute_year_record_counts"
    )
    evaluation_record_count = fields.Integer(
        string="Evaluations", compute="_compute_year_record_counts"
    )
    session_record_count = fields.Integer(
        string="Study Sessions", compute="_compute_year_record_counts"
    )

    def _compute_year_record_counts(self):
        organizations = self.organization_id
        years = list(set(self.mapped("year")))
        for field_name, (model_name, _xmlid) in YEAR_RECORDS.items():
            counts = {}
            for year in years:
                direct = organizations._subtree_counts(
                    model_name, [("year", "=", year)]
                )
                counts[year] = organizations._rollup(direct)
            for record in self:
                totals = counts.get(record.year, {})
                record[field_name] = totals.get(record.organization_id.id, 0)

    def _year_records_domain(self):
        return [
            ("organization_id", "child_of", self.organization_id.id),
            ("year", "=", self.year),
        ]

    def _action_year_records(self, field_name):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            YEAR_RECORDS[field_name][1]
        )
        action["domain"] = self._year_records_domain()
        action["context"] = {}
        action["name"] = f"{action['name']} – {self.organization_id.name} {self.year}"
        return action

    def action_open_pledges(self):
        return self._action_year_records("pledge_record_count")

    def action_open_evaluations(self):
        return self._action_year_records("evaluation_record_count")

    def action_open_sessions(self):
        return self._action_year_records("session_record_count")
