"""The movement's indicators, declared once.

Each indicator says what it is called and how it is counted; the statistics
of a subtree (``union.organization._union_statistics``), the report-status
board (``union.report.status``), the annual reports, the organisation
evaluations and the term summaries all read their figures from here.

Figures are facts of an organisation's subtree, not of the person looking:
they are counted in SQL over every record of the subtree, whatever the
acting user's record rules (the callers check that the user may read the
document the figures belong to). Only counts leave the database: no
personal field of a member is ever read to count.
"""

from dataclasses import dataclass

from odoo import fields, models
from odoo.tools import SQL

# Where the counted records come from. ``org``: the organisation a record
# belongs to; ``year``: its year (None: a head count, the same every year).
# Members count where they are now; documents where they were made (pledges
# keep the organisation of the time), as history must.
SOURCES = {
    "member": {
        "from": "union_member m",
        "where": "m.active",
        "org": "m.organization_id",
        "year": None,
    },
    "attendance": {
        # A member studied in a year when they attended one of its sessions
        # that was held; the session may belong to any organisation (a
        # province's conference counts for a city's member).
        "from": "union_study_session_member_rel rel"
        " JOIN union_study_session s ON s.id = rel.session_id"
        " JOIN union_member m ON m.id = rel.member_id",
        "where": "s.state = 'done' AND m.active",
        "org": "m.organization_id",
        "year": "s.year",
    },
    "pledge": {
        "from": "union_pledge p",
        "where": "TRUE",
        "org": "p.organization_id",
        "year": "p.year",
    },
    "exemplar": {
        "from": "union_exemplar e",
        "where": "e.state = 'recognized'",
        "org": "e.organization_id",
        "year": "e.year",
    },
    "commendation": {
        # Read from the commendation itself: its state, year and proposing
        # organisation are the decision's.
        "from": "union_commendation_line cl"
        " JOIN union_commendation c ON c.id = cl.commendation_id",
        "where": "c.state = 'approved'",
        "org": "c.organization_id",
        "year": "c.year",
    },
    "evaluation": {
        "from": "union_member_evaluation ev",
        "where": "ev.state = 'approved'",
        "org": "ev.organization_id",
        "year": "ev.year",
    },
}


@dataclass(frozen=True)
class Indicator:
    """A figure: a count of records of a source (``expression`` is its SQL
    aggregate), or a rate in percent of two counts (``ratio``)."""

    name: str
    label: str
    help: str = ""
    source: str = ""
    expression: str = ""
    ratio: tuple = ()

    @property
    def is_rate(self):
        return bool(self.ratio)

    def field(self):
        if self.is_rate:
            # Aggregated as the ratio of the summed counts (_read_group_select).
            return fields.Float(
                string=self.label,
                help=self.help,
                digits=(5, 1),
                readonly=True,
                aggregator="avg",
            )
        return fields.Integer(string=self.label, help=self.help, readonly=True)


INDICATORS = (
    Indicator(
        "member_count",
        "Members",
        "Active members of the organisation and of its whole subtree.",
        source="member",
        expression="count(*)",
    ),
    Indicator(
        "studied_count",
        "Members Who Studied",
        "Active members who attended a study session held in the year.",
        source="attendance",
        expression="count(DISTINCT m.id)",
    ),
    Indicator(
        "pledged_count",
        "Members Who Pledged",
        "Pledges of the year that were submitted (draft ones do not count).",
        source="pledge",
        expression="count(*) FILTER (WHERE p.state != 'draft')",
    ),
    Indicator(
        "pledge_approved_count",
        "Pledges Approved",
        source="pledge",
        expression="count(*) FILTER (WHERE p.state IN ('approved', 'assessed'))",
    ),
    Indicator(
        "pledge_achieved_count",
        "Pledges Achieved",
        "Approved pledges whose result is achieved.",
        source="pledge",
        expression="count(*) FILTER (WHERE p.state IN ('approved', 'assessed')"
        " AND p.result = 'achieved')",
    ),
    Indicator(
        "exemplar_count",
        "Recognised Exemplars",
        source="exemplar",
        expression="count(*)",
    ),
    Indicator(
        "commendation_count",
        "Commended",
        "Members and organisations commended by approved decisions.",
        source="commendation",
        expression="count(*)",
    ),
    Indicator(
        "evaluation_excellent_count",
        "Rated Excellent",
        source="evaluation",
        expression="count(*) FILTER (WHERE ev.rating = 'excellent')",
    ),
    Indicator(
        "evaluation_good_count",
        "Rated Good",
        source="evaluation",
        expression="count(*) FILTER (WHERE ev.rating = 'good')",
    ),
    Indicator(
        "evaluation_complete_count",
        "Rated Complete",
        source="evaluation",
        expression="count(*) FILTER (WHERE ev.rating = 'complete')",
    ),
    Indicator(
        "evaluation_incomplete_count",
        "Rated Incomplete",
        source="evaluation",
        expression="count(*) FILTER (WHERE ev.rating = 'incomplete')",
    ),
    Indicator(
        "study_rate",
        "Study Rate (%)",
        "Members who studied over the members.",
        ratio=("studied_count", "member_count"),
    ),
    Indicator(
        "pledge_rate",
        "Pledge Rate (%)",
        "Members who pledged over the members.",
        ratio=("pledged_count", "member_count"),
    ),
    Indicator(
        "pledge_achieved_rate",
        "Pledges Achieved (%)",
        "Achieved pledges over submitted pledges.",
        ratio=("pledge_achieved_count", "pledged_count"),
    ),
)
INDICATOR_BY_NAME = {indicator.name: indicator for indicator in INDICATORS}
COUNTS = tuple(ind.name for ind in INDICATORS if not ind.is_rate)
RATES = tuple(ind.name for ind in INDICATORS if ind.is_rate)
ALL_FIGURES = COUNTS + RATES


