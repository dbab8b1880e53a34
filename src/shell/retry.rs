//! Capped exponential backoff with jitter, for SMTP retries and reconnects.
use std::time::Duration;

/// `base * 2^attempt`, capped, plus up to 25 % jitter so many failures do not retry in lockstep.
pub fn delay(attempt: u32, base: Duration, cap: Duration) -> Duration {
    let exp = base.saturating_mul(1u32 << attempt.min(20)).min(cap);
    let mut b = [0u8; 2];
    getrandom::fill(&mut b).expect("the OS random source works");
    let jitter = exp.mul_f64(u16::from_le_bytes(b) as f64 / u16::MAX as f64 / 4.0);
    exp + jitter
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_then_stays_under_the_cap_plus_jitter() {
        let (base, cap) = (Duration::from_secs(1), Duration::from_secs(300));
        assert!(delay(0, base, cap) >= base && delay(0, base, cap) <= base.mul_f64(1.25));
        assert!(delay(3, base, cap) >= Duration::from_secs(8));
        for a in [9, 10, 30, 1000] {
            let d = delay(a, base, cap);
            assert!(d >= cap && d <= cap.mul_f64(1.25), "{a}: {d:?}");
        }
    }
}
