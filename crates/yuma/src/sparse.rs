//! Sparse-row matrix operations of the on-chain epoch (`epoch/math.rs` in subtensor), with its
//! rounding.
//!
//! A matrix is a `Vec` of rows; a row is a `Vec<(column, value)>` kept in the order the chain
//! keeps it. Sums are exact additions of raw bits (carried in `i128`, so they never wrap);
//! element-wise additions saturate, as `I32F32::saturating_add` does on chain.
//!
//! Operations that subtensor performs on a densified row (interpolation, the EMA) are done here
//! on the union of the row's columns only: a column absent from every input contributes exactly
//! zero and is dropped by the "keep entries > 0" rule, so the result is identical while the cost
//! is proportional to the entries instead of to `n`.

use rustensor_fixed::I32F32;
use rustensor_fixed::wide::Divisor;

/// A sparse row of fixed-point values.
pub(crate) type Row = Vec<(u16, I32F32)>;

/// Exact sum of raw bits.
pub(crate) fn sum_bits<'a>(it: impl IntoIterator<Item = &'a I32F32>) -> i128 {
    it.into_iter().map(|v| i128::from(v.to_bits())).sum()
}

/// `inplace_normalize`: divides every element by the exact sum (truncating); an all-zero
/// vector is left unchanged.
pub(crate) fn normalize(v: &mut [I32F32]) {
    let s = sum_bits(v.iter());
    if s == 0 {
        return;
    }
    let d = Divisor::new(s);
    for x in v.iter_mut() {
        *x = x.safe_div_by(&d);
    }
}

/// Row-normalises rows with a positive sum; other rows are left as they are.
pub(crate) fn row_normalize(rows: &mut [Row]) {
    for row in rows.iter_mut() {
        let s: i128 = row.iter().map(|(_, v)| i128::from(v.to_bits())).sum();
        if s > 0 {
            let d = Divisor::new(s);
            for (_, v) in row.iter_mut() {
                *v = v.safe_div_by(&d);
            }
        }
    }
}

/// Exact column sums, ignoring columns `≥ n`.
pub(crate) fn col_sums(rows: &[Row], n: usize) -> Vec<i128> {
    let mut s = vec![0i128; n];
    for row in rows {
        for &(j, v) in row {
            if let Some(acc) = s.get_mut(usize::from(j)) {
                *acc += i128::from(v.to_bits());
            }
        }
    }
    s
}

/// Divides every entry by its column's exact sum; entries of all-zero columns stay.
pub(crate) fn col_normalize(rows: &mut [Row], n: usize) {
    let s: Vec<Divisor> = col_sums(rows, n).into_iter().map(Divisor::new).collect();
    for row in rows.iter_mut() {
        for (j, v) in row.iter_mut() {
            let sj = &s[usize::from(*j)];
            if sj.get() != 0 {
                *v = v.safe_div_by(sj);
            }
        }
    }
}

/// Divides every entry by its column's maximum (so the largest becomes 1); entries of columns
/// whose maximum is 0 stay.
pub(crate) fn col_max_upscale(rows: &mut [Row], n: usize) {
    let mut mx = vec![I32F32::ZERO; n];
    for row in rows.iter() {
        for &(j, v) in row {
            let m = &mut mx[usize::from(j)];
            if *m < v {
                *m = v;
            }
        }
    }
    let mx: Vec<Divisor> = mx.into_iter().map(|m| Divisor::new(i128::from(m.to_bits()))).collect();
    for row in rows.iter_mut() {
        for (j, v) in row.iter_mut() {
            let m = &mx[usize::from(*j)];
            if m.get() != 0 {
                *v = v.safe_div_by(m);
            }
        }
    }
}

/// A dense scratch row of length `n` that resets in time proportional to what was touched.
///
/// `get` of an untouched column is zero, as in the chain's freshly zeroed dense row.
pub(crate) struct Scratch {
    vals: Vec<I32F32>,
    stamp: Vec<u32>,
    generation: u32,
    touched: Vec<u16>,
}

