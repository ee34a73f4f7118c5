#!/usr/bin/env python3
"""Write fictional survey answers for the resolved incidents of a ServiceNow event log.

The output has the format of the file `slaudit serve` appends to: a header
`ticket_id,submitted_at,rating,comment`, one record per answer in the order received, times
in UTC, ratings 1 to 5, and cells a spreadsheet would run as a formula prefixed with `'`.
Every value is invented. The same seed and arguments always give the same bytes.

    python3 benches/survey_answers.py --incidents data/incidents.csv \
        --timezone Europe/London --out data/surveys.csv

About one resolved incident in eight gets an answer, a day or so after its resolution, unless
that falls after the as-of time.
Incidents resolved more slowly than the generator's targets get lower ratings. Some
requesters answer a second time within the seven-day edit window, most low scores carry a
comment (one of them hostile: markup, a formula and a line break), and one answer is for
an incident that is not in the export.
"""

import argparse
import csv
import datetime as dt
import random
import sys
from zoneinfo import ZoneInfo

# Resolution targets in minutes by priority level, as servicenow_log.py and data/slaudit.toml set them.
RESOLUTION_TARGETS = {1: 240, 2: 480, 3: 3 * 1440, 4: 5 * 1440, 5: 5 * 1440}

# Rating weights (1 to 5) for incidents resolved within and after their target.
WITHIN_TARGET = [(1, 3), (2, 4), (3, 9), (4, 30), (5, 54)]
OVER_TARGET = [(1, 16), (2, 20), (3, 22), (4, 24), (5, 18)]

LOW_COMMENTS = [
    "Took days to hear back from anyone.",
    "The fix did not last; the same problem came back the next morning.",
    "I had to explain the problem three times to three people.",
    "Closed without asking me whether it worked.",
    "Nobody told me the ticket was waiting for me.",
    "Still cannot print from the third floor.",
    "The VPN drops every hour, as before.",
    "Password reset took half a day. I could not work.",
    "Polite, but slow.",
    "The engineer never turned up to the appointment.",
]
MIDDLE_COMMENTS = [
    "Fixed in the end, but it took a while.",
    "OK.",
    "Fine once the right team had it.",
    "Had to chase twice.",
]
HIGH_COMMENTS = [
    "Quick and friendly, thank you!",
    "Sorted within the hour.",
    "Great service, explained everything clearly.",
    "Thanks, the engineer was very patient.",
    "Perfect.",
    "Much faster than last time.",
]
# A comment that must stay text everywhere: markup for the site, a formula for spreadsheets,
# and a line break for the CSV.
HOSTILE_COMMENT = '=HYPERLINK("https://example.com/claim","Claim") <script>alert("survey")</script>\nStill waiting for my laptop.'
UNKNOWN_TICKET = "INC0999001"


def weighted(rng, pairs):
    total = sum(weight for _, weight in pairs)
    pick = rng.uniform(0, total)
    for value, weight in pairs:
        pick -= weight
        if pick <= 0:
            return value
    return pairs[-1][0]


def neutralise(cell):
    """Prefix a cell a spreadsheet would run as a formula, as slaudit serve does."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r", "'") else cell


def parse_local(text, zone):
    day, month, rest = text.split("/", 2)
    year, clock = rest.split(" ")
    hour, minute = clock.split(":")
    local = dt.datetime(int(year), int(month), int(day), int(hour), int(minute), tzinfo=zone)
    return local.astimezone(dt.timezone.utc)


def resolved_incidents(path, zone):
    """Return (number, opened, resolved, priority level) of each incident resolved on its last row."""
    last = {}
    with open(path, newline="") as handle:
        for row in csv.DictReader(handle):
            number = row["number"]
            sequence = int(row["sys_mod_count"])
            if number not in last or sequence >= last[number][0]:
                last[number] = (sequence, row)
    incidents = []
    for number in sorted(last):
        row = last[number][1]
        if row["resolved_at"] == "?":
            continue
        level = int(row["priority"][0]) if row["priority"][:1].isdigit() else 3
        incidents.append((number, parse_local(row["opened_at"], zone), parse_local(row["resolved_at"], zone), level))
    return incidents


def comment_for(rng, rating):
    if rating <= 2:
        return rng.choice(LOW_COMMENTS) if rng.random() < 0.75 else ""
    if rating == 3:
        return rng.choice(MIDDLE_COMMENTS) if rng.random() < 0.4 else ""
    return rng.choice(HIGH_COMMENTS) if rng.random() < 0.25 else ""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", default="data/incidents.csv")
    parser.add_argument("--timezone", default="Europe/London", help="zone of the export's times")
    parser.add_argument("--share", type=float, default=0.125, help="share of resolved incidents answered")
    parser.add_argument("--as-of", default="2026-10-01T09:00", help="local time; later answers are not written")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", default="-")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    zone = ZoneInfo(args.timezone)
    answers = []
    hostile_written = False
    for number, opened, resolved, level in resolved_incidents(args.incidents, zone):
        if rng.random() >= args.share:
            continue
        over_target = (resolved - opened).total_seconds() / 60 > RESOLUTION_TARGETS[level]
        rating = weighted(rng, OVER_TARGET if over_target else WITHIN_TARGET)
        delay = dt.timedelta(seconds=max(300, int(rng.expovariate(1 / (20 * 3600)))))
        submitted = resolved + delay
        comment = comment_for(rng, rating)
        if rating == 1 and not hostile_written:
            comment = HOSTILE_COMMENT
            hostile_written = True
        answers.append((submitted, number, rating, comment))
        if rng.random() < 0.08:
            # The requester changes their answer within the seven-day edit window.
            again = submitted + dt.timedelta(seconds=rng.randrange(3600, 5 * 86400))
            changed = max(1, min(5, rating + rng.choice([-2, -1, 1, 1, 2])))
            answers.append((again, number, changed, comment_for(rng, changed)))
    # An answer for an incident that was later deleted from the help desk.
    first = min(answers)[0]
    answers.append((first + dt.timedelta(days=3, seconds=1234), UNKNOWN_TICKET, 4, "Thanks."))
    as_of = dt.datetime.fromisoformat(args.as_of).replace(tzinfo=zone)
    answers = sorted(answer for answer in answers if answer[0] <= as_of)

    out = sys.stdout if args.out == "-" else open(args.out, "w", newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["ticket_id", "submitted_at", "rating", "comment"])
    for submitted, number, rating, comment in answers:
        stamp = submitted.strftime("%Y-%m-%dT%H:%M:%SZ")
        writer.writerow([neutralise(number), stamp, rating, neutralise(comment)])
    if out is not sys.stdout:
        out.close()


if __name__ == "__main__":
    main()
