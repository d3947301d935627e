"""Load test of trade_union_emulation (issue 12, point 3), run by scripts/load.sh.

    python3 scripts/load.py --url URL --db DB --users USERS_JSON --pg DSN
                            [--duration S] [--think S] [--server-log FILE]
                            [--json FILE]

The server is an Odoo started with workers on a database built by
``scripts/bench.py --build-only USERS_JSON`` (the users, each with the password
= the login). One OS process per client talks JSON-RPC to it for --duration
seconds, as the web client does:

* officers open their lists (pledges, members, evaluations, study sessions),
  filter them, search a name and group them by state (``web_search_read`` with
  the list's specification, 80 rows, count limit 10,001; ``web_read_group``);
* leaders (managers of a district) take up to 50 submitted pledges or
  evaluations of their district and press the list's Approve button
  (``action_bulk_approve`` through /web/dataset/call_button), reading the
  result dialog when some were refused;
* exporters (the provincial manager) download the Excel export of a district's
  pledges through the report controller (GET /report/xlsx/...).

Meanwhile the addon's crons are made due when the load starts and triggered
again half-way (``ir.cron._trigger``: a row of ir_cron_trigger and a
notification to the cron workers), so that they run during the approvals.

At the end: a table per kind of request (count, requests/s, p50/p95/p99, errors)
and the checks, which decide the exit status (1 if one fails): no error, p95 of
the list requests <= 1 s, no serialization failure left unretried (server
log), the crons ran, no duplicate, every approval recorded once. The results
are also written as JSON.
"""

import argparse
import json
import multiprocessing
import os
import random
import re
import sys
import threading
import time
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path

import psycopg2
import psycopg2.extensions
import requests
from psycopg2 import sql

MODULE = "trade_union_emulation"
PLEDGE_REPORT = f"{MODULE}.report_pledge_xlsx"
LIST_LIMIT = 80
COUNT_LIMIT = 10001
APPROVE_BATCH = 50
LIST_P95_SECONDS = 1.0
# Werkzeug reads at most this many bytes of request line: longer URLs get 414.
MAX_URL = 60000
TIMEOUT = 900

# Kinds of request, in the order of the table; the list ones must keep p95 <= 1 s.
KINDS = {
    "login": "log in, set up (before)",
    "list open": "officer opens a list",
    "list filter": "officer filters a list",
    "list search": "officer searches a name",
    "list group": "officer groups by state",
    "approve list": "leader lists submitted",
    "approve pledges": "leader approves 50 pledges",
    "approve evals": "leader approves 50 evaluations",
    "approve dialog": "leader reads refusals",
    "export": "manager exports a district",
}
LIST_KINDS = ("list open", "list filter", "list search", "list group", "approve list")

M2O = {"fields": {"display_name": {}}}
# The list of each menu: its columns shown by default, the domain of its action,
# its filters, the field its search box looks into, what its groups total.
LISTS = {
    "union.pledge": {
        "spec": {
            "year": {},
            "member_id": M2O,
            "organization_id": M2O,
            "category": {},
            "state": {},
            "result": {},
        },
        "this_year": True,
        "filters": [
            [("state", "=", state)]
            for state in ("draft", "submitted", "approved", "assessed")
        ]
        + [[("result", "=", "achieved")], [("category", "=", "worker")]],
        "search": lambda term: [("member_id", "ilike", term)],
        "terms": ("Nguyễn", "Thị Lan", "Hương", "Trần Văn", "123"),
        "groupby": "state",
        "aggregates": [],
    },
    "union.member": {
        "spec": {
            "name": {},
            "union_card_number": {},
            "organization_id": M2O,
            "category": {},
            "job_title": {},
            "is_union_officer": {},
            "is_party_member": {},
            "active": {},
        },
        "this_year": False,
        "filters": [
            [("category", "=", "civil_servant")],
            [("is_party_member", "=", True)],
            [("is_union_officer", "=", True)],
        ],
        "search": lambda term: [
            "|",
            ("name", "ilike", term),
            ("union_card_number", "ilike", term),
        ],
        "terms": ("Nguyễn", "Thị Lan", "Hương", "Lê Minh", "4567"),
        # A member has no state: the members are grouped by category.
        "groupby": "category",
        "aggregates": [],
    },
    "union.member.evaluation": {
        "spec": {
            "member_id": M2O,
            "organization_id": M2O,
            "year": {},
            "score": {},
            "rating": {},
            "pledge_result": {},
            "state": {},
        },
        "this_year": True,
        "filters": [
            [("state", "=", "submitted")],
            [("state", "=", "approved")],
            [("rating", "=", "excellent")],
        ],
        "search": lambda term: [("member_id", "ilike", term)],
        "terms": ("Nguyễn", "Thị Lan", "Hương", "Phạm Đức", "89"),
        "groupby": "state",
        "aggregates": ["score:avg"],
    },
    "union.study.session": {
        "spec": {
            "date": {},
            "name": {},
            "organization_id": M2O,
            "topic_id": M2O,
            "mode": {},
            "attendee_count": {},
            "state": {},
        },
        "this_year": False,
        "filters": [
            [("state", "=", "done")],
            [("state", "=", "planned")],
            [("mode", "=", "regular_meeting")],
        ],
        "search": lambda term: [("name", "ilike", term)],
        "terms": ("chuyên đề", "Sinh hoạt", "Hội nghị"),
        "groupby": "state",
        "aggregates": ["attendee_count:sum"],
    },
}
APPROVALS = {
    "union.pledge": "approve pledges",
    "union.member.evaluation": "approve evals",
}


def log(message):
    print(message, flush=True)


# A client -----------------------------------------------------------------------


class RpcError(Exception):
    pass