impl Scratch {
    pub(crate) fn new(n: usize) -> Self {
        Self { vals: vec![I32F32::ZERO; n], stamp: vec![0; n], generation: 1, touched: Vec::new() }
    }

    /// Forgets every value (all columns read as zero again).
    pub(crate) fn clear(&mut self) {
        self.touched.clear();
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            self.stamp.iter_mut().for_each(|s| *s = 0);
            self.generation = 1;
        }
    }

    pub(crate) fn get(&self, j: u16) -> I32F32 {
        let j = usize::from(j);
        if self.stamp[j] == self.generation { self.vals[j] } else { I32F32::ZERO }
    }

    pub(crate) fn contains(&self, j: u16) -> bool {
        self.stamp[usize::from(j)] == self.generation
    }

    pub(crate) fn set(&mut self, j: u16, v: I32F32) {
        let ju = usize::from(j);
        if self.stamp[ju] != self.generation {
            self.stamp[ju] = self.generation;
            self.touched.push(j);
        }
        self.vals[ju] = v;
    }

    /// The touched columns in ascending order, without duplicates.
    pub(crate) fn sorted_columns(&mut self) -> Vec<u16> {
        // `set` records each column once per generation, so there are no duplicates.
        self.touched.sort_unstable();
        self.touched.clone()
    }
}

/// `Wb = A + ratio · (B − A)` per element (`reference/yuma.md` §4.8). `ratio` 0 returns `a` and
/// 1 returns `b` as they are; otherwise each row is evaluated densely (duplicates: last entry
/// wins) and only entries `> 0` are kept, in ascending column order.
pub(crate) fn interpolate<'a>(
    a: &'a [Row],
    b: &'a [Row],
    n: usize,
    ratio: I32F32,
) -> std::borrow::Cow<'a, [Row]> {
    if ratio.is_zero() {
        return std::borrow::Cow::Borrowed(a);
    }
    if ratio == I32F32::ONE {
        return std::borrow::Cow::Borrowed(b);
    }
    let mut da = Scratch::new(n);
    let mut db = Scratch::new(n);
    let mut union = Scratch::new(n);
    let rows = a
        .iter()
        .zip(b)
        .map(|(ra, rb)| {
            da.clear();
            db.clear();
            union.clear();
            for &(j, v) in ra {
                da.set(j, v);
                union.set(j, I32F32::ZERO);
            }
            for &(j, v) in rb {
                db.set(j, v);
                union.set(j, I32F32::ZERO);
            }
            let cols = union.sorted_columns();
            let mut out = Vec::with_capacity(cols.len());
            for j in cols {
                let (x, y) = (da.get(j), db.get(j));
                let v = x.saturating_add(ratio.saturating_mul(y.saturating_sub(x)));
                if v > I32F32::ZERO {
                    out.push((j, v));
                }
            }
            out
        })
        .collect();
    std::borrow::Cow::Owned(rows)
}

/// `α·new + (1−α)·old` over the union of supports, entries `≤ 0` dropped, ascending columns.
/// Within a row, entries of `new` are accumulated first, then those of `old` (saturating).
pub(crate) fn ema_union(new: &[Row], old: &[Row], n: usize, alpha: I32F32) -> Vec<Row> {
    let one_minus = I32F32::ONE.saturating_sub(alpha);
    let mut acc = Scratch::new(n);
    new.iter()
        .zip(old)
        .map(|(rn, ro)| {
            if strictly_ascending(rn) && strictly_ascending(ro) {
                // Sorted rows without duplicates (the usual case): merge them.
                return merge_ema(rn.iter().copied(), ro.iter().copied(), alpha);
            }
            acc.clear();
            for &(j, v) in rn {
                acc.set(j, acc.get(j).saturating_add(alpha.saturating_mul(v)));
            }
            for &(j, v) in ro {
                acc.set(j, acc.get(j).saturating_add(one_minus.saturating_mul(v)));
            }
            let cols = acc.sorted_columns();
            let mut out = Vec::with_capacity(cols.len());
            for j in cols {
                let v = acc.get(j);
                if v > I32F32::ZERO {
                    out.push((j, v));
                }
            }
            out
        })
        .collect()
}

