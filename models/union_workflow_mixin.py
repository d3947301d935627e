import threading
from collections import defaultdict
from contextlib import contextmanager
from datetime import timedelta

from lxml import html as lxml_html
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.models import MAGIC_COLUMNS
from odoo.tools import LazyTranslate

from .res_config_settings import get_param

_lt = LazyTranslate(__name__)

# Only code can put this object in a context: RPC contexts are JSON, so a
# caller cannot forge it to set a state or an approval stamp directly.
_WORKFLOW = object()

GROUP_MEMBER = "trade_union_emulation.group_union_member"
GROUP_OFFICER = "trade_union_emulation.group_union_officer"
GROUP_MANAGER = "trade_union_emulation.group_union_manager"
GROUP_ADMIN = "trade_union_emulation.group_union_admin"
APPROVAL_ACTIVITY = "trade_union_emulation.mail_activity_type_approval"


def html_has_text(value):
    """True when an HTML narrative holds some text: ``<p><br></p>`` is empty."""
    if not value:
        return False
    try:
        text = lxml_html.fromstring(str(value)).text_content()
    except (ValueError, TypeError, lxml_html.etree.ParserError):
        return bool(str(value).strip())
    return bool(text.strip())


def job_auto_commit(env):
    """Whether a scheduled job commits after each batch.

    A job runs in its own transaction, which it commits batch by batch so that
    an interruption keeps the work done. Inside a test the job runs on the
    test's own cursor, which must not be committed, unless the test entered
    the registry's test mode, whose cursors turn a commit into a savepoint."""
    testing = getattr(threading.current_thread(), "testing", False)
    return not testing or env.registry.in_test_mode()


@contextmanager
def exclusive_job(env, name, auto_commit):
    """Run a batched job in one worker at a time; yields False when another
    worker is running it already (that worker does the work).

    The lock is a PostgreSQL session-level advisory lock: it survives the
    job's per-batch commits, and the database releases it by itself when the
    worker's connection dies. A job that does not commit runs in a single
    transaction, which the unique constraints protect on their own."""
    cr = env.cr
    if not auto_commit:
        yield True
        return
    cr.execute("SELECT pg_try_advisory_lock(hashtext(%s))", [name])
    if not cr.fetchone()[0]:
        yield False
        return
    try:
        # Start from a fresh snapshot: the transaction began before the lock
        # was granted, possibly before another worker committed its last batch.
        cr.commit()  # pylint: disable=invalid-commit
        yield True
    except Exception:
        # The failed batch is lost anyway; the transaction must be left before
        # the lock can be released on this connection.
        cr.rollback()
        raise
    finally:
        cr.execute("SELECT pg_advisory_unlock(hashtext(%s))", [name])


