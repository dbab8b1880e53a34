//! Wrong passwords from one address: each answered a little later than the last, then refused for a while.
//!
//! Kept in memory (a restart forgets it; the lockout is short anyway), time
//! passed in. An IPv6 client counts by its /64, which one host usually holds whole.
use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::time::{Duration, Instant};

/// Failures that lock an address out, within `WINDOW`.
pub const MAX_FAILURES: usize = 5;
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
pub const LOCKOUT: Duration = Duration::from_secs(15 * 60);
/// Each earlier failure in the window adds this much to the answer to the next one.
const STEP: Duration = Duration::from_millis(250);
/// Addresses remembered at most; past it the stale ones are forgotten first.
const CAPACITY: usize = 10_000;

#[derive(Debug, Default)]
struct Record {
    failures: VecDeque<Instant>,
    locked_until: Option<Instant>,
}

impl Record {
    fn forget_before(&mut self, now: Instant) {
        while self.failures.front().is_some_and(|t| now.duration_since(*t) >= WINDOW) {
            self.failures.pop_front();
        }
        if self.locked_until.is_some_and(|u| now >= u) {
            self.locked_until = None;
        }
    }

    fn stale(&self) -> bool {
        self.failures.is_empty() && self.locked_until.is_none()
    }
}

/// What a sign-in attempt from an address may do now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    /// Refused without looking at the password, for this long still.
    Refused(Duration),
}

#[derive(Debug, Default)]
pub struct Limiter {
    records: HashMap<IpAddr, Record>,
}

/// The address a client counts as.
fn key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6((u128::from(v6) & !((1u128 << 64) - 1)).into()),
        },
        v4 => v4,
    }
}

impl Limiter {
    /// Before the password is checked.
    pub fn check(&mut self, ip: IpAddr, now: Instant) -> Verdict {
        let Some(r) = self.records.get_mut(&key(ip)) else { return Verdict::Allowed };
        r.forget_before(now);
        match r.locked_until {
            Some(until) => Verdict::Refused(until - now),
            None => Verdict::Allowed,
        }
    }

    /// A wrong password: how long to hold the answer back. The
    /// `MAX_FAILURES`th within `WINDOW` locks the address out for `LOCKOUT`.
    pub fn failed(&mut self, ip: IpAddr, now: Instant) -> Duration {
        if self.records.len() >= CAPACITY {
            self.records.retain(|_, r| {
                r.forget_before(now);
                !r.stale()
            });
        }
        if self.records.len() >= CAPACITY {
            // Still full of live records: the one whose last failure is oldest goes.
            let oldest = self.records.iter().min_by_key(|(_, r)| r.failures.back().copied()).map(|(k, _)| *k);
            if let Some(k) = oldest {
                self.records.remove(&k);
            }
        }
        let r = self.records.entry(key(ip)).or_default();
        r.forget_before(now);
        r.failures.push_back(now);
        if r.failures.len() >= MAX_FAILURES {
            r.locked_until = Some(now + LOCKOUT);
            r.failures.clear();
        }
        STEP * (r.failures.len().saturating_sub(1)) as u32
    }

    /// The right password: the address starts afresh.
    pub fn succeeded(&mut self, ip: IpAddr) {
        self.records.remove(&key(ip));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn wrong_passwords_are_slowed_then_refused_for_a_while() {
        let (mut l, t0, a) = (Limiter::default(), Instant::now(), ip("192.0.2.7"));
        let mut delays = Vec::new();
        for i in 0..4 {
            assert_eq!(l.check(a, t0 + Duration::from_secs(i)), Verdict::Allowed);
            delays.push(l.failed(a, t0 + Duration::from_secs(i)));
        }
        assert_eq!(delays, [Duration::ZERO, STEP, STEP * 2, STEP * 3], "each later than the last");
        l.failed(a, t0 + Duration::from_secs(4));
        let at = t0 + Duration::from_secs(5);
        assert_eq!(l.check(a, at), Verdict::Refused(LOCKOUT - Duration::from_secs(1)));
        assert_eq!(l.check(ip("192.0.2.8"), at), Verdict::Allowed, "another address is not held back");
        assert!(matches!(
            l.check(a, t0 + Duration::from_secs(4) + LOCKOUT - Duration::from_millis(1)),
            Verdict::Refused(_)
        ));
        assert_eq!(
            l.check(a, t0 + Duration::from_secs(4) + LOCKOUT),
            Verdict::Allowed,
            "and after a while, allowed again"
        );
        assert_eq!(l.failed(a, t0 + Duration::from_secs(4) + LOCKOUT), Duration::ZERO, "afresh");
    }

    #[test]
    fn failures_spread_beyond_the_window_never_lock_out() {
        let (mut l, t0, a) = (Limiter::default(), Instant::now(), ip("192.0.2.7"));
        for i in 0..20u32 {
            let at = t0 + WINDOW / 4 * i;
            assert_eq!(l.check(a, at), Verdict::Allowed, "failure {i}");
            l.failed(a, at);
        }
    }

    #[test]
    fn the_right_password_starts_the_address_afresh() {
        let (mut l, t0, a) = (Limiter::default(), Instant::now(), ip("192.0.2.7"));
        for _ in 0..4 {
            l.failed(a, t0);
        }
        l.succeeded(a);
        assert_eq!(l.failed(a, t0), Duration::ZERO);
    }

    #[test]
    fn an_ipv6_client_counts_by_its_64_and_an_ipv4_mapped_one_as_itself() {
        let (mut l, t0) = (Limiter::default(), Instant::now());
        for i in 0..MAX_FAILURES {
            l.failed(ip(&format!("2001:db8:1:2::{i:x}")), t0);
        }
        assert!(matches!(l.check(ip("2001:db8:1:2:ffff::1"), t0), Verdict::Refused(_)));
        assert_eq!(l.check(ip("2001:db8:1:3::1"), t0), Verdict::Allowed);
        for _ in 0..MAX_FAILURES {
            l.failed(ip("::ffff:192.0.2.9"), t0);
        }
        assert!(matches!(l.check(ip("192.0.2.9"), t0), Verdict::Refused(_)));
    }

    #[test]
    fn memory_stays_bounded_under_many_addresses() {
        let (mut l, t0) = (Limiter::default(), Instant::now());
        for i in 0..(CAPACITY as u32 + 50) {
            l.failed(IpAddr::V4(i.into()), t0);
        }
        assert!(l.records.len() <= CAPACITY);
    }
}
