"""Scale benchmark of trade_union_emulation (DESIGN §9 "Scale", issue 12), run
by scripts/bench.sh.

    python3 scripts/bench.py [--members N] [--grassroots N] [--districts N]
                             [--year Y] [--json FILE] <odoo options>
    python3 scripts/bench.py --compare SMALL.json LARGE.json

The database must hold the module, installed without demo data. ``main``
builds a province (``build_province``), then runs each yearly job W1…W9 and,
in the same run, its lower bound: the same result in plain SQL (or written
with xlsxwriter straight from SQL, or the ORM's own statements replayed). It
prints the time, the ratio to the bound and PASS/FAIL against the targets of
issue 12, and exits 1 if a target is missed. ``--compare`` prints the growth
of each workload between two runs written with ``--json`` (target: at most
12 times slower for 10 times the members).

Everything here is a function of an environment and sizes, with no work at
import time: tests/test_bench.py runs every code path at a small size inside
the test transaction (``commit=False``: bounds and scratch work run inside
savepoints that are rolled back, the jobs run without their batch commits).
"""

import argparse
import ctypes
import gc
import importlib.util
import io
import json
import os
import resource
import sys
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from statistics import median

from lxml import etree

import odoo
from odoo import SUPERUSER_ID, Command, api
from odoo.modules.module import get_module_path
from odoo.modules.registry import Registry
from odoo.tools import SQL, config

MODULE = "trade_union_emulation"
SCRIPTS = Path(__file__).resolve().parent
LIST_LIMIT = 80
# Odoo's import screen sends the file by batches of this many rows.
IMPORT_BATCH = 2000
# The reports of the year fall due on 10 September: the cron is measured on
# 3 September, when it creates them, sends the 7-day reminders and marks last
# year's reports still in draft overdue.
CRON_DAY = (9, 3)
# A district (upper-grassroots union) per this many grassroots unions: 12 for
# a province of 1,000 grassroots unions, 120 for 10,000.
GRASSROOTS_PER_DISTRICT = 1000 / 12
# An officer per district, one per this many grassroots unions besides.
GRASSROOTS_PER_OFFICER = 20
TERM_YEARS = 5
MAX_GROWTH = 12.0


@dataclass
class Target:
    label: str
    seconds: float = None
    ratio: float = None
    memory_mb: float = None

    def describe(self):
        parts = []
        if self.seconds is not None:
            parts.append(f"≤ {self.seconds:g} s")
        if self.ratio is not None:
            parts.append(f"≤ {self.ratio:g}× bound")
        if self.memory_mb is not None:
            parts.append(f"≤ {self.memory_mb:g} MB")
        return ", ".join(parts)


TARGETS = {
    "W1": Target("pledge campaign", seconds=5.0),
    "W2": Target("province statistics", seconds=0.3),
    "W2b": Target("province annual report", seconds=3.0),
    "W3": Target("pledge export", ratio=1.5, memory_mb=150.0),
    "W4": Target("officer's first page", seconds=0.05),
    "W5": Target("evaluation campaign", seconds=10.0),
    "W6": Target("annual-report cron", seconds=30.0),
    "W6b": Target("annual-report cron again", seconds=2.0),
    "W7": Target("member import", seconds=60.0),
    # Each page on its own: a leader opens one at a time.
    "W8": Target("manager's home", seconds=0.5),
    "W8b": Target("report-status board", seconds=0.5),
    "W9": Target("term summary", seconds=2.0),
}


@dataclass
class Sizes:
    members: int = 100_000
    grassroots: int = 1_000
    districts: int = 0  # 0: one per GRASSROOTS_PER_DISTRICT grassroots unions
    year: int = field(default_factory=lambda: date.today().year)
    import_rows: int = 10_000

    def __post_init__(self):
        if not self.districts:
            self.districts = max(1, round(self.grassroots / GRASSROOTS_PER_DISTRICT))


@dataclass
class Bench:
    """What build_province made, and how the workloads run on it."""

    env: object
    sizes: Sizes
    commit: bool
    province: object
    districts: object
    grassroots: object
    plan: object
    manager: object
    officers: object
    build_seconds: float = 0.0

    def checkpoint(self):
        """End of a workload: committed in the bench, kept in the test's
        transaction otherwise."""
        if self.commit:
            self.env.cr.commit()  # pylint: disable=invalid-commit

    def admin_env(self):
        return self.env(user=self.env.ref("base.user_admin"))

    @property
    def path(self):
        return self.province.parent_path + "%"


def log(message):
    print(message, flush=True)


def load_script(name, path):
    """A helper module of the addon loaded from its file (scripts/ and the
    tests' row generator are not packages of the addon)."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Measures ----------------------------------------------------------------------------


def status_kb(key):
    """A figure of /proc/self/status, in kB (VmRSS: resident now, VmHWM: peak)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    raise KeyError(key)


def reset_peak_memory():
    """Reset the process's peak resident size to its current size (Linux >= 4.0),
    so that VmHWM afterwards is the peak of the measured block alone."""
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
        return True
    except OSError:
        return False


def release_free_memory():
    """Collect garbage and give freed heap back to the system, so that memory
    freed by an earlier workload is not silently reused by the next one."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


@contextmanager
def measure(result=None):
    """Wall time and peak resident memory growth of the block."""
    result = {} if result is None else result
    release_free_memory()
    start_rss = status_kb("VmRSS")
    exact = reset_peak_memory()
    start = time.perf_counter()
    try:
        yield result
    finally:
        result["seconds"] = time.perf_counter() - start
        # Without the reset, VmHWM is the lifetime peak: the growth is then a
        # lower estimate.
        result["memory_mb"] = max(status_kb("VmHWM") - start_rss, 0) / 1024
        result["memory_exact"] = exact


@contextmanager
def rolled_back(cr):
    """A block whose writes are undone: the bounds write into scratch tables
    that must not stay (nor break the test's transaction)."""
    with cr.savepoint(flush=False) as savepoint:
        yield
        savepoint.close(rollback=True)


@contextmanager
def capture_sql(cr):
    """The statements the ORM sends, to replay them as a page's bound."""
    statements = []
    execute = cr.execute

    def spy(query, params=None, log_exceptions=True):
        statements.append((query, params))
        return execute(query, params, log_exceptions)

    cr.execute = spy
    try:
        yield statements
    finally:
        del cr.execute


def replay(cr, statements, runs=5):
    """The median time of the captured statements sent again as they are."""
    times = []
    for _run in range(runs):
        with measure() as run:
            for query, params in statements:
                cr.execute(query, params)
                if cr.description:
                    cr.fetchall()
        times.append(run["seconds"])
    return {"seconds": median(times), "memory_mb": 0.0}


def median_of(runs, cr, function):
    """The median time of ``runs`` calls of ``function`` (after one to warm the
    caches), with the statements of the last one and its result."""
    function()
    times = []
    for _run in range(runs):
        with measure() as run, capture_sql(cr) as statements:
            value = function()
        times.append(run["seconds"])
    return {"seconds": median(times), "memory_mb": 0.0}, statements, value


# The province --------------------------------------------------------------------

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Hà", "Nông", "Triệu", "Ma"]
FAMILY += ["Lục", "Đàm", "Hứa"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thu", "Quang", "Ngọc", "Hữu"]
GIVEN = ["An", "Bình", "Cường", "Dung", "Giang", "Hà", "Hải", "Hương", "Khánh"]
GIVEN += ["Lan", "Linh", "Mai", "Nam", "Phương", "Quân", "Sơn", "Thảo", "Trung"]
GIVEN += ["Tuấn", "Yến"]


def build_province(env, sizes, commit=True):
    """1 province and its districts through the ORM; the grassroots unions,
    members, sessions, exemplars, commendations and last year's annual
    reports in plain SQL (the bench measures the workloads, not this); the
    officers through the ORM. The year's pledges and evaluations are left to
    W1 and W5."""
    start = time.perf_counter()
    plain_env = env
    env = env(context=dict(env.context, tracking_disable=True, mail_create_nolog=True))
    Org = env["union.organization"]
    province = Org.create(
        {"name": "LĐLĐ tỉnh Bench", "code": "BENCH", "level": "provincial"}
    )
    province.city = "Bắc Kạn"
    districts = Org.create(
        [
            {
                "name": f"LĐLĐ huyện Bench {d + 1}",
                "code": f"BENCH-D{d + 1}",
                "level": "upper_grassroots",
                "parent_id": province.id,
            }
            for d in range(sizes.districts)
        ]
    )
    env.flush_all()
    grassroots = insert_grassroots(env, districts, sizes.grassroots)
    plan = env["union.plan"].create(
        {
            "name": "Kế hoạch bench",
            "organization_id": province.id,
            "year_start": sizes.year - TERM_YEARS + 1,
            "year_end": sizes.year,
        }
    )
    topic = env["union.study.topic"].create(
        {"name": "Chuyên đề bench", "plan_id": plan.id, "year": sizes.year}
    )
    env.flush_all()
    insert_members(env, province, sizes, topic)
    insert_last_year_reports(env, province, sizes.year - 1)
    settle_filled_tables(env, commit)
    env.invalidate_all()
    manager, officers = create_officers(env, province, districts, grassroots)
    bench = Bench(
        plain_env,
        sizes,
        commit,
        province,
        districts,
        grassroots,
        plan,
        manager,
        officers,
    )
    prepare_import_language(env)
    bench.checkpoint()
    bench.build_seconds = time.perf_counter() - start
    return bench


def settle_filled_tables(env, commit):
    """The tables that hold rows vacuumed and analysed, as autovacuum keeps
    them (else it would vacuum the members during a later workload, and the
    first one to read them would set every row's hint bits).

    The empty ones stay never analysed, as on a new database: PostgreSQL then
    assumes they will grow. Analysed empty, a table is planned as one page,
    and a foreign-key check into it made early in a workload is cached as a
    scan, which grows with every row the workload adds: at a million members
    the annual-report cron spent 11 s checking 19,740 followers' subtypes."""
    env.cr.execute(
        """
        SELECT c.oid::regclass::text FROM pg_class c
         WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace
           AND pg_relation_size(c.oid) > 0
         ORDER BY 1
        """
    )
    vacuum_analyze(env, [SQL(name) for (name,) in env.cr.fetchall()], commit)


def vacuum_analyze(env, tables, commit):
    """VACUUM (ANALYZE) of ``tables`` (SQL names) after a commit; in the
    tests' transaction (no commit) they are only analysed, as VACUUM cannot
    run in a transaction block."""
    names = SQL(", ").join(tables)
    if not commit:
        env.cr.execute(SQL("ANALYZE %s", names))
        return
    env.cr.commit()  # pylint: disable=invalid-commit
    with env.registry.cursor() as cr:
        cr._cnx.autocommit = True
        try:
            cr.execute(SQL("VACUUM (ANALYZE) %s", names))
        finally:
            cr._cnx.autocommit = False


def insert_grassroots(env, districts, count):
    """``count`` grassroots unions spread over ``districts``, with the
    parent_path, complete_name and grassroots_id the ORM would store (see
    orm_twin_differences)."""
    # Two statements: the rows a WITH … INSERT adds are not visible to the
    # rest of its statement.
    env.cr.execute(
        """
        WITH district AS (
            SELECT id, row_number() OVER (ORDER BY id) - 1 AS k
              FROM union_organization WHERE id = ANY(%(districts)s)
        )
        INSERT INTO union_organization (name, code, level, parent_id, active,
                                        leader_title, create_uid, create_date,
                                        write_uid, write_date)
             SELECT 'CĐCS Đơn vị ' || (u + 1), 'BENCH-G' || (u + 1), 'grassroots',
                    d.id, TRUE, 'CHỦ TỊCH', %(uid)s, now() AT TIME ZONE 'UTC',
                    %(uid)s, now() AT TIME ZONE 'UTC'
               FROM generate_series(0, %(count)s - 1) u
               JOIN district d ON d.k = u %% %(n)s
              ORDER BY u
          RETURNING id
        """,
        {
            "districts": districts.ids,
            "count": count,
            "n": len(districts),
            "uid": env.uid,
        },
    )
    ids = sorted(row[0] for row in env.cr.fetchall())
    env.cr.execute(
        """
        UPDATE union_organization o
           SET parent_path = d.parent_path || o.id || '/',
               complete_name = d.complete_name || ' / ' || o.name,
               grassroots_id = o.id
          FROM union_organization d
         WHERE d.id = o.parent_id AND o.id = ANY(%s)
        """,
        [ids],
    )
    env["union.organization"].invalidate_model()
    return env["union.organization"].browse(ids)


TWIN_FIELDS = ("level", "active", "leader_title", "parent_id")


def orm_twin_differences(env, grassroots):
    """The fields on which a grassroots union inserted in SQL differs from its
    twin created through the ORM under the same parent (rolled back): empty
    when the SQL stores what the ORM would."""
    differences = []
    with rolled_back(env.cr):
        for org in grassroots:
            twin = env["union.organization"].create(
                {
                    "name": org.name,
                    "code": org.code + "-ORM",
                    "level": "grassroots",
                    "parent_id": org.parent_id.id,
                }
            )
            env.flush_all()
            expected = {name: twin[name] for name in TWIN_FIELDS}
            expected.update(
                parent_path=twin.parent_path.replace(f"/{twin.id}/", f"/{org.id}/"),
                complete_name=twin.complete_name,
                grassroots_id=twin.grassroots_id.id == twin.id,
            )
            actual = {name: org[name] for name in TWIN_FIELDS}
            actual.update(
                parent_path=org.parent_path,
                complete_name=org.complete_name,
                grassroots_id=org.grassroots_id.id == org.id,
            )
            differences += [
                (org.code, name, actual[name], value)
                for name, value in expected.items()
                if actual[name] != value
            ]
        env.invalidate_all()
    return differences


def insert_members(env, province, sizes, topic):
    """Members, a study session per grassroots union attended by 4 members in
    5, two exemplars (one recognised) and an approved commendation each."""
    env.cr.execute(
        """
        CREATE TEMP TABLE bench_union ON COMMIT DROP AS
        SELECT id, row_number() OVER (ORDER BY id) - 1 AS k
          FROM union_organization
         WHERE level = 'grassroots' AND parent_path LIKE %(path)s;

        INSERT INTO union_member (name, organization_id, grassroots_id, category,
                                  active, ethnicity, is_union_officer, is_party_member,
                                  create_uid, create_date, write_uid, write_date)
             SELECT (%(family)s)[1 + i %% cardinality(%(family)s)] || ' '
                    || (%(middle)s)[1 + (i / 7) %% cardinality(%(middle)s)] || ' '
                    || (%(given)s)[1 + (i / 3) %% cardinality(%(given)s)] || ' ' || i,
                    u.id, u.id,
                    (ARRAY['civil_servant', 'public_employee',
                           'worker'])[1 + (i / 11) %% 3],
                    TRUE, 'Kinh', i %% 50 = 0, i %% 4 = 0, 1, now(), 1, now()
               FROM generate_series(0, %(members)s - 1) i
               JOIN bench_union u ON u.k = i %% (SELECT count(*) FROM bench_union);

        INSERT INTO union_study_session (name, organization_id, topic_id, date, year,
                                         mode, state, attendee_count,
                                         create_uid, create_date, write_uid, write_date)
             SELECT 'Sinh hoạt chuyên đề', u.id, %(topic)s, make_date(%(year)s, 3, 15),
                    %(year)s, 'regular_meeting', 'done', 0, 1, now(), 1, now()
               FROM bench_union u;
        INSERT INTO union_study_session_member_rel (session_id, member_id)
             SELECT s.id, m.id
               FROM union_member m
               JOIN union_study_session s
                 ON s.organization_id = m.organization_id AND s.topic_id = %(topic)s
              WHERE m.id %% 5 <> 0;

        INSERT INTO union_exemplar (name, exemplar_type, organization_id, year, state,
                                    create_uid, create_date, write_uid, write_date)
             SELECT 'Mô hình ' || u.k || '-' || n,
                    (ARRAY['model', 'collective', 'individual',
                           'good_deed'])[1 + (u.k + n) %% 4],
                    u.id, %(year)s,
                    CASE WHEN n = 1 THEN 'recognized' ELSE 'proposed' END,
                    1, now(), 1, now()
               FROM bench_union u CROSS JOIN generate_series(1, 2) n;

        INSERT INTO union_commendation (name, form, issuer_level, organization_id, year,
                                        state, recipient_count, decision_number,
                                        decision_date, create_uid, create_date,
                                        write_uid, write_date)
             SELECT 'Khen thưởng ' || u.k, 'certificate', 'provincial', u.id,
                    %(year)s, 'approved', 1,
                    u.k || '/QĐ-LĐLĐ', make_date(%(year)s, 9, 2), 1, now(), 1, now()
               FROM bench_union u;
        INSERT INTO union_commendation_line (commendation_id, sequence, member_id,
                                             achievement, organization_id, year, state,
                                             create_uid, create_date, write_uid,
                                             write_date)
             SELECT c.id, 10,
                    (SELECT min(m.id) FROM union_member m
                      WHERE m.organization_id = c.organization_id),
                    'Hoàn thành xuất sắc nhiệm vụ', c.organization_id, c.year, c.state,
                    1, now(), 1, now()
               FROM union_commendation c JOIN bench_union u ON u.id = c.organization_id;

        UPDATE union_study_session s SET attendee_count = a.n
          FROM (SELECT session_id, count(*) n
                  FROM union_study_session_member_rel GROUP BY 1) a
         WHERE a.session_id = s.id AND s.topic_id = %(topic)s;
        DROP TABLE bench_union;
        """,
        {
            "members": sizes.members,
            "path": province.parent_path + "%",
            "family": FAMILY,
            "middle": MIDDLE,
            "given": GIVEN,
            "year": sizes.year,
            "topic": topic.id,
        },
    )


def insert_last_year_reports(env, province, year):
    """Last year's annual report of every district and grassroots union: 6 in
    10 accepted, 2 submitted, 2 still in draft (the cron marks those overdue)."""
    env.cr.execute(
        """
        INSERT INTO union_annual_report (organization_id, year, date_due, state,
                                         is_overdue, reminded_days, submit_date,
                                         create_uid, create_date, write_uid, write_date)
             SELECT o.id, %(year)s, %(due)s,
                    CASE WHEN o.id %% 10 < 6 THEN 'accepted'
                         WHEN o.id %% 10 < 8 THEN 'submitted' ELSE 'draft' END,
                    FALSE, 7,
                    CASE WHEN o.id %% 10 < 8
                         THEN make_timestamp(%(year)s, 9, 8, 9, 0, 0) END,
                    1, now(), 1, now()
               FROM union_organization o
              WHERE o.parent_path LIKE %(path)s
                AND o.level IN ('upper_grassroots', 'grassroots')
        """,
        {
            "year": year,
            "due": date(year, 9, 10),
            "path": province.parent_path + "%",
        },
    )


def create_officers(env, province, districts, grassroots):
    """The provincial leader (a manager of the whole province), an officer per
    district and one per GRASSROOTS_PER_OFFICER grassroots unions."""
    officer = env.ref(f"{MODULE}.group_union_officer").id
    manager = env.ref(f"{MODULE}.group_union_manager").id
    scopes = [("bench_province", manager, province)]
    scopes += [(f"bench_{org.code.lower()}", officer, org) for org in districts]
    scopes += [
        (f"bench_{org.code.lower()}", officer, org)
        for org in grassroots[::GRASSROOTS_PER_OFFICER]
    ]
    users = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            [
                {
                    "name": f"Bench {org.name}",
                    "login": login,
                    "groups_id": [Command.set([env.ref("base.group_user").id, group])],
                    "union_organization_ids": [Command.set(org.ids)],
                }
                for login, group, org in scopes
            ]
        )
    )
    return users[0], users[1:]


def prepare_import_language(env):
    """The import template's headings are Vietnamese: the leader imports in
    Vietnamese, as the tests of the import do."""
    env["res.lang"]._activate_lang("vi_VN")
    env["ir.module.module"]._load_module_terms([MODULE], ["vi_VN"], overwrite=True)


def advance_pledges(bench):
    """Write the concrete products and move the pledges along the workflow, as
    a year of work would (the export and the statistics then have real rows)."""
    bench.env.cr.execute(
        """
        UPDATE union_pledge_line SET commitment = 'Sản phẩm cụ thể số ' || id
         WHERE pledge_id IN (SELECT id FROM union_pledge WHERE year = %(year)s);
        UPDATE union_pledge SET
               state = CASE WHEN id %% 10 < 3 THEN 'draft'
                            WHEN id %% 10 < 5 THEN 'submitted'
                            WHEN id %% 10 < 7 THEN 'approved'
                            ELSE 'assessed' END,
               result = CASE WHEN id %% 10 < 7 THEN NULL
                             WHEN id %% 10 < 9 THEN 'achieved'
                             ELSE 'partially_achieved' END
         WHERE year = %(year)s;
        """,
        {"year": bench.sizes.year},
    )
    bench.env.invalidate_all()
    settle(bench, "union_pledge", "union_pledge_line")


def rate_evaluations(bench):
    """Score and rate the drafts W5 made, and move 9 in 10 to approved, as the
    grassroots unions would by the year's end (W2 then counts real ratings)."""
    bench.env.cr.execute(
        """
        UPDATE union_member_evaluation e SET
               score = sc.score, proposed_rating = r.rating, rating = r.rating,
               state = CASE WHEN e.member_id %% 10 = 0 THEN 'submitted'
                            ELSE 'approved' END
          FROM (SELECT id, 40 + (member_id * 7) %% 61 AS score
                  FROM union_member_evaluation WHERE year = %(year)s) sc
         CROSS JOIN LATERAL (SELECT CASE WHEN sc.score >= 90 THEN 'excellent'
                                         WHEN sc.score >= 70 THEN 'good'
                                         WHEN sc.score >= 50 THEN 'complete'
                                         ELSE 'incomplete' END AS rating) r
         WHERE e.id = sc.id;
        """,
        {"year": bench.sizes.year},
    )
    bench.env.invalidate_all()
    settle(bench, "union_member_evaluation")


def settle(bench, *tables):
    """The tables after the months that separate two workloads of the year:
    vacuumed and analysed, as autovacuum leaves them (the SQL above rewrote
    every row of the year at once, and the next workload would otherwise read
    a dead version of each row and set the hint bits of the live one)."""
    vacuum_analyze(bench.env, [SQL.identifier(table) for table in tables], bench.commit)


def scratch_copy(cr, table):
    """An empty copy of ``table`` for a bound to write into."""
    cr.execute(
        f"CREATE TEMP TABLE bench_{table} (LIKE {table} INCLUDING ALL)"
        " ON COMMIT DROP"
    )
    return f"bench_{table}"


def row(key, result, bound, detail="", data=None):
    """A line of the table: the workload's figures beside its bound's, and
    ``data`` (what it made, for the tests; not written to JSON)."""
    return {
        "key": key,
        "label": TARGETS[key].label,
        "seconds": result["seconds"],
        "memory_mb": result.get("memory_mb", 0.0),
        "memory_exact": result.get("memory_exact", True),
        "bound_seconds": bound["seconds"],
        "bound_memory_mb": bound.get("memory_mb", 0.0),
        "detail": detail,
        "data": data or {},
    }


def describe_target(target, sizes):
    limit = time_limit(target, sizes)
    parts = [f"≤ {limit:g} s"] if limit is not None else []
    if target.ratio is not None:
        parts.append(f"≤ {target.ratio:g}× bound")
    if target.memory_mb is not None:
        parts.append(f"≤ {target.memory_mb:g} MB")
    return ", ".join(parts)


def time_limit(target, sizes):
    """The time target at ``sizes``: as issue 12 sets it at the default size
    (100,000 members); at another size, scaled by the members and by the
    growth allowed (a run of 1,000,000 members may take 12 times as long),
    never below the default's."""
    if target.seconds is None:
        return None
    scale = sizes.members / Sizes().members
    if scale <= 1:
        return target.seconds
    return target.seconds * scale * MAX_GROWTH / 10


def verdict(line, sizes=None):
    """Whether a line meets its target."""
    target = TARGETS[line["key"]]
    limit = time_limit(target, sizes or Sizes())
    ok = True
    if limit is not None:
        ok = ok and line["seconds"] <= limit
    if target.ratio is not None:
        ok = ok and line["seconds"] <= target.ratio * line["bound_seconds"]
    if target.memory_mb is not None:
        ok = ok and line["memory_mb"] <= target.memory_mb
    return ok


# W1 pledge campaign ---------------------------------------------------------------


def w1_pledge_campaign(bench):
    """The year's draft pledges of the province, one line per criterion."""
    env = bench.admin_env()
    with measure() as result:
        created, existing = env["union.pledge"]._generate_draft_pledges(
            bench.sizes.year, bench.province.with_env(env)
        )
    bench.checkpoint()
    pledges, lines = count_pledges(env.cr, "union_pledge", "union_pledge_line", bench)
    bound = bound_pledges(bench)
    return row(
        "W1",
        result,
        bound,
        f"{created:,} pledges, {lines:,} lines; the same INSERT into the real "
        f"tables (foreign keys checked) {bound['real_seconds']:.3f} s",
        {
            "created": created,
            "existing": existing,
            "pledges": pledges,
            "lines": lines,
            "bound_pledges": bound["pledges"],
            "bound_lines": bound["lines"],
        },
    )


def count_pledges(cr, pledge_table, line_table, bench):
    cr.execute(
        f"""
        SELECT count(DISTINCT p.id), count(l.id)
          FROM {pledge_table} p
          JOIN union_organization o ON o.id = p.organization_id
          LEFT JOIN {line_table} l ON l.pledge_id = p.id
         WHERE p.year = %s AND o.parent_path LIKE %s
        """,
        [bench.sizes.year, bench.path],
    )
    return cr.fetchone()


BOUND_PLEDGES = """
    WITH new_pledge AS (
        INSERT INTO {pledges} (member_id, year, organization_id, category, state,
                               create_uid, create_date, write_uid, write_date)
             SELECT m.id, %(year)s, m.organization_id, m.category, 'draft',
                    1, now(), 1, now()
               FROM union_member m
               JOIN union_organization o ON o.id = m.organization_id
              WHERE m.active AND o.parent_path LIKE %(path)s
          RETURNING id, category
    )
    INSERT INTO {lines} (pledge_id, criterion_id, sequence, achieved,
                         create_uid, create_date, write_uid, write_date)
         SELECT p.id, c.id, c.sequence, FALSE, 1, now(), 1, now()
           FROM new_pledge p
           JOIN union_pledge_criterion c ON c.category = p.category AND c.active
"""


def bound_pledges(bench):
    """The pledges and their lines in one INSERT … SELECT, into scratch copies
    (no foreign key, no WAL): the bound. Then the same statement into the real
    tables, for the next year, undone: what PostgreSQL itself needs, foreign
    keys checked row by row (``real_seconds``)."""
    cr = bench.env.cr
    with rolled_back(cr):
        pledge_table = scratch_copy(cr, "union_pledge")
        line_table = scratch_copy(cr, "union_pledge_line")
        with measure() as result:
            cr.execute(
                BOUND_PLEDGES.format(pledges=pledge_table, lines=line_table),
                {"year": bench.sizes.year, "path": bench.path},
            )
        result["pledges"], result["lines"] = count_pledges(
            cr, pledge_table, line_table, bench
        )
    with rolled_back(cr):
        with measure() as real:
            cr.execute(
                BOUND_PLEDGES.format(pledges="union_pledge", lines="union_pledge_line"),
                {"year": bench.sizes.year + 1, "path": bench.path},
            )
    result["real_seconds"] = real["seconds"]
    return result


# W2 province statistics -----------------------------------------------------------


def w2_province_statistics(bench):
    """The province's statistics (W2), then its annual report (W2b): the
    report's figures and a line per organisation of the province."""
    env = bench.admin_env()
    province = bench.province.with_env(env)

    def figures():
        env.invalidate_all()
        return province._union_statistics(bench.sizes.year)

    # Read only: the median of five runs after one to warm the caches, as W4
    # and W8 (a single run measured whatever the machine did at that second:
    # 0.25 to 0.49 s in runs of the same code, its bound alike).
    result, _statements, statistics = median_of(5, env.cr, figures)
    env.invalidate_all()
    with measure() as report_result:
        report = env["union.annual.report"].create(
            {"organization_id": province.id, "year": bench.sizes.year}
        )
        env.flush_all()
    bench.checkpoint()
    bound = bound_statistics(bench, runs=5)
    totals = statistics[province.id]
    data = {"statistics": statistics, "report": report, "bound_rows": bound["rows"]}
    return [
        row(
            "W2",
            result,
            bound,
            f"{len(statistics):,} organisations, {totals['member_count']:,} "
            f"members, pledge rate {totals['pledge_rate']} %",
            data,
        ),
        row(
            "W2b",
            report_result,
            bound,
            f"{len(report.line_ids):,} lines, pledge rate {report.pledge_rate} %"
            " (bound: the statistics in SQL)",
            data,
        ),
    ]


BOUND_STATISTICS = """
    WITH subtree AS (SELECT id FROM union_organization
                      WHERE parent_path LIKE %(path)s),
    member AS (SELECT organization_id, count(*) AS n FROM union_member
                WHERE active AND organization_id IN (SELECT id FROM subtree)
                GROUP BY 1),
    studied AS (SELECT m.organization_id, count(DISTINCT m.id) AS n
                  FROM union_study_session s
                  JOIN union_study_session_member_rel r ON r.session_id = s.id
                  JOIN union_member m ON m.id = r.member_id
                 WHERE s.year = %(year)s AND s.state = 'done' AND m.active
                   AND m.organization_id IN (SELECT id FROM subtree)
                 GROUP BY 1),
    pledge AS (SELECT organization_id,
                      count(*) FILTER (WHERE state != 'draft') AS pledged,
                      count(*) FILTER (WHERE state IN ('approved', 'assessed'))
                          AS approved,
                      count(*) FILTER (WHERE state IN ('approved', 'assessed')
                                         AND result = 'achieved') AS achieved
                 FROM union_pledge
                WHERE year = %(year)s
                  AND organization_id IN (SELECT id FROM subtree)
                GROUP BY 1),
    evaluation AS (SELECT organization_id,
                          count(*) FILTER (WHERE rating = 'excellent') AS excellent,
                          count(*) FILTER (WHERE rating = 'good') AS good,
                          count(*) FILTER (WHERE rating = 'complete') AS complete,
                          count(*) FILTER (WHERE rating = 'incomplete') AS incomplete
                     FROM union_member_evaluation
                    WHERE year = %(year)s AND state = 'approved'
                      AND organization_id IN (SELECT id FROM subtree)
                    GROUP BY 1),
    exemplar AS (SELECT organization_id, count(*) AS n FROM union_exemplar
                  WHERE year = %(year)s AND state = 'recognized'
                    AND organization_id IN (SELECT id FROM subtree)
                  GROUP BY 1),
    commended AS (SELECT c.organization_id, count(*) AS n
                    FROM union_commendation_line l
                    JOIN union_commendation c ON c.id = l.commendation_id
                   WHERE c.year = %(year)s AND c.state = 'approved'
                     AND c.organization_id IN (SELECT id FROM subtree)
                   GROUP BY 1)
    SELECT s.id,
           coalesce(member.n, 0) AS member_count,
           coalesce(studied.n, 0) AS studied_count,
           coalesce(pledge.pledged, 0) AS pledged_count,
           coalesce(pledge.approved, 0) AS pledge_approved_count,
           coalesce(pledge.achieved, 0) AS pledge_achieved_count,
           coalesce(exemplar.n, 0) AS exemplar_count,
           coalesce(commended.n, 0) AS commendation_count,
           coalesce(evaluation.excellent, 0) AS evaluation_excellent_count,
           coalesce(evaluation.good, 0) AS evaluation_good_count,
           coalesce(evaluation.complete, 0) AS evaluation_complete_count,
           coalesce(evaluation.incomplete, 0) AS evaluation_incomplete_count
      FROM subtree s
      LEFT JOIN member ON member.organization_id = s.id
      LEFT JOIN studied ON studied.organization_id = s.id
      LEFT JOIN pledge ON pledge.organization_id = s.id
      LEFT JOIN evaluation ON evaluation.organization_id = s.id
      LEFT JOIN exemplar ON exemplar.organization_id = s.id
      LEFT JOIN commended ON commended.organization_id = s.id
"""


def bound_statistics(bench, year=None, runs=1):
    """The indicators of each organisation of the province's subtree (its own
    records, not its subtree's), in one grouped SQL statement:
    {org id: {indicator: count}}. With ``runs`` above 1, the median time of
    that many runs after one to warm the caches."""
    cr = bench.env.cr

    def rows():
        cr.execute(
            BOUND_STATISTICS,
            {"path": bench.path, "year": year or bench.sizes.year},
        )
        names = [column.name for column in cr.description[1:]]
        return {
            org_id: dict(zip(names, values, strict=True))
            for org_id, *values in cr.fetchall()
        }

    if runs == 1:
        with measure() as result:
            result["rows"] = rows()
        return result
    # Measured as W2 is: the median of the runs after one.
    result, _statements, by_org = median_of(runs, cr, rows)
    result["rows"] = by_org
    return result


# W3 pledge export ----------------------------------------------------------------


def w3_pledge_export(bench):
    """The Excel export of every pledge of the year through the report."""
    env = bench.admin_env()
    pledge_ids = (
        env["union.pledge"]
        .search(
            [
                ("year", "=", bench.sizes.year),
                ("organization_id", "child_of", bench.province.id),
            ]
        )
        .ids
    )
    env.invalidate_all()
    with measure() as result:
        content, _kind = env["ir.actions.report"]._render_xlsx(
            f"{MODULE}.report_pledge_xlsx", pledge_ids, {}
        )
    size = len(content)
    data = {"pledge_ids": pledge_ids, "content": content if not bench.commit else None}
    del content
    bound = bound_export(bench)
    data["bound_rows"] = bound["rows"]
    return row(
        "W3",
        result,
        bound,
        f"{len(pledge_ids):,} rows, {size / 2**20:.1f} MB file; bound's "
        f"{bound['memory_mb']:.0f} MB"
        + (
            ""
            if result["memory_exact"]
            else " (peak reset unavailable: lower estimate)"
        ),
        data,
    )


EXPORT_HEADERS = ("STT", "Họ và tên", "Đơn vị", "Đối tượng", "Năm", "Nội dung")
EXPORT_HEADERS += ("Trạng thái", "Kết quả")


def bound_export(bench):
    """The same rows, read from SQL by a server-side cursor and written by
    xlsxwriter in constant memory."""
    import xlsxwriter

    cr = bench.env.cr
    with measure() as result:
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"constant_memory": True})
        sheet = workbook.add_worksheet()
        text = workbook.add_format(
            {"font_name": "Times New Roman", "border": 1, "text_wrap": True}
        )
        number = workbook.add_format({"font_name": "Times New Roman", "border": 1})
        for col, label in enumerate(EXPORT_HEADERS):
            sheet.write_string(0, col, label, text)
        count = write_export_rows(cr, bench, sheet, text, number)
        workbook.close()
        result["bytes"] = len(output.getvalue())
        result["rows"] = count
    return result


def write_export_rows(cr, bench, sheet, text, number):
    index = 0
    with cr._cnx.cursor("bench_export") as rows:
        rows.itersize = 5000
        rows.execute(
            """
            SELECT m.name, o.name, p.category, p.year,
                   (SELECT string_agg('- ' || l.commitment, E'\\n'
                                      ORDER BY l.sequence, l.id)
                      FROM union_pledge_line l
                     WHERE l.pledge_id = p.id AND l.commitment IS NOT NULL),
                   p.state, coalesce(p.result, '')
              FROM union_pledge p
              JOIN union_member m ON m.id = p.member_id
              JOIN union_organization o ON o.id = p.organization_id
             WHERE p.year = %s AND o.parent_path LIKE %s
             ORDER BY o.complete_name, o.id, m.name, m.id
            """,
            [bench.sizes.year, bench.path],
        )
        for index, values in enumerate(rows, start=1):
            member, org, category, year, commitments, state, pledge_result = values
            sheet.write_number(index, 0, index, number)
            sheet.write_string(index, 1, member, text)
            sheet.write_string(index, 2, org, text)
            sheet.write_string(index, 3, category, text)
            sheet.write_number(index, 4, year, number)
            sheet.write_string(index, 5, commitments or "", text)
            sheet.write_string(index, 6, state, text)
            sheet.write_string(index, 7, pledge_result, text)
    return index


# W4 officer's first page ----------------------------------------------------------


def view_spec(env, model, view_type, view_id=False):
    """The web client's specification for the fields of a view."""
    Model = env[model]
    arch = Model.get_views([(view_id, view_type)])["views"][view_type]["arch"]
    spec = {}
    for node in etree.fromstring(arch).iter("field"):
        name = node.get("name")
        # The web client reads the columns it shows, not the hidden optional ones.
        if name not in Model._fields or node.get("optional") == "hide":
            continue
        relational = Model._fields[name].type in ("many2one", "many2many", "one2many")
        spec[name] = {"fields": {"display_name": {}}} if relational else {}
    return spec


def w4_officer_first_page(bench):
    """A district officer's first page of the pledge list, under record rules."""
    officer = bench.officers.filtered(
        lambda user: user.union_organization_ids == bench.districts[:1]
    )
    env = bench.env(user=officer)
    Pledge = env["union.pledge"]
    spec = view_spec(env, "union.pledge", "list")

    def page():
        env.invalidate_all()
        return Pledge.web_search_read([], spec, limit=LIST_LIMIT, count_limit=10001)

    result, statements, value = median_of(5, env.cr, page)
    bound = replay(env.cr, statements)
    return row(
        "W4",
        result,
        bound,
        f"{len(value['records'])} of {value['length']:,} pledges, "
        f"{len(statements)} queries",
        {"page": value, "officer": officer},
    )


# W5 evaluation campaign -----------------------------------------------------------


def w5_evaluation_campaign(bench):
    """The year's draft evaluations of the province's members, then their
    ratings as the year's end would leave them (in SQL, for W2)."""
    env = bench.admin_env()
    with measure() as result:
        created, existing = env["union.member.evaluation"]._generate_draft_evaluations(
            bench.sizes.year, bench.province.with_env(env)
        )
    bench.checkpoint()
    cr = env.cr
    cr.execute(
        """
        SELECT count(*), count(DISTINCT e.member_id)
          FROM union_member_evaluation e
          JOIN union_organization o ON o.id = e.organization_id
         WHERE e.year = %s AND o.parent_path LIKE %s
        """,
        [bench.sizes.year, bench.path],
    )
    evaluations, evaluated = cr.fetchone()
    bound = bound_evaluations(bench)
    rate_evaluations(bench)
    bench.checkpoint()
    return row(
        "W5",
        result,
        bound,
        f"{created:,} draft evaluations",
        {
            "created": created,
            "existing": existing,
            "evaluations": evaluations,
            "evaluated": evaluated,
            "bound_evaluations": bound["evaluations"],
        },
    )


