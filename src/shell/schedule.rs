//! When the sweep fires: a cron expression read as local wall-clock time in `sweep.timezone`.
//!
//! The expression is evaluated on local wall-clock times, then each time is
//! placed on the timeline: a time that a DST change repeats runs once (the
//! first), and a time that a DST change skips runs once, as the same wall
//! time in the offset before the change (02:30 on the spring-forward night in
//! Paris runs at 03:30 CEST, one hour after 01:30 CET's successor would be).
use chrono::{DateTime, Duration, LocalResult, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

/// The first scheduled instant strictly after `after`.
pub fn next_after(schedule: &cron::Schedule, tz: Tz, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
    // Start a little before `after`'s wall time: around a fall-back change the
    // wall clock goes backwards, so a later instant can have an earlier wall time.
    let wall = after.with_timezone(&tz).naive_local() - Duration::hours(3);
    schedule
        .after(&Utc.from_utc_datetime(&wall))
        .take(10_000)
        .map(|candidate| place(tz, candidate.naive_utc()))
        .find(|t| *t > after)
}

/// The instant of a local wall time.
fn place(tz: Tz, wall: NaiveDateTime) -> DateTime<Utc> {
    match tz.from_local_datetime(&wall) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(first, _) => first.with_timezone(&Utc),
        LocalResult::None => {
            // In a gap: read the wall time with the offset in force just before it.
            let before = (1..=24 * 4)
                .map(|q| wall - Duration::minutes(15 * q))
                .find_map(|w| tz.from_local_datetime(&w).earliest())
                .expect("a DST gap is shorter than a day");
            let offset = before.naive_local() - before.naive_utc();
            Utc.from_utc_datetime(&(wall - offset))
        }
    }
}

/// Whether a sweep is owed: none completed since the last scheduled time before `now`.
pub fn missed(schedule: &cron::Schedule, tz: Tz, last_completed: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    match last_completed {
        None => true,
        Some(last) => next_after(schedule, tz, last).is_some_and(|t| t <= now),
    }
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn runs(expr: &str, tz: &str, from: &str, n: usize) -> Vec<String> {
        let s = cron::Schedule::from_str(expr).unwrap();
        let tz = Tz::from_str(tz).unwrap();
        let mut t = at(from);
        let mut out = Vec::new();
        for _ in 0..n {
            t = next_after(&s, tz, t).unwrap();
            out.push(crate::request::rfc3339(t));
        }
        out
    }

    #[test]
    fn paris_0230_runs_once_a_night_across_the_spring_change() {
        // 29 March 2026: 02:00 CET jumps to 03:00 CEST; 02:30 does not exist.
        assert_eq!(
            runs("0 30 2 * * *", "Europe/Paris", "2026-03-27T12:00:00Z", 4),
            ["2026-03-28T01:30:00Z", "2026-03-29T01:30:00Z", "2026-03-30T00:30:00Z", "2026-03-31T00:30:00Z"]
        );
    }

    #[test]
    fn paris_0230_runs_once_a_night_across_the_autumn_change() {
        // 25 October 2026: 03:00 CEST falls back to 02:00 CET; 02:30 happens twice.
        assert_eq!(
            runs("0 30 2 * * *", "Europe/Paris", "2026-10-23T12:00:00Z", 4),
            ["2026-10-24T00:30:00Z", "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z", "2026-10-27T01:30:00Z"]
        );
    }

    #[test]
    fn utc_schedules_are_plain() {
        assert_eq!(
            runs("0 0 2 * * *", "UTC", "2026-11-23T02:00:00Z", 2),
            ["2026-11-24T02:00:00Z", "2026-11-25T02:00:00Z"]
        );
    }

    #[test]
    fn a_missed_night_is_caught_up() {
        let s = cron::Schedule::from_str("0 0 2 * * *").unwrap();
        let now = at("2026-11-23T10:00:00Z");
        assert!(missed(&s, Tz::UTC, None, now));
        assert!(missed(&s, Tz::UTC, Some(at("2026-11-22T02:00:00Z")), now));
        assert!(!missed(&s, Tz::UTC, Some(at("2026-11-23T02:00:05Z")), now));
    }
}