class Transition:
    """One step of a document's workflow, declared in the document's
    ``_transitions`` table under the key ``<key>`` of its ``action_<key>``
    method.

    :param sources: states the step starts from
    :param target: the state it leads to
    :param label: the step as a verb, for messages ("approve")
    :param group: xmlid of the group that takes the step, or a dict
        {source state: group xmlid}
    :param owner_may: the document's own member may take it without the group
    :param above: only from an organisation strictly above the document's; the
        message names the organisation as ``%(organization)s``
    :param not_own: refuse the step on the acting user's own document, with
        this message
    :param stamp: prefix of the ``<stamp>_user_id`` / ``<stamp>_date`` fields set
    :param clear: prefixes of the stamps emptied
    :param check: name of a method raising when a record is not ready
    :param reason: title of the dialog asking for a reason (the step needs one)
    :param reason_field: field that keeps the reason
    :param before: name of a method run once the checks passed, before the state
        changes
    :param after: name of a method run after the state changed
    :param message: chatter message, or the name of a method posting it
    :param activity: what the step does to the "to approve" activities:
        ``request`` schedules them, ``close`` marks them done, ``return``
        sends the document back to its submitter
    :param locks: the target state closes the document to edits (default:
        when the step is stamped)
    """

    __slots__ = (
        "sources",
        "target",
        "label",
        "group",
        "owner_may",
        "above",
        "not_own",
        "stamp",
        "clear",
        "check",
        "reason",
        "reason_field",
        "before",
        "after",
        "message",
        "activity",
        "locks",
    )

    def __init__(
        self,
        sources,
        target,
        label,
        *,
        group=GROUP_OFFICER,
        owner_may=False,
        above=None,
        not_own=None,
        stamp=None,
        clear=(),
        check=None,
        reason=None,
        reason_field=None,
        before=None,
        after=None,
        message=None,
        activity=None,
        locks=None,
    ):
        self.sources = tuple(sources)
        self.target = target
        self.label = label
        self.group = group
        self.owner_may = owner_may
        self.above = above
        self.not_own = not_own
        self.stamp = stamp
        self.clear = tuple(clear)
        self.check = check
        self.reason = reason
        self.reason_field = reason_field
        self.before = before
        self.after = after
        self.message = message
        self.activity = activity
        self.locks = bool(stamp) if locks is None else locks

    def group_for(self, state):
        if isinstance(self.group, dict):
            return self.group[state]
        return self.group


class UnionSystemMixin(models.AbstractModel):
    """Values the system computes or copies are the system's.

    Every model of the addon inherits this guard. For users other than the
    superuser it refuses, on create as on write (and so through the one2many
    commands of a parent, which create and write the lines), every field whose
    value the system sets:

    * stored or not, a computed field without inverse that is not declared
      editable (``readonly=False``): computed figures, related fields, values
      copied from a member or a parent when the record is created;
    * a field declared ``readonly=True``: stamps and figures written by the
      workflow code only;
    * the fields a model names in ``_system_fields``.

    The code that sets them writes through ``_workflow_write`` /
    ``_workflow_create``.
    """

    _name = "union.system.mixin"
    _description = "Union Record with System Values"

    # Fields set by the system that the rules above do not find.
    _system_fields = ()

    def _is_workflow_call(self):
        return self.env.su or self.env.context.get("union_workflow") is _WORKFLOW

    def _workflow_write(self, vals):
        return self.with_context(union_workflow=_WORKFLOW).write(vals)

    def _workflow_create(self, vals_list):
        return self.with_context(union_workflow=_WORKFLOW).create(vals_list)

    @api.model
    def _get_system_fields(self):
        """Names of the fields of this model that only the system writes."""
        cls = type(self)
        cached = cls.__dict__.get("_union_system_field_names")
        if cached is None:
            cached = set(self._system_fields)
            for name, field in self._fields.items():
                if name in MAGIC_COLUMNS:
                    continue  # the ORM itself ignores them
                if field.compute and field.readonly and not field.inverse:
                    cached.add(name)
                elif field.readonly and not field.compute:
                    cached.add(name)
            if self._parent_store:
                cached.add("parent_path")
            cached = frozenset(cached)
            cls._union_system_field_names = cached
        return cached

    def _guarded_fields_error(self, names):
        """The sentence that refuses a user's write of ``names``, or None."""
        names = set(names) & self._get_system_fields()
        if not names:
            return None
        return self.env._(
            "%(fields)s: these values are computed or copied by the system and "
            "cannot be entered by hand.",
            fields=self._field_labels(names),
        )

    def _field_labels(self, names):
        return ", ".join(
            sorted(
                f"“{self._fields[name].get_description(self.env)['string']}”"
                for name in names
            )
        )

    def _without_guarded_defaults(self):
        """Context defaults (``default_<field>``) of guarded fields are dropped:
        they would set a system value on create, and they reach every record
        created under that context, lines included."""
        context = self.env.context
        blocked = {
            key
            for key in context
            if key.startswith("default_") and self._is_guarded_default(key[8:])
        }
        if not blocked:
            return self
        # The keys must go, not be set to another value: only a whole new
        # context drops them (with_context(key=False) would still default).
        return self.with_context(  # pylint: disable=context-overridden
            {key: value for key, value in context.items() if key not in blocked}
        )

    def _is_guarded_default(self, name):
        return name in self._get_system_fields()

    @api.model_create_multi
    def create(self, vals_list):
        if self._is_workflow_call():
            return super().create(vals_list)
        for vals in vals_list:
            message = self._guarded_create_error(vals)
            if message:
                raise UserError(message)
        records = self._without_guarded_defaults()
        return super(UnionSystemMixin, records).create(vals_list)

    def _guarded_create_error(self, vals):
        return self._guarded_fields_error(vals)

    def write(self, vals):
        if not self._is_workflow_call():
            message = self._guarded_fields_error(vals)
            if message:
                raise UserError(message)
        return super().write(vals)


