//! A business calendar's open intervals over a range of local days, as instants with running
//! totals of open seconds, so that open time between two instants takes two lookups.
//!
//! The table lists every open interval in order with the open seconds before it. A second
//! array maps each UTC day to the first interval that ends after that day starts, so finding
//! the interval around an instant is one index plus a step over at most one day's intervals.
//! Per local day it keeps a running count of open days for `bd` targets.

use chrono::{DateTime, LocalResult, TimeZone as _};
use chrono_tz::Tz;

use crate::time::{offset_at, Instant, DAY};

use super::rules::Rules;

/// Returns the first instant at which the wall clock in `zone` reads `local` (local seconds
/// since the epoch) or later.
///
/// This is the rule for window edges. A time that occurs once maps to that instant. A time
/// that occurs twice, in the hour the clocks go back, maps to its first occurrence. A time
/// that does not exist, in the hour the clocks go forward, maps to the instant of the jump,
/// when the wall clock first reads a later time.
pub(crate) fn first_instant_at_or_after(zone: Tz, local: i64) -> Instant {
    let Some(naive) = DateTime::from_timestamp(local, 0).map(|time| time.naive_utc()) else {
        return local;
    };
    match zone.from_local_datetime(&naive) {
        LocalResult::Single(time) => time.timestamp(),
        LocalResult::Ambiguous(first, second) => first.timestamp().min(second.timestamp()),
        LocalResult::None => end_of_gap(zone, local),
    }
}

/// Finds the instant the clocks jump forward over `local`, which does not exist in `zone`.
///
/// Every UTC offset in the time zone database is within ±16 hours, so the wall clock reads
/// earlier than `local` 18 hours before it and later 18 hours after. The search assumes one
/// forward jump in that range, which holds for every zone because transitions are months
/// apart.
fn end_of_gap(zone: Tz, local: i64) -> Instant {
    let mut before = local - 18 * 3_600;
    let mut after = local + 18 * 3_600;
    while after - before > 1 {
        let middle = before + (after - before) / 2;
        if middle + offset_at(zone, middle) >= local {
            after = middle;
        } else {
            before = middle;
        }
    }
    after
}

/// Returns the local day number (days since 1970-01-01 on the wall clock) at an instant.
pub(crate) fn local_day(zone: Tz, instant: Instant) -> i64 {
    local_seconds(zone, instant).div_euclid(DAY)
}

/// Local wall-clock seconds since the epoch at an instant.
pub(crate) fn local_seconds(zone: Tz, instant: Instant) -> i64 {
    instant + offset_at(zone, instant)
}

/// Whether any of the day's own windows has open time, which makes it an open day for `bd`
/// targets.
pub(crate) fn is_open_day(rules: &Rules, zone: Tz, day: i64) -> bool {
    rules.windows_on(day).iter().any(|window| {
        first_instant_at_or_after(zone, day * DAY + window.start)
            < first_instant_at_or_after(zone, day * DAY + window.end)
    })
}

#[derive(Debug, Clone, Copy)]
struct Interval {
    start: Instant,
    end: Instant,
    /// Open seconds in the table before `start`.
    open_before: i64,
}

/// Open intervals over a range of local days.
#[derive(Debug, Clone)]
pub(crate) struct Table {
    /// The day before the first covered day, listed for its overnight windows.
    first_day: i64,
    /// `open_days_before[k]` is the number of open days among the `k` days from `first_day`.
    open_days_before: Vec<u32>,
    cover_start: Instant,
    cover_end: Instant,
    /// Sorted, disjoint, clipped to `[cover_start, cover_end)`.
    intervals: Vec<Interval>,
    /// The day (offset from `first_day`) each interval's window belongs to.
    owners: Vec<u32>,
    /// The UTC day of `buckets[0]`.
    bucket_day: i64,
    /// `buckets[b]` is the first interval that ends after UTC day `bucket_day + b` starts.
    buckets: Vec<u32>,
}

impl Table {
    /// Builds the table for the local days `first..=last`. It covers the instants from the
    /// local midnight that starts `first` to the one that ends `last`, and includes the
    /// overnight windows of the day before `first`.
    pub fn build(rules: &Rules, zone: Tz, first: i64, last: i64) -> Table {
        let last = last.max(first);
        let first_day = first - 1;
        let cover_start = first_instant_at_or_after(zone, first * DAY);
        let cover_end = first_instant_at_or_after(zone, (last + 1) * DAY);
        let day_count = (last - first_day + 1) as usize;
        let mut intervals: Vec<Interval> = Vec::with_capacity(day_count * 2);
        let mut owners = Vec::with_capacity(day_count * 2);
        let mut open_days_before = Vec::with_capacity(day_count + 1);
        open_days_before.push(0);
        let mut open_total = 0;
        for day in first_day..=last {
            let mut open_day = false;
            for window in rules.windows_on(day) {
                let start = first_instant_at_or_after(zone, day * DAY + window.start);
                let end = first_instant_at_or_after(zone, day * DAY + window.end);
                if end <= start {
                    continue;
                }
                open_day = true;
                let (start, end) = (start.max(cover_start), end.min(cover_end));
                if end <= start {
                    continue;
                }
                debug_assert!(
                    intervals
                        .last()
                        .is_none_or(|previous| previous.end <= start),
                    "the config checks keep windows apart"
                );
                intervals.push(Interval {
                    start,
                    end,
                    open_before: open_total,
                });
                owners.push((day - first_day) as u32);
                open_total += end - start;
            }
            let open_days = open_days_before.last().copied().unwrap_or(0);
            open_days_before.push(open_days + u32::from(open_day));
        }

        let bucket_day = cover_start.div_euclid(DAY);
        let bucket_count = (cover_end.div_euclid(DAY) - bucket_day + 1) as usize;
        let mut buckets = Vec::with_capacity(bucket_count);
        let mut index = 0;
        for bucket in 0..bucket_count {
            let day_start = (bucket_day + bucket as i64) * DAY;
            while index < intervals.len() && intervals[index].end <= day_start {
                index += 1;
            }
            buckets.push(index as u32);
        }
        Table {
            first_day,
            open_days_before,
            cover_start,
            cover_end,
            intervals,
            owners,
            bucket_day,
            buckets,
        }
    }

