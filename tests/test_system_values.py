"""Issue 10.1 and 10.2: what the system computes, copies or sets in a workflow
step cannot be typed in by a user, whatever the route."""

from datetime import date, datetime

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.models import MAGIC_COLUMNS
from odoo.tests import tagged

from .emulation_common import EmulationCase

MODULE = "trade_union_emulation"
# Values copied from the member when the document is created: the history keeps
# them when the member moves.
COPIED = {
    "union.pledge": {"organization_id", "category"},
    "union.member.evaluation": {"organization_id", "grassroots_id"},
}
REFUSALS = (
    "computed or copied by the system",
    "can only be changed with the workflow buttons",
)


def is_guarded(model, name):
    """What the issue calls the system's values: computed (related included)
    unless declared editable, declared read-only, copied at creation, and the
    state of a document with a workflow."""
    field = model._fields[name]
    return (
        (field.compute and field.readonly and not field.inverse)
        or (field.readonly and not field.compute)
        or name in COPIED.get(model._name, ())
        or (name == "state" and "_transitions" in dir(model) and model._transitions)
    )


@tagged("post_install", "-at_install")
class TestSystemValues(EmulationCase):
    """One record of every model of the addon in district A, made through the
    workflow; every field the system sets is tried as the officer of district A
    (the administrator for the pledge criteria), by write, by create and by the
    one2many commands of the parent."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        self = cls("run")
        officer = cls.user_officer_a
        cls.pledge = self.make_pledge(cls.member_a2, "draft")
        cls.evaluation = self.make_evaluation(cls.member_a2, 60)
        cls.session = self.make_session(
            cls.grassroots_a, date(cls.YEAR, 3, 10), cls.member_a1 | cls.member_a2
        )
        cls.exemplar = self.make_exemplar(
            cls.grassroots_a, "Mô hình thử", recognized=False, members=cls.member_a1
        )
        cls.publication = (
            cls.env["union.exemplar.publication"]
            .with_user(officer)
            .create(
                {
                    "exemplar_id": cls.exemplar.id,
                    "channel": "website",
                    "title": "Bài viết",
                }
            )
        )
        cls.commendation = self.make_commendation(
            cls.grassroots_a, cls.member_a1, state="draft"
        )
        cls.org_evaluation = (
            cls.env["union.organization.evaluation"]
            .with_user(officer)
            .create({"organization_id": cls.grassroots_a.id, "year": cls.YEAR})
        )
        cls.inspection = (
            cls.env["union.inspection"]
            .with_user(officer)
            .create(
                {
                    "name": "Kiểm tra",
                    "organization_id": cls.grassroots_a.id,
                    "inspector_organization_id": cls.district_a.id,
                    "date": date(cls.YEAR, 10, 1),
                }
            )
        )
        cls.report = (
            cls.env["union.annual.report"]
            .with_user(officer)
            .create({"organization_id": cls.grassroots_a.id, "year": cls.YEAR})
        )
        cls.district_plan = (
            cls.env["union.plan"]
            .with_user(officer)
            .create(
                {
                    "name": "Kế hoạch huyện A",
                    "organization_id": cls.district_a.id,
                    "year_start": 2024,
                    "year_end": 2026,
                    "topic_ids": [Command.create({"name": "Chuyên đề", "year": 2025})],
                }
            )
        )
        cls.criterion = cls.env["union.pledge.criterion"].search([], limit=1)
        cls.term_report = (
            cls.env["union.term.report"]
            .with_user(officer)
            .create(
                {"organization_id": cls.grassroots_a.id, "plan_id": cls.term_plan.id}
            )
        )
        cls.home_card = cls.env.ref(
            "trade_union_emulation.union_home_card_draft_pledges"
        )
        cls.fixtures = {
            "union.organization": cls.grassroots_a,
            "union.member": cls.member_a2,
            "union.plan": cls.district_plan,
            "union.study.topic": cls.district_plan.topic_ids,
            "union.study.session": cls.session,
            "union.pledge.criterion": cls.criterion,
            "union.pledge": cls.pledge,
            "union.pledge.line": cls.pledge.line_ids[:1],
            "union.member.evaluation": cls.evaluation,
            "union.organization.evaluation": cls.org_evaluation,
            "union.exemplar": cls.exemplar,
            "union.exemplar.publication": cls.publication,
            "union.commendation": cls.commendation,
            "union.commendation.line": cls.commendation.line_ids,
            "union.inspection": cls.inspection,
            "union.annual.report": cls.report,
            "union.annual.report.line": cls.report.line_ids[:1],
            "union.term.report": cls.term_report,
            "union.term.report.line": cls.term_report.line_ids[:1],
            "union.home.card": cls.home_card,
        }

    def addon_models(self):
        return sorted(
            name
            for name, model in self.env.registry.items()
            if model._original_module == MODULE
            and not model._abstract
            and not model._transient
            # SQL views (dashboards) hold no value anybody writes.
            and model._auto
        )

    def user_for(self, model_name):
        # Only the administrator keeps the pledge criteria and the home cards.
        if model_name in ("union.pledge.criterion", "union.home.card"):
            return self.user_admin
        return self.user_officer_a

    def guarded_fields(self, model_name):
        model = self.env[model_name]
        return [
            name
            for name in model._fields
            if name not in MAGIC_COLUMNS and is_guarded(model, name)
        ]

    def other_value(self, record, name):
        """A value of the field's type that differs from the record's."""
        field = record._fields[name]
        current = record[name]
        if field.type == "many2one":
            other = (
                self.env[field.comodel_name]
                .sudo()
                .with_context(active_test=False)
                .search([("id", "!=", current.id)], limit=1)
            )
            return other.id
        if field.type == "one2many":
            return [Command.clear()]
        if field.type == "many2many":
            return [Command.set([])]
        if field.type in ("integer", "float", "monetary"):
            return (current or 0) + 7
        if field.type == "boolean":
            return not current
        if field.type in ("char", "text", "html"):
            return "Giá trị tự gõ"
        if field.type == "selection":
            keys = [key for key, _label in field._description_selection(self.env)]
            return next(key for key in keys if key != current)
        if field.type == "date":
            return date(1999, 1, 1)
        if field.type == "datetime":
            return datetime(1999, 1, 1, 8, 0)
        if field.type == "json":
            return {"forged": True}
        raise AssertionError(f"no test value for {record._name}.{name} ({field.type})")

    def snapshot(self, record, name):
        value = record[name]
        if hasattr(value, "ids"):
            return value.ids
        return value

    def assertRefused(self, call, what):
        with self.assertRaises(UserError, msg=what) as caught:
            call()
        self.assertNotIsInstance(caught.exception, AccessError, what)
        self.assertTrue(
            any(sentence in str(caught.exception) for sentence in REFUSALS),
            f"{what}: {caught.exception}",
        )

    # The walk -------------------------------------------------------------------------

    def test_every_addon_model_has_a_fixture(self):
        self.assertEqual(sorted(self.fixtures), self.addon_models())
        for model_name, record in self.fixtures.items():
            self.assertEqual(len(record), 1, model_name)
            self.assertTrue(
                record.with_user(self.user_for(model_name)).has_access("write"),
                model_name,
            )

    def test_write_refused_for_every_system_field(self):
        checked = 0
        for model_name, record in self.fixtures.items():
            as_user = record.with_user(self.user_for(model_name))
            for name in self.guarded_fields(model_name):
                with self.subTest(model=model_name, field=name):
                    before = self.snapshot(record, name)
                    value = self.other_value(record, name)
                    self.assertRefused(
                        lambda as_user=as_user, name=name, value=value: as_user.write(
                            {name: value}
                        ),
                        f"{model_name}.{name}",
                    )
                    self.env.invalidate_all()
                    self.assertEqual(self.snapshot(record, name), before)
                    checked += 1
        self.assertGreater(checked, 150, "the walk reached every model")

    def test_issue_examples_refused(self):
        """The values found forged by the officer of a district, one by one."""
        officer = self.user_officer_a
        line = self.commendation.line_ids
        cases = [
            (line, {"state": "approved"}),
            (line, {"organization_id": self.district_b.id}),
            (line, {"year": 1999}),
            (self.member_a2, {"grassroots_id": self.grassroots_b.id}),
            (self.grassroots_a, {"grassroots_id": self.grassroots_b.id}),
            (self.publication, {"organization_id": self.district_b.id}),
            (self.evaluation, {"proposed_rating": "excellent"}),
            (self.commendation, {"recipient_count": 99}),
            (self.session, {"attendee_count": 99}),
            (self.session, {"year": 1999}),
            (self.report, {"parent_organization_id": self.district_b.id}),
            (self.report, {"level": "provincial"}),
        ]
        for record, vals in cases:
            with self.subTest(model=record._name, vals=vals):
                self.assertRefused(
                    lambda record=record, vals=vals: record.with_user(officer).write(
                        vals
                    ),
                    f"{record._name} {vals}",
                )
        self.env.invalidate_all()
        self.assertEqual(line.organization_id, self.grassroots_a)
        self.assertEqual(self.evaluation.proposed_rating, "complete")
        self.assertEqual(self.session.year, self.YEAR)
        self.assertEqual(self.report.level, "grassroots")
        # The other district's figures did not move.
        self.assertFalse(
            self.env["union.commendation.line"].search(
                [("organization_id", "=", self.district_b.id)]
            )
        )

    def test_create_refused_with_system_fields(self):
        officer = self.user_officer_a
        base = {
            "union.pledge": {"member_id": self.member_a1.id, "year": self.YEAR},
            "union.member.evaluation": {
                "member_id": self.member_a1.id,
                "year": self.YEAR,
            },
            "union.annual.report": {
                "organization_id": self.sub_unit_a.id,
                "year": self.YEAR,
            },
            "union.commendation.line": {
                "commendation_id": self.commendation.id,
                "member_id": self.member_a1.id,
            },
            "union.exemplar.publication": {
                "exemplar_id": self.exemplar.id,
                "title": "Bài mới",
            },
            "union.study.session": {
                "name": "Sinh hoạt",
                "organization_id": self.grassroots_a.id,
                "topic_id": self.topic.id,
                "date": date(self.YEAR, 5, 5),
            },
            "union.member": {
                "name": "Đoàn viên mới",
                "organization_id": self.grassroots_a.id,
                "category": "worker",
            },
            "union.commendation": {
                "name": "Đề nghị",
                "organization_id": self.grassroots_a.id,
                "year": self.YEAR,
            },
        }
        for model_name, vals in base.items():
            Model = self.env[model_name].with_user(officer)
            count = Model.sudo().search_count([])
            for name in self.guarded_fields(model_name):
                if name in ("display_name",) or self.env[model_name]._fields[
                    name
                ].type in ("one2many",):
                    continue
                with self.subTest(model=model_name, field=name):
                    value = self.other_value(self.fixtures[model_name], name)
                    self.assertRefused(
                        lambda Model=Model, vals=vals, name=name, value=value: (
                            Model.create({**vals, name: value})
                        ),
                        f"create {model_name} with {name}",
                    )
            self.assertEqual(Model.sudo().search_count([]), count, model_name)

    def test_refused_through_the_parent_commands(self):
        """Lines are written and created through their parent's one2many."""
        officer = self.user_officer_a
        checked = 0
        for model_name, parent in self.fixtures.items():
            user = self.user_for(model_name)
            for o2m_name, field in parent._fields.items():
                if (
                    field.type != "one2many"
                    or field.comodel_name not in self.fixtures
                    or not field.store
                    or is_guarded(parent, o2m_name)
                ):
                    continue
                line = parent[o2m_name][:1]
                if not line:
                    continue
                for name in self.guarded_fields(field.comodel_name):
                    if name == field.inverse_name:
                        continue
                    with self.subTest(parent=model_name, o2m=o2m_name, field=name):
                        before = self.snapshot(line, name)
                        value = self.other_value(line, name)
                        self.assertRefused(
                            lambda parent=parent,
                            user=user,
                            o2m_name=o2m_name,
                            line=line,
                            name=name,
                            value=value: parent.with_user(user).write(
                                {o2m_name: [Command.update(line.id, {name: value})]}
                            ),
                            f"{model_name}.{o2m_name} → {name}",
                        )
                        self.env.invalidate_all()
                        self.assertEqual(self.snapshot(line, name), before)
                        checked += 1
        self.assertGreater(checked, 50)
        # Creating a line with a system value through the parent is refused too.
        self.assertRefused(
            lambda: self.commendation.with_user(officer).write(
                {
                    "line_ids": [
                        Command.create(
                            {
                                "member_id": self.member_a2.id,
                                "organization_id": self.district_b.id,
                            }
                        )
                    ]
                }
            ),
            "commendation line created with another organisation",
        )
        self.assertEqual(len(self.commendation.line_ids), 1)

    def test_context_defaults_cannot_set_system_values(self):
        """A ``default_<field>`` in the context is dropped for the system's
        fields: it would reach every record created, lines included."""
        pledge = (
            self.env["union.pledge"]
            .with_user(self.user_officer_a)
            .with_context(
                default_state="approved",
                default_result="achieved",
                default_organization_id=self.district_b.id,
                default_approve_user_id=self.user_manager_a.id,
            )
            .create({"member_id": self.member_a1.id, "year": self.YEAR})
        )
        self.assertEqual(
            (
                pledge.state,
                pledge.result,
                pledge.organization_id,
                pledge.approve_user_id,
            ),
            ("draft", False, self.grassroots_a, self.env["res.users"]),
        )
        commendation = (
            self.env["union.commendation"]
            .with_user(self.user_officer_a)
            .with_context(default_year=self.YEAR, default_state="approved")
            .create(
                {
                    "name": "Đề nghị",
                    "organization_id": self.grassroots_a.id,
                    "line_ids": [Command.create({"member_id": self.member_a1.id})],
                }
            )
        )
        self.assertEqual(commendation.state, "draft")
        self.assertEqual(commendation.line_ids.state, "draft")

    # Editable computed values stay editable -------------------------------------------

    def test_editable_computed_values_stay_editable(self):
        self.evaluation.with_user(self.user_officer_a).write({"rating": "good"})
        self.assertEqual(
            (self.evaluation.rating, self.evaluation.proposed_rating),
            ("good", "complete"),
        )
        self.report.with_user(self.user_manager_a).write(
            {"date_due": date(self.YEAR, 9, 20)}
        )
        self.assertEqual(self.report.date_due, date(self.YEAR, 9, 20))