class UnionScopedMixin(models.AbstractModel):
    """Records whose access hangs on an organisation (record rules)."""

    _name = "union.scoped.mixin"
    _inherit = ["union.system.mixin"]
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

    # The year of a yearly document ----------------------------------------------------

    @api.model
    def _year_refusal(self, pairs):
        """The first (organisation, year) of ``pairs`` whose year is not allowed,
        or None. A document's year lies within the years of a plan of its
        organisation or of an organisation above it, or within one year of the
        current year. One query for the whole batch."""
        this_year = fields.Date.context_today(self).year
        todo = [
            (org, year)
            for org, year in pairs
            if not (year and this_year - 1 <= year <= this_year + 1)
        ]
        if not todo:
            return None
        ancestors = {
            org.id: [int(x) for x in (org.parent_path or "").split("/")[:-1]]
            for org, _year in todo
        }
        # Plans are public documents of the movement; the rule reads them all.
        plans = (
            self.env["union.plan"]
            .sudo()
            .search_read(
                [
                    (
                        "organization_id",
                        "in",
                        list({oid for ids in ancestors.values() for oid in ids}),
                    )
                ],
                ["organization_id", "year_start", "year_end"],
            )
        )
        for org, year in todo:
            if not year or not any(
                plan["organization_id"][0] in ancestors[org.id]
                and plan["year_start"] <= year <= plan["year_end"]
                for plan in plans
            ):
                return org, year
        return None

    def _check_year_rule(self, year_of=None):
        """Raise unless the year of each record is allowed (see _year_refusal)."""
        year_of = year_of or (lambda record: record.year)
        refused = self._year_refusal(
            [(record.organization_id, year_of(record)) for record in self]
        )
        if refused:
            raise ValidationError(self._year_error(*refused))

    @api.model
    def _year_error(self, organization, year):
        this_year = fields.Date.context_today(self).year
        return self.env._(
            "The year %(year)s cannot be used for “%(organization)s”: the year of a "
            "document lies within the years of a plan of the organisation or of an "
            "organisation above it, or between %(first)s and %(last)s.",
            year=year or "",
            organization=organization.display_name,
            first=this_year - 1,
            last=this_year + 1,
        )

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
                    "at least one of the chosen members belongs to another "
                    "organisation."
                )
            )