    pub fn cover_start(&self) -> Instant {
        self.cover_start
    }

    pub fn cover_end(&self) -> Instant {
        self.cover_end
    }

    /// The first local day whose whole length the table covers.
    pub fn first_covered_day(&self) -> i64 {
        self.first_day + 1
    }

    /// The last local day the table lists.
    pub fn last_day(&self) -> i64 {
        self.first_day + self.open_days_before.len() as i64 - 2
    }

    /// Whether `instant` lies in `[cover_start, cover_end)`.
    pub fn covers(&self, instant: Instant) -> bool {
        self.cover_start <= instant && instant < self.cover_end
    }

    /// Whether the table lists `day`, with whether it is an open day.
    pub fn lists_day(&self, day: i64) -> bool {
        self.first_day <= day && day <= self.last_day()
    }

    /// Whether a listed day is an open day.
    pub fn is_open_day(&self, day: i64) -> bool {
        let index = (day - self.first_day) as usize;
        self.open_days_before[index + 1] > self.open_days_before[index]
    }

    /// Finds the index of the first interval that ends after `instant`.
    fn locate(&self, instant: Instant) -> usize {
        let bucket =
            (instant.div_euclid(DAY) - self.bucket_day).clamp(0, self.buckets.len() as i64 - 1);
        let mut index = self.buckets[bucket as usize] as usize;
        while index < self.intervals.len() && self.intervals[index].end <= instant {
            index += 1;
        }
        index
    }

    /// Open seconds in the whole table.
    pub fn total(&self) -> i64 {
        self.intervals
            .last()
            .map_or(0, |last| last.open_before + (last.end - last.start))
    }

    /// Open seconds from the table's start to `instant`, which must lie within
    /// `[cover_start, cover_end]`.
    pub fn open_until(&self, instant: Instant) -> i64 {
        match self.intervals.get(self.locate(instant)) {
            Some(interval) => interval.open_before + (instant - interval.start).max(0),
            None => self.total(),
        }
    }

    /// Finds the earliest instant at which `amount` (greater than zero) open seconds have
    /// passed since `instant`. Returns `None` when the table ends first.
    pub fn instant_after(&self, instant: Instant, amount: i64) -> Option<Instant> {
        let target = self.open_until(instant).checked_add(amount)?;
        if target > self.total() {
            return None;
        }
        let index = self.intervals.partition_point(|interval| {
            interval.open_before + (interval.end - interval.start) < target
        });
        let interval = self.intervals[index];
        Some(interval.start + (target - interval.open_before))
    }

    /// Finds the first open instant at or after `instant` and the day its window belongs
    /// to. Returns `None` when the table ends first.
    pub fn next_open(&self, instant: Instant) -> Option<(Instant, i64)> {
        let index = self.locate(instant);
        self.intervals.get(index).map(|interval| {
            (
                interval.start.max(instant),
                self.first_day + i64::from(self.owners[index]),
            )
        })
    }

    /// Finds the `n`-th open day after a listed day, for `n` of one or more. When the table
    /// ends first, returns how many open days remain to be counted after its last day.
    pub fn nth_open_day_after(&self, day: i64, n: u32) -> Result<i64, u32> {
        let index = (day - self.first_day) as usize;
        let needed = u64::from(self.open_days_before[index + 1]) + u64::from(n);
        let listed = u64::from(self.open_days_before.last().copied().unwrap_or(0));
        if needed > listed {
            return Err((needed - listed) as u32);
        }
        let after = self
            .open_days_before
            .partition_point(|&count| u64::from(count) < needed);
        Ok(self.first_day + after as i64 - 1)
    }

    /// Lists the open intervals that overlap `[from, to)`, clipped to it.
    pub fn open_intervals(
        &self,
        from: Instant,
        to: Instant,
    ) -> impl Iterator<Item = (Instant, Instant)> + '_ {
        self.intervals[self.locate(from)..]
            .iter()
            .take_while(move |interval| interval.start < to)
            .map(move |interval| (interval.start.max(from), interval.end.min(to)))
    }
}
