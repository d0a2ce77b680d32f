//! Latency percentiles.

use std::time::Duration;

/// The `p`-th percentile (0 < p ≤ 100) by nearest rank, or zero for no samples.
///
/// `sorted` must be in ascending order.
///
/// ```
/// use std::time::Duration;
/// let ms = |n| Duration::from_millis(n);
/// let sorted: Vec<_> = (1..=100).map(ms).collect();
/// assert_eq!(fabric_contract_bench::stats::percentile(&sorted, 50.0), ms(50));
/// assert_eq!(fabric_contract_bench::stats::percentile(&sorted, 99.0), ms(99));
/// ```
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_on_small_sets() {
        let us = |n| Duration::from_micros(n);
        assert_eq!(percentile(&[], 50.0), Duration::ZERO);
        assert_eq!(percentile(&[us(7)], 99.0), us(7));
        let sorted = [us(1), us(2), us(3), us(4)];
        assert_eq!(percentile(&sorted, 50.0), us(2));
        assert_eq!(percentile(&sorted, 99.0), us(4));
    }
}