@tagged("post_install", "-at_install")
class TestWorkflowValuesOnCreate(EmulationCase):
    """Issue 10.2: workflow values are refused on create as on write, and the
    members of lines are checked on every write path."""

    def test_pledge_result_refused_on_create(self):
        Pledge = self.env["union.pledge"]
        for vals in (
            {"result": "achieved"},
            {"result_note": "Đã hoàn thành"},
            {"state": "assessed"},
            {"submit_user_id": self.user_officer_a.id},
            {"assess_date": "2025-12-01 08:00:00"},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                Pledge.with_user(self.user_officer_a).create(
                    {"member_id": self.member_a1.id, "year": self.YEAR, **vals}
                )
        # The member herself cannot create a pledge at all (the campaign makes it).
        with self.assertRaises(AccessError):
            Pledge.with_user(self.user_member_a1).create(
                {"member_id": self.member_a1.id, "year": self.YEAR}
            )
        with self.assertRaises(AccessError):
            Pledge.with_user(self.user_member_a1).create(
                {
                    "member_id": self.member_a1.id,
                    "year": self.YEAR,
                    "result": "achieved",
                }
            )
        self.assertFalse(Pledge.search([("member_id", "=", self.member_a1.id)]))

    def test_pledge_line_results_wait_for_the_approval(self):
        pledge = self.make_pledge(self.member_a1, "draft")
        line = pledge.line_ids[0]
        with self.assertRaises(UserError):
            line.with_user(self.user_officer_a).write({"achieved": True})
        with self.assertRaises(UserError):
            self.env["union.pledge.line"].with_user(self.user_officer_a).create(
                {"pledge_id": pledge.id, "commitment": "Thêm", "achieved": True}
            )
        self.env.invalidate_all()
        self.assertFalse(any(pledge.line_ids.mapped("achieved")))

    def test_workflow_values_refused_on_create_everywhere(self):
        officer = self.user_officer_a
        cases = {
            "union.member.evaluation": (
                {"member_id": self.member_a1.id, "year": self.YEAR, "score": 60},
                [{"state": "approved"}, {"approve_user_id": self.user_manager_a.id}],
            ),
            "union.organization.evaluation": (
                {"organization_id": self.grassroots_a.id, "year": self.YEAR},
                [{"state": "approved"}, {"member_count": 500}, {"pledge_rate": 99.0}],
            ),
            "union.exemplar": (
                {"name": "Mô hình", "organization_id": self.grassroots_a.id},
                [{"state": "recognized"}, {"recognize_user_id": officer.id}],
            ),
            "union.commendation": (
                {"name": "Đề nghị", "organization_id": self.grassroots_a.id},
                [{"state": "approved"}, {"reject_reason": "Tự ghi"}],
            ),
            "union.annual.report": (
                {"organization_id": self.grassroots_a.id, "year": self.YEAR},
                [{"state": "accepted"}, {"is_overdue": True}, {"member_count": 9}],
            ),
            "union.inspection": (
                {
                    "name": "Kiểm tra",
                    "organization_id": self.grassroots_a.id,
                    "inspector_organization_id": self.district_a.id,
                },
                [{"state": "closed"}, {"close_user_id": officer.id}],
            ),
        }
        for model_name, (vals, forged_list) in cases.items():
            Model = self.env[model_name].with_user(officer)
            for forged in forged_list:
                with self.subTest(model=model_name, forged=forged):
                    with self.assertRaises(UserError):
                        Model.create({**vals, **forged})
            self.assertFalse(Model.sudo().search([("create_uid", "=", officer.id)]))

    def test_commendation_line_member_checked_on_write(self):
        commendation = self.make_commendation(
            self.grassroots_a, self.member_a1, state="draft"
        )
        line = commendation.line_ids
        with self.assertRaises(UserError) as caught:
            line.with_user(self.user_officer_a).write({"member_id": self.member_b1.id})
        self.assertIn("another organisation", str(caught.exception))
        with self.assertRaises(UserError):
            commendation.with_user(self.user_officer_a).write(
                {
                    "line_ids": [
                        Command.update(line.id, {"member_id": self.member_b1.id})
                    ]
                }
            )
        self.env.invalidate_all()
        self.assertEqual(line.member_id, self.member_a1)
        # A recipient outside the proposing organisation is refused, even for
        # an officer who may see both.
        with self.assertRaises(UserError):
            line.with_user(self.user_manager_province).write(
                {"member_id": self.member_b1.id}
            )
        self.env.invalidate_all()
        self.assertEqual(line.member_id, self.member_a1)

    def test_frozen_field_message(self):
        pledge = self.make_pledge(self.member_a1, "draft")
        with self.assertRaises(UserError) as caught:
            pledge.with_user(self.user_officer_a).write({"year": self.YEAR + 1})
        self.assertIn(
            "cannot be changed once the document is created", str(caught.exception)
        )
        self.assertNotIn("workflow buttons", str(caught.exception))
