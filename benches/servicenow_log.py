#!/usr/bin/env python3
"""Write a fictional ServiceNow incident event log: one row per update, 38 columns.

The layout follows a real ServiceNow audit export (the 36 columns of the UCI "Incident
management process enriched event log", unpadded d/m/yyyy HH:MM times, `?` for missing
values) plus two custom columns a client might add, u_verification_method and u_approved_by.
Every value is invented. The same seed and arguments always give the same bytes.

    python3 benches/servicenow_log.py --incidents 3000 --start 2026-07-01 --days 92 \
        --as-of 2026-10-01T09:00 --out data/incidents.csv

The sample project in data/ and the build benchmarks both use it.
"""

import argparse
import datetime as dt
import random
import sys

COLUMNS = [
    "number", "incident_state", "active", "reassignment_count", "reopen_count", "sys_mod_count",
    "made_sla", "caller_id", "opened_by", "opened_at", "sys_created_by", "sys_created_at",
    "sys_updated_by", "sys_updated_at", "contact_type", "location", "category", "subcategory",
    "u_symptom", "cmdb_ci", "impact", "urgency", "priority", "assignment_group", "assigned_to",
    "knowledge", "u_priority_confirmation", "notify", "problem_id", "rfc", "vendor", "caused_by",
    "closed_code", "resolved_by", "resolved_at", "closed_at", "u_verification_method",
    "u_approved_by",
]

LEVELS = {1: "1 - High", 2: "2 - Medium", 3: "3 - Low"}
PRIORITIES = {1: "1 - Critical", 2: "2 - High", 3: "3 - Moderate", 4: "4 - Low", 5: "5 - Planning"}
# ServiceNow's default priority lookup: impact + urgency - 1, capped at 5.
MATRIX = {(i, u): min(i + u - 1, 5) for i in (1, 2, 3) for u in (1, 2, 3)}

# Minutes of the generator's own targets, used to decide made_sla: (response, resolution).
TARGETS = {1: (15, 240), 2: (30, 480), 3: (240, 3 * 1440), 4: (480, 5 * 1440), 5: (1440, 10 * 1440)}

CATEGORIES = [
    ("Hardware", ["Laptop", "Desktop", "Printer", "Monitor", "Docking station"], "Field Services", 22),
    ("Software", ["Office suite", "ERP client", "Browser", "Licence"], "Applications", 24),
    ("Network", ["VPN", "Wi-Fi", "Switch", "DNS"], "Network", 14),
    ("Email", ["Mailbox full", "Delivery failure", "Calendar"], "Service Desk", 12),
    ("Password Reset", ["Domain account", "ERP account", "MFA token"], "Identity and Access", 16),
    ("Access Request", ["Shared drive", "ERP role", "VPN access", "Distribution list"], "Identity and Access", 12),
]
TEAMS = ["Service Desk", "Field Services", "Applications", "Network", "Identity and Access", "Vendor - Printers"]
CHANNELS = [("Phone", 45), ("Email", 25), ("Self service", 25), ("Walk-in", 5)]
VERIFICATION = ["MFA", "Callback", "In person"]
PAUSES = ["Awaiting User Info", "Awaiting User Info", "Awaiting Vendor", "Awaiting Problem", "Awaiting Evidence"]


def stamp(moment):
    return f"{moment.day}/{moment.month}/{moment.year} {moment.hour:02d}:{moment.minute:02d}"


def weighted(rng, pairs):
    total = sum(weight for _, weight in pairs)
    pick = rng.uniform(0, total)
    for value, weight in pairs:
        pick -= weight
        if pick <= 0:
            return value
    return pairs[-1][0]


def opening_time(rng, start, days):
    """Mostly weekday office hours, some evenings and weekends."""
    while True:
        day = start + dt.timedelta(days=rng.randrange(days))
        weekend = day.weekday() >= 5
        if weekend and rng.random() > 0.15:
            continue
        if rng.random() < 0.85:
            hour = rng.choice([8, 9, 9, 10, 10, 11, 11, 12, 13, 14, 14, 15, 15, 16, 17])
        else:
            hour = rng.randrange(24)
        return dt.datetime(day.year, day.month, day.day, hour, rng.randrange(60))


