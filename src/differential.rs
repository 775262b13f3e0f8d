//! Differential tests: a reader of ours against the one it replaced, on
//! generated input.

use std::fmt::Debug;

/// Reads `n` inputs made by `make` (from a deterministic xorshift stream:
/// `next(k)` is below `k`) with `ours` and `theirs`, and asserts that they
/// agree on each, and that each outcome (read, refused) came more than a
/// tenth of the time, so that both were put to the test.
pub fn agree<I: Debug, O: PartialEq + Debug>(
    n: usize,
    mut make: impl FnMut(&mut dyn FnMut(usize) -> usize) -> I,
    ours: impl Fn(&I) -> Option<O>,
    theirs: impl Fn(&I) -> Option<O>,
) {
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = |k: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % k as u64) as usize
    };
    let (mut read, mut refused) = (0, 0);
    for _ in 0..n {
        let input = make(&mut next);
        let o = ours(&input);
        assert_eq!(o, theirs(&input), "{input:?}");
        if o.is_some() {
            read += 1;
        } else {
            refused += 1;
        }
    }
    assert!(
        read > n / 10 && refused > n / 10,
        "{read} read, {refused} refused"
    );
}