/// `α·new + (1−α)·old` for two rows given in strictly ascending column order: each column gets
/// `0 + α·new`, then `+ (1−α)·old`, saturating, exactly as [`ema_union`] accumulates; entries
/// `≤ 0` are dropped. The result is in ascending column order.
pub(crate) fn merge_ema(
    new: impl Iterator<Item = (u16, I32F32)>,
    old: impl Iterator<Item = (u16, I32F32)>,
    alpha: I32F32,
) -> Row {
    let one_minus = I32F32::ONE.saturating_sub(alpha);
    let (mut new, mut old) = (new.peekable(), old.peekable());
    let mut out = Vec::with_capacity(new.size_hint().0.max(old.size_hint().0));
    loop {
        let (j, v) = match (new.peek().copied(), old.peek().copied()) {
            (Some((jn, vn)), Some((jo, vo))) if jn == jo => {
                new.next();
                old.next();
                let x = I32F32::ZERO.saturating_add(alpha.saturating_mul(vn));
                (jn, x.saturating_add(one_minus.saturating_mul(vo)))
            }
            (Some((jn, vn)), Some((jo, _))) if jn < jo => {
                new.next();
                (jn, I32F32::ZERO.saturating_add(alpha.saturating_mul(vn)))
            }
            (Some((jn, vn)), None) => {
                new.next();
                (jn, I32F32::ZERO.saturating_add(alpha.saturating_mul(vn)))
            }
            (_, Some((jo, vo))) => {
                old.next();
                (jo, I32F32::ZERO.saturating_add(one_minus.saturating_mul(vo)))
            }
            (None, None) => break,
        };
        if v > I32F32::ZERO {
            out.push((j, v));
        }
    }
    out
}

/// Whether a row's columns are strictly increasing (sorted, no duplicates).
pub(crate) fn strictly_ascending(row: &[(u16, I32F32)]) -> bool {
    row.windows(2).all(|w| w[0].0 < w[1].0)
}

/// A read-only view of a sparse row that answers lookups exactly as subtensor's ascending
/// merge-walk does (`reference/yuma.md` §8.2).
///
/// The walk visits columns `0, 1, 2, …` with a pointer that skips entries whose column is below
/// the current one; the value at column `j` is the entry under the pointer if its column is `j`.
/// The pointer position for `j` is the first entry with column `≥ j`, so with the prefix maximum
/// of the columns (non-decreasing) it is found by binary search. For a sorted row this is an
/// ordinary lookup; for an unsorted row, entries hidden behind a larger column read as zero, as
/// on chain.
pub(crate) struct WalkLookup<'a> {
    row: &'a [(u16, I32F32)],
    prefix_max: Vec<u16>,
}

impl<'a> WalkLookup<'a> {
    pub(crate) fn new(row: &'a [(u16, I32F32)]) -> Self {
        let mut m = 0u16;
        let prefix_max = row
            .iter()
            .map(|&(j, _)| {
                m = m.max(j);
                m
            })
            .collect();
        Self { row, prefix_max }
    }

