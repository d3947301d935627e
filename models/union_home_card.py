from collections import defaultdict

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.tools import SQL, html2plaintext

from .union_statistics_mixin import with_rates
from .union_workflow_mixin import (
    APPROVAL_ACTIVITY,
    GROUP_ADMIN,
    GROUP_MANAGER,
    GROUP_OFFICER,
)

ROLES = [
    ("member", "Member"),
    ("officer", "Officer"),
    ("manager", "Approving leader"),
    ("provincial", "Provincial level"),
]
ROLE_GROUPS = {
    "officer": GROUP_OFFICER,
    "manager": GROUP_MANAGER,
    "provincial": GROUP_MANAGER,
}
# The documents that come back to their submitter, and their list.
RETURN_ACTIONS = {
    "union.pledge": "trade_union_emulation.union_pledge_action",
    "union.member.evaluation": "trade_union_emulation.union_member_evaluation_action",
    "union.organization.evaluation": (
        "trade_union_emulation.union_organization_evaluation_action"
    ),
    "union.commendation": "trade_union_emulation.union_commendation_action",
    "union.annual.report": "trade_union_emulation.union_annual_report_action",
    "union.term.report": "trade_union_emulation.union_term_report_action",
}
TONES = [
    ("muted", "Nothing to do"),
    ("info", "To follow"),
    ("warning", "To do"),
    ("danger", "Late"),
    ("success", "Done"),
]


class UnionHomeCard(models.Model):
    """A card of the union's home dashboard: a piece of the user's work for
    the current year, counted as the user (their record rules apply), with
    one click to the records behind it.

    Cards are data (one per kind of work); what they show is computed for
    whoever looks. Each ``code`` has a ``_card_<code>`` method returning the
    figures and a ``_open_<code>`` method returning the filtered list."""

    _name = "union.home.card"
    _description = "Home Dashboard Card"
    _inherit = ["union.system.mixin"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="The kind of work: the card's figures come from _card_<code>, its list "
        "from _open_<code>.",
    )
    role = fields.Selection(ROLES, required=True)
    sequence = fields.Integer(default=10)
    icon = fields.Char(default="fa-tasks")
    description = fields.Char(translate=True)
    button_label = fields.Char(
        translate=True, help="Label of the card's second button."
    )
    res_model = fields.Char(
        string="Document Model", help="The documents a decision card counts."
    )
    list_action = fields.Char(help="XML id of the list the card opens.")
    count = fields.Integer(compute="_compute_figures")
    summary = fields.Char(compute="_compute_figures")
    detail = fields.Html(compute="_compute_figures", sanitize=False)
    tone = fields.Selection(TONES, compute="_compute_figures")
    has_count = fields.Boolean(compute="_compute_figures")

    @api.depends_context("uid", "tz")
    def _compute_figures(self):
        for card in self:
            values = getattr(card, f"_card_{card.code}")()
            card.count = values.get("count", 0)
            card.summary = values.get("summary", "")
            card.detail = values.get("detail", "")
            card.tone = values.get("tone") or ("warning" if card.count else "muted")
            card.has_count = values.get("has_count", True)

    # Who sees which card --------------------------------------------------------

    @api.model
    def _user_roles(self):
        user = self.env.user
        roles = set()
        if self._my_member():
            roles.add("member")
        for role, group in ROLE_GROUPS.items():
            if user.has_group(group):
                roles.add(role)
        if "provincial" in roles and not (
            user.has_group(GROUP_ADMIN)
            or {"central", "provincial"}
            & set(user.union_organization_ids.mapped("level"))
        ):
            roles.discard("provincial")
        return roles

    @api.model
    def action_open_home(self):
        """The home dashboard of the current user: the cards of their roles."""
        cards = self.search([("role", "in", list(self._user_roles()))])
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "trade_union_emulation.union_home_card_action"
        )
        action["domain"] = [("id", "in", cards.ids)]
        action["name"] = self.env._(
            "My Work in %(year)s", year=fields.Date.context_today(self).year
        )
        return action

    def action_open(self):
        self.ensure_one()
        return getattr(self, f"_open_{self.code}")()

    def action_open_secondary(self):
        self.ensure_one()
        return getattr(self, f"_secondary_{self.code}")()

    # Helpers --------------------------------------------------------------------

    def _year(self):
        return fields.Date.context_today(self).year

    def _my_member(self):
        return self.env["union.member"].search(
            [("user_id", "=", self.env.uid)], limit=1
        )

    def _scope(self):
        return self.env.user.union_organization_ids

    def _list_action(self, xmlid, domain, name=None, context=None):
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = domain
        action["context"] = context or {}
        if name:
            action["name"] = name
        return action

    def _form_action(self, record):
        return {
            "type": "ir.actions.act_window",
            "res_model": record._name,
            "res_id": record.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def _per_scope(self, model_name, domain):
        """{scope organisation: count} of the records of ``domain`` in the
        subtree of each organisation the user works on, in one grouped query."""
        scope = self._scope()
        if not scope:
            return {}
        groups = self.env[model_name]._read_group(
            [("organization_id", "child_of", scope.ids), *domain],
            ["organization_id"],
            ["__count"],
        )
        return self._add_up_scope(groups)

    def _add_up_scope(self, groups):
        """{scope organisation: count} of (organisation, count) pairs, each
        counted under the organisation of the user's scope it lies in."""
        scope = self._scope()
        counts = defaultdict(int)
        for org, count in groups:
            path = org.parent_path
            for scope_org in scope:
                if path.startswith(scope_org.parent_path):
                    counts[scope_org] += count
                    break
        return counts

    def _detail(self, counts):
        """One line per organisation of the user's scope."""
        if len(self._scope()) < 2:
            return ""
        rows = Markup("").join(
            Markup(
                '<div class="d-flex"><span class="text-truncate">%s</span>'
                '<span class="ms-auto fw-bold">%s</span></div>'
            )
            % (org.name, counts.get(org, 0))
            for org in self._scope()
        )
        return rows

    def _scope_domain(self):
        return [("organization_id", "child_of", self._scope().ids)]

    # Member -----------------------------------------------------------------------

    def _my_pledge(self):
        member = self._my_member()
        return self.env["union.pledge"].search(
            [("member_id", "=", member.id), ("year", "=", self._year())], limit=1
        )

    def _card_my_pledge(self):
        pledge = self._my_pledge()
        if not pledge:
            return {
                "summary": self.env._(
                    "Your union has not opened the year's pledges yet."
                ),
                "tone": "muted",
                "has_count": False,
            }
        state = pledge._state_label()
        if pledge.state != "draft":
            return {"summary": state, "tone": "success", "has_count": False}
        missing = len(
            pledge.line_ids.filtered(lambda line: not (line.commitment or "").strip())
        )
        if missing:
            summary = self.env._(
                "%(state)s: %(missing)s of %(total)s commitments still need "
                "their concrete product.",
                state=state,
                missing=missing,
                total=len(pledge.line_ids),
            )
        else:
            summary = self.env._("%(state)s: complete, ready to submit.", state=state)
        return {"summary": summary, "tone": "warning", "has_count": False}

    def _open_my_pledge(self):
        pledge = self._my_pledge()
        if pledge:
            return self._form_action(pledge)
        return self.env["ir.actions.act_window"]._for_xml_id(
            "trade_union_emulation.union_pledge_action_my"
        )

    def _my_evaluation(self):
        member = self._my_member()
        return self.env["union.member.evaluation"].search(
            [("member_id", "=", member.id), ("year", "=", self._year())], limit=1
        )

    def _card_my_evaluation(self):
        evaluation = self._my_evaluation()
        if not evaluation:
            return {
                "summary": self.env._("Not evaluated yet this year."),
                "tone": "muted",
                "has_count": False,
            }
        ratings = dict(evaluation._fields["rating"]._description_selection(self.env))
        summary = evaluation._state_label()
        if evaluation.rating:
            summary = f"{summary}: {ratings[evaluation.rating]}"
        return {
            "summary": summary,
            "tone": "success" if evaluation.state == "approved" else "info",
            "has_count": False,
        }

    def _open_my_evaluation(self):
        evaluation = self._my_evaluation()
        if evaluation:
            return self._form_action(evaluation)
        return self.env["ir.actions.act_window"]._for_xml_id(
            "trade_union_emulation.union_member_evaluation_action_my"
        )

    def _my_sessions_domain(self):
        return [
            ("attendee_ids.user_id", "=", self.env.uid),
            ("year", "=", self._year()),
            ("state", "=", "done"),
        ]

    def _card_my_sessions(self):
        count = self.env["union.study.session"].search_count(self._my_sessions_domain())
        return {
            "count": count,
            "summary": self.env._("Study sessions you attended this year."),
            "tone": "success" if count else "muted",
        }

    def _open_my_sessions(self):
        return self._list_action(
            "trade_union_emulation.union_study_session_action",
            self._my_sessions_domain(),
        )

    # Officer ----------------------------------------------------------------------

    def _draft_pledges_domain(self):
        return [("state", "=", "draft"), ("year", "=", self._year())]

    def _card_draft_pledges(self):
        counts = self._per_scope("union.pledge", self._draft_pledges_domain())
        return {
            "count": sum(counts.values()),
            "summary": self.env._("Pledges of the year still in draft."),
            "detail": self._detail(counts),
        }

    def _open_draft_pledges(self):
        return self._list_action(
            "trade_union_emulation.union_pledge_action",
            self._scope_domain() + self._draft_pledges_domain(),
            name=self.name,
        )

    def _without_pledge_domain(self):
        return [("pledge_ids", "not any", [("year", "=", self._year())])]

    def _per_scope_without(self, table):
        """{scope organisation: count} of the members in scope (under the
        user's rules) with no row of the year in ``table`` (the pledges or the
        evaluations), in one grouped query with an anti-join: "NOT IN" turns
        quadratic once the year's ids no longer fit in PostgreSQL's working
        memory (a million members). Whether a member has the year's document
        is a fact of the member, counted even if the document lies outside
        the user's scope (a member who moved in after pledging)."""
        scope = self._scope()
        if not scope:
            return {}
        Member = self.env["union.member"]
        query = Member._search([("organization_id", "child_of", scope.ids)])
        organization = Member._field_to_sql(Member._table, "organization_id", query)
        # The year's documents joined once (a hash join), not looked up
        # member by member.
        query.add_join(
            "LEFT JOIN",
            "year_document",
            SQL(
                "(SELECT member_id FROM %s WHERE year = %s)",
                SQL.identifier(table),
                self._year(),
            ),
            SQL(
                "%s = %s",
                SQL.identifier("year_document", "member_id"),
                SQL.identifier(Member._table, "id"),
            ),
        )
        query.groupby = organization
        rows = self.env.execute_query(
            query.select(
                organization,
                SQL(
                    "count(*) FILTER (WHERE %s IS NULL)",
                    SQL.identifier("year_document", "member_id"),
                ),
            )
        )
        Organization = self.env["union.organization"].with_context(active_test=False)
        return self._add_up_scope(
            (Organization.browse(org_id), count) for org_id, count in rows
        )

    def _card_members_without_pledge(self):
        counts = self._per_scope_without("union_pledge")
        return {
            "count": sum(counts.values()),
            "summary": self.env._("Active members with no pledge for the year."),
            "detail": self._detail(counts),
        }

    def _open_members_without_pledge(self):
        return self._list_action(
            "trade_union_emulation.union_member_action",
            self._scope_domain() + self._without_pledge_domain(),
            name=self.name,
        )

    def _secondary_members_without_pledge(self):
        return self.env["ir.actions.act_window"]._for_xml_id(
            "trade_union_emulation.union_pledge_campaign_wizard_action"
        )

    def _sessions_domain(self):
        return [("year", "=", self._year()), ("state", "!=", "cancelled")]

    def _card_sessions(self):
        counts = self._per_scope("union.study.session", self._sessions_domain())
        return {
            "count": sum(counts.values()),
            "summary": self.env._("Study sessions planned or held this year."),
            "detail": self._detail(counts),
            "tone": "info",
        }

    def _open_sessions(self):
        return self._list_action(
            "trade_union_emulation.union_study_session_action",
            self._scope_domain() + self._sessions_domain(),
            name=self.name,
        )

    def _evaluations_domain(self):
        return [("state", "=", "draft"), ("year", "=", self._year())]

    def _card_evaluations_to_prepare(self):
        drafts = self._per_scope("union.member.evaluation", self._evaluations_domain())
        unevaluated = self._per_scope_without("union_member_evaluation")
        return {
            "count": sum(drafts.values()),
            "summary": self.env._(
                "Draft evaluations of the year; %(count)s members have none yet.",
                count=sum(unevaluated.values()),
            ),
            "detail": self._detail(drafts),
        }

    def _open_evaluations_to_prepare(self):
        return self._list_action(
            "trade_union_emulation.union_member_evaluation_action",
            self._scope_domain() + self._evaluations_domain(),
            name=self.name,
        )

    def _secondary_evaluations_to_prepare(self):
        return self.env["ir.actions.act_window"]._for_xml_id(
            "trade_union_emulation.union_evaluation_campaign_wizard_action"
        )

    def _my_report_rows(self):
        """The report-status rows of the organisations the user works on,
        without their figures: reading only where the reports stand lets
        PostgreSQL leave the subtree counts of the board's view out."""
        return self.env["union.report.status"].search_fetch(
            [("organization_id", "in", self._scope().ids), ("year", "=", self._year())],
            ["organization_id", "level", "report_id", "status", "is_late"]
            + ["date_due", "days_left"],
        )

    def _card_annual_report(self):
        rows = self._my_report_rows().filtered(lambda row: row.level != "provincial")
        if not rows:
            return {
                "summary": self.env._("No report owed by your organisations."),
                "tone": "muted",
            }
        statuses = dict(rows._fields["status"]._description_selection(self.env))
        pending = rows.filtered(lambda row: row.status in ("missing", "draft"))
        lines = Markup("").join(
            Markup(
                '<div class="d-flex"><span class="text-truncate">%s</span>'
                '<span class="ms-auto">%s</span></div>'
            )
            % (row.organization_id.name, self._report_line(row, statuses))
            for row in rows
        )
        days = min(pending.mapped("days_left"), default=None)
        if days is None:
            summary = self.env._("Submitted.")
        elif days >= 0:
            summary = self.env._("%(days)s days left before the due date.", days=days)
        else:
            summary = self.env._("%(days)s days past the due date.", days=-days)
        return {
            "count": len(pending),
            "summary": summary,
            "detail": lines,
            "tone": "danger"
            if pending.filtered("is_late")
            else ("warning" if pending else "success"),
        }

    def _report_line(self, row, statuses):
        text = statuses[row.status]
        if row.status in ("missing", "draft"):
            text = self.env._(
                "%(status)s, due %(date)s",
                status=text,
                date=row.date_due.strftime("%d/%m/%Y"),
            )
        return escape(text)

    def _open_annual_report(self):
        rows = self._my_report_rows().filtered(lambda row: row.level != "provincial")
        if len(rows) == 1:
            return rows.action_open_report()
        return self._list_action(
            "trade_union_emulation.union_report_status_action",
            [("id", "in", rows.ids)],
            name=self.name,
        )

    # Manager: what waits for the user's decision -------------------------------------

    def _waiting_domain(self):
        """The documents with an open "to approve" activity of the user: the
        submissions the user is entitled to decide (see union.workflow.mixin)."""
        activity_type = self.env.ref(APPROVAL_ACTIVITY)
        return [
            (
                "activity_ids",
                "any",
                [
                    ("activity_type_id", "=", activity_type.id),
                    ("user_id", "=", self.env.uid),
                ],
            )
        ]

    def _card_to_approve(self):
        Documents = self.env[self.res_model]
        count = Documents.search_count(self._waiting_domain())
        return {
            "count": count,
            "summary": self.env._("Waiting for your decision."),
            "tone": "warning" if count else "muted",
        }

    def _open_to_approve(self):
        return self._list_action(
            self.list_action, self._waiting_domain(), name=self.name
        )

    # Officer: what came back --------------------------------------------------------

    def _returned_domain(self):
        # Submitted by the user once, back in draft (or rejected) now.
        return [
            ("submit_user_id", "=", self.env.uid),
            ("state", "in", ("draft", "rejected")),
        ]

    def _returned_records(self):
        records = []
        for model_name in RETURN_ACTIONS:
            Model = self.env[model_name]
            domain = self._returned_domain()
            if "rejected" not in dict(Model._fields["state"].selection):
                domain = [
                    ("submit_user_id", "=", self.env.uid),
                    ("state", "=", "draft"),
                ]
            records.append(Model.search(domain, order="write_date desc", limit=50))
        return records

    def _return_reason(self, record):
        """The reason given when the record was sent back: its latest message
        that states one."""
        label = self.env._("Reason:")
        for message in record.message_ids[:10]:
            text = html2plaintext(message.body or "")
            if label in text:
                return text.split(label, 1)[1].strip()
        return ""

    def _card_returned(self):
        groups = [records for records in self._returned_records() if records]
        count = sum(len(records) for records in groups)
        shown = sorted(
            (record for records in groups for record in records),
            key=lambda record: record.write_date,
            reverse=True,
        )[:4]
        lines = Markup("").join(
            Markup('<div class="text-truncate"><a href="/odoo/%s/%s">%s</a>: %s</div>')
            % (
                record._name,
                record.id,
                record.display_name,
                self._return_reason(record) or "-",
            )
            for record in shown
        )
        return {
            "count": count,
            "summary": self.env._("Documents returned to you, with the reason."),
            "detail": lines,
            "tone": "danger" if count else "muted",
        }

    def _open_returned(self):
        """The returned documents of the latest kind; each one of the card's
        lines links to its own document."""
        groups = [records for records in self._returned_records() if records]
        latest = max(groups, key=lambda records: records[0].write_date, default=None)
        if not latest:
            return self._list_action(
                "trade_union_emulation.union_pledge_action", [("id", "=", 0)]
            )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            RETURN_ACTIONS[latest._name]
        )
        action["domain"] = [("id", "in", latest.ids)]
        action["context"] = {}
        return action

    # Provincial level --------------------------------------------------------------

    def _board_domain(self):
        return [("year", "=", self._year()), ("level", "!=", "provincial")]

    def _card_report_status(self):
        Status = self.env["union.report.status"]
        # One query: the units by status and lateness, with their summed figures
        # (each member counted once, see union.report.status).
        sums = ("member_count", "studied_count", "pledged_count")
        rated = ("evaluation_excellent_count", "evaluation_good_count")
        groups = Status._read_group(
            self._board_domain(),
            ["status", "is_late"],
            ["__count", *(f"{name}:sum" for name in sums + rated)],
        )
        by_status, late, totals = defaultdict(int), 0, defaultdict(int)
        for status, is_late, count, *figures in groups:
            by_status[status] += count
            late += count if is_late else 0
            for name, value in zip(sums + rated, figures, strict=True):
                totals[name] += value
        figures = with_rates(totals)
        labels = dict(Status._fields["status"]._description_selection(self.env))
        line = Markup(
            '<div class="d-flex%s"><span>%s</span>'
            '<span class="ms-auto fw-bold">%s</span></div>'
        )
        lines = Markup("").join(
            line % ("", labels[status], by_status[status])
            for status in ("missing", "draft", "submitted", "accepted")
        )
        lines += line % (" text-danger", self.env._("Late"), late)
        summary = self.env._(
            "%(members)s members; pledged %(pledge)s%%, studied %(study)s%%, "
            "rated excellent or good: %(rated)s.",
            members=totals["member_count"],
            pledge=figures["pledge_rate"],
            study=figures["study_rate"],
            rated=sum(totals[name] for name in rated),
        )
        pending = by_status["missing"] + by_status["draft"]
        return {
            "count": pending,
            "summary": summary,
            "detail": lines,
            "tone": "danger" if late else ("warning" if pending else "success"),
        }

    def _open_report_status(self):
        return self._list_action(
            "trade_union_emulation.union_report_status_action",
            [("level", "!=", "provincial")],
            context={"search_default_this_year": 1, "search_default_group_upper": 1},
        )

    def _secondary_report_status(self):
        action = self._open_report_status()
        action["views"] = [
            (False, "graph"),
            (False, "pivot"),
            (False, "list"),
            (False, "form"),
        ]
        action["view_mode"] = "graph,pivot,list,form"
        return action
