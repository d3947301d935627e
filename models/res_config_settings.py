from odoo import api, fields, models
from odoo.exceptions import ValidationError

PARAM_PREFIX = "trade_union_emulation."
# name: (type, default)
PARAMS = {
    "pledge_campaign_day": (int, 1),
    "pledge_campaign_month": (int, 1),
    "rating_excellent_min": (int, 90),
    "rating_good_min": (int, 70),
    "rating_complete_min": (int, 50),
    "allow_rating_without_pledge": (bool, False),
    "excellent_quota": (bool, False),
    "excellent_quota_percent": (int, 20),
    "report_due_day": (int, 10),
    "report_due_month": (int, 9),
    "home_for_new_users": (bool, True),
    # "To approve" activities for the approvers, per document type.
    "approval_activity_pledge": (bool, True),
    "approval_activity_member_evaluation": (bool, True),
    "approval_activity_organization_evaluation": (bool, True),
    "approval_activity_exemplar": (bool, True),
    "approval_activity_commendation": (bool, True),
    "approval_activity_annual_report": (bool, True),
}
# Settings fields of the switches that are on by default. Odoo deletes the
# parameter of an unticked ``config_parameter`` box, which would read as the
# default again: they are stored as "1" / "0" by get_values / set_values.
ON_BY_DEFAULT = {
    f"union_{name}": name
    for name in PARAMS
    if name.startswith("approval_activity_") or name == "home_for_new_users"
}


def get_param(env, name):
    """A union setting, typed, with its default when unset."""
    kind, default = PARAMS[name]
    raw = env["ir.config_parameter"].sudo().get_param(PARAM_PREFIX + name)
    if raw in (None, False, ""):
        return default
    if kind is bool:
        return raw not in ("False", "0", "false")
    try:
        return kind(raw)
    except ValueError:
        return default


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    union_pledge_campaign_day = fields.Integer(
        string="Pledge Campaign Opening Day",
        config_parameter=PARAM_PREFIX + "pledge_campaign_day",
        default=1,
    )
    union_pledge_campaign_month = fields.Integer(
        string="Pledge Campaign Opening Month",
        config_parameter=PARAM_PREFIX + "pledge_campaign_month",
        default=1,
    )
    union_rating_excellent_min = fields.Integer(
        string="Minimum Score for Excellent",
        config_parameter=PARAM_PREFIX + "rating_excellent_min",
        default=90,
    )
    union_rating_good_min = fields.Integer(
        string="Minimum Score for Good",
        config_parameter=PARAM_PREFIX + "rating_good_min",
        default=70,
    )
    union_rating_complete_min = fields.Integer(
        string="Minimum Score for Complete",
        config_parameter=PARAM_PREFIX + "rating_complete_min",
        default=50,
    )
    union_allow_rating_without_pledge = fields.Boolean(
        string="Allow Excellent or Good Without an Achieved Pledge",
        config_parameter=PARAM_PREFIX + "allow_rating_without_pledge",
        help="By default a member whose pledge of the year is missing or not achieved "
        "cannot be rated excellent or good (the pledge result is a rating criterion).",
    )
    union_excellent_quota = fields.Boolean(
        string="Cap Excellent Ratings",
        config_parameter=PARAM_PREFIX + "excellent_quota",
        help="Within one grassroots union and year, excellent ratings may not exceed "
        "a percentage of the good ones (Decree 335/2025/ND-CP).",
    )
    union_excellent_quota_percent = fields.Integer(
        string="Excellent Cap (% of Good)",
        config_parameter=PARAM_PREFIX + "excellent_quota_percent",
        default=20,
    )
    union_report_due_day = fields.Integer(
        string="Annual Report Due Day",
        config_parameter=PARAM_PREFIX + "report_due_day",
        default=10,
    )
    union_home_for_new_users = fields.Boolean(
        string="Union Home for New Users",
        help="New users of the union land on the dashboard of their work of the year.",
    )
    union_report_due_month = fields.Integer(
        string="Annual Report Due Month",
        config_parameter=PARAM_PREFIX + "report_due_month",
        default=9,
    )

    union_approval_activity_pledge = fields.Boolean(
        string="Tell Approvers of Submitted Pledges", default=True
    )
    union_approval_activity_member_evaluation = fields.Boolean(
        string="Tell Approvers of Submitted Member Evaluations", default=True
    )
    union_approval_activity_organization_evaluation = fields.Boolean(
        string="Tell Approvers of Submitted Organization Evaluations", default=True
    )
    union_approval_activity_exemplar = fields.Boolean(
        string="Tell Approvers of Proposed Exemplars", default=True
    )
    union_approval_activity_commendation = fields.Boolean(
        string="Tell Approvers of Submitted Commendations", default=True
    )
    union_approval_activity_annual_report = fields.Boolean(
        string="Tell Approvers of Submitted Annual Reports", default=True
    )

    @api.model
    def get_values(self):
        values = super().get_values()
        for field_name, param in ON_BY_DEFAULT.items():
            values[field_name] = get_param(self.env, param)
        return values

    def set_values(self):
        res = super().set_values()
        parameters = self.env["ir.config_parameter"].sudo()
        for field_name, param in ON_BY_DEFAULT.items():
            parameters.set_param(PARAM_PREFIX + param, "1" if self[field_name] else "0")
        return res

    @api.constrains(
        "union_rating_excellent_min",
        "union_rating_good_min",
        "union_rating_complete_min",
        "union_excellent_quota_percent",
    )
    def _check_union_bands(self):
        for settings in self:
            bands = (
                settings.union_rating_excellent_min,
                settings.union_rating_good_min,
                settings.union_rating_complete_min,
            )
            if not 100 >= bands[0] > bands[1] > bands[2] >= 0:
                raise ValidationError(
                    self.env._(
                        "The score bands must fall from excellent to complete, "
                        "between 0 and 100."
                    )
                )
            if not 0 <= settings.union_excellent_quota_percent <= 100:
                raise ValidationError(
                    self.env._(
                        "The cap on excellent ratings is a percentage between 0 and "
                        "100."
                    )
                )

    @api.constrains(
        "union_pledge_campaign_day",
        "union_pledge_campaign_month",
        "union_report_due_day",
        "union_report_due_month",
    )
    def _check_union_dates(self):
        for settings in self:
            for day, month in (
                (
                    settings.union_pledge_campaign_day,
                    settings.union_pledge_campaign_month,
                ),
                (settings.union_report_due_day, settings.union_report_due_month),
            ):
                if not (
                    1 <= month <= 12
                    and 1
                    <= day
                    <= 28 + (month != 2) * 2 + (month in (1, 3, 5, 7, 8, 10, 12))
                ):
                    raise ValidationError(
                        self.env._(
                            "%(day)s/%(month)s is not a valid day of the year.",
                            day=day,
                            month=month,
                        )
                    )
