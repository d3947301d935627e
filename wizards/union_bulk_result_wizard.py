from markupsafe import Markup

from odoo import api, fields, models


class UnionBulkResultWizard(models.TransientModel):
    """What a step taken from a list did: how many documents, and which were
    refused and why."""

    _name = "union.bulk.result.wizard"
    _description = "Result of a Step Taken on Several Documents"

    summary = fields.Char(readonly=True)
    details = fields.Html(readonly=True, sanitize=True)

    @api.model
    def _report(self, action_label, total, done, refused):
        """The client action that tells the user: a notification when every
        record went through, else a dialog listing the refused ones."""
        summary = self.env._(
            "%(action)s: %(done)s of %(total)s done.",
            action=action_label.capitalize(),
            done=len(done),
            total=total,
        )
        if not refused:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "title": summary,
                    "message": self.env._("Every selected document went through."),
                    "type": "success",
                    "next": {"type": "ir.actions.client", "tag": "soft_reload"},
                },
            }
        items = Markup("").join(
            Markup("<li><strong>%s</strong>: %s</li>") % (name, reason)
            for name, reason in refused
        )
        wizard = self.create(
            {
                "summary": summary,
                "details": Markup("<p>%s</p><ul>%s</ul>")
                % (
                    self.env._(
                        "%(count)s refused, each for the reason below; "
                        "the others were done.",
                        count=len(refused),
                    ),
                    items,
                ),
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": summary,
            "res_model": self._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }
