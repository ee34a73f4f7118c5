#!/usr/bin/env bash
# Times `slaudit build` of a ServiceNow incident event log with a business calendar and
# pauses on: a release build, a project written by `slaudit init` in a temporary folder,
# then RUNS builds, each reporting its wall time and peak memory.
#
#   benches/build.sh EXPORT.csv [RUNS]
#
# EXPORT.csv is the UCI "Incident management process enriched event log" (141,712 rows;
# see benches/README.md). The last run also prints the build's phase timings (SLAUDIT_LOG=1).
set -euo pipefail

if [[ $# -lt 1 || ! -f $1 ]]; then
    echo "usage: benches/build.sh EXPORT.csv [RUNS]: EXPORT.csv must be a ServiceNow event log" >&2
    exit 2
fi
export_file=$(realpath "$1")
runs=${2:-5}
cd "$(dirname "$0")/.."

cargo build --release --locked --quiet
binary=$(realpath target/release/slaudit)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$binary" init "$work/project" --preset servicenow --tickets "$export_file" \
    --timezone Europe/London 2>/dev/null
config="$work/project/slaudit.toml"
# Keep init's [project], [tickets] and 24×7 calendar; replace its example targets with
# office-hour targets for P3 to P5 that pause in the ServiceNow awaiting statuses.
sed -i '/^# Example targets/,$d' "$config"
cat >> "$config" <<'TOML'
[calendars.office]
timezone = "Europe/London"
hours = { mon-fri = "08:00-12:30, 13:30-18:00" }
holidays = ["2016-03-25", "2016-03-28", "2016-05-02", "2016-05-30", "2016-08-29",
            "2016-12-26", "2016-12-27", "2017-01-02"]
half_days = { "2016-12-23" = "08:00-12:30" }

[[sla]]
priority = "P1"
calendar = "always"
response = "15m"
resolution = "4h"

[[sla]]
priority = "P2"
calendar = "always"
response = "30m"
resolution = "8h"

[[sla]]
priority = ["P3", "P4", "P5"]
calendar = "office"
response = "4h"
resolution = "3bd"
pause.resolution = ["Awaiting User Info", "Awaiting Vendor", "Awaiting Problem", "Awaiting Evidence"]
TOML

measure() {
    if [[ -x /usr/bin/time ]]; then
        /usr/bin/time -f "wall %e s, max RSS %M KiB" "$@"
    else
        local start=$EPOCHREALTIME
        "$@"
        echo "wall $(echo "$EPOCHREALTIME - $start" | bc) s (max RSS not measured: no /usr/bin/time)" >&2
    fi
}

echo "slaudit build of $(basename "$export_file"), $runs runs:" >&2
for run in $(seq "$runs"); do
    rm -rf "$work/site"
    if [[ $run -eq $runs ]]; then
        SLAUDIT_LOG=1 measure "$binary" build "$work/project" --as-of 2017-03-01 --out "$work/site"
    else
        measure "$binary" build "$work/project" --as-of 2017-03-01 --out "$work/site" 2>&1 |
            grep -v '^slaudit: wrote' >&2
    fi
done