class UnionWorkflowMixin(models.AbstractModel):
    """The workflow of a union document, declared once in ``_transitions``.

    From that table the mixin derives the workflow fields (the state and the
    stamps, written only by the steps), the locked states, the methods that
    take a reason, the ``can_<key>`` booleans that show the buttons, and runs
    every step through one ``_transition()``: state, group, scope, extra
    check, reason, write with stamps, "to approve" activities and chatter.
    Each ``action_<key>`` method is a one-line delegate.
    """

    _name = "union.workflow.mixin"
    _inherit = ["union.scoped.mixin"]
    _description = "Union Workflow Guard"

    # {key: Transition}: the steps of the document, ``action_<key>`` each.
    _transitions = {}
    # The step that decides a submitted document (its approvers are told).
    _approval_transition = "approve"
    # The setting that turns the "to approve" activities of the document off.
    _approval_activity_param = None
    # Fields that only the workflow writes, besides the state, the stamps and
    # the reasons of the steps.
    _workflow_fields = ()
    # Fields set when the record is created and never changed after: the
    # history keeps the organisation a document had.
    _frozen_fields = ()
    # Action methods that take a ``reason``, besides the steps that ask one.
    _reason_methods = ()
    # States closed to ordinary edits, when not derived from the steps.
    _locked_states = ()
    # {state: fields still editable in that locked state}
    _editable_in_state = {}
    # {field: states}: fields recorded only in those states (e.g. the result
    # of an approved pledge); never given on create.
    _state_bound_fields = {}

    # Derived from the table -----------------------------------------------------------

    @api.model
    def _get_workflow_fields(self):
        names = {"state", *self._workflow_fields}
        for transition in self._transitions.values():
            for prefix in (transition.stamp, *transition.clear):
                if prefix:
                    names |= {f"{prefix}_user_id", f"{prefix}_date"}
            if transition.reason_field:
                names.add(transition.reason_field)
        return names & set(self._fields)

    @api.model
    def _get_locked_states(self):
        if self._locked_states:
            return set(self._locked_states)
        return {t.target for t in self._transitions.values() if t.locks}

    @api.model
    def _get_reason_methods(self):
        return set(self._reason_methods) | {
            f"action_{key}" for key, t in self._transitions.items() if t.reason
        }

    @api.model
    def _awaiting_states(self):
        """States in which a document waits for its approver's decision."""
        return {t.target for t in self._transitions.values() if t.activity == "request"}

    @api.depends("state")
    @api.depends_context("uid")
    def _compute_can_transitions(self):
        """``can_<key>``: the acting user may take the step on the record now.
        The same rules as the step itself, except its extra check, which
        explains what is missing when the button is pressed."""
        names = [f"can_{key}" for key in self._transitions]
        for record in self:
            for name in names:
                record[name] = False
        records = self.filtered("id")
        if not records:
            return
        writable = records._filtered_access("write")
        for key, transition in self._transitions.items():
            for record in records._allowed_to(transition, writable):
                record[f"can_{key}"] = True

    def _allowed_to(self, transition, writable):
        user = self.env.user
        return self.filtered(
            lambda rec: rec.state in transition.sources
            and (
                user.has_group(transition.group_for(rec.state))
                or (transition.owner_may and rec._is_own_document())
            )
            and rec in writable
            and (not transition.above or rec.organization_id._is_below_user_scope())
            and not (transition.not_own and rec._is_own_document())
        )

    @api.model
    def _setup_complete(self):
        res = super()._setup_complete()
        missing = [
            f"can_{key}"
            for key in self._transitions
            if f"can_{key}" not in self._fields
        ]
        if missing and not self._abstract:
            raise TypeError(
                f"{self._name}: declare {', '.join(missing)} "
                "(fields.Boolean(compute='_compute_can_transitions'))"
            )
        return res

    # Guards ---------------------------------------------------------------------------

    def _is_guarded_default(self, name):
        return super()._is_guarded_default(name) or (
            name in self._get_workflow_fields() | set(self._state_bound_fields)
        )

    def _guarded_create_error(self, vals):
        default_state = self._fields["state"].default(self)
        given = {
            name
            for name in self._get_workflow_fields() | set(self._state_bound_fields)
            if vals.get(name) and not (name == "state" and vals[name] == default_state)
        }
        if given:
            return self._workflow_fields_error(given)
        return super()._guarded_create_error(
            {
                name: value
                for name, value in vals.items()
                if name not in self._get_workflow_fields()
            }
        )

    def _guarded_fields_error(self, names):
        # The workflow's own fields get the sentence that points to the buttons.
        names = set(names) - self._get_workflow_fields()
        return super()._guarded_fields_error(names)

    def write(self, vals):
        if not self._is_workflow_call():
            given = set(vals) & self._get_workflow_fields()
            if given:
                raise UserError(self._workflow_fields_error(given))
            frozen = set(vals) & set(self._frozen_fields)
            if frozen:
                raise UserError(
                    self.env._(
                        "%(fields)s cannot be changed once the document is created.",
                        fields=self._field_labels(frozen),
                    )
                )
            self._check_not_locked(vals)
            self._check_state_bound(vals)
        return super().write(vals)

    def _workflow_fields_error(self, names):
        return self.env._(
            "%(fields)s can only be changed with the workflow buttons (submit, "
            "approve, reset…).",
            fields=self._field_labels(names),
        )

    def _check_state_bound(self, vals):
        for name in set(vals) & set(self._state_bound_fields):
            states = self._state_bound_fields[name]
            early = self.filtered(lambda rec, states=states: rec.state not in states)
            if early:
                labels = dict(self._fields["state"]._description_selection(self.env))
                raise UserError(
                    self.env._(
                        "%(field)s of “%(record)s” is recorded once it is %(states)s.",
                        field=self._field_labels({name}),
                        record=early[0].display_name,
                        states=" / ".join(labels[state] for state in states),
                    )
                )

    def _check_not_locked(self, vals):
        locked_states = self._get_locked_states()
        if not locked_states:
            return
        content = {
            name for name in vals if not name.startswith(("message_", "activity_"))
        }
        locked = self.filtered(
            lambda rec: rec.state in locked_states
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

    # The step -------------------------------------------------------------------------

    def _transition(self, key, reason=None):
        """Take the step ``key`` of ``_transitions`` on every record of ``self``,
        checked as one: all pass or nothing changes. Without the reason the step
        needs, returns the dialog that asks for it."""
        transition = self._transitions[key]
        self._check_transition(key)
        reason = (reason or "").strip()
        if transition.reason and not reason:
            return self._ask_reason(f"action_{key}", self.env._(transition.reason))
        if transition.before:
            getattr(self, transition.before)()
        previous = {record.id: record.state for record in self}
        vals = {"state": transition.target}
        if transition.stamp:
            vals.update(self._stamp(transition.stamp))
        for prefix in transition.clear:
            vals.update({f"{prefix}_user_id": False, f"{prefix}_date": False})
        if transition.reason_field:
            vals[transition.reason_field] = reason
        self._workflow_write(vals)
        self._transition_activities(transition, previous, reason)
        if isinstance(transition.message, str):
            getattr(self, transition.message)(reason)
        elif transition.message:
            self._post_transition(
                self.env._(transition.message),
                reason,
                notify_submitter=transition.activity == "return",
            )
        if transition.after:
            getattr(self, transition.after)()
        return True

    def _check_transition(self, key):
        """The checks of the step ``key`` on every record of ``self``, as one;
        they only read."""
        transition = self._transitions[key]
        label = self.env._(transition.label)
        self._check_state(transition.sources, label)
        self._check_transition_group(transition, label)
        if transition.above:
            self._check_level_above(self.env._(transition.above))
        else:
            self._check_scope()
        if transition.not_own and self.filtered(lambda rec: rec._is_own_document()):
            raise UserError(self.env._(transition.not_own))
        if transition.check:
            getattr(self, transition.check)()

    def _check_transition_group(self, transition, label):
        own = self.browse()
        if transition.owner_may:
            own = self.filtered(lambda rec: rec._is_own_document())
        for group in {transition.group_for(rec.state) for rec in self - own}:
            self._check_group(group, label)

    def _is_own_document(self):
        """The acting user is the member the document is about."""
        self.ensure_one()
        return bool(self._document_user()) and self._document_user() == self.env.user

    def _document_user(self):
        """The login of the member the document is about, if any."""
        self.ensure_one()
        if "member_id" in self._fields:
            return self.member_id.user_id
        return self.env["res.users"]

    def _submitter(self):
        self.ensure_one()
        if "submit_user_id" in self._fields:
            return self.submit_user_id
        return self.create_uid

    # Checks used by the steps (and by other modules) ----------------------------------

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

    def _state_label(self):
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    # Reasons, stamps, chatter ---------------------------------------------------------

    def _ask_reason(self, method, title, bulk=False):
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
                "default_bulk": bulk,
            },
        }

    def _stamp(self, prefix):
        """Who and when of a transition, for ``<prefix>_user_id`` and
        ``<prefix>_date``."""
        return {
            f"{prefix}_user_id": self.env.uid,
            f"{prefix}_date": fields.Datetime.now(),
        }

    def _post_transition(self, message, reason=None, notify_submitter=False):
        """Post ``message`` (and the reason) on each record; with
        ``notify_submitter``, the one who submitted it is notified."""
        notified = {}
        if notify_submitter:
            for record in self:
                submitter = record._submitter()
                if submitter and submitter != self.env.user:
                    notified[record.id] = submitter.partner_id
        self._post_notes(dict.fromkeys(self.ids, message), reason, notified)

    def _post_notes(self, messages, reason=None, notified=None):
        """Post the note ``messages[record id]`` (and the reason) on each
        record, as the user; ``notified`` ({record id: partners}) are told of
        theirs. The notes that tell nobody are written in one go."""
        notified = notified or {}
        reason_html = (
            Markup("<p>%s %s</p>") % (self.env._("Reason:"), reason)
            if reason
            else Markup("")
        )
        bodies = {
            record_id: Markup("<p>%s</p>") % message + reason_html
            for record_id, message in messages.items()
        }
        # The transition has passed its checks, but its new state may no longer
        # let the acting user write the document (a member's submitted pledge),
        # and posting needs write access. sudo() keeps the user as author.
        records = self.sudo()
        for record in records.filtered(lambda rec: rec.id in notified):
            record.message_post(
                body=bodies[record.id],
                subtype_xmlid="mail.mt_note",
                partner_ids=notified[record.id].ids,
            )
        quiet = records.filtered(lambda rec: rec.id not in notified)
        if quiet:
            # A note as message_post makes it, without looking for recipients.
            quiet._message_log_batch(
                {record.id: bodies[record.id] for record in quiet},
                message_type="comment",
            )

    # "To approve" activities ----------------------------------------------------------

    def _approval_activities_enabled(self):
        if not self._approval_activity_param:
            return True
        return get_param(self.env, self._approval_activity_param)

    def _transition_activities(self, transition, previous, reason):
        if transition.activity == "request":
            self._request_approval()
        elif transition.activity == "close":
            self._close_approval()
        elif transition.activity == "return":
            # Sent back by someone else while it waited for a decision: the
            # decision is taken. Withdrawn by its own submitter, or reopened
            # later: nobody has to decide any more.
            awaiting = self._awaiting_states()
            returned = self.filtered(
                lambda rec: previous[rec.id] in awaiting
                and rec._submitter() != self.env.user
            )
            returned._close_approval(feedback=reason)
            (self - returned)._cancel_approval()

    def _approval_activity_search(self):
        activity_type = self.env.ref(APPROVAL_ACTIVITY, raise_if_not_found=False)
        if not self or not activity_type:
            return self.env["mail.activity"]
        # The step passed its checks; the activities are the system's, assigned
        # to other users, whatever the acting user may still write.
        return (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
        )

    def _close_approval(self, feedback=None):
        activities = self._approval_activity_search()
        if activities:
            activities.action_feedback(feedback=feedback or None)

    def _cancel_approval(self):
        self._approval_activity_search().unlink()

    def _request_approval(self):
        """One "to approve" activity per approver of each record (see
        ``_approvers``), none twice: a batch of records takes one search of
        users and one create of activities."""
        awaiting = self._awaiting_states()
        records = self.filtered(lambda rec: rec.state in awaiting)
        if not records or not records._approval_activities_enabled():
            return self.env["mail.activity"]
        activity_type = self.env.ref(APPROVAL_ACTIVITY)
        approvers = records._approvers()
        open_for = defaultdict(set)
        for activity in records._approval_activity_search():
            open_for[activity.res_id].add(activity.user_id.id)
        deadline = fields.Date.context_today(self) + timedelta(
            days=activity_type.delay_count or 0
        )
        model_id = self.env["ir.model"]._get_id(self._name)
        vals_list = [
            {
                "res_model_id": model_id,
                "res_id": record.id,
                "activity_type_id": activity_type.id,
                "user_id": user.id,
                "date_deadline": deadline,
                "summary": self.env._("Waiting for your decision"),
                "automated": True,
            }
            for record in records
            for user in approvers.get(record.id, ())
            if user.id not in open_for[record.id]
        ]
        return self.env["mail.activity"].sudo().create(vals_list)

    def _approvers(self):
        """{record id: users} entitled to decide each record: the managers of
        the nearest level whose scope covers the record's organisation
        (strictly above it when the decision comes from above), never the user
        who submits it nor the member it is about."""
        decision = self._transitions[self._approval_transition]
        managers = self.env["union.organization"]._users_by_scope(GROUP_MANAGER)
        result = {}
        for record in self:
            users = record.organization_id._nearest_users(
                managers,
                strict=bool(decision.above),
                excluded=self.env.user | record._document_user(),
            )
            if users:
                result[record.id] = users
        return result

    # Lists act in bulk ----------------------------------------------------------------

    def _bulk_transition(self, key, reason=None):
        """Take the step ``key`` on each record, checked exactly as one by one:
        a refused record never blocks the others. Tells the user how many were
        done and which were refused, why.

        The records that pass their own checks take the step together, in one
        savepoint: one write, one search of activities, the messages posted
        in one go. Should the step fail on them together (a limit each passes
        alone but not all at once, such as the share of excellent ratings),
        they take it one by one. The refused ones are then checked again, one
        by one, as each would have been after the others were done."""
        refusals = {}
        for record in self:
            refusal = record._transition_refusal(key, reason)
            if refusal:
                refusals[record.id] = refusal
        passing = self.browse([rec.id for rec in self if rec.id not in refusals])
        done = self.browse()
        if passing:
            try:
                with self.env.cr.savepoint():
                    passing._transition(key, reason=reason)
                done = passing
            except (UserError, AccessError, ValidationError):
                done, failed = passing._transition_one_by_one(key, reason)
                refusals.update(failed)
        if done and refusals:
            again = self.browse([rec.id for rec in self if rec.id in refusals])
            retried, refusals = again._transition_one_by_one(key, reason)
            done |= retried
        refused = [
            (
                record.display_name if record.has_access("read") else f"#{record.id}",
                refusals[record.id],
            )
            for record in self
            if record.id in refusals
        ]
        return self.env["union.bulk.result.wizard"]._report(
            self.env._(self._transitions[key].label), len(self), done, refused
        )

    def _transition_refusal(self, key, reason=None):
        """Why the step ``key`` would refuse this record, or None; nothing is
        written."""
        try:
            self._check_transition(key)
            if self._transitions[key].reason and not (reason or "").strip():
                raise UserError(self.env._("Give the reason."))
        except (UserError, AccessError, ValidationError) as error:
            return error.args[0]
        return None

    def _transition_one_by_one(self, key, reason=None):
        """The step ``key`` on each record in turn, each in its own savepoint:
        (records done, {record id: why refused})."""
        done, refusals = self.browse(), {}
        for record in self:
            try:
                with self.env.cr.savepoint():
                    result = record._transition(key, reason=reason)
                    if isinstance(result, dict):
                        raise UserError(self.env._("Give the reason."))
                done |= record
            except (UserError, AccessError, ValidationError) as error:
                refusals[record.id] = error.args[0]
        return done, refusals
