//! Calendar query speed: `open_seconds` and `due` on a three-year business calendar.
//!
//! The calendar is Mon–Fri 08:00–12:00 and 13:00–17:00 in Europe/London for 2024–2026, with
//! ten holidays and one half day a year. Queries are a fixed pseudo-random set of one million
//! start instants in those years, with spans from a minute to five weeks (uniform on a log
//! scale). Each measured iteration runs the set ten times, so one iteration is 10,000,000
//! queries and the time per query is the iteration time divided by 10,000,000.
//!
//! Run with `cargo bench --bench calendar`; results are recorded in benches/README.md.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use slaudit::clock::Calendar;
use slaudit::config::{BusinessDuration, CalendarConfig};

const QUERY_SET: usize = 1_000_000;
const ROUNDS: usize = 10;

const OFFICE: &str = r#"
timezone = "Europe/London"
hours = { mon-fri = "08:00-12:00, 13:00-17:00" }
holidays = [
    "2024-01-01", "2024-03-29", "2024-04-01", "2024-05-06", "2024-05-27",
    "2024-08-26", "2024-12-23", "2024-12-25", "2024-12-26", "2024-12-27",
    "2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05", "2025-05-26",
    "2025-08-25", "2025-12-22", "2025-12-25", "2025-12-26", "2025-12-29",
    "2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25",
    "2026-08-31", "2026-12-23", "2026-12-25", "2026-12-28", "2026-12-29",
]
half_days = { "2024-12-24" = "08:00-12:00", "2025-12-24" = "08:00-12:00", "2026-12-24" = "08:00-12:00" }
"#;

/// 2024-01-01T00:00:00Z and 2027-01-01T00:00:00Z.
const FIRST: i64 = 1_704_067_200;
const LAST: i64 = 1_798_761_600;

fn office() -> Calendar {
    let config: CalendarConfig = toml::from_str(OFFICE).expect("valid calendar config");
    let (calendar, warnings) =
        Calendar::from_config("office", &config, Path::new("."), (FIRST, LAST))
            .expect("valid calendar");
    assert!(warnings.is_empty(), "{warnings:?}");
    calendar
}

/// SplitMix64: a fixed sequence, so every run measures the same queries.
struct Sequence(u64);

impl Sequence {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Draws a float uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Draws a span from `low` to `high` seconds, uniform on a log scale.
    fn span(&mut self, low: f64, high: f64) -> i64 {
        (low.ln() + self.unit() * (high.ln() - low.ln())).exp() as i64
    }
}

/// Start instants with spans from a minute to five weeks.
fn query_pairs() -> Vec<(i64, i64)> {
    let mut sequence = Sequence(2024);
    let longest = 35.0 * 86_400.0;
    (0..QUERY_SET)
        .map(|_| {
            let from = FIRST + (sequence.next() % (LAST - FIRST - longest as i64) as u64) as i64;
            (from, from + sequence.span(60.0, longest))
        })
        .collect()
}

/// Start instants with targets from a minute to two weeks of open time.
fn due_queries() -> Vec<(i64, BusinessDuration)> {
    query_pairs()
        .into_iter()
        .map(|(from, to)| {
            let seconds = ((to - from) * 2 / 5).max(60);
            (from, BusinessDuration::Open(seconds))
        })
        .collect()
}

fn calendar_queries(criterion: &mut Criterion) {
    let calendar = office();
    let pairs = query_pairs();
    let targets = due_queries();
    let business_days: Vec<(i64, BusinessDuration)> = pairs
        .iter()
        .map(|(from, to)| (*from, BusinessDuration::BusinessDays(1 + (to % 10) as u32)))
        .collect();

    let mut group = criterion.benchmark_group("calendar");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .measurement_time(Duration::from_secs(20))
        .throughput(Throughput::Elements((QUERY_SET * ROUNDS) as u64));
    group.bench_function("open_seconds", |bench| {
        bench.iter(|| {
            let mut total = 0i64;
            for _ in 0..ROUNDS {
                for &(from, to) in &pairs {
                    total =
                        total.wrapping_add(calendar.open_seconds(black_box(from), black_box(to)));
                }
            }
            total
        })
    });
    group.bench_function("due_open", |bench| {
        bench.iter(|| {
            let mut total = 0i64;
            for _ in 0..ROUNDS {
                for &(start, target) in &targets {
                    total = total.wrapping_add(calendar.due(black_box(start), black_box(target)));
                }
            }
            total
        })
    });
    group.bench_function("due_business_days", |bench| {
        bench.iter(|| {
            let mut total = 0i64;
            for _ in 0..ROUNDS {
                for &(start, target) in &business_days {
                    total = total.wrapping_add(calendar.due(black_box(start), black_box(target)));
                }
            }
            total
        })
    });
    group.finish();
}

criterion_group!(benches, calendar_queries);
criterion_main!(benches);
