"""Helpers of the evaluation, exemplar, commendation, inspection and annual
report tests: each builds its records through the workflow, as the officer or
leader of the organisation concerned would."""

from datetime import date

from odoo import Command

from .common import UnionCase


class EmulationCase(UnionCase):
    YEAR = 2025

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_system_admin = cls.env.ref("base.user_admin")
        # The province's plan and its topic of the year, for the study sessions.
        cls.plan = (
            cls.env["union.plan"]
            .with_user(cls.user_manager_province)
            .create(
                {
                    "name": "Kế hoạch thực hiện Chỉ thị 05-CT/TW",
                    "number": "T-140/KH-LĐLĐ",
                    "organization_id": cls.province.id,
                    "year_start": 2021,
                    "year_end": 2030,
                }
            )
        )
        cls.topic = (
            cls.env["union.study.topic"]
            .with_user(cls.user_manager_province)
            .create(
                {"name": "Chuyên đề năm 2025", "plan_id": cls.plan.id, "year": cls.YEAR}
            )
        )

    # Settings ---------------------------------------------------------------

    def set_setting(self, name, value):
        """Change a union setting as the system administrator does."""
        self.env["ir.config_parameter"].with_user(self.user_system_admin).set_param(
            f"trade_union_emulation.{name}", str(value)
        )

    # Who acts for an organisation ---------------------------------------------

    def officer_for(self, org):
        if org.parent_path.startswith(self.district_a.parent_path):
            return self.user_officer_a
        if org.parent_path.startswith(self.district_b.parent_path):
            return self.user_officer_b
        return self.user_manager_province

    def manager_for(self, org):
        if org.parent_path.startswith(self.district_a.parent_path):
            return self.user_manager_a
        if org.parent_path.startswith(self.district_b.parent_path):
            return self.user_manager_b
        return self.user_manager_province

    # Records built through their workflow -------------------------------------

    def make_member(self, name, org, card, category="worker"):
        return (
            self.env["union.member"]
            .with_user(self.officer_for(org))
            .create(
                {
                    "name": name,
                    "organization_id": org.id,
                    "category": category,
                    "union_card_number": card,
                }
            )
        )

    def make_pledge(self, member, state, result=None, year=None):
        """A pledge of ``member`` taken to ``state`` (draft, submitted, approved,
        assessed), with ``result`` recorded once approved."""
        officer, manager = (
            self.officer_for(member.organization_id),
            self.manager_for(member.organization_id),
        )
        pledge = (
            self.env["union.pledge"]
            .with_user(officer)
            .create({"member_id": member.id, "year": year or self.YEAR})
        )
        self.fill_pledge(pledge)
        if state == "draft":
            return pledge
        pledge.action_submit()
        if state == "submitted":
            return pledge
        pledge.with_user(manager).action_approve()
        if result:
            pledge.with_user(officer).write({"result": result})
        if state == "assessed":
            pledge.with_user(manager).action_assess()
        self.assertEqual(pledge.state, state)
        return pledge

    def make_session(self, org, day, attendees, state="done"):
        session = (
            self.env["union.study.session"]
            .with_user(self.officer_for(org))
            .create(
                {
                    "name": f"Sinh hoạt chuyên đề {day}",
                    "organization_id": org.id,
                    "topic_id": self.topic.id,
                    "date": day,
                    "mode": "regular_meeting",
                    "attendee_ids": [Command.set(attendees.ids)],
                }
            )
        )
        if state == "done":
            session.action_done()
        elif state == "cancelled":
            session.action_cancel()
        return session

    def make_evaluation(self, member, score, state="draft", rating=None, year=None):
        officer, manager = (
            self.officer_for(member.organization_id),
            self.manager_for(member.organization_id),
        )
        vals = {"member_id": member.id, "year": year or self.YEAR, "score": score}
        if rating:
            vals["rating"] = rating
        evaluation = self.env["union.member.evaluation"].with_user(officer).create(vals)
        if state in ("submitted", "approved"):
            evaluation.action_submit()
        if state == "approved":
            evaluation.with_user(manager).action_approve()
        self.assertEqual(evaluation.state, state)
        return evaluation

    def make_exemplar(self, org, name, recognized=True, year=None, members=None):
        exemplar = (
            self.env["union.exemplar"]
            .with_user(self.officer_for(org))
            .create(
                {
                    "name": name,
                    "exemplar_type": "individual" if members else "collective",
                    "organization_id": org.id,
                    "member_ids": [Command.set(members.ids if members else [])],
                    "year": year or self.YEAR,
                }
            )
        )
        if recognized:
            exemplar.with_user(self.manager_for(org)).action_recognize()
        return exemplar

    def make_commendation(
        self, org, recipients, state="approved", year=None, name="Giấy khen"
    ):
        """A commendation proposed by ``org`` for ``recipients`` (a recordset, or
        a list of members and organisations), taken to ``state``."""
        lines = [
            Command.create(
                {"member_id": rec.id, "achievement": "Hoàn thành xuất sắc nhiệm vụ"}
                if rec._name == "union.member"
                else {
                    "recipient_organization_id": rec.id,
                    "achievement": "Tập thể tiêu biểu",
                }
            )
            for rec in recipients
        ]
        commendation = (
            self.env["union.commendation"]
            .with_user(self.officer_for(org))
            .create(
                {
                    "name": name,
                    "form": "certificate",
                    "issuer_level": "upper_grassroots",
                    "organization_id": org.id,
                    "year": year or self.YEAR,
                    "line_ids": lines,
                }
            )
        )
        if state == "draft":
            return commendation
        commendation.action_submit()
        manager = self.manager_for(org)
        if state == "approved":
            commendation.with_user(manager).write(
                {
                    "decision_number": f"{commendation.id}/QĐ-LĐLĐ",
                    "decision_date": date(self.YEAR, 11, 20),
                }
            )
            commendation.with_user(manager).action_approve()
        elif state == "rejected":
            commendation.with_user(manager).action_reject(reason="Chưa đủ tiêu chuẩn")
        self.assertEqual(commendation.state, state)
        return commendation

    def confirm_reason(self, action, user, reason):
        """Fill the reason wizard an ``action_*`` method opened, as ``user``."""
        self.assertEqual(action["res_model"], "union.reason.wizard")
        wizard = (
            self.env["union.reason.wizard"]
            .with_user(user)
            .with_context(**action["context"])
            .create({"reason": reason})
        )
        return wizard.action_confirm()

    def messages_text(self, record, user):
        """The chatter of ``record`` as ``user`` sees it, as one string."""
        return "\n".join(record.with_user(user).message_ids.mapped("body"))
