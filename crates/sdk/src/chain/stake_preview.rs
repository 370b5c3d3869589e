//! What a stake or unstake is expected to give, shown before signing: the constant-product
//! pool math of a subnet's TAO/alpha pool, before fees.
//!
//! This re-derives the runtime's swap (`reserve_out · amount / (reserve_in + amount)`) for
//! display only; the chain's own result is what counts.

use rustensor_primitives::NetUid;

/// What a swap of `amount` against a constant-product pool gives, before fees:
/// `(expected, at spot)`. Both saturate at `u64::MAX`; an empty pool gives 0.
pub fn swap_preview(amount: u64, reserve_in: u64, reserve_out: u64) -> (u64, u64) {
    let (a, rin, rout) = (u128::from(amount), u128::from(reserve_in), u128::from(reserve_out));
    let expected = rout.saturating_mul(a).checked_div(rin.saturating_add(a)).unwrap_or(0);
    let spot = rout.saturating_mul(a).checked_div(rin).unwrap_or(0);
    (u64::try_from(expected).unwrap_or(u64::MAX), u64::try_from(spot).unwrap_or(u64::MAX))
}

/// Alpha expected for staking `tao` RAO on `netuid` with the pool at `tao_in`/`alpha_in`:
/// `(expected, at spot)`. Root (netuid 0) is TAO itself: 1:1, no pool.
pub fn stake_preview(netuid: NetUid, tao: u64, tao_in: u64, alpha_in: u64) -> (u64, u64) {
    if netuid.0 == 0 { (tao, tao) } else { swap_preview(tao, tao_in, alpha_in) }
}

/// TAO expected for unstaking `alpha` RAO of alpha from `netuid` with the pool at
/// `tao_in`/`alpha_in`: `(expected, at spot)`. Root (netuid 0) is 1:1.
pub fn unstake_preview(netuid: NetUid, alpha: u64, tao_in: u64, alpha_in: u64) -> (u64, u64) {
    if netuid.0 == 0 { (alpha, alpha) } else { swap_preview(alpha, alpha_in, tao_in) }
}

/// The slippage of `expected` against `spot`, in percent with two decimals ("9.09 %"), or
/// "n/a" when `spot` is 0 (display only).
pub fn slippage_text(expected: u64, spot: u64) -> String {
    if spot == 0 {
        return "n/a".into();
    }
    let basis_points = u128::from(spot.saturating_sub(expected)) * 10_000 / u128::from(spot);
    format!("{}.{:02} %", basis_points / 100, basis_points % 100)
}

/// The pool price in TAO per alpha with nine decimals, exact ("0.250000000"), or "n/a" for
/// an empty pool (display only).
pub fn price_text(tao_in: u64, alpha_in: u64) -> String {
    if alpha_in == 0 {
        return "n/a".into();
    }
    let scaled = u128::from(tao_in) * 1_000_000_000 / u128::from(alpha_in);
    format!("{}.{:09}", scaled / 1_000_000_000, scaled % 1_000_000_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_swap_preview_is_constant_product_and_slippage_grows_with_size() {
        // 100 TAO into a 1 000 TAO / 2 000 alpha pool: 2000·100/1100 = 181.818… alpha, spot 200.
        let (expected, spot) = swap_preview(100, 1_000, 2_000);
        assert_eq!((expected, spot), (181, 200));
        assert_eq!(slippage_text(181_818, 200_000), "9.09 %");
        assert_eq!(slippage_text(5, 0), "n/a");
        let (small, small_spot) = swap_preview(1_000_000, 1_000_000_000_000, 2_000_000_000_000);
        assert_eq!(slippage_text(small, small_spot), "0.00 %");
    }

    #[test]
    fn test_price_is_exact_to_nine_places() {
        assert_eq!(price_text(1_000_000_000, 4_000_000_000), "0.250000000");
        assert_eq!(price_text(1, 0), "n/a");
    }

    #[test]
    fn test_root_stake_is_one_to_one_and_subnets_swap_both_ways() {
        assert_eq!(stake_preview(NetUid(0), 7, 1, 1_000), (7, 7));
        assert_eq!(unstake_preview(NetUid(0), 7, 1, 1_000), (7, 7));
        assert_eq!(stake_preview(NetUid(1), 100, 1_000, 2_000), (181, 200));
        assert_eq!(unstake_preview(NetUid(1), 100, 2_000, 1_000), (181, 200));
    }
}