    pub(crate) fn get(&self, j: u16) -> I32F32 {
        let p = self.prefix_max.partition_point(|&c| c < j);
        match self.row.get(p) {
            Some(&(c, v)) if c == j => v,
            _ => I32F32::ZERO,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fx(bits: i64) -> I32F32 {
        I32F32::from_bits(bits)
    }

    /// The literal walk, for comparison.
    fn walk_dense(row: &[(u16, I32F32)], n: usize) -> Vec<I32F32> {
        let mut dense = vec![I32F32::ZERO; n];
        let mut p = 0;
        for (j, cell) in dense.iter_mut().enumerate() {
            while p < row.len() && usize::from(row[p].0) < j {
                p += 1;
            }
            if p < row.len() && usize::from(row[p].0) == j {
                *cell = row[p].1;
            }
        }
        dense
    }

    #[test]
    fn test_walk_lookup_matches_literal_walk_on_unsorted_rows() {
        let rows: Vec<Row> = vec![
            vec![(5, fx(1)), (3, fx(2)), (7, fx(3))],
            vec![(3, fx(1)), (3, fx(2))],
            vec![(0, fx(9)), (9, fx(1)), (2, fx(4)), (9, fx(5)), (10, fx(6))],
            vec![],
            vec![(1, fx(1)), (2, fx(2)), (4, fx(4))],
        ];
        for row in &rows {
            let look = WalkLookup::new(row);
            let dense = walk_dense(row, 12);
            for j in 0..12u16 {
                assert_eq!(look.get(j), dense[usize::from(j)], "row {row:?} col {j}");
            }
        }
    }

    #[test]
    fn test_normalize_leaves_zero_vector_alone() {
        let mut v = vec![I32F32::ZERO; 3];
        normalize(&mut v);
        assert_eq!(v, vec![I32F32::ZERO; 3]);
    }

    #[test]
    fn test_normalize_truncates_so_sum_is_at_most_one() {
        let mut v = vec![I32F32::ONE; 3];
        normalize(&mut v);
        assert!(sum_bits(v.iter()) <= i128::from(I32F32::ONE.to_bits()));
        assert_eq!(v[0], I32F32::ONE.safe_div(I32F32::from_num(3)));
    }

    #[test]
    fn test_ema_union_drops_non_positive_and_sorts() {
        let new = vec![vec![(3, I32F32::ONE), (1, I32F32::ZERO)]];
        let old = vec![vec![(2, I32F32::ONE)]];
        let out = ema_union(&new, &old, 4, I32F32::HALF);
        assert_eq!(out, vec![vec![(2, I32F32::HALF), (3, I32F32::HALF)]]);
    }

    #[test]
    fn test_ema_union_merge_path_equals_scratch_path() {
        // The same rows, once sorted (merge path) and once with a duplicate appended and
        // removed again by value (scratch path through an unsorted permutation).
        let new = vec![vec![(1, fx(5 << 28)), (4, fx(3 << 30)), (9, fx(1 << 31))]];
        let old = vec![vec![(0, fx(1 << 29)), (4, fx(1 << 32)), (7, fx(9))]];
        let merged = ema_union(&new, &old, 10, I32F32::from_bits(429_496_730));
        let new_unsorted = vec![vec![(9, fx(1 << 31)), (1, fx(5 << 28)), (4, fx(3 << 30))]];
        let old_unsorted = vec![vec![(7, fx(9)), (0, fx(1 << 29)), (4, fx(1 << 32))]];
        let scratch = ema_union(&new_unsorted, &old_unsorted, 10, I32F32::from_bits(429_496_730));
        assert_eq!(merged, scratch);
        assert_eq!(merged[0].iter().map(|e| e.0).collect::<Vec<_>>(), vec![0, 1, 4, 7, 9]);
    }

    #[test]
    fn test_interpolate_extremes_return_inputs_unchanged() {
        let a = vec![vec![(2, I32F32::ONE), (0, I32F32::ZERO)]];
        let b = vec![vec![(1, I32F32::HALF)]];
        assert_eq!(*interpolate(&a, &b, 3, I32F32::ZERO), *a);
        assert_eq!(*interpolate(&a, &b, 3, I32F32::ONE), *b);
        // halfway: col 1 -> 0.25, col 2 -> 0.5, col 0 -> 0 dropped
        let mid = interpolate(&a, &b, 3, I32F32::HALF);
        assert_eq!(*mid, [vec![(1, fx(1 << 30)), (2, I32F32::HALF)]]);
    }
}