class Client:
    """A browser's session: a cookie, the user's context, the requests it made
    ([kind, start since the load began, seconds, error key or None, tag]) and
    the distinct errors it met. Each JSON-RPC request carries its tag in the
    URL's query string (``?load=<tag>``, which JSON routes ignore), so that its
    line in the server log tells how long a worker spent on it."""

    def __init__(self, url, db, login, name="client"):
        self.url = url
        self.db = db
        self.login = login
        self.name = name
        self.sent = 0
        self.http = requests.Session()
        self.context = {}
        self.samples = []
        self.errors = {}
        self.origin = time.time()

    def _error(self, kind, key, message):
        key = f"{kind}: {key}"[:300]
        count, first = self.errors.get(key, (0, message))
        self.errors[key] = (count + 1, first)
        return key

    def tag(self):
        self.sent += 1
        return f"{self.name}-{self.sent}"

    def timed(self, kind, send, tag=None):
        """Run ``send()`` (an HTTP request), check and record it; returns the
        response (None when it failed)."""
        started = time.time()
        begin = time.perf_counter()
        error = None
        response = None
        try:
            response = send()
            if response.status_code != 200:
                text = response.text[:2000]
                title = re.search(r"<title>(.*?)</title>", text, re.S)
                error = self._error(
                    kind,
                    f"HTTP {response.status_code} {title.group(1) if title else ''}",
                    text,
                )
                response = None
        except requests.RequestException as exc:
            error = self._error(kind, type(exc).__name__, str(exc))
        seconds = time.perf_counter() - begin
        self.samples.append([kind, started - self.origin, seconds, error, tag])
        return response, error

    def fail(self, key):
        """Mark the last request failed (an error found in its answer)."""
        self.samples[-1][3] = key

    def rpc(self, kind, path, params):
        """A JSON-RPC call; returns its result, raises RpcError on an error
        (recorded once)."""
        payload = {"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}
        tag = self.tag()
        url = f"{self.url}{path}?load={tag}"
        response, error = self.timed(
            kind,
            lambda: self.http.post(url, json=payload, timeout=TIMEOUT),
            tag,
        )
        if response is None:
            raise RpcError(error)
        try:
            body = response.json()
        except ValueError:
            body = {"error": {"message": "not JSON", "data": {"name": "", "debug": ""}}}
        if "error" in body:
            data = body["error"].get("data") or {}
            key = f"{data.get('name', '')}: {data.get('message') or ''}"
            key = self._error(
                kind,
                key.splitlines()[0] if key.strip() else str(body["error"]),
                data.get("debug") or json.dumps(body["error"]),
            )
            self.fail(key)
            raise RpcError(key)
        return body.get("result")

    def authenticate(self, password):
        result = self.rpc(
            "login",
            "/web/session/authenticate",
            {"db": self.db, "login": self.login, "password": password},
        )
        user_context = result.get("user_context") or {}
        self.context = {
            "lang": user_context.get("lang", "en_US"),
            "tz": user_context.get("tz") or "UTC",
            "uid": result["uid"],
            "allowed_company_ids": [1],
        }
        return result

    def call(self, kind, model, method, args=(), **kwargs):
        kwargs.setdefault("context", self.context)
        return self.rpc(
            kind,
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def button(self, kind, model, method, ids):
        """A button of type object, as the web client presses it."""
        return self.rpc(
            kind,
            f"/web/dataset/call_button/{model}/{method}",
            {
                "model": model,
                "method": method,
                "args": [ids],
                "kwargs": {"context": self.context},
            },
        )

    def search_read(self, kind, model, domain, spec, limit=LIST_LIMIT):
        return self.call(
            kind,
            model,
            "web_search_read",
            specification=spec,
            domain=domain,
            offset=0,
            order="",
            limit=limit,
            count_limit=COUNT_LIMIT,
            context=dict(self.context, bin_size=True),
        )


# The roles ----------------------------------------------------------------------


def think(args, rng):
    if args.think > 0:
        time.sleep(rng.uniform(0.5, 1.5) * args.think)


def attempt(call, *args, **kwargs):
    """``call(*args, **kwargs)``, None if it failed (the client recorded why)."""
    try:
        return call(*args, **kwargs)
    except RpcError:
        return None


def officer_loop(client, args, users, deadline, rng):
    """Open each list in turn, filter it, search a name, group it by state."""
    year = users["year"]
    models = list(LISTS)
    rng.shuffle(models)
    turn = 0
    while time.time() < deadline:
        model = models[turn % len(models)]
        turn += 1
        view = LISTS[model]
        base = [("year", "=", year)] if view["this_year"] else []
        steps = [
            ("list open", base),
            ("list filter", base + rng.choice(view["filters"])),
            ("list search", base + view["search"](rng.choice(view["terms"]))),
        ]
        for kind, domain in steps:
            if time.time() >= deadline:
                return
            attempt(client.search_read, kind, model, domain, view["spec"])
            think(args, rng)
        if time.time() >= deadline:
            return
        attempt(
            client.call,
            "list group",
            model,
            "web_read_group",
            domain=base,
            fields=view["aggregates"],
            groupby=[view["groupby"]],
            limit=LIST_LIMIT,
            offset=0,
            orderby="",
            lazy=True,
        )
        think(args, rng)


def bulk_done(client, result):
    """(done, total) from what the Approve button returned: a notification when
    every document went through, else the dialog listing the refused ones,
    which the web client opens (read here)."""
    if not isinstance(result, dict):
        return None
    if result.get("type") == "ir.actions.client":
        summary = result.get("params", {}).get("title", "")
    else:
        records = client.call(
            "approve dialog",
            result["res_model"],
            "web_read",
            [[result["res_id"]]],
            specification={"summary": {}, "details": {}},
        )
        summary = records[0]["summary"] if records else ""
    found = re.search(r"(\d+)\D+(\d+)", summary or "")
    return (int(found.group(1)), int(found.group(2))) if found else None


def leader_loop(client, args, users, deadline, rng, stats):
    """Take up to 50 submitted pledges (or evaluations) of the district and
    approve them; the refused ones stay submitted and are not taken again."""
    year = users["year"]
    refused = {model: set() for model in APPROVALS}
    exhausted = set()
    turn = 0
    while time.time() < deadline and len(exhausted) < len(APPROVALS):
        model = list(APPROVALS)[turn % len(APPROVALS)]
        turn += 1
        if model in exhausted:
            continue
        domain = [("year", "=", year), ("state", "=", "submitted")]
        if refused[model]:
            domain.append(("id", "not in", sorted(refused[model])))
        try:
            page = client.search_read(
                "approve list", model, domain, LISTS[model]["spec"], APPROVE_BATCH
            )
        except RpcError:
            think(args, rng)
            continue
        ids = [record["id"] for record in page.get("records", [])]
        if not ids:
            exhausted.add(model)
            continue
        think(args, rng)
        if time.time() >= deadline:
            return
        try:
            result = client.button(APPROVALS[model], model, "action_bulk_approve", ids)
            counts = bulk_done(client, result)
        except RpcError:
            stats[model]["failed calls"] += 1
            think(args, rng)
            continue
        stats[model]["calls"] += 1
        stats[model]["sent"] += len(ids)
        if counts is None or counts[1] != len(ids):
            stats[model]["unreadable results"] += 1
            counts = counts or (0, len(ids))
        stats[model]["done"] += counts[0]
        if counts[0] < len(ids):
            try:
                still = client.call(
                    "approve list",
                    model,
                    "search",
                    [[("id", "in", ids), ("state", "=", "submitted")]],
                )
            except RpcError:
                still = ids
            refused[model].update(still)
            stats[model]["refused"] += len(still)
        think(args, rng)
    stats["exhausted"] = sorted(exhausted)


def export_loop(client, args, ids, deadline, rng, stats):
    """Download the Excel export of a district's pledges again and again."""
    context = json.dumps(client.context, separators=(",", ":"))
    url = (
        f"{client.url}/report/xlsx/{PLEDGE_REPORT}/{','.join(map(str, ids))}"
        f"?context={requests.utils.quote(context)}"
    )
    while time.time() < deadline:
        response, error = client.timed(
            "export", lambda: client.http.get(url, timeout=TIMEOUT)
        )
        if response is not None:
            content = response.content
            if not content.startswith(b"PK\x03\x04"):
                key = client._error(
                    "export",
                    f"not an xlsx file ({response.headers.get('Content-Type')})",
                    content[:2000].decode("utf-8", "replace"),
                )
                client.fail(key)
            else:
                stats["files"] += 1
                stats["bytes"] = len(content)
        think(args, rng)


def district_exports(client, users, count):
    """The ids of the year's pledges of ``count`` districts, the largest whose
    export URL stays under MAX_URL (the request line limit), one per exporter."""
    districts = client.call(
        "login",
        "union.organization",
        "search_read",
        [[("level", "=", "upper_grassroots")]],
        fields=["name"],
        order="id",
    )
    found = []
    for district in districts:
        ids = client.call(
            "login",
            "union.pledge",
            "search",
            [
                [
                    ("organization_id", "child_of", district["id"]),
                    ("year", "=", users["year"]),
                ]
            ],
        )
        if ids and len(",".join(map(str, ids))) < MAX_URL - 500:
            found.append((len(ids), district["name"], ids))
    found.sort(reverse=True)
    if not found:
        raise RpcError("no district's pledge export fits in a URL")
    return [found[i % len(found)] for i in range(count)]


def run_client(role, index, login, args, users, sync, queue):
    """One OS process: log in, wait for the others, play the role until the
    deadline, send back what it measured."""
    rng = random.Random(f"{role}-{index}")
    client = Client(args.url, args.db, login, f"{role}{index}")
    if role == "leader":
        stats = {model: Counter() for model in APPROVALS}
    else:
        stats = Counter()
    extra = {}
    ready = False
    try:
        client.authenticate(login)
        if role == "export":
            size, name, ids = district_exports(client, users, index + 1)[index]
            extra = {"district": name, "pledges": size}
        ready = True
    except (RpcError, KeyError, TypeError) as exc:
        client._error("login", f"{login} cannot start: {exc}", repr(exc))
    barrier, go, start = sync
    try:
        barrier.wait(timeout=600)
        go.wait(timeout=600)
    except threading.BrokenBarrierError:
        ready = False
    # The set-up's requests (kind "login") are left out of the load's figures.
    for sample in client.samples:
        sample[1] = 0.0
    client.origin = start.value
    deadline = start.value + args.duration
    if ready:
        try:
            if role == "officer":
                officer_loop(client, args, users, deadline, rng)
            elif role == "leader":
                leader_loop(client, args, users, deadline, rng, stats)
            else:
                export_loop(client, args, ids, deadline, rng, stats)
        except Exception as exc:  # noqa: BLE001 - reported, never hidden
            client._error(role, f"client crashed: {exc!r}", repr(exc))
    if role == "leader":
        stats = {
            key: dict(value) if isinstance(value, Counter) else value
            for key, value in stats.items()
        }
    else:
        stats = {"export": dict(stats)}
    queue.put(
        {
            "role": role,
            "login": login,
            "samples": client.samples,
            "errors": client.errors,
            "stats": stats,
            "extra": extra,
        }
    )


# The database: crons and checks ----------------------------------------------------


def connect(dsn):
    connection = psycopg2.connect(dsn)
    connection.autocommit = True
    return connection


def db_now(cr):
    cr.execute("SELECT now() AT TIME ZONE 'UTC'")
    return cr.fetchone()[0]


def addon_crons(cr):
    cr.execute(
        """
        SELECT c.id, d.name, c.cron_name
          FROM ir_cron c
          JOIN ir_model_data d ON d.model = 'ir.cron' AND d.res_id = c.id
         WHERE d.module = %s
         ORDER BY c.id
        """,
        [MODULE],
    )
    return cr.fetchall()


def notify_cron_workers(cr, db):
    """What ir.cron._notifydb does: wake the cron workers up (they LISTEN on
    the postgres database)."""
    dsn = psycopg2.extensions.make_dsn(cr.connection.dsn, dbname="postgres")
    postgres = connect(dsn)
    try:
        postgres.cursor().execute("SELECT pg_notify('cron_trigger', %s)", [db])
    finally:
        postgres.close()


def crons_due_now(cr, db, crons):
    """The addon's crons active and due now."""
    cr.execute(
        "UPDATE ir_cron SET active = TRUE, nextcall = now() AT TIME ZONE 'UTC'"
        " WHERE id = ANY(%s)",
        [[cron_id for cron_id, _xmlid, _name in crons]],
    )
    notify_cron_workers(cr, db)


def trigger_crons(cr, db, crons):
    """What ir.cron._trigger() does: a trigger due now for each cron."""
    cr.execute(
        """
        INSERT INTO ir_cron_trigger (cron_id, call_at, create_uid, create_date,
                                     write_uid, write_date)
             SELECT id, now() AT TIME ZONE 'UTC', 1, now() AT TIME ZONE 'UTC', 1,
                    now() AT TIME ZONE 'UTC'
               FROM ir_cron WHERE id = ANY(%s)
        """,
        [[cron_id for cron_id, _xmlid, _name in crons]],
    )
    notify_cron_workers(cr, db)


def state_counts(cr, year):
    counts = {}
    for table in ("union_pledge", "union_member_evaluation"):
        cr.execute(
            sql.SQL(
                "SELECT state, count(*) FROM {} WHERE year = %s GROUP BY state"
            ).format(sql.Identifier(table)),
            [year],
        )
        counts[table] = dict(cr.fetchall())
    cr.execute("SELECT count(*) FROM union_annual_report WHERE year = %s", [year])
    counts["union_annual_report"] = {"all": cr.fetchone()[0]}
    return counts


DUPLICATES = {
    "union_pledge": ("member_id", "year"),
    "union_member_evaluation": ("member_id", "year"),
    "union_annual_report": ("organization_id", "year"),
}


def duplicates(cr):
    found = {}
    for table, key in DUPLICATES.items():
        columns = sql.SQL(", ").join(map(sql.Identifier, key))
        cr.execute(
            sql.SQL(
                "SELECT count(*) FROM (SELECT {columns} FROM {table}"
                " GROUP BY {columns} HAVING count(*) > 1) d"
            ).format(columns=columns, table=sql.Identifier(table))
        )
        found[table] = cr.fetchone()[0]
    return found


def approval_history(cr, table, model, since, leaders):
    """The documents approved since the load began: each approved, by a leader,
    with exactly one tracking of its state from submitted to approved."""
    query = sql.SQL(
        """
        WITH run AS (SELECT id, state, approve_user_id
                       FROM {table} WHERE approve_date >= %(since)s),
             tracked AS (
                SELECT m.res_id, count(*) AS n,
                       bool_and(v.old_value_char = 'Submitted'
                                AND v.new_value_char = 'Approved') AS ok
                  FROM mail_tracking_value v
                  JOIN mail_message m ON m.id = v.mail_message_id
                  JOIN ir_model_fields f ON f.id = v.field_id
                 WHERE m.model = %(model)s AND f.name = 'state'
                   AND m.date >= %(since)s
                 GROUP BY m.res_id)
        SELECT (SELECT count(*) FROM run),
               (SELECT count(*) FROM run WHERE state <> 'approved'),
               (SELECT count(*) FROM run r JOIN res_users u ON u.id = r.approve_user_id
                 WHERE NOT u.login = ANY(%(leaders)s)),
               (SELECT count(*) FROM run r LEFT JOIN tracked t ON t.res_id = r.id
                 WHERE t.n IS DISTINCT FROM 1 OR NOT t.ok),
               (SELECT count(*) FROM tracked t LEFT JOIN run r ON r.id = t.res_id
                 WHERE r.id IS NULL)
        """
    ).format(table=sql.Identifier(table))
    cr.execute(query, {"since": since, "model": model, "leaders": leaders})
    approved, not_approved, not_leader, bad_tracking, stray = cr.fetchone()
    return {
        "approved in the run": approved,
        "not in state approved": not_approved,
        "approver not a leader": not_leader,
        "without exactly one submitted→approved tracking": bad_tracking,
        "state changes of other documents": stray,
    }


def unique_constraints(cr):
    cr.execute(
        """
        SELECT conrelid::regclass::text FROM pg_constraint
         WHERE contype = 'u' AND conrelid::regclass::text = ANY(%s)
        """,
        [list(DUPLICATES)],
    )
    return sorted({row[0] for row in cr.fetchall()})


# The server log ----------------------------------------------------------------


LOG_LINE = re.compile(
    r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+) (\d+) (\w+) (\S+) (\S+): (.*)$"
)
CONCURRENCY = re.compile(
    r"could not serialize access|SerializationFailure|deadlock detected"
    r"|could not obtain lock|LockNotAvailable|DeadlockDetected",
    re.I,
)
RETRY = re.compile(r"^(\w+), (\d+) tries left, try again")
GIVE_UP = re.compile(r"^(\w+), maximum number of tries reached")
# ir.cron logs the job's name with %r: in double quotes when it holds a quote.
CRON = r"^Job (['\"])(?P<name>.*)\1 \((?P<id>\d+)\) "
CRON_START = re.compile(CRON + "starting")
CRON_DONE = re.compile(CRON + r"done in ([\d.]+)s")
CRON_FAILED = re.compile(CRON + r"server action #\d+ failed")
# werkzeug's line of each request, with Odoo's figures: queries, seconds in
# SQL, other seconds in the worker (from when it began to handle the request).
REQUEST = re.compile(
    r'"(GET|POST) (\S+) HTTP/[\d.]+" (\d+) \S+ (\d+) ([\d.]+) ([\d.]+)'
)


def request_path(method, url):
    """A request's route, ids and query left out."""
    path = url.split("?")[0]
    if path.startswith("/report/"):
        path = "/".join(path.split("/")[:4]) + "/<ids>"
    return f"{method} {path}"


def log_records(path, offset):
    """(time, pid, level, logger, text) of each record of the log written after
    ``offset`` bytes, the lines of a traceback kept with their record."""
    records = []
    with open(path, "rb") as handle:
        handle.seek(offset)
        for raw in handle:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            found = LOG_LINE.match(line)
            if found:
                when, pid, level, _db, logger, text = found.groups()
                records.append([when, pid, level, logger, text])
            elif records and (
                records[-1][2] not in ("DEBUG", "INFO")
                or not line.startswith("Traceback")
            ):
                records[-1][4] += "\n" + line
            elif records:
                # A traceback printed on stderr, after an unrelated record.
                records.append([records[-1][0], "?", "STDERR", "stderr", line])
    return records


def analyse_log(path, offset, origin):
    """What the server logged during the load: each concurrency failure (a
    query refused with "could not serialize access", a deadlock…) and what
    became of it — the request retried by Odoo, given up after its last try,
    or the cron job that failed with it —, the tracebacks, the errors and
    warnings, the runs of the crons (seconds since the load began)."""
    records = log_records(path, offset)
    pending = defaultdict(list)
    failures = []
    tracebacks = Counter()
    problems = Counter()
    samples = {}
    crons = []
    running = {}
    handled = defaultdict(list)
    by_tag = {}
    for when, pid, level, logger, text in records:
        lines = [line for line in text.splitlines() if line.strip()] or [""]
        first = lines[0][:200]
        moment = round(
            datetime.strptime(when, "%Y-%m-%d %H:%M:%S,%f").timestamp() - origin, 1
        )
        if logger == "werkzeug":
            found = REQUEST.search(text)
            if found:
                method, url, _status, queries, sql, other = found.groups()
                tag = re.search(r"[?&]load=([\w-]+)", url)
                if tag:
                    by_tag[tag.group(1)] = float(sql) + float(other)
                if moment >= 0:
                    handled[request_path(method, url)].append(
                        (int(queries), float(sql), float(other))
                    )
            continue
        clash = CONCURRENCY.search(text)
        if clash and logger == "odoo.sql_db" and "bad query" in first:
            failure = {
                "at": moment,
                "pid": pid,
                "error": next(
                    (line for line in lines if line.startswith("ERROR:")), clash[0]
                ),
                "query": " ".join(first.split())[:160],
                "outcome": "not retried",
            }
            failures.append(failure)
            pending[pid].append(failure)
        if RETRY.match(text) or GIVE_UP.match(text):
            if pending[pid]:
                pending[pid].pop(0)["outcome"] = (
                    "retried by Odoo" if RETRY.match(text) else "given up by Odoo"
                )
            continue
        found = CRON_FAILED.match(text)
        if found:
            if clash and pending[pid]:
                pending[pid].pop(0)["outcome"] = f"cron job failed: {found['name']}"
            began = running.pop((pid, found["id"]), (found["name"], None))[1]
            crons.append(
                {
                    "cron": found["name"],
                    "pid": pid,
                    "start": began,
                    "end": moment,
                    "ok": False,
                }
            )
        if any(line.startswith("Traceback") for line in lines):
            tracebacks[f"{first[:120]} | {lines[-1].strip()[:200]}"] += 1
        if level in ("WARNING", "ERROR", "CRITICAL", "STDERR"):
            # A failed query's first line is the query: group by its error.
            what = f"concurrency failure ({clash[0]})" if clash else first
            key = f"{level} {logger}: {what}"
            problems[key] += 1
            samples.setdefault(key, text[:3000])
        found = CRON_START.match(text)
        if found:
            running[(pid, found["id"])] = (found["name"], moment)
        found = CRON_DONE.match(text)
        if found:
            began = running.pop((pid, found["id"]), (found["name"], None))[1]
            crons.append(
                {
                    "cron": found["name"],
                    "pid": pid,
                    "start": began,
                    "end": moment,
                    "ok": True,
                }
            )
    for (pid, _cron_id), (name, began) in running.items():
        crons.append(
            {"cron": name, "pid": pid, "start": began, "end": None, "ok": None}
        )
    outcomes = Counter(failure["outcome"] for failure in failures)
    return {
        "records": len(records),
        "concurrency failures": failures,
        "concurrency outcomes": dict(outcomes),
        "unretried": sum(
            n for outcome, n in outcomes.items() if outcome != "retried by Odoo"
        ),
        "tracebacks": dict(tracebacks),
        "errors and warnings": dict(problems),
        "samples": samples,
        "cron runs": sorted(crons, key=lambda run: (run["start"] or 0, run["pid"])),
        "worker seconds by tag": by_tag,
        "requests handled": {
            path: {
                "count": len(rows),
                "queries": sum(row[0] for row in rows) / len(rows),
                "sql_p50": percentile([row[1] for row in rows], 0.5),
                "p50": percentile([row[1] + row[2] for row in rows], 0.5),
                "p95": percentile([row[1] + row[2] for row in rows], 0.95),
                "max": max(row[1] + row[2] for row in rows),
            }
            for path, rows in sorted(handled.items())
        },
    }


PG_LINE = re.compile(r"^\d{4}-\d\d-\d\d [\d:.]+ \w+ \[(\d+)\] (\w+):  (.*)$")
PG_DURATION = re.compile(
    r"^duration: ([\d.]+) ms  (?:statement|execute [^:]*): (.*)$", re.S
)


def statement_shape(statement):
    """A statement with its literals left out, to group the same query."""
    shape = " ".join(statement.split())
    shape = re.sub(r"'(?:[^']|'')*'", "'…'", shape)
    shape = re.sub(r"\b\d+(?:\.\d+)?\b", "N", shape)
    shape = re.sub(r"N(?:\s*,\s*N)+", "N…", shape)
    return shape[:240]


def analyse_pg_log(path, offset):
    """The statements slower than log_min_duration_statement, grouped by
    shape (count, total and longest seconds), and the errors PostgreSQL
    logged, since ``offset``."""
    entries = []
    with open(path, "rb") as handle:
        handle.seek(offset)
        for raw in handle:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            found = PG_LINE.match(line)
            if found:
                entries.append(list(found.groups()))
            elif entries:
                entries[-1][2] += "\n" + line
    slow = defaultdict(list)
    errors = Counter()
    for _pid, level, text in entries:
        found = PG_DURATION.match(text)
        if level == "LOG" and found:
            slow[statement_shape(found.group(2))].append(float(found.group(1)) / 1000)
        elif level in ("ERROR", "FATAL", "PANIC"):
            errors[text.splitlines()[0][:200]] += 1
    statements = sorted(
        (
            {
                "statement": shape,
                "count": len(times),
                "total": sum(times),
                "max": max(times),
            }
            for shape, times in slow.items()
        ),
        key=lambda row: -row["total"],
    )
    return {"slow statements": statements, "errors": dict(errors)}


# Figures ------------------------------------------------------------------------


def percentile(values, fraction):
    """Linear interpolation between the closest ranks."""
    if not values:
        return 0.0
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def kind_table(samples, duration, worker=None):
    """Per kind of request: the client's figures and, when the server log
    gave them, those of the worker (``worker``: seconds by tag)."""
    worker = worker or {}
    rows = {}
    for kind in KINDS:
        mine = [s for s in samples if s[0] == kind]
        if not mine:
            continue
        seconds = [s[2] for s in mine]
        handled = [worker[s[4]] for s in mine if s[4] in worker]
        rows[kind] = {
            "worker_count": len(handled),
            "worker_p50": percentile(handled, 0.50) if handled else None,
            "worker_p95": percentile(handled, 0.95) if handled else None,
            "label": KINDS[kind],
            "count": len(mine),
            "rps": len(mine) / duration if kind != "login" else None,
            "p50": percentile(seconds, 0.50),
            "p95": percentile(seconds, 0.95),
            "p99": percentile(seconds, 0.99),
            "max": max(seconds),
            "errors": sum(1 for s in mine if s[3]),
        }
    return rows


def print_table(rows, total, duration):
    log("")
    log(
        f"{'kind':<16} {'what':<28} {'count':>6} {'req/s':>6} {'p50':>7} "
        f"{'p95':>7} {'p99':>7} {'max':>7} {'errors':>6} | {'in worker':>9}"
        f" {'p95':>7}"
    )
    for kind, row in rows.items():
        rps = f"{row['rps']:.2f}" if row["rps"] is not None else ""
        worker = ""
        if row["worker_p50"] is not None:
            worker = f"{row['worker_p50']:>8.3f}s {row['worker_p95']:>6.3f}s"
        log(
            f"{kind:<16} {row['label']:<28} {row['count']:>6} {rps:>6} "
            f"{row['p50']:>6.3f}s {row['p95']:>6.3f}s {row['p99']:>6.3f}s "
            f"{row['max']:>6.2f}s {row['errors']:>6} | {worker}"
        )
    log(f"{'all (load)':<16} {'':<28} {total:>6} {total / duration:>6.2f}")
    log(
        "(latency as the client sees it: waiting for a free worker included;"
        " 'in worker': p50/p95 of the time the worker spent on it, server log)"
    )


# The run ------------------------------------------------------------------------


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="the Odoo server, http://…")
    parser.add_argument("--db", required=True)
    parser.add_argument("--users", required=True, help="USERS_JSON of bench.py")
    parser.add_argument(
        "--pg", required=True, help="libpq connection string of the database"
    )
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument(
        "--think",
        type=float,
        default=2.0,
        help="mean pause of a client between two actions, in seconds, a "
        "person's pace (0: each client sends its next request as soon as it "
        "has the answer, which measures the machine's saturation)",
    )
    parser.add_argument("--officers", type=int, default=20)
    parser.add_argument("--leaders", type=int, default=5)
    parser.add_argument("--exporters", type=int, default=2)
    parser.add_argument("--server-log", help="the server's log file, analysed")
    parser.add_argument(
        "--pg-log", help="PostgreSQL's log file (slow statements logged), analysed"
    )
    parser.add_argument("--json", help="write the results to this file")
    return parser.parse_args(argv)