def incident(rng, number, start, days, as_of):
    opened = opening_time(rng, start, days)
    category, subcategories, team, _ = weighted(rng, [(c, c[3]) for c in CATEGORIES])
    subcategory = rng.choice(subcategories)
    if category == "Hardware" and subcategory == "Printer" and rng.random() < 0.6:
        team = "Vendor - Printers"
    impact = weighted(rng, [(1, 6), (2, 70), (3, 24)])
    urgency = weighted(rng, [(1, 8), (2, 66), (3, 26)])
    priority = MATRIX[(impact, urgency)]
    if rng.random() < 0.04:
        # A priority set by hand against the matrix.
        priority = max(1, min(5, priority + rng.choice([-1, 1])))
    if rng.random() < 0.01:
        priority = None
    caller = f"Caller {rng.randrange(1, 1800):04d}"
    channel = weighted(rng, CHANNELS)
    verification = "?"
    approver = "?"
    if category == "Password Reset":
        verification = rng.choice(VERIFICATION) if rng.random() < 0.9 else "?"
    if category == "Access Request":
        approver = f"Manager {rng.randrange(1, 90):03d}" if rng.random() < 0.88 else "?"

    response_target, resolution_target = TARGETS[priority or 3]
    # Most tickets finish well inside their targets; a few teams and a late quarter slip.
    slow = 0.025
    if team == "Vendor - Printers":
        slow += 0.10
    if team == "Network" and opened.month >= 7:
        slow += 0.08
    if priority == 1:
        slow = 0.06
    if channel == "Email" and opened.hour >= 18:
        slow += 0.10
    def duration(target, share):
        if rng.random() < slow:
            return int(target * rng.uniform(1.0, 3.0)) + 1
        return max(1, int(min(rng.expovariate(1 / (target * share)), target * 0.98)))
    respond_after = duration(response_target, 0.25)
    work = max(5, duration(resolution_target, 0.22))

    # The state history: (minutes after opening, state, group, assignee, priority).
    assignee = f"Agent {rng.randrange(1, 140):03d}"
    group = "Service Desk" if rng.random() < 0.5 else team
    steps = [(0, "New", group, "?", priority)]
    now = respond_after
    steps.append((now, "Active", group, assignee, priority))
    for _ in range(weighted(rng, [(0, 55), (1, 28), (2, 10), (3, 4), (4, 3)])):
        now += rng.randrange(10, max(11, work // 3))
        group = rng.choice([t for t in TEAMS if t != group])
        assignee = f"Agent {rng.randrange(1, 140):03d}"
        steps.append((now, "Active", group, assignee, priority))
    if group != team and rng.random() < 0.7:
        now += rng.randrange(5, 120)
        group = team
        steps.append((now, "Active", group, assignee, priority))
    if priority and rng.random() < 0.05:
        now += rng.randrange(5, 240)
        priority = max(1, min(5, priority + rng.choice([-1, 1, 1])))
        steps.append((now, "Active", group, assignee, priority))
    paused = 0
    if rng.random() < 0.3:
        now += rng.randrange(5, max(6, work // 2))
        pause = rng.randrange(30, 3 * 1440)
        steps.append((now, rng.choice(PAUSES), group, assignee, priority))
        now += pause
        paused += pause
        steps.append((now, "Active", group, assignee, priority))
    now += work
    steps.append((now, "Resolved", group, assignee, priority))
    if rng.random() < 0.04:
        now += rng.randrange(60, 2 * 1440)
        steps.append((now, "Active", group, assignee, priority))
        now += rng.randrange(30, 1440)
        steps.append((now, "Resolved", group, assignee, priority))
    resolved_minutes = now
    now += rng.randrange(3 * 1440, 5 * 1440)
    steps.append((now, "Closed", group, assignee, priority))

    response_target, resolution_target = TARGETS[priority or 3]
    made_sla = respond_after <= response_target and resolved_minutes - paused <= resolution_target
    if rng.random() < 0.05:
        made_sla = not made_sla
    drop_resolved = rng.random() < 0.03

    rows = []
    resolved_at = opened + dt.timedelta(minutes=resolved_minutes)
    closed_at = opened + dt.timedelta(minutes=now)
    created_by = f"Created by {rng.randrange(1, 40)}"
    opened_by = f"Opened by {rng.randrange(1, 40)}"
    location = f"Location {rng.randrange(1, 30)}"
    for sequence, (minutes, state, step_group, step_assignee, step_priority) in enumerate(steps):
        updated = opened + dt.timedelta(minutes=minutes)
        if updated > as_of:
            break
        last = sequence == len(steps) - 1 or opened + dt.timedelta(minutes=steps[sequence + 1][0]) > as_of
        done = state in ("Resolved", "Closed")
        rows.append({
            "number": number,
            "incident_state": state,
            "active": "false" if state == "Closed" else "true",
            "reassignment_count": str(sum(1 for k in range(1, sequence + 1) if steps[k][2] != steps[k - 1][2])),
            "reopen_count": str(sum(1 for k in range(1, sequence + 1) if steps[k - 1][1] == "Resolved" and steps[k][1] == "Active")),
            "sys_mod_count": str(sequence),
            "made_sla": "true" if made_sla else "false",
            "caller_id": caller,
            "opened_by": opened_by,
            "opened_at": stamp(opened),
            "sys_created_by": created_by,
            "sys_created_at": stamp(opened),
            "sys_updated_by": f"Updated by {rng.randrange(1, 200)}",
            "sys_updated_at": stamp(updated),
            "contact_type": channel,
            "location": location,
            "category": category,
            "subcategory": subcategory,
            "u_symptom": "?",
            "cmdb_ci": "?",
            "impact": LEVELS[impact],
            "urgency": LEVELS[urgency],
            "priority": PRIORITIES[step_priority] if step_priority else "?",
            "assignment_group": step_group,
            "assigned_to": step_assignee,
            "knowledge": "false",
            "u_priority_confirmation": "false",
            "notify": "Do Not Notify",
            "problem_id": "?",
            "rfc": "?",
            "vendor": "Printer vendor" if step_group == "Vendor - Printers" else "?",
            "caused_by": "?",
            "closed_code": "code 1" if done else "?",
            "resolved_by": step_assignee if done else "?",
            "resolved_at": stamp(resolved_at) if (done and not (last and drop_resolved)) else "?",
            "closed_at": stamp(closed_at) if state == "Closed" else "?",
            "u_verification_method": verification,
            "u_approved_by": approver,
        })
        if last:
            break
    return opened, rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=3000)
    parser.add_argument("--start", default="2026-07-01", help="first opening date")
    parser.add_argument("--days", type=int, default=92, help="days over which incidents open")
    parser.add_argument("--as-of", default="2026-10-01T09:00", help="updates after this are not exported")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", default="-")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    start = dt.date.fromisoformat(args.start)
    as_of = dt.datetime.fromisoformat(args.as_of)
    incidents = [incident(rng, "", start, args.days, as_of) for _ in range(args.incidents)]
    # Number incidents in opening order, as ServiceNow does.
    incidents.sort(key=lambda item: item[0])
    for index, (_, rows) in enumerate(incidents):
        for row in rows:
            row["number"] = f"INC{1000001 + index:07d}"
    out = sys.stdout if args.out == "-" else open(args.out, "w", newline="")
    out.write(",".join(COLUMNS) + "\n")
    for _, rows in incidents:
        for row in rows:
            out.write(",".join(row[column] for column in COLUMNS) + "\n")
    if out is not sys.stdout:
        out.close()


if __name__ == "__main__":
    main()
