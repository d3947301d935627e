"""Scale benchmark of trade_union_emulation (DESIGN §9 "Scale"), run by
scripts/bench.sh.

    python3 scripts/bench.py <odoo options: --addons-path, --db_host,
                              --db_port, -r, -d>

The database must hold the module, installed without demo data. This script
builds a province of BENCH_MEMBERS members (100,000) in BENCH_UNIONS grassroots
unions (1,000), then measures each workload and, in the same run, its lower
bound: the same result computed in plain SQL (or written with xlsxwriter
straight from SQL). It prints the time, the ratio to the bound and PASS/FAIL
against the targets, and exits 1 if a target is missed.
"""

import ctypes
import gc
import io
import os
import resource
import sys
import time
from contextlib import contextmanager
from statistics import median

from lxml import etree

import odoo
from odoo import SUPERUSER_ID, Command, api
from odoo.modules.registry import Registry
from odoo.tools import config

MEMBERS = int(os.environ.get("BENCH_MEMBERS", 100_000))
UNIONS = int(os.environ.get("BENCH_UNIONS", 1_000))
DISTRICTS = int(os.environ.get("BENCH_DISTRICTS", 12))
YEAR = int(os.environ.get("BENCH_YEAR", 2026))
LIST_LIMIT = 80
# name: (seconds, peak memory growth in MB or None)
TARGETS = {
    "pledges": (60.0, None),
    "statistics": (3.0, None),
    "export": (30.0, 300.0),
    "list page": (0.3, None),
}


def log(message):
    print(message, flush=True)


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
def measure(result):
    """Wall time and peak resident memory growth of the block."""
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


# Data set ----------------------------------------------------------------------------

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Hà",
    "Nông",
    "Triệu",
    "Ma",
    "Lục",
    "Đàm",
    "Hứa",
]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thu", "Quang", "Ngọc", "Hữu"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dung",
    "Giang",
    "Hà",
    "Hải",
    "Hương",
    "Khánh",
    "Lan",
    "Linh",
    "Mai",
    "Nam",
    "Phương",
    "Quân",
    "Sơn",
    "Thảo",
    "Trung",
    "Tuấn",
    "Yến",
]


def build_province(env):
    """1 province, DISTRICTS district/sector unions, UNIONS grassroots unions
    through the ORM; members, sessions, evaluations, exemplars and
    commendations in plain SQL (the bench measures the workloads, not this)."""
    Org = env["union.organization"].with_context(
        tracking_disable=True, mail_create_nolog=True
    )
    province = Org.create(
        {
            "name": "LĐLĐ tỉnh Bench",
            "code": "BENCH",
            "level": "provincial",
            "city": "Bắc Kạn",
        }
    )
    districts = Org.create(
        [
            {
                "name": f"LĐLĐ huyện Bench {d + 1}",
                "code": f"BENCH-D{d + 1}",
                "level": "upper_grassroots",
                "parent_id": province.id,
            }
            for d in range(DISTRICTS)
        ]
    )
    Org.create(
        [
            {
                "name": f"CĐCS Đơn vị {u + 1}",
                "code": f"BENCH-G{u + 1}",
                "level": "grassroots",
                "parent_id": districts[u % DISTRICTS].id,
            }
            for u in range(UNIONS)
        ]
    )
    plan = env["union.plan"].create(
        {
            "name": "Kế hoạch bench",
            "organization_id": province.id,
            "year_start": YEAR,
            "year_end": YEAR,
        }
    )
    topic = env["union.study.topic"].create(
        {"name": "Chuyên đề bench", "plan_id": plan.id, "year": YEAR}
    )
    env.flush_all()
    cr = env.cr
    params = {
        "members": MEMBERS,
        "path": province.parent_path + "%",
        "family": FAMILY,
        "middle": MIDDLE,
        "given": GIVEN,
        "year": YEAR,
        "topic": topic.id,
    }
    cr.execute(
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

        INSERT INTO union_member_evaluation (member_id, year, organization_id,
                                             grassroots_id, score, proposed_rating,
                                             rating, state, create_uid, create_date,
                                             write_uid, write_date)
             SELECT m.id, %(year)s, m.organization_id, m.grassroots_id, sc.score,
                    r.rating, r.rating,
                    CASE WHEN m.id %% 10 = 0 THEN 'submitted' ELSE 'approved' END,
                    1, now(), 1, now()
               FROM union_member m
               JOIN bench_union u ON u.id = m.organization_id
              CROSS JOIN LATERAL (SELECT 40 + (m.id * 7) %% 61 AS score) sc
              CROSS JOIN LATERAL (SELECT CASE WHEN sc.score >= 90 THEN 'excellent'
                                              WHEN sc.score >= 70 THEN 'good'
                                              WHEN sc.score >= 50 THEN 'complete'
                                              ELSE 'incomplete' END AS rating) r;

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
         WHERE a.session_id = s.id;
        """,
        params,
    )
    cr.execute("ANALYZE")
    env.invalidate_all()
    return province, districts


def advance_pledges(env):
    """Write the concrete products and move the pledges along the workflow, as
    a year of work would (the export and the statistics then have real rows)."""
    env.cr.execute(
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
        ANALYZE;
        """,
        {"year": YEAR},
    )
    env.invalidate_all()


# Workloads and their lower bounds ----------------------------------------------


def bound_pledges(cr, province):
    """The pledges and their lines in one INSERT … SELECT, into scratch copies."""
    cr.execute(
        """
        CREATE TEMP TABLE bench_pledge (LIKE union_pledge INCLUDING ALL)
            ON COMMIT DROP;
        CREATE TEMP TABLE bench_pledge_line (LIKE union_pledge_line INCLUDING ALL)
            ON COMMIT DROP;
        """
    )
    with measure({}) as result:
        cr.execute(
            """
            WITH new_pledge AS (
                INSERT INTO bench_pledge (member_id, year, organization_id, category,
                                          state, create_uid, create_date, write_uid,
                                          write_date)
                     SELECT m.id, %(year)s, m.organization_id, m.category, 'draft',
                            1, now(), 1, now()
                       FROM union_member m
                       JOIN union_organization o ON o.id = m.organization_id
                      WHERE m.active AND o.parent_path LIKE %(path)s
                  RETURNING id, category
            )
            INSERT INTO bench_pledge_line (pledge_id, criterion_id, sequence, achieved,
                                           create_uid, create_date, write_uid,
                                           write_date)
                 SELECT p.id, c.id, c.sequence, FALSE, 1, now(), 1, now()
                   FROM new_pledge p
                   JOIN union_pledge_criterion c
                     ON c.category = p.category AND c.active
            """,
            {"year": YEAR, "path": province.parent_path + "%"},
        )
    return result


def bound_statistics(cr, province):
    """The indicators per organisation of the subtree in one grouped SQL statement."""
    with measure({}) as result:
        cr.execute(
            """
            WITH subtree AS (SELECT id FROM union_organization
                              WHERE parent_path LIKE %(path)s),
            member AS (SELECT organization_id, count(*) AS members FROM union_member
                        WHERE active AND organization_id IN (SELECT id FROM subtree)
                        GROUP BY 1),
            studied AS (SELECT m.organization_id, count(DISTINCT m.id) AS n
                          FROM union_study_session s
                          JOIN union_study_session_member_rel r ON r.session_id = s.id
                          JOIN union_member m ON m.id = r.member_id
                         WHERE s.date BETWEEN %(start)s AND %(end)s
                           AND s.state != 'cancelled' AND m.active
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
                                  count(*) FILTER (WHERE rating = 'excellent')
                                      AS excellent,
                                  count(*) FILTER (WHERE rating = 'good') AS good,
                                  count(*) FILTER (WHERE rating = 'complete')
                                      AS complete,
                                  count(*) FILTER (WHERE rating = 'incomplete')
                                      AS incomplete
                             FROM union_member_evaluation
                            WHERE year = %(year)s AND state = 'approved'
                              AND organization_id IN (SELECT id FROM subtree)
                            GROUP BY 1),
            exemplar AS (SELECT organization_id, count(*) AS n FROM union_exemplar
                          WHERE year = %(year)s AND state = 'recognized'
                            AND organization_id IN (SELECT id FROM subtree)
                          GROUP BY 1),
            commended AS (SELECT organization_id, count(*) AS n
                            FROM union_commendation_line
                           WHERE year = %(year)s AND state = 'approved'
                             AND organization_id IN (SELECT id FROM subtree)
                           GROUP BY 1)
            SELECT s.id, member.members, studied.n, pledge.pledged, pledge.approved,
                   pledge.achieved, exemplar.n, commended.n, evaluation.excellent,
                   evaluation.good, evaluation.complete, evaluation.incomplete
              FROM subtree s
              LEFT JOIN member ON member.organization_id = s.id
              LEFT JOIN studied ON studied.organization_id = s.id
              LEFT JOIN pledge ON pledge.organization_id = s.id
              LEFT JOIN evaluation ON evaluation.organization_id = s.id
              LEFT JOIN exemplar ON exemplar.organization_id = s.id
              LEFT JOIN commended ON commended.organization_id = s.id
            """,
            {
                "path": province.parent_path + "%",
                "year": YEAR,
                "start": f"{YEAR}-01-01",
                "end": f"{YEAR}-12-31",
            },
        )
        cr.fetchall()
    return result


def bound_export(cr):
    """The same rows, read from SQL by a server-side cursor and written by
    xlsxwriter in constant memory."""
    import xlsxwriter

    with measure({}) as result:
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"constant_memory": True})
        sheet = workbook.add_worksheet()
        text = workbook.add_format(
            {"font_name": "Times New Roman", "border": 1, "text_wrap": True}
        )
        number = workbook.add_format({"font_name": "Times New Roman", "border": 1})
        for col, label in enumerate(
            (
                "STT",
                "Họ và tên",
                "Đơn vị",
                "Đối tượng",
                "Năm",
                "Nội dung",
                "Trạng thái",
                "Kết quả",
            )
        ):
            sheet.write_string(0, col, label, text)
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
                 WHERE p.year = %s
                 ORDER BY o.complete_name, o.id, m.name, m.id
                """,
                [YEAR],
            )
            for index, (
                member,
                org,
                category,
                year,
                commitments,
                state,
                pledge_result,
            ) in enumerate(rows, start=1):
                sheet.write_number(index, 0, index, number)
                sheet.write_string(index, 1, member, text)
                sheet.write_string(index, 2, org, text)
                sheet.write_string(index, 3, category, text)
                sheet.write_number(index, 4, year, number)
                sheet.write_string(index, 5, commitments or "", text)
                sheet.write_string(index, 6, state, text)
                sheet.write_string(index, 7, pledge_result, text)
        workbook.close()
        result["bytes"] = len(output.getvalue())
    return result


def list_spec(env):
    """The web client's specification for the fields of the pledge list view."""
    arch = env["union.pledge"].get_views([(False, "list")])["views"]["list"]["arch"]
    spec = {}
    for node in etree.fromstring(arch).iterchildren("field"):
        field = env["union.pledge"]._fields[node.get("name")]
        relational = field.type in ("many2one", "many2many", "one2many")
        spec[field.name] = {"fields": {"display_name": {}}} if relational else {}
    return spec


@contextmanager
def capture_sql(cr):
    """The statements the ORM sends, to replay them as the list page's bound."""
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


def main():
    config.parse_config(sys.argv[1:], setup_logging=True)
    db_name = config["db_name"]
    if isinstance(db_name, list):
        db_name = db_name[0]
    odoo.service.server.load_server_wide_modules()
    registry = Registry(db_name)
    results = {}
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        log(
            f"building a province of {MEMBERS:,} members in {UNIONS:,} grassroots "
            f"unions ({DISTRICTS} districts)"
        )
        start = time.perf_counter()
        province, districts = build_province(env)
        officer = env["res.users"].create(
            {
                "name": "Bench Officer",
                "login": "bench_officer",
                "groups_id": [
                    Command.set(
                        [
                            env.ref("base.group_user").id,
                            env.ref("trade_union_emulation.group_union_officer").id,
                        ]
                    )
                ],
                "union_organization_ids": [Command.set(districts[:1].ids)],
            }
        )
        cr.commit()
        log(f"data set built in {time.perf_counter() - start:.1f} s")
        admin = env.ref("base.user_admin")
        admin_env = env(user=admin)

        # (1) the year's draft pledges with one line per criterion
        with measure({}) as result:
            created, _existing = admin_env["union.pledge"]._generate_draft_pledges(
                YEAR, province.with_env(admin_env)
            )
        cr.commit()
        cr.execute(
            "SELECT count(*) FROM union_pledge_line l"
            " JOIN union_pledge p ON p.id = l.pledge_id WHERE p.year = %s",
            [YEAR],
        )
        result["detail"] = f"{created:,} pledges, {cr.fetchone()[0]:,} lines"
        results["pledges"] = (result, bound_pledges(cr, province))
        cr.rollback()
        advance_pledges(env)
        cr.commit()

        # (2) the province's statistics, then its annual report
        province_admin = province.with_env(admin_env)
        with measure({}) as result:
            province_admin._union_statistics(YEAR)
            report = admin_env["union.annual.report"].create(
                {"organization_id": province.id, "year": YEAR}
            )
            admin_env.flush_all()
        result["detail"] = (
            f"{len(report.line_ids):,} organisations, {report.member_count:,} members, "
            f"pledge rate {report.pledge_rate} %"
        )
        cr.commit()
        results["statistics"] = (result, bound_statistics(cr, province))

        # (3) the Excel export of every pledge of the year through the report
        pledge_ids = admin_env["union.pledge"].search([("year", "=", YEAR)]).ids
        admin_env.invalidate_all()
        with measure({}) as result:
            content, _kind = admin_env["ir.actions.report"]._render_xlsx(
                "trade_union_emulation.report_pledge_xlsx", pledge_ids, {}
            )
        result["detail"] = (
            f"{len(pledge_ids):,} rows, {len(content) / 2**20:.1f} MB file"
        )
        del content
        bound = bound_export(cr)
        results["export"] = (result, bound)

        # (4) an officer's first page of the pledge list, under record rules
        officer_env = env(user=officer)
        Pledge = officer_env["union.pledge"]
        spec = list_spec(officer_env)
        page = Pledge.web_search_read(
            [], spec, limit=LIST_LIMIT, count_limit=10001
        )  # warm the caches
        times = []
        for _run in range(5):
            officer_env.invalidate_all()
            with measure({}) as run:
                with capture_sql(cr) as statements:
                    page = Pledge.web_search_read(
                        [], spec, limit=LIST_LIMIT, count_limit=10001
                    )
            times.append(run["seconds"])
        result = {"seconds": median(times), "memory_mb": 0.0}
        result["detail"] = (
            f"{len(page['records'])} of {page['length']:,} pledges, "
            f"{len(statements)} queries, fields {sorted(spec)}"
        )
        bound_times = []
        for _run in range(5):
            with measure({}) as run:
                for query, params in statements:
                    cr.execute(query, params)
                    if cr.description:
                        cr.fetchall()
            bound_times.append(run["seconds"])
        results["list page"] = (
            result,
            {"seconds": median(bound_times), "memory_mb": 0.0},
        )
        cr.rollback()

    failed = report_results(results)
    sys.exit(1 if failed else 0)


def report_results(results):
    log("")
    log(
        f"{'workload':<12} {'time':>9} {'bound':>9} {'ratio':>7} {'memory':>10} "
        f"{'target':>16}  verdict"
    )
    failed = False
    for name, (result, bound) in results.items():
        max_seconds, max_memory = TARGETS[name]
        ok = result["seconds"] <= max_seconds
        target = f"≤ {max_seconds:g} s"
        memory = ""
        if max_memory is not None:
            ok = ok and result["memory_mb"] <= max_memory
            target += f", ≤ {max_memory:g} MB"
            memory = f"{result['memory_mb']:.0f} MB"
        ratio = (
            result["seconds"] / bound["seconds"] if bound["seconds"] else float("inf")
        )
        failed = failed or not ok
        log(
            f"{name:<12} {result['seconds']:>8.3f}s {bound['seconds']:>8.3f}s "
            f"{ratio:>6.1f}x "
            f"{memory:>10} {target:>16}  "
            f"{'PASS' if ok else 'FAIL'}"
        )
        log(f"{'':<12} {result.get('detail', '')}")
        if max_memory is not None:
            exact = (
                ""
                if result.get("memory_exact")
                else " (peak reset unavailable: lower estimate)"
            )
            log(
                f"{'':<12} peak memory growth {result['memory_mb']:.0f} MB{exact}; "
                f"bound's {bound['memory_mb']:.0f} MB"
            )
    usage = resource.getrusage(resource.RUSAGE_SELF)
    log(
        f"peak resident memory of the bench process: {usage.ru_maxrss / 1024:.0f} MB; "
        f"load average {os.getloadavg()}"
    )
    return failed


if __name__ == "__main__":
    main()
