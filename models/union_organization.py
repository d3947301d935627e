from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from .union_statistics_mixin import ALL_FIGURES, COUNTS, source_queries, with_rates
from .union_workflow_mixin import GROUP_ADMIN, GROUP_OFFICER

LEVELS = [
    ("central", "Central confederation"),
    ("provincial", "Provincial federation"),
    ("upper_grassroots", "Upper-grassroots union"),
    ("grassroots", "Grassroots union"),
    ("sub_unit", "Sub-unit"),
]
LEVEL_RANK = {code: rank for rank, (code, _label) in enumerate(LEVELS)}
MEMBER_LEVELS = ("grassroots", "sub_unit")
# Restructuring is an admin's job: these fields move or retire an organisation.
STRUCTURE_FIELDS = ("parent_id", "level", "active", "successor_id")
# Indicators of a subtree for a year, declared in union_statistics_mixin.
STAT_COUNTS = COUNTS
STAT_FIELDS = ALL_FIGURES


class UnionOrganization(models.Model):
    _name = "union.organization"
    _description = "Union Organization"
    _inherit = ["mail.thread", "mail.activity.mixin", "union.system.mixin"]
    _parent_store = True
    _order = "complete_name, id"
    _rec_names_search = ["name", "code"]

    name = fields.Char(required=True, tracking=True)
    complete_name = fields.Char(
        compute="_compute_complete_name", store=True, recursive=True
    )
    code = fields.Char(required=True, tracking=True, index=True)
    level = fields.Selection(LEVELS, required=True, tracking=True, index=True)
    parent_id = fields.Many2one(
        "union.organization",
        string="Parent Organization",
        ondelete="restrict",
        index=True,
        tracking=True,
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many(
        "union.organization", "parent_id", string="Child Organizations"
    )
    grassroots_id = fields.Many2one(
        "union.organization",
        string="Grassroots Union",
        compute="_compute_grassroots_id",
        store=True,
        recursive=True,
        index=True,
        help=(
            "The grassroots union this organisation belongs to (itself for a "
            "grassroots union)."
        ),
    )
    member_ids = fields.One2many("union.member", "organization_id", string="Members")
    member_count = fields.Integer(
        compute="_compute_member_count",
        help="Active members of the organisation and of its whole subtree.",
    )
    direct_member_count = fields.Integer(compute="_compute_member_count")
    child_count = fields.Integer(compute="_compute_child_count")
    commendation_count = fields.Integer(
        string="Commendations",
        compute="_compute_commendation_count",
        help="Commendations the organisation received as a collective.",
    )
    active = fields.Boolean(default=True, tracking=True)
    successor_id = fields.Many2one(
        "union.organization",
        string="Merged Into",
        ondelete="restrict",
        tracking=True,
        help="The organisation this one was merged into.",
    )
    leader_name = fields.Char(string="Chairperson", help="Signs the exported reports.")
    leader_title = fields.Char(string="Signatory Title", default="CHỦ TỊCH")
    city = fields.Char(
        string="Place", help="Place name of the date line of documents, e.g. Bắc Kạn."
    )
    address = fields.Char()
    phone = fields.Char()
    email = fields.Char()
    note = fields.Html()

    _sql_constraints = [
        (
            "code_unique",
            "unique(code)",
            "An organisation with this code already exists.",
        ),
    ]

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for org in self:
            if org.parent_id:
                org.complete_name = f"{org.parent_id.complete_name} / {org.name}"
            else:
                org.complete_name = org.name

    @api.depends("level", "parent_id.grassroots_id")
    def _compute_grassroots_id(self):
        for org in self:
            if org.level == "grassroots":
                org.grassroots_id = org
            elif org.level == "sub_unit":
                org.grassroots_id = org.parent_id.grassroots_id
            else:
                org.grassroots_id = False

    def _compute_member_count(self):
        # Head counts are as public as the tree itself: counted over every member,
        # not only those the user may open.
        direct = self.sudo()._subtree_counts("union.member", [])
        totals = self._rollup(direct)
        for org in self:
            org.direct_member_count = direct.get(org.id, 0)
            org.member_count = totals.get(org.id, 0)

    def _compute_child_count(self):
        counts = dict(
            self.env["union.organization"]._read_group(
                [("parent_id", "in", self.ids)], ["parent_id"], ["__count"]
            )
        )
        for org in self:
            org.child_count = counts.get(org, 0)

    def _compute_commendation_count(self):
        # The lines the user may open: the figure is the length of the list
        # the button opens.
        counts = dict(
            self.env["union.commendation.line"]._read_group(
                [("recipient_organization_id", "in", self.ids)],
                ["recipient_organization_id"],
                ["__count"],
            )
        )
        for org in self:
            org.commendation_count = counts.get(org, 0)

    @api.constrains("parent_id")
    def _check_parent_id(self):
        if self._has_cycle():
            raise ValidationError(
                self.env._(
                    "An organisation cannot be placed under itself or one of its own "
                    "sub-organisations."
                )
            )

    @api.constrains("parent_id", "level")
    def _check_level(self):
        for org in self:
            if (
                org.parent_id
                and LEVEL_RANK[org.level] <= LEVEL_RANK[org.parent_id.level]
            ):
                raise ValidationError(
                    self.env._(
                        "“%(org)s” (%(level)s) cannot be placed under “%(parent)s” "
                        "(%(parent_level)s): "
                        "an organisation must be at a lower level than its parent.",
                        org=org.name,
                        level=org._level_label(),
                        parent=org.parent_id.name,
                        parent_level=org.parent_id._level_label(),
                    )
                )
            rank = LEVEL_RANK[org.level]
            too_high = org.child_ids.filtered(
                lambda child, rank=rank: LEVEL_RANK[child.level] <= rank
            )
            if too_high:
                raise ValidationError(
                    self.env._(
                        "“%(org)s” cannot become %(level)s: its sub-organisation "
                        "“%(child)s” is not at a lower level.",
                        org=org.name,
                        level=org._level_label(),
                        child=too_high[0].name,
                    )
                )
            if (
                org.level not in MEMBER_LEVELS
                and org.with_context(active_test=False).member_ids
            ):
                raise ValidationError(
                    self.env._(
                        "“%(org)s” has members, so it must stay a grassroots union "
                        "or a sub-unit.",
                        org=org.name,
                    )
                )

    @api.constrains("successor_id")
    def _check_successor(self):
        for org in self.filtered("successor_id"):
            if org.successor_id == org:
                raise ValidationError(
                    self.env._("An organisation cannot be merged into itself.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("code"):
                vals["code"] = vals["code"].strip()
        organizations = super().create(vals_list)
        # A new organisation enters the scope of the officers above it.
        self.env["res.users"]._union_scope_changed()
        return organizations

    def write(self, vals):
        if (
            set(vals) & set(STRUCTURE_FIELDS)
            and not self.env.su
            and not self.env.user.has_group(GROUP_ADMIN)
        ):
            raise UserError(
                self.env._(
                    "Only a union administrator can move, merge, archive or change "
                    "the level of an organisation."
                )
            )
        if vals.get("code"):
            vals["code"] = vals["code"].strip()
        if vals.get("parent_id"):
            # The ORM rebuilds parent_path before the constraints run and would
            # only say "Recursion Detected": name the problem first.
            new_parent = self.browse(vals["parent_id"])
            if any(new_parent.parent_path.startswith(org.parent_path) for org in self):
                raise ValidationError(
                    self.env._(
                        "An organisation cannot be placed under itself or one of its "
                        "own sub-organisations."
                    )
                )
        res = super().write(vals)
        if "parent_id" in vals:
            # The moved subtree leaves some officers' scope and enters others'.
            self.env["res.users"]._union_scope_changed()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        orgs = self.with_context(active_test=False)
        for model_name, field_name in self._organization_references():
            model = self.env[model_name].with_context(active_test=False)
            domain = [(field_name, "in", orgs.ids)]
            if model_name == self._name:
                # A grassroots union is its own grassroots_id: only others count.
                domain.append(("id", "not in", orgs.ids))
            used = model._read_group(domain, [field_name], [])
            if used:
                raise UserError(
                    self.env._(
                        "“%(org)s” cannot be deleted: %(what)s still refer to it. "
                        "Archive it, or merge it into another organisation, so that "
                        "its history is kept.",
                        org=used[0][0].display_name,
                        what=self.env["ir.model"]._get(model_name).name,
                    )
                )

    def _organization_references(self):
        """(model, field) pairs that point at union organisations and hold history."""
        refs = []
        for model_name, model in self.env.items():
            if model._abstract or model._transient or not model._auto:
                continue
            for field in model._fields.values():
                if (
                    field.type == "many2one"
                    and field.comodel_name == self._name
                    and field.store
                ):
                    refs.append((model_name, field.name))
        return refs

    def _level_label(self):
        self.ensure_one()
        return dict(self._fields["level"]._description_selection(self.env))[self.level]

    # Subtree statistics ---------------------------------------------------------

    def _subtree_counts(self, model_name, domain, field_name="organization_id"):
        """Count ``model_name`` records per organisation of the subtrees of ``self``,
        in one grouped query. Returns {organization id: count} for the
        organisations that have any."""
        if not self:
            return {}
        groups = self.env[model_name]._read_group(
            [(field_name, "child_of", self.ids), *domain],
            [field_name],
            ["__count"],
        )
        return {org.id: count for org, count in groups}

    def _ancestor_ids(self):
        """{org id: [its ancestors' ids from the root, then its own]} for the
        organisations of ``self``, read from ``parent_path``: what a count is
        added to when it is summed up the tree."""
        return {
            org.id: [int(ancestor) for ancestor in org.parent_path.split("/")[:-1]]
            for org in self
        }

    def _rollup(self, counts):
        """Sum per-organisation counts up the tree: {org id: subtree total} for
        every ancestor of a counted organisation."""
        totals = defaultdict(int)
        if not counts:
            return totals
        ancestors = (
            self.env["union.organization"]
            .with_context(active_test=False)
            .browse(list(counts))
            ._ancestor_ids()
        )
        for org_id, count in counts.items():
            for ancestor in ancestors[org_id]:
                totals[ancestor] += count
        return totals

    def _union_statistics(self, year):
        """The year's figures of each organisation's whole subtree, for every
        organisation in the subtrees of ``self``: {org id: {indicator: value}}.

        Facts of the subtree, whoever asks: every record of the subtree is
        counted, in one grouped SQL query per source of the indicator registry
        (union_statistics_mixin), then summed up the tree. Callers check that
        the user may read the document the figures are for.
        """
        subtree = self.with_context(active_test=False).search(
            [("id", "child_of", self.ids)]
        )
        if not subtree:
            return {}
        # Pending changes of the counted models must reach the database first.
        self.env.flush_all()
        # Each count is added to the organisation and to all its ancestors,
        # read once for the whole subtree.
        ancestors = subtree._ancestor_ids()
        totals = {org_id: dict.fromkeys(COUNTS, 0) for org_id in ancestors}
        for names, query in source_queries(
            org_filter=lambda column: SQL("%s = ANY(%s)", column, subtree.ids),
            year_filter=lambda column: SQL("%s = %s", column, year),
        ):
            for row in self.env.execute_query(query):
                for ancestor in ancestors[row[0]]:
                    figures = totals.get(ancestor)
                    if figures is None:
                        continue  # above the subtrees of self
                    for name, value in zip(names, row[2:], strict=True):
                        figures[name] += value
        return {org_id: with_rates(figures) for org_id, figures in totals.items()}

    def _is_below_user_scope(self, user=None, strict=True):
        """True when the user works on an organisation above this one
        (strictly above when ``strict``); administrators are above everything."""
        self.ensure_one()
        user = user or self.env.user
        if user.has_group(GROUP_ADMIN):
            return True
        for scope in user.union_organization_ids:
            if self.parent_path.startswith(scope.parent_path) and not (
                strict and scope == self
            ):
                return True
        return False

    def _get_officer_users(self):
        """Union officers working directly on this organisation, or else on its
        nearest ancestor that has some."""
        self.ensure_one()
        return self._nearest_users(self._users_by_scope(GROUP_OFFICER))

    @api.model
    def _users_by_scope(self, group_xmlid):
        """{organisation id: internal users of the group who work on it}, in one
        search whatever the number of organisations asked about later."""
        group = self.env.ref(group_xmlid)
        users = (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("groups_id", "in", group.ids),
                    ("share", "=", False),
                    ("union_organization_ids", "!=", False),
                ]
            )
        )
        by_org = defaultdict(set)
        for user in users:
            for org_id in user.union_organization_ids.ids:
                by_org[org_id].add(user.id)
        return {
            org_id: self.env["res.users"].browse(sorted(user_ids))
            for org_id, user_ids in by_org.items()
        }

    def _nearest_users(self, users_by_org, strict=False, excluded=None):
        """The users of ``users_by_org`` (see _users_by_scope) of the nearest
        organisation that has some, this one (unless ``strict``) or one above,
        leaving out ``excluded``."""
        self.ensure_one()
        excluded = excluded or self.env["res.users"]
        ancestor_ids = [int(x) for x in self.parent_path.split("/")[:-1]]
        if strict:
            ancestor_ids = ancestor_ids[:-1]
        for org_id in reversed(ancestor_ids):
            users = users_by_org.get(org_id, self.env["res.users"]) - excluded
            if users:
                return users.with_env(self.env)
        return self.env["res.users"]

    def _check_due_date_by_level_above(self):
        """Only the level above an organisation sets the due date of its report."""
        self.ensure_one()
        if not self._is_below_user_scope():
            raise AccessError(
                self.env._(
                    "Only the level above “%(organization)s” can change the due date "
                    "of its report.",
                    organization=self.name,
                )
            )

    # Actions --------------------------------------------------------------------

    def action_open_members(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "trade_union_emulation.union_member_action"
        )
        action["domain"] = [("organization_id", "child_of", self.id)]
        action["context"] = {
            "default_organization_id": self.id if self.level in MEMBER_LEVELS else False
        }
        return action

    def action_open_children(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "trade_union_emulation.union_organization_action"
        )
        action["domain"] = [("parent_id", "=", self.id)]
        action["context"] = {"default_parent_id": self.id}
        return action

    def action_open_commendations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "trade_union_emulation.union_commendation_line_action"
        )
        action["domain"] = [("recipient_organization_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_open_restructure(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Restructure"),
            "res_model": "union.organization.restructure.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_organization_id": self.id},
        }

    def _merge_into(self, target):
        """Move the members and sub-organisations of ``self`` under ``target`` and
        archive ``self``; past documents keep the organisation they had."""
        self.ensure_one()
        if target == self or target.parent_path.startswith(self.parent_path):
            raise UserError(
                self.env._(
                    "An organisation cannot be merged into itself or into one of its "
                    "sub-organisations."
                )
            )
        members = self.with_context(active_test=False).member_ids
        if members and target.level not in MEMBER_LEVELS:
            raise UserError(
                self.env._(
                    "“%(org)s” has members, so it can only be merged into a "
                    "grassroots union or a sub-unit.",
                    org=self.name,
                )
            )
        members.write({"organization_id": target.id})
        self.with_context(active_test=False).child_ids.write({"parent_id": target.id})
        self.write({"successor_id": target.id, "active": False})
        self.message_post(
            body=self.env._("Merged into %(org)s.", org=target.display_name)
        )
        target.message_post(
            body=self.env._(
                "%(org)s was merged into this organisation.", org=self.display_name
            )
        )