def bound_evaluations(bench):
    cr = bench.env.cr
    with rolled_back(cr):
        table = scratch_copy(cr, "union_member_evaluation")
        with measure() as result:
            cr.execute(
                f"""
                INSERT INTO {table} (member_id, year, organization_id, grassroots_id,
                                     state, proposed_rating, rating, create_uid,
                                     create_date, write_uid, write_date)
                     SELECT m.id, %(year)s, m.organization_id, m.grassroots_id,
                            'draft', 'incomplete', 'incomplete', 1, now(), 1, now()
                       FROM union_member m
                       JOIN union_organization o ON o.id = m.organization_id
                      WHERE m.active AND o.parent_path LIKE %(path)s
                """,
                {"year": bench.sizes.year, "path": bench.path},
            )
            result["evaluations"] = cr.rowcount
    return result


# W6 annual-report cron -------------------------------------------------------------


def cron_day(bench):
    return date(bench.sizes.year, *CRON_DAY)


def run_annual_report_cron(bench):
    """The scheduled action as its worker runs it (as the superuser, its
    batches committed in the bench), on the cron day."""
    from freezegun import freeze_time

    with measure() as result:
        with freeze_time(cron_day(bench)):
            bench.env["union.annual.report"]._cron_annual_reports(
                auto_commit=bench.commit
            )
    bench.checkpoint()
    return result


def w6_annual_report_cron(bench):
    """Create the year's reports, remind the officers, mark last year's late
    drafts overdue; then the same job again with nothing left to do."""
    before = cron_outcome(bench)
    bound = bound_annual_report_cron(bench)
    result = run_annual_report_cron(bench)
    after = cron_outcome(bench)
    again = run_annual_report_cron(bench)
    bound_again = bound_cron_again(bench)
    repeated = cron_outcome(bench)
    data = {
        "before": before,
        "after": after,
        "again": repeated,
        "bound": bound["outcome"],
        "bound_again": bound_again["todo"],
    }
    new_reports = len(after["reports"]) - len(before["reports"])
    return [
        row(
            "W6",
            result,
            bound,
            f"{new_reports:,} reports, {len(after['reminders']):,} reminders, "
            f"{len(after['overdue']) - len(before['overdue']):,} newly overdue; "
            f"{len(bench.officers) + 1:,} officers",
            data,
        ),
        row("W6b", again, bound_again, "nothing to do", data),
    ]


def cron_outcome(bench):
    """What the cron leaves in the province: the year's reports
    {(org, year)}, the reminders {(org, user)} and the overdue reports."""
    cr = bench.env.cr
    bench.env.flush_all()
    cr.execute(
        """
        SELECT r.organization_id, r.year, r.is_overdue
          FROM union_annual_report r
          JOIN union_organization o ON o.id = r.organization_id
         WHERE o.parent_path LIKE %s AND r.year IN %s
        """,
        [bench.path, (bench.sizes.year - 1, bench.sizes.year)],
    )
    rows = cr.fetchall()
    cr.execute(
        """
        SELECT r.organization_id, a.user_id
          FROM mail_activity a
          JOIN union_annual_report r ON r.id = a.res_id
          JOIN union_organization o ON o.id = r.organization_id
         WHERE a.res_model = 'union.annual.report' AND a.activity_type_id = %s
           AND o.parent_path LIKE %s AND r.year = %s
        """,
        [bench.env.ref(REMINDER_ACTIVITY).id, bench.path, bench.sizes.year],
    )
    reminders = cr.fetchall()
    return {
        "reports": sorted((org, year) for org, year, _late in rows),
        "overdue": sorted((org, year) for org, year, late in rows if late),
        "reminders": sorted(reminders),
    }


REMINDER_ACTIVITY = f"{MODULE}.mail_activity_type_annual_report"
REPORTING_LEVELS = ("upper_grassroots", "grassroots")

BOUND_CRON = """
    INSERT INTO {reports} (organization_id, year, date_due, state, is_overdue,
                           reminded_days, create_uid, create_date, write_uid,
                           write_date)
         SELECT o.id, %(year)s, %(due)s, 'draft', FALSE, 7, 1, now(), 1, now()
           FROM union_organization o
          WHERE o.parent_path LIKE %(path)s AND o.level IN %(levels)s AND o.active
            AND NOT EXISTS (SELECT FROM union_annual_report r
                             WHERE r.organization_id = o.id AND r.year = %(year)s);
    CREATE TEMP TABLE bench_scope ON COMMIT DROP AS
    SELECT s.id, s.parent_path, rel.user_id
      FROM res_users_union_organization_rel rel
      JOIN union_organization s ON s.id = rel.organization_id
      JOIN res_users u ON u.id = rel.user_id AND u.active AND NOT u.share
      JOIN res_groups_users_rel g ON g.uid = u.id AND g.gid = %(officer)s;
    INSERT INTO {activities} (res_model_id, res_model, res_id, activity_type_id,
                              user_id, date_deadline, summary, automated,
                              create_uid, create_date, write_uid, write_date)
         SELECT %(model_id)s, 'union.annual.report', r.id, %(activity_type)s,
                s.user_id, r.date_due, 'Annual report due', TRUE,
                1, now(), 1, now()
           FROM {reports} r
           JOIN union_organization o ON o.id = r.organization_id
          CROSS JOIN LATERAL (SELECT n.id FROM bench_scope n
                               WHERE o.parent_path LIKE n.parent_path || '%%'
                               ORDER BY length(n.parent_path) DESC LIMIT 1) nearest
           JOIN bench_scope s ON s.id = nearest.id;
    UPDATE union_annual_report r SET is_overdue = TRUE
      FROM union_organization o
     WHERE o.id = r.organization_id AND o.parent_path LIKE %(path)s
       AND r.state = 'draft' AND r.date_due < %(today)s AND NOT r.is_overdue
"""


def bound_annual_report_cron(bench):
    """The reports inserted, the reminders inserted for the officers of the
    nearest organisation above each, the late drafts marked: three SQL
    statements, into scratch copies (and rolled back)."""
    env = bench.env
    cr = env.cr
    env.flush_all()
    with rolled_back(cr):
        reports = scratch_copy(cr, "union_annual_report")
        activities = scratch_copy(cr, "mail_activity")
        params = {
            "year": bench.sizes.year,
            "due": date(bench.sizes.year, 9, 10),
            "today": cron_day(bench),
            "path": bench.path,
            "levels": REPORTING_LEVELS,
            "officer": env.ref(f"{MODULE}.group_union_officer").id,
            "model_id": env["ir.model"]._get_id("union.annual.report"),
            "activity_type": env.ref(REMINDER_ACTIVITY).id,
        }
        with measure() as result:
            cr.execute(
                BOUND_CRON.format(reports=reports, activities=activities), params
            )
            overdue = cr.rowcount
        cr.execute(f"SELECT organization_id FROM {reports}")
        new = sorted((org, bench.sizes.year) for (org,) in cr.fetchall())
        cr.execute(
            f"SELECT r.organization_id, a.user_id FROM {activities} a"
            f" JOIN {reports} r ON r.id = a.res_id"
        )
        result["outcome"] = {
            "reports": new,
            "reminders": sorted(cr.fetchall()),
            "overdue": overdue,
        }
    return result