def percent(part, whole):
    return round(100.0 * part / whole, 1) if whole else 0.0


def with_rates(counts):
    """``counts`` ({count name: value}) completed with every rate."""
    values = {name: counts.get(name, 0) for name in COUNTS}
    for name in RATES:
        part, whole = INDICATOR_BY_NAME[name].ratio
        values[name] = percent(values[part], values[whole])
    return values


def source_queries(org_filter=None, year_filter=None):
    """One grouped query per source, each giving ``(organization_id, year,
    count, ...)`` rows with a column per indicator of that source.

    ``org_filter(column)`` and ``year_filter(column)`` return SQL conditions
    (or None) on the organisation and year columns. A head-count source has
    a NULL year. Returns ``[(names, SQL)]``.
    """
    queries = []
    for source_name, source in SOURCES.items():
        names = [ind.name for ind in INDICATORS if ind.source == source_name]
        if not names:
            continue
        org_sql = SQL(source["org"])
        year_sql = SQL(source["year"]) if source["year"] else SQL("NULL::int")
        conditions = [SQL(source["where"])]
        if org_filter:
            conditions.append(org_filter(org_sql))
        if year_filter and source["year"]:
            conditions.append(year_filter(year_sql))
        queries.append(
            (
                names,
                SQL(
                    "SELECT %s AS organization_id, %s AS year, %s FROM %s WHERE %s"
                    " GROUP BY 1, 2",
                    org_sql,
                    year_sql,
                    SQL(", ").join(
                        SQL("%s AS %s", SQL(INDICATOR_BY_NAME[n].expression), SQL(n))
                        for n in names
                    ),
                    SQL(source["from"]),
                    SQL(" AND ").join(conditions),
                ),
            )
        )
    return queries


def _indicator_fields():
    return {indicator.name: indicator.field() for indicator in INDICATORS}


class UnionStatisticsMixin(models.AbstractModel):
    """The figures of an organisation's subtree for a year, one field per
    indicator of ``INDICATORS``."""

    _name = "union.statistics.mixin"
    _description = "Union Statistics"

    # The fields are made from the registry, so that an indicator is one
    # declaration (STYLE.md, "One registry of indicators").
    locals().update(_indicator_fields())

    def _read_group_select(self, aggregate_spec, query):
        """A group's rate is the ratio of its summed counts, never the average
        of its rows' percentages."""
        name, _sep, func = aggregate_spec.partition(":")
        indicator = INDICATOR_BY_NAME.get(name)
        if indicator and indicator.is_rate and func == "avg":
            part, whole = indicator.ratio
            return SQL(
                "COALESCE(ROUND(100.0 * SUM(%s) / NULLIF(SUM(%s), 0), 1), 0)::float8",
                self._read_group_count_sql(part, query),
                self._read_group_count_sql(whole, query),
            )
        return super()._read_group_select(aggregate_spec, query)

    def _read_group_count_sql(self, name, query):
        """The column summed for count ``name`` in a group (see
        union.report.status, whose groups sum each record once)."""
        return self._field_to_sql(self._table, name, query)
