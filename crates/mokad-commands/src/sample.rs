//! Random picks from a collection, for HRANDFIELD, SRANDMEMBER and SPOP.

use std::collections::HashSet;

use crate::server::random_seed;

/// Most bytes a reply to a negative count (picks with repetition) may take.
///
/// The count is the client's and Redis has no bound: Redis 7.0.15 answers
/// `HRANDFIELD key -4611686018427387903 WITHVALUES` by allocating until it dies. mokad refuses
/// such a count with `ERR value is out of range` once the reply would exceed this.
pub const REPLY_BUDGET: usize = 512 << 20;

/// Bytes a pick costs against [`REPLY_BUDGET`] beyond its data: the reply value holding it
/// and its RESP framing.
pub const PICK_OVERHEAD: usize = 48;

/// A small fast generator (SplitMix64), seeded per use; picks need to be unpredictable
/// enough for sampling, not cryptographic.
pub struct Rng(u64);

impl Rng {
    /// A generator seeded from the clock and a per-process counter.
    pub fn new() -> Self {
        Rng(random_seed())
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A position in `0..n` (`n > 0`), without modulo bias worth speaking of.
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }
}

impl Default for Rng {
    fn default() -> Self {
        Rng::new()
    }
}

/// `k` distinct positions out of `0..n` (`k <= n`), in random order.
///
/// Allocation is bounded by `n`, the collection's real size, never by a client's count.
pub fn distinct(rng: &mut Rng, n: usize, k: usize) -> Vec<usize> {
    let k = k.min(n);
    if k * 4 >= n {
        // A partial Fisher-Yates shuffle: the first k slots end up a uniform sample.
        let mut positions: Vec<usize> = (0..n).collect();
        for i in 0..k {
            let j = i + rng.below(n - i);
            positions.swap(i, j);
        }
        positions.truncate(k);
        positions
    } else {
        // Few picks out of many: rejection rarely retries (at most a quarter are taken).
        let mut seen = HashSet::with_capacity(k);
        let mut positions = Vec::with_capacity(k);
        while positions.len() < k {
            let i = rng.below(n);
            if seen.insert(i) {
                positions.push(i);
            }
        }
        positions
    }
}

/// `count` positions out of `0..n` (`n > 0`), repeats allowed, or `None` once the picks'
/// cost (`cost(position)` bytes of data each, plus [`PICK_OVERHEAD`]) would exceed
/// [`REPLY_BUDGET`].
pub fn with_repeats(rng: &mut Rng, n: usize, count: u64, cost: impl Fn(usize) -> usize) -> Option<Vec<usize>> {
    if count.saturating_mul(PICK_OVERHEAD as u64) > REPLY_BUDGET as u64 {
        return None;
    }
    let count = count as usize;
    // Grown as picks are made: the budget check above bounds the count, not the allocation.
    let mut positions = Vec::with_capacity(count.min(1024));
    let mut spent = 0usize;
    for _ in 0..count {
        let i = rng.below(n);
        spent += PICK_OVERHEAD + cost(i);
        if spent > REPLY_BUDGET {
            return None;
        }
        positions.push(i);
    }
    Some(positions)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn should_pick_distinct_positions_in_range() {
        let mut rng = Rng::new();
        for (n, k) in [(10, 0), (10, 1), (10, 3), (10, 10), (1000, 5), (1000, 999), (5, 9)] {
            let picks = distinct(&mut rng, n, k);
            assert_eq!(picks.len(), k.min(n));
            assert!(picks.iter().all(|&i| i < n));
            let unique: HashSet<_> = picks.iter().collect();
            assert_eq!(unique.len(), picks.len(), "n={n} k={k}");
        }
    }

    #[test]
    fn should_reach_every_position_eventually() {
        let mut rng = Rng::new();
        let mut seen = [false; 7];
        for _ in 0..500 {
            seen[rng.below(7)] = true;
        }
        assert!(seen.iter().all(|s| *s));
    }

    #[test]
    fn should_refuse_repeated_picks_past_the_reply_budget() {
        let mut rng = Rng::new();
        assert_eq!(with_repeats(&mut rng, 3, 5, |_| 1).map(|p| p.len()), Some(5));
        assert!(with_repeats(&mut rng, 3, u64::MAX / 2, |_| 1).is_none());
        let big = REPLY_BUDGET / 4;
        assert!(with_repeats(&mut rng, 3, 5, |_| big).is_none(), "large elements exhaust the budget sooner");
    }
}