def bound_cron_again(bench):
    """The three questions of a run with nothing to do, in SQL."""
    cr = bench.env.cr
    today = cron_day(bench)
    with measure() as result:
        cr.execute(
            """
            SELECT
              (SELECT count(*) FROM union_organization o
                WHERE o.level IN %(levels)s AND o.active
                  AND o.parent_path LIKE %(path)s
                  AND NOT EXISTS (SELECT FROM union_annual_report r
                                   WHERE r.organization_id = o.id
                                     AND r.year = %(year)s)),
              (SELECT count(*) FROM union_annual_report r
                 JOIN union_organization o ON o.id = r.organization_id
                WHERE r.state = 'draft' AND o.parent_path LIKE %(path)s
                  AND r.date_due BETWEEN %(today)s AND %(soon)s
                  AND (r.reminded_days = 0 OR r.reminded_days > 30)),
              (SELECT count(*) FROM union_annual_report r
                 JOIN union_organization o ON o.id = r.organization_id
                WHERE r.state = 'draft' AND o.parent_path LIKE %(path)s
                  AND r.date_due < %(today)s AND NOT r.is_overdue)
            """,
            {
                "path": bench.path,
                "levels": REPORTING_LEVELS,
                "year": bench.sizes.year,
                "today": today,
                "soon": date.fromordinal(today.toordinal() + 30),
            },
        )
        result["todo"] = cr.fetchone()
    return result


# W7 member import ----------------------------------------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def import_rows(bench, count, card_prefix="BENCH"):
    """``count`` rows of a member register over the province's grassroots
    unions, as tests/member_import_rows.py types them."""
    rows_module = load_script(
        "bench_member_import_rows",
        Path(get_module_path(MODULE)) / "tests" / "member_import_rows.py",
    )
    return rows_module.member_rows(
        count, bench.grassroots.mapped("code"), card_prefix=card_prefix
    )


def import_file(env, rows):
    from odoo.addons.trade_union_emulation.models.union_member import (
        member_import_file,
    )

    return member_import_file(rows)


def run_import(env, content):
    """Odoo's import screen: the file uploaded, its columns matched as the
    screen proposes, then imported by batches of IMPORT_BATCH rows."""
    from odoo.addons.trade_union_emulation.models.union_member import (
        MEMBER_IMPORT_OPTIONS,
    )

    wizard = env["base_import.import"].create(
        {"res_model": "union.member", "file": content, "file_type": XLSX}
    )
    preview = wizard.parse_preview({"has_headers": True})
    if preview.get("error"):
        raise RuntimeError(preview["error"])
    fields = ["/".join(path) for path in preview["matches"].values()]
    columns = [header.lower() for header in preview["headers"]]
    ids, messages, skip = [], [], 0
    while True:
        result = wizard.execute_import(
            fields, columns, dict(MEMBER_IMPORT_OPTIONS, limit=IMPORT_BATCH, skip=skip)
        )
        messages += result.get("messages", [])
        ids += result.get("ids") or []
        skip = result.get("nextrow") or 0
        if not skip or messages:
            return ids, messages


def w7_member_import(bench, count=None):
    """A register of ``count`` members imported from the template by the
    provincial leader, in Vietnamese."""
    count = count or bench.sizes.import_rows
    env = bench.env(user=bench.manager, context={"lang": "vi_VN"})
    rows = import_rows(bench, count)
    content = import_file(env, rows)
    with measure() as result:
        ids, messages = run_import(env, content)
    bench.checkpoint()
    bound = bound_import(bench, rows)
    return row(
        "W7",
        result,
        bound,
        f"{len(ids):,} members imported, {len(messages)} messages",
        {
            "ids": ids,
            "messages": messages,
            "rows": rows,
            "bound_members": bound["members"],
        },
    )


def bound_import(bench, rows):
    """The same members in one INSERT … SELECT FROM unnest(…), into a scratch
    copy: the selection labels and organisation codes resolved beforehand."""
    env = bench.env(context={"lang": "vi_VN"})
    selection = env["union.member"].fields_get(["category", "gender"], ["selection"])
    key_of = {
        name: {label: key for key, label in values["selection"]}
        for name, values in selection.items()
    }
    org_of = {org.code: org.id for org in bench.grassroots}
    columns = {
        "name": [r["name"] for r in rows],
        "birth_date": [r["birth_date"] for r in rows],
        "gender": [key_of["gender"].get(r["gender"]) for r in rows],
        "ethnicity": [r["ethnicity"] for r in rows],
        "card": [r["union_card_number"] for r in rows],
        "org": [org_of[r["organization_code"]] for r in rows],
        "category": [key_of["category"].get(r["category"]) for r in rows],
        "position": [r["union_position"] or None for r in rows],
        "party": [r["is_party_member"] for r in rows],
        "joined": [r["join_date"] for r in rows],
    }
    cr = env.cr
    with rolled_back(cr):
        table = scratch_copy(cr, "union_member")
        with measure() as result:
            cr.execute(
                f"""
                INSERT INTO {table} (name, birth_date, gender, ethnicity,
                                     union_card_number, organization_id,
                                     grassroots_id, category, union_position,
                                     is_party_member, join_date, active,
                                     create_uid, create_date, write_uid, write_date)
                     SELECT n, b, g, e, c, o, o, k, p, party, j, TRUE,
                            1, now(), 1, now()
                       FROM unnest(%(name)s, %(birth_date)s::date[], %(gender)s,
                                   %(ethnicity)s, %(card)s, %(org)s, %(category)s,
                                   %(position)s, %(party)s, %(joined)s::date[])
                            AS t(n, b, g, e, c, o, k, p, party, j)
                """,
                columns,
            )
            result["members"] = cr.rowcount
    return result


# W8 manager's home and report-status board ----------------------------------------


def home_page(env):
    """The home action and its kanban's records, as the web client loads them."""
    action = env["union.home.card"].action_open_home()
    spec = view_spec(
        env, "union.home.card", "kanban", action.get("view_id") and action["view_id"][0]
    )
    return env["union.home.card"].web_search_read(action["domain"], spec)


def board_page(env, year):
    """The report-status board as its action opens it: this year's rows
    grouped by managing union, with the aggregates of the list's columns."""
    Status = env["union.report.status"]
    arch = Status.get_views([(False, "list")])["views"]["list"]["arch"]
    aggregates = []
    for node in etree.fromstring(arch).iter("field"):
        field = Status._fields.get(node.get("name"))
        if (
            field is not None
            and field.aggregator
            and field.type in ("integer", "float")
        ):
            aggregates.append(f"{field.name}:{field.aggregator}")
    return Status.web_read_group(
        [("year", "=", year)], aggregates, ["upper_id"], limit=LIST_LIMIT, lazy=True
    )


def w8_manager_home(bench):
    """The provincial leader's home dashboard (W8), then the report-status
    board (W8b), each page as the web client loads it."""
    env = bench.env(user=bench.manager)
    year = date.today().year

    def home():
        env.invalidate_all()
        return home_page(env)

    def board():
        env.invalidate_all()
        return board_page(env, year)

    home_result, home_statements, home_value = median_of(5, env.cr, home)
    home_bound = replay(env.cr, home_statements)
    board_result, board_statements, board_value = median_of(5, env.cr, board)
    board_bound = replay(env.cr, board_statements)
    data = {"home": home_value, "board": board_value}
    both = home_result["seconds"] + board_result["seconds"]
    return [
        row(
            "W8",
            home_result,
            home_bound,
            f"{home_value['length']} cards, {len(home_statements)} queries",
            data,
        ),
        row(
            "W8b",
            board_result,
            board_bound,
            f"{board_value['length']} groups, {len(board_statements)} queries; "
            f"home + board {both:.3f} s",
            data,
        ),
    ]


# W9 term summary -----------------------------------------------------------------


def w9_term_summary(bench):
    """The province's summary of the plan's term: each year's figures (live
    ones where the year's report is not submitted) and the term's totals."""
    env = bench.admin_env()
    with measure() as result:
        summary = env["union.term.report"].create(
            {"organization_id": bench.province.id, "plan_id": bench.plan.id}
        )
        env.flush_all()
    bench.checkpoint()
    years = range(
        bench.plan.year_start, min(bench.plan.year_end, date.today().year) + 1
    )
    bound = {"seconds": 0.0, "memory_mb": 0.0, "rows": {}}
    for year in years:
        by_year = bound_statistics(bench, year)
        bound["seconds"] += by_year["seconds"]
        bound["rows"][year] = by_year["rows"]
    return row(
        "W9",
        result,
        bound,
        f"{len(summary.line_ids)} years, {summary.member_count:,} members",
        {"summary": summary, "bound_rows": bound["rows"]},
    )


