from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

# Only code can put this object in a context: RPC contexts are JSON, so a
# caller cannot forge it to set a state or an approval stamp directly.
_WORKFLOW = object()

GROUP_MEMBER = "trade_union_emulation.group_union_member"
GROUP_OFFICER = "trade_union_emulation.group_union_officer"
GROUP_MANAGER = "trade_union_emulation.group_union_manager"
GROUP_ADMIN = "trade_union_emulation.group_union_admin"


class UnionScopedMixin(models.AbstractModel):
    """Records whose access hangs on an organisation (record rules)."""

    _name = "union.scoped.mixin"
    _description = "Union Record in an Organization's Scope"

    # Fields the record rules follow to the record's organisation.
    _scope_fields = ("organization_id",)

    def write(self, vals):
        res = super().write(vals)
        if not self.env.su and set(vals) & set(self._scope_fields):
            # Record rules checked the records where they were; they must stay
            # within the user's organisations where they go.
            self.check_access("write")
        return res


class UnionWorkflowMixin(models.AbstractModel):
    """State machine guard shared by the union documents.

    States and approval stamps change only through the ``action_*`` methods,
    which check the acting user's group and scope; records in a locked state
    accept no edit until a manager resets them.
    """

    _name = "union.workflow.mixin"
    _inherit = ["union.scoped.mixin"]
    _description = "Union Workflow Guard"

    # Fields that only the workflow methods may write.
    _workflow_fields = ("state",)
    # Fields set when the record is created and never changed after: the
    # history keeps the organisation a document had.
    _frozen_fields = ()
    # Action methods that take a ``reason`` (given through union.reason.wizard).
    _reason_methods = ()
    # States closed to ordinary edits.
    _locked_states = ()
    # {state: fields still editable in that locked state}
    _editable_in_state = {}

    def _is_workflow_call(self):
        return self.env.su or self.env.context.get("union_workflow") is _WORKFLOW

    def _workflow_write(self, vals):
        return self.with_context(union_workflow=_WORKFLOW).write(vals)

    def _workflow_create(self, vals_list):
        return self.with_context(union_workflow=_WORKFLOW).create(vals_list)

    @api.model_create_multi
    def create(self, vals_list):
        if not self._is_workflow_call():
            default_state = self._fields["state"].default(self)
            for vals in vals_list:
                given = {
                    name
                    for name in self._workflow_fields
                    if vals.get(name)
                    and not (name == "state" and vals[name] == default_state)
                }
                if given:
                    raise UserError(self._workflow_fields_error(given))
        return super().create(vals_list)

    def write(self, vals):
        if not self._is_workflow_call():
            given = set(vals) & set(self._workflow_fields + self._frozen_fields)
            if given:
                raise UserError(self._workflow_fields_error(given))
            self._check_not_locked(vals)
        return super().write(vals)

    def _workflow_fields_error(self, names):
        labels = ", ".join(
            sorted(
                self._fields[name].get_description(self.env)["string"] for name in names
            )
        )
        return self.env._(
            "%(fields)s can only be changed with the workflow buttons (submit, approve, reset…).",
            fields=labels,
        )

    def _check_not_locked(self, vals):
        if not self._locked_states:
            return
        content = {
            name for name in vals if not name.startswith(("message_", "activity_"))
        }
        locked = self.filtered(
            lambda rec: rec.state in self._locked_states
            and not content <= set(self._editable_in_state.get(rec.state, ()))
        )
        if content and locked:
            raise UserError(
                self.env._(
                    "“%(record)s” is %(state)s and can no longer be edited. "
                    "A union leader must reset it to draft first.",
                    record=locked[0].display_name,
                    state=locked[0]._state_label(),
                )
            )

    def _ask_reason(self, method, title):
        """The wizard action that asks for the reason, then calls ``method`` again."""
        return {
            "type": "ir.actions.act_window",
            "name": title,
            "res_model": "union.reason.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_res_model": self._name,
                "default_res_ids": self.ids,
                "default_method": method,
            },
        }

    def _stamp(self, prefix):
        """Who and when of a transition, for ``<prefix>_user_id`` and ``<prefix>_date``."""
        return {
            f"{prefix}_user_id": self.env.uid,
            f"{prefix}_date": fields.Datetime.now(),
        }

    def _post_transition(self, message, reason=None):
        body = Markup("<p>%s</p>") % message
        if reason:
            body += Markup("<p>%s %s</p>") % (self.env._("Reason:"), reason)
        # The transition has passed its checks, but its new state may no longer
        # let the acting user write the document (a member's submitted pledge),
        # and posting needs write access. sudo() keeps the user as author.
        for record in self.sudo():
            record.message_post(body=body, subtype_xmlid="mail.mt_note")

    def _check_one_a_year(self, vals_list, key_field, message, twice_message=None):
        """Refuse a second document for the same ``key_field`` and year, against
        the existing ones (one query for the whole batch) and within
        ``vals_list`` itself; the database constraint stays the last word.
        ``message(target, year)`` says it to the user; ``twice_message``, if
        given, is said instead for a batch that names one key twice. Fills in
        the default year."""
        this_year = fields.Date.context_today(self).year
        for vals in vals_list:
            if not vals.get("year"):
                vals["year"] = this_year
        keys = [(vals.get(key_field), vals["year"]) for vals in vals_list]
        existing = self.search(
            [
                (key_field, "in", [key for key, _year in keys]),
                ("year", "in", [year for _key, year in keys]),
            ]
        )
        taken = {(record[key_field].id, record.year) for record in existing}
        seen = set()
        for key, year in keys:
            if (key, year) in seen and twice_message:
                raise UserError(twice_message)
            if (key, year) in taken | seen:
                target = self.env[self._fields[key_field].comodel_name].browse(key)
                raise UserError(message(target, year))
            seen.add((key, year))

    def _check_members_in_scope(self, member_ids):
        """Refuse members the user cannot see: they belong to another organisation."""
        member_ids = set(filter(None, member_ids))
        if self.env.su or not member_ids:
            return
        visible = (
            self.env["union.member"]
            .with_context(active_test=False)
            .search([("id", "in", list(member_ids))])
        )
        if len(visible) < len(member_ids):
            raise UserError(
                self.env._(
                    "You can only record members of the organisations you work on; "
                    "at least one of the chosen members belongs to another organisation."
                )
            )

    def _state_label(self):
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    # Checks used by the action methods -------------------------------------

    def _check_state(self, allowed, action_label):
        wrong = self.filtered(lambda rec: rec.state not in allowed)
        if wrong:
            raise UserError(
                self.env._(
                    "Cannot %(action)s “%(record)s”: it is %(state)s.",
                    action=action_label,
                    record=wrong[0].display_name,
                    state=wrong[0]._state_label(),
                )
            )

    def _check_group(self, group_xmlid, action_label):
        if not self.env.user.has_group(group_xmlid):
            group = self.env.ref(group_xmlid)
            raise AccessError(
                self.env._(
                    "Only users of the group “%(group)s” can %(action)s.",
                    group=group.name,
                    action=action_label,
                )
            )

    def _check_scope(self):
        """Raise unless the user may write every record of ``self`` (record rules)."""
        self.check_access("write")

    def _check_level_above(self, message):
        """Raise unless the user works on an organisation strictly above each
        record's organisation: a level does not judge its own work.
        ``message`` names the organisation as ``%(organization)s``."""
        self._check_scope()
        for record in self:
            if not record.organization_id._is_below_user_scope():
                raise AccessError(
                    message % {"organization": record.organization_id.name}
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        default_state = self._fields["state"].default(self)
        if any(rec.state != default_state for rec in self):
            raise UserError(
                self.env._(
                    "Only documents still in draft can be deleted; "
                    "reset or reject the others, their history is kept."
                )
            )
