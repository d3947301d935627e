from odoo import api, fields, models
from odoo.exceptions import UserError

# The Excel document of each kind of record, issued through this wizard.
REPORTS = {
    "union.pledge": "trade_union_emulation.report_pledge_xlsx",
    "union.member.evaluation": "trade_union_emulation.report_member_evaluation_xlsx",
    "union.commendation": "trade_union_emulation.report_commendation_xlsx",
    "union.exemplar": "trade_union_emulation.report_exemplar_xlsx",
}


class UnionDocumentExportWizard(models.TransientModel):
    """Issue the Excel document of the selected records in the name of one of
    the user's organisations, for one year: what a direct Print cannot guess
    when the records belong to several of them."""

    _name = "union.document.export.wizard"
    _description = "Export an Excel Document"

    # The selection, from the list the wizard is opened on.
    res_model = fields.Char(required=True)
    res_ids = fields.Json(required=True)
    record_count = fields.Integer(compute="_compute_candidates")
    issuer_candidate_ids = fields.Many2many(
        "union.organization", compute="_compute_candidates"
    )
    issuer_id = fields.Many2one(
        "union.organization",
        string="Issuing Organization",
        required=True,
        domain="[('id', 'in', issuer_candidate_ids)]",
        help="The document is issued and signed in the name of this organisation; "
        "it lists the selected records of its subtree.",
    )
    year = fields.Integer(required=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        model = self.env.context.get("active_model")
        if model not in REPORTS:
            raise UserError(
                self.env._("Select the records to export in their list first.")
            )
        records = self.env[model].browse(self.env.context.get("active_ids") or [])
        values.update(res_model=model, res_ids=records.ids)
        if records:
            candidates = self._candidates(records)
            if len(candidates) == 1:
                values["issuer_id"] = candidates.id
            years = records._read_group([("id", "in", records.ids)], ["year"])
            values["year"] = max(year for (year,) in years)
        return values

    @api.depends("res_model", "res_ids")
    def _compute_candidates(self):
        for wizard in self:
            records = wizard._records()
            wizard.record_count = len(records)
            wizard.issuer_candidate_ids = (
                self._candidates(records) if records else False
            )

    def _records(self):
        if self.res_model not in REPORTS:
            return self.env["union.organization"].browse()
        return self.env[self.res_model].browse(self.res_ids or []).exists()

    def _renderer(self, model):
        report = self.env.ref(REPORTS[model])
        return report, self.env[f"report.{report.report_name}"]

    def _candidates(self, records):
        groups = records._read_group([("id", "in", records.ids)], ["organization_id"])
        organizations = self.env["union.organization"].union(
            *(org for (org,) in groups)
        )
        return self._renderer(records._name)[1]._issuer_candidates(organizations)

    def action_export(self):
        self.ensure_one()
        records = self._records()
        listed = records.search_count(
            [
                ("id", "in", records.ids),
                ("organization_id", "child_of", self.issuer_id.id),
                ("year", "=", self.year),
            ]
        )
        if not listed:
            raise UserError(
                self.env._(
                    "None of the selected records belongs to %(organization)s for "
                    "%(year)s: choose another organisation or year.",
                    organization=self.issuer_id.name,
                    year=self.year,
                )
            )
        report = self._renderer(self.res_model)[0]
        action = report.report_action(
            records.ids,
            data={"issuer_id": self.issuer_id.id, "year": self.year},
            config=False,
        )
        action["close_on_report_download"] = True
        return action