# The run -------------------------------------------------------------------------


def run_workloads(bench, only=None):
    """Every workload in the order of the year, each leaving the data the next
    one needs: [line of the table]. With ``only`` (a set of keys such as
    {"W3"}), the later workloads not in it are skipped; W1 and W5 always run,
    as they make the year's pledges and evaluations."""
    lines = [w1_pledge_campaign(bench)]
    advance_pledges(bench)
    bench.checkpoint()
    lines.append(w5_evaluation_campaign(bench))
    later = (
        ("W2", w2_province_statistics),
        ("W3", w3_pledge_export),
        ("W4", w4_officer_first_page),
        ("W6", w6_annual_report_cron),
        ("W8", w8_manager_home),
        ("W9", w9_term_summary),
        ("W7", w7_member_import),
    )
    for key, workload in later:
        if only and key not in only:
            continue
        result = workload(bench)
        lines += result if isinstance(result, list) else [result]
    for line in lines:
        line["ok"] = verdict(line, bench.sizes)
        line["target"] = describe_target(TARGETS[line["key"]], bench.sizes)
        line["load"] = os.getloadavg()
    return sorted(lines, key=lambda line: line["key"])


def prepare_load(bench, path):
    """The database of scripts/load.sh: the year's pledges (W1, moved along
    the workflow) and evaluations (W5, rated), a leader (manager) per district
    besides the provincial one, and a password equal to the login for every
    bench user. Writes {role: [login, ...]} and the year to ``path``."""
    env = bench.env
    w1_pledge_campaign(bench)
    advance_pledges(bench)
    bench.checkpoint()
    w5_evaluation_campaign(bench)
    manager = env.ref(f"{MODULE}.group_union_manager").id
    leaders = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            [
                {
                    "name": f"Bench leader {org.name}",
                    "login": f"bench_leader_{org.code.lower()}",
                    "groups_id": [
                        Command.set([env.ref("base.group_user").id, manager])
                    ],
                    "union_organization_ids": [Command.set(org.ids)],
                }
                for org in bench.districts
            ]
        )
    )
    users = bench.manager | bench.officers | leaders
    for user in users:
        user.password = user.login
    bench.checkpoint()
    document = {
        "year": bench.sizes.year,
        "manager": bench.manager.login,
        "officers": bench.officers.mapped("login"),
        "leaders": leaders.mapped("login"),
        "members": bench.sizes.members,
    }
    Path(path).write_text(json.dumps(document, indent=2))
    return document


def report_results(lines, out=log):
    """The table of the run; True when every target is met."""
    out("")
    out(
        f"{'workload':<30} {'time':>9} {'bound':>9} {'ratio':>7} {'memory':>8} "
        f"{'target':>22}  verdict  load"
    )
    for line in lines:
        target = TARGETS[line["key"]]
        ratio = line["seconds"] / line["bound_seconds"] if line["bound_seconds"] else 0
        memory = f"{line['memory_mb']:.0f} MB" if target.memory_mb is not None else ""
        out(
            f"{line['key'] + ' ' + line['label']:<30} {line['seconds']:>8.3f}s "
            f"{line['bound_seconds']:>8.3f}s {ratio:>6.1f}x {memory:>8} "
            f"{line.get('target', target.describe()):>22}  "
            f"{'PASS' if line['ok'] else 'FAIL':<7}  "
            f"{line['load'][0]:.2f}"
        )
        out(f"{'':<30} {line['detail']}")
    return all(line["ok"] for line in lines)


def write_json(path, bench, lines):
    usage = resource.getrusage(resource.RUSAGE_SELF)
    document = {
        "sizes": asdict(bench.sizes),
        "build_seconds": bench.build_seconds,
        "peak_memory_mb": usage.ru_maxrss / 1024,
        "cpus": os.cpu_count(),
        "lines": [{k: v for k, v in line.items() if k != "data"} for line in lines],
    }
    Path(path).write_text(json.dumps(document, indent=2, default=str))


def growth(small, large, out=log):
    """The growth table of two runs written with --json; True when no
    workload grew by more than MAX_GROWTH."""
    small_lines = {line["key"]: line for line in small["lines"]}
    out("")
    out(
        f"growth from {small['sizes']['members']:,} to {large['sizes']['members']:,}"
        f" members (target ≤ {MAX_GROWTH:g}×)"
    )
    out(f"{'workload':<30} {'small':>9} {'large':>9} {'growth':>8}  verdict")
    ok = True
    for line in large["lines"]:
        before = small_lines.get(line["key"])
        if not before:
            continue
        ratio = line["seconds"] / before["seconds"] if before["seconds"] else 0
        ok = ok and ratio <= MAX_GROWTH
        out(
            f"{line['key'] + ' ' + line['label']:<30} {before['seconds']:>8.3f}s "
            f"{line['seconds']:>8.3f}s {ratio:>7.1f}x  "
            f"{'PASS' if ratio <= MAX_GROWTH else 'FAIL'}"
        )
    return ok


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    defaults = Sizes()
    parser.add_argument(
        "--members",
        type=int,
        default=int(os.environ.get("BENCH_MEMBERS", defaults.members)),
    )
    parser.add_argument(
        "--grassroots",
        type=int,
        default=int(os.environ.get("BENCH_UNIONS", defaults.grassroots)),
    )
    parser.add_argument(
        "--districts", type=int, default=int(os.environ.get("BENCH_DISTRICTS", 0))
    )
    parser.add_argument(
        "--year", type=int, default=int(os.environ.get("BENCH_YEAR", defaults.year))
    )
    parser.add_argument("--json", help="write the results to this file")
    parser.add_argument(
        "--build-only",
        metavar="USERS_JSON",
        help="build the province for scripts/load.sh, write its users to this "
        "file and stop (no workload is measured)",
    )
    parser.add_argument(
        "--only",
        type=lambda value: {key.strip().upper() for key in value.split(",")},
        help="measure only these workloads besides W1 and W5 (e.g. W3,W4); "
        "for working on one of them, the run is not a full bench",
    )
    parser.add_argument(
        "--compare", nargs=2, metavar="JSON", help="print the growth of two runs"
    )
    return parser.parse_known_args(argv)


def main(argv=None):
    args, odoo_args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.compare:
        small, large = (json.loads(Path(path).read_text()) for path in args.compare)
        return 0 if growth(small, large) else 1
    config.parse_config(odoo_args, setup_logging=True)
    db_name = config["db_name"]
    if isinstance(db_name, list):
        db_name = db_name[0]
    odoo.service.server.load_server_wide_modules()
    registry = Registry(db_name)
    sizes = Sizes(args.members, args.grassroots, args.districts, args.year)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        log(
            f"building a province of {sizes.members:,} members in "
            f"{sizes.grassroots:,} grassroots unions ({sizes.districts} districts)"
        )
        bench = build_province(env, sizes)
        log(
            f"data set built in {bench.build_seconds:.1f} s "
            f"(load {os.getloadavg()[0]:.2f})"
        )
        differences = orm_twin_differences(bench.env, bench.grassroots[:3])
        if differences:
            log(f"grassroots unions built in SQL differ from the ORM's: {differences}")
            return 1
        if args.build_only:
            prepare_load(bench, args.build_only)
            log(f"load data set ready; users written to {args.build_only}")
            return 0
        lines = run_workloads(bench, args.only)
        cr.rollback()
    ok = report_results(lines)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    log(
        f"peak resident memory of the bench process: {usage.ru_maxrss / 1024:.0f} MB;"
        f" build {bench.build_seconds:.1f} s; load average {os.getloadavg()}"
    )
    if args.json:
        write_json(args.json, bench, lines)
        log(f"results written to {args.json}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