def client_roles(args, users):
    """(role, index, login) of each client; officers and leaders have distinct
    logins (fewer clients if the data set has fewer), exporters share the
    provincial manager's."""
    roles = [("officer", i, login) for i, login in enumerate(users["officers"])]
    roles = roles[: args.officers]
    roles += [("leader", i, login) for i, login in enumerate(users["leaders"])][
        : args.leaders
    ]
    roles += [("export", i, users["manager"]) for i in range(args.exporters)]
    for role, have, want in (
        ("officer", len(users["officers"]), args.officers),
        ("leader", len(users["leaders"]), args.leaders),
    ):
        if have < want:
            log(f"only {have} {role} logins in the data set (wanted {want})")
    return roles


def drive(args, users, cr, crons):
    """Start the clients, make the crons due when all are logged in, trigger
    them again half-way; returns what the clients measured, the start (wall
    clock), the load average along the run and how long it lasted."""
    roles = client_roles(args, users)
    counts = Counter(role for role, _index, _login in roles)
    log(
        f"{len(roles)} clients: {counts['officer']} officers, {counts['leader']}"
        f" leaders, {counts['export']} exporters; {args.duration:g} s, think time"
        f" {args.think:g} s; {os.cpu_count()} CPUs, load average"
        f" {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    mp = multiprocessing.get_context("fork")
    barrier = mp.Barrier(len(roles) + 1)
    go = mp.Event()
    start = mp.Value("d", 0.0)
    queue = mp.Queue()
    processes = [
        mp.Process(
            target=run_client,
            args=(role, index, login, args, users, (barrier, go, start), queue),
            name=f"{role}-{index}",
        )
        for role, index, login in roles
    ]
    for process in processes:
        process.start()
    # The clients log in and wait at the barrier; once all are there, the
    # crons are made due and the clients are let go.
    barrier.wait(timeout=600)
    log(f"{len(roles)} clients logged in; the load starts")
    crons_due_now(cr, args.db, crons)
    origin = time.time()
    start.value = origin
    go.set()
    log(f"crons due now: {', '.join(name for _id, _x, name in crons)}")
    loads = [(0.0, os.getloadavg()[0])]
    triggered = False
    end = origin + args.duration
    while time.time() < end:
        time.sleep(min(5.0, max(0.1, end - time.time())))
        loads.append((round(time.time() - origin, 1), os.getloadavg()[0]))
        if not triggered and time.time() >= origin + args.duration / 2:
            trigger_crons(cr, args.db, crons)
            triggered = True
            log(f"crons triggered again at {time.time() - origin:.0f} s")
    results = [queue.get(timeout=TIMEOUT + 60) for _process in processes]
    for process in processes:
        process.join(timeout=60)
    elapsed = time.time() - origin
    log(f"load ended after {elapsed:.1f} s (the last answers included)")
    return results, origin, loads, elapsed


def collect(results):
    """The clients' figures put together."""
    summary = {
        "samples": [s for result in results for s in result["samples"]],
        "errors": Counter(),
        "messages": {},
        "approvals": {model: Counter() for model in APPROVALS},
        "exhausted": Counter(),
        "exports": [],
        "clients": dict(Counter(result["role"] for result in results)),
        "results": results,
    }
    for result in results:
        for key, (count, message) in result["errors"].items():
            summary["errors"][key] += count
            summary["messages"].setdefault(key, message)
        if result["role"] == "leader":
            for model in APPROVALS:
                summary["approvals"][model].update(result["stats"].get(model, {}))
            summary["exhausted"].update(result["stats"].get("exhausted", []))
        elif result["role"] == "export":
            summary["exports"].append({**result["extra"], **result["stats"]["export"]})
    summary["load_samples"] = [s for s in summary["samples"] if s[0] != "login"]
    return summary


def print_details(summary):
    errors, messages = summary["errors"], summary["messages"]
    if errors:
        log("")
        log("errors (each distinct one once):")
        for key, count in errors.most_common():
            log(f"  {count} × {key}")
            log("    " + messages[key][-1500:].replace("\n", "\n    "))
    log("")
    for model, counter in summary["approvals"].items():
        log(
            f"{model}: {counter['calls']} Approve calls, {counter['done']} approved,"
            f" {counter['refused']} refused (business rules), "
            f"{counter['failed calls']} failed calls; no submitted left for "
            f"{summary['exhausted'][model]} leaders"
        )
    for export in summary["exports"]:
        log(
            f"export: district {export.get('district')} ({export.get('pledges')}"
            f" pledges), {export.get('files', 0)} files of"
            f" {export.get('bytes', 0) / 2**20:.1f} MB"
        )


APPROVED_TABLES = (
    ("union_pledge", "union.pledge"),
    ("union_member_evaluation", "union.member.evaluation"),
)


def database_state(cr, users, since):
    return {
        "after": state_counts(cr, users["year"]),
        "duplicates": duplicates(cr),
        "unique_constraints": unique_constraints(cr),
        "histories": {
            table: approval_history(cr, table, model, since, users["leaders"])
            for table, model in APPROVED_TABLES
        },
    }


def server_checks(check, server, crons, client_concurrency):
    failures = server["concurrency failures"]
    check(
        "no serialization failure left unretried",
        not server["unretried"] and not client_concurrency,
        f"{len(failures)} logged: "
        + (
            ", ".join(f"{n} {k}" for k, n in server["concurrency outcomes"].items())
            or "none"
        )
        + f"; {client_concurrency} reached a client",
    )
    check(
        "no traceback in the server log",
        not server["tracebacks"],
        f"{sum(server['tracebacks'].values())} tracebacks",
    )
    names = {name for _id, _xmlid, name in crons}
    runs = [run for run in server["cron runs"] if run["cron"] in names]
    ran = {run["cron"] for run in runs if run["ok"]}
    check(
        "every addon cron ran during the load, none failed",
        names <= ran and not any(run["ok"] is False for run in runs),
        "; ".join(
            f"{run['cron']} {run['start']}–{run['end']} s "
            + {True: "done", False: "FAILED", None: "unfinished"}[run["ok"]]
            for run in runs
        )
        or "no run",
    )


def approval_checks(check, summary, before, db):
    for table, model in APPROVED_TABLES:
        history = db["histories"][table]
        done = summary["approvals"][model]["done"]
        was, now = before[table], db["after"][table]
        gained = now.get("approved", 0) - was.get("approved", 0)
        lost = was.get("submitted", 0) - now.get("submitted", 0)
        check(
            f"{table}: every approval made once and recorded",
            gained == lost == done == history["approved in the run"]
            and not any(v for k, v in history.items() if k != "approved in the run"),
            f"approved {was.get('approved', 0)} → {now.get('approved', 0)}"
            f" (+{gained}), submitted -{lost}, clients told {done}; "
            + ", ".join(f"{k} {v}" for k, v in history.items()),
        )


def make_checks(rows, summary, before, db, server, crons):
    checks = []

    def check(name, ok, detail):
        checks.append({"check": name, "ok": bool(ok), "detail": detail})

    errors, messages = summary["errors"], summary["messages"]
    idle = [
        f"{result['role']} {result['login']}"
        for result in summary["results"]
        if not any(sample[0] != "login" for sample in result["samples"])
    ]
    check(
        "every client worked",
        not idle,
        f"{len(summary['results']) - len(idle)} of {len(summary['results'])}"
        + (f"; idle: {', '.join(idle)}" if idle else ""),
    )
    check("no error", not errors, f"{sum(errors.values())} failed requests")
    for kind in LIST_KINDS:
        if kind in rows:
            check(
                f"p95 of '{kind}' ≤ {LIST_P95_SECONDS:g} s",
                rows[kind]["p95"] <= LIST_P95_SECONDS,
                f"p95 {rows[kind]['p95']:.3f} s over {rows[kind]['count']} requests",
            )
    client_concurrency = sum(
        count
        for key, count in errors.items()
        if CONCURRENCY.search(key + messages[key])
    )
    if server:
        server_checks(check, server, crons, client_concurrency)
    check(
        "no duplicate (member, year) / (organisation, year)",
        not any(db["duplicates"].values()),
        ", ".join(f"{table} {n}" for table, n in db["duplicates"].items())
        + f"; unique constraints on {', '.join(db['unique_constraints'])}",
    )
    approval_checks(check, summary, before, db)
    return checks


def print_pg(database_log):
    log("")
    log("PostgreSQL: statements over 200 ms during the load, by total time:")
    for row in database_log["slow statements"][:10]:
        log(
            f"  {row['count']:>4} × total {row['total']:>6.1f}s max {row['max']:>5.2f}s"
            f"  {row['statement'][:150]}"
        )
    for error, count in sorted(database_log["errors"].items()):
        log(f"  {count} × {error}")


def print_summary(args, summary, loads, server, crons, checks):
    requests_made = len(summary["load_samples"])
    log("")
    log(
        f"overall: {requests_made} requests in {args.duration:g} s = "
        f"{requests_made / args.duration:.2f} req/s; load average during the"
        f" run {min(x for _t, x in loads):.2f}–{max(x for _t, x in loads):.2f}"
        f" ({os.cpu_count()} CPUs)"
    )
    if server:
        log(
            f"server log: {server['records']} records; "
            f"{len(server['concurrency failures'])} concurrency failures, "
            f"{server['unretried']} not retried; "
            f"{sum(server['tracebacks'].values())} tracebacks"
        )
        names = {name for _id, _xmlid, name in crons}
        others = 0
        for run in server["cron runs"]:
            if run["cron"] not in names:
                others += 1
                continue
            state = {True: "done", False: "FAILED", None: "unfinished"}[run["ok"]]
            log(
                f"  cron {run['cron']!r} (pid {run['pid']}): "
                f"{run['start']} → {run['end']} s, {state}"
            )
        log(f"  {others} runs of Odoo's own crons")
        log("")
        log("time in the worker (from the server log: SQL + Python, no queueing):")
        log(
            f"  {'request':<62} {'count':>6} {'queries':>7} {'sql p50':>7} "
            f"{'p50':>7} {'p95':>7} {'max':>7}"
        )
        for path, row in server["requests handled"].items():
            log(
                f"  {path[:62]:<62} {row['count']:>6} {row['queries']:>7.0f} "
                f"{row['sql_p50']:>6.3f}s {row['p50']:>6.3f}s {row['p95']:>6.3f}s "
                f"{row['max']:>6.2f}s"
            )
        log("")
        for failure in server["concurrency failures"]:
            log(
                f"  concurrency failure at {failure['at']} s (pid {failure['pid']}):"
                f" {failure['error']}; {failure['outcome']}; {failure['query']}"
            )
        for key, count in sorted(server["errors and warnings"].items()):
            log(f"  {count} × {key}")
    log("")
    for item in checks:
        log(f"{'PASS' if item['ok'] else 'FAIL'}  {item['check']}: {item['detail']}")


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    users = json.loads(Path(args.users).read_text())
    connection = connect(args.pg)
    cr = connection.cursor()
    crons = addon_crons(cr)
    before = state_counts(cr, users["year"])
    since = db_now(cr)
    log_offset = os.path.getsize(args.server_log) if args.server_log else 0
    pg_offset = os.path.getsize(args.pg_log) if args.pg_log else 0

    results, origin, loads, elapsed = drive(args, users, cr, crons)

    summary = collect(results)
    server = None
    if args.server_log:
        server = analyse_log(args.server_log, log_offset, origin)
    worker = server.pop("worker seconds by tag") if server else None
    rows = kind_table(summary["samples"], args.duration, worker)
    print_table(rows, len(summary["load_samples"]), args.duration)
    print_details(summary)
    db = database_state(cr, users, since)
    database_log = analyse_pg_log(args.pg_log, pg_offset) if args.pg_log else None
    if database_log:
        print_pg(database_log)
    checks = make_checks(rows, summary, before, db, server, crons)
    print_summary(args, summary, loads, server, crons, checks)
    ok = all(item["ok"] for item in checks)
    if args.json:
        document = {
            "members": users.get("members"),
            "year": users["year"],
            "duration": args.duration,
            "elapsed": elapsed,
            "think": args.think,
            "clients": summary["clients"],
            "cpus": os.cpu_count(),
            "load_average": loads,
            "kinds": rows,
            "requests": len(summary["load_samples"]),
            "rps": len(summary["load_samples"]) / args.duration,
            "errors": {
                key: [count, summary["messages"][key][-1500:]]
                for key, count in summary["errors"].items()
            },
            "approvals": {k: dict(v) for k, v in summary["approvals"].items()},
            "exports": summary["exports"],
            "states_before": before,
            "states_after": db["after"],
            "duplicates": db["duplicates"],
            "unique_constraints": db["unique_constraints"],
            "approval_history": db["histories"],
            "server_log": server,
            "postgres_log": database_log,
            "checks": checks,
            "ok": ok,
        }
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(document, indent=2, default=str))
        log(f"results written to {args.json}")
    connection.close()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
