//! The per-subnet TAO/alpha pool (`reference/subtensor.md` §6.3, `ARCHITECTURE.md` §2).
//!
//! Each dynamic subnet has one pool with reserves `SubnetTAO` (y) and `SubnetAlphaIn` (x):
//! a constant-product pool (`x · y = k`, a weighted pool with equal weights), price
//! `p = y / x` TAO per alpha. Buying alpha with Δy TAO pays the fee out of Δy and receives
//! `Δx = x · Δy' / (y + Δy')`; selling is symmetric. Root (mechanism 0) is stable: 1 alpha =
//! 1 TAO, no fee, no reserves of alpha.
//!
//! Amounts round in the pool's favour (outputs down), so reserves never go below what the
//! formulas promise. Prices handed to users (`limit_price`) are RAO per alpha (TAO price ×
//! 10⁹), as subtensor's.
//!
//! Only reserves and issuance counters are updated here; moving TAO between accounts and
//! crediting alpha to positions is the caller's job.
//!
//! # Deviations from subtensor
//!
//! - The fee (`FeeRate`, 33/65535 of the input) stays in the pool as extra reserve instead of
//!   going to the block author; it is recorded in the swap result.
//! - Protocol injection adds TAO and alpha at the current price (`Δx = Δy / p`), so weights
//!   never drift and the pool stays constant-product.

use rustensor_primitives::NetUid;
use rustensor_primitives::fixed::wide::{isqrt, mul_div_ceil, mul_div_floor};

use super::storage::{
    SubnetAlphaIn, SubnetAlphaOut, SubnetMechanism, SubnetTAO, SubnetVolume, TotalStake,
};
use super::{Error, Result};
use crate::storage::{Kv, KvRead};

/// The swap fee as a fraction of 65 535 (subtensor's default `FeeRate` 33 ≈ 0.05 %).
pub const FEE_RATE: u64 = 33;

/// The least reserve either side of a pool may keep after a swap (1 000 000 RAO).
pub const MINIMUM_RESERVE: u64 = 1_000_000;

/// RAO per TAO, the unit of limit prices.
const PRICE_SCALE: u128 = 1_000_000_000;

/// What a swap did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SwapResult {
    /// Input consumed, fee included (the whole input counts toward a limit price: the fee
    /// stays in the pool).
    pub amount_in: u64,
    /// Output paid.
    pub amount_out: u64,
    /// The fee part of `amount_in` (kept in the pool).
    pub fee: u64,
}

/// Whether `netuid` trades 1:1 (root and other mechanism-0 subnets).
pub fn is_stable(state: &(impl KvRead + ?Sized), netuid: NetUid) -> bool {
    SubnetMechanism::get(state, &netuid) == 0
}

/// The spot price in RAO per alpha (`y · 10⁹ / x`); 10⁹ for stable subnets, 0 for an empty
/// pool.
pub fn price_rao(state: &(impl KvRead + ?Sized), netuid: NetUid) -> u64 {
    if is_stable(state, netuid) {
        return 1_000_000_000;
    }
    let (x, y) = reserves(state, netuid);
    if x == 0 {
        return 0;
    }
    mul_div_floor(u128::from(y), PRICE_SCALE, u128::from(x))
        .and_then(|p| u64::try_from(p).ok())
        .unwrap_or(u64::MAX)
}

/// The spot price as `I96F32` bits (`(y << 32) / x`), the form of `SubnetMovingPrice`; one
/// for stable subnets, 0 for an empty pool.
pub fn price_i96f32_bits(state: &(impl KvRead + ?Sized), netuid: NetUid) -> i128 {
    if is_stable(state, netuid) {
        return 1 << 32;
    }
    let (x, y) = reserves(state, netuid);
    if x == 0 {
        return 0;
    }
    mul_div_floor(u128::from(y), 1 << 32, u128::from(x))
        .and_then(|p| i128::try_from(p).ok())
        .unwrap_or(i128::MAX)
}

/// `(alpha reserve x, TAO reserve y)`.
pub fn reserves(state: &(impl KvRead + ?Sized), netuid: NetUid) -> (u64, u64) {
    (SubnetAlphaIn::get(state, &netuid), SubnetTAO::get(state, &netuid))
}

fn fee_of(amount: u64) -> u64 {
    mul_div_ceil(u128::from(amount), u128::from(FEE_RATE), 65_535)
        .and_then(|f| u64::try_from(f).ok())
        .unwrap_or(amount)
        .min(amount)
}

fn to_u64(v: Option<u128>) -> Result<u64> {
    v.and_then(|v| u64::try_from(v).ok()).ok_or(Error::InsufficientLiquidity)
}

/// The net input (after fee) that moves the price exactly to `limit` (RAO per alpha), or
/// `None` if the price is already past it. `buy` moves the price up, a sell down.
fn net_input_to_limit(x: u64, y: u64, limit: u64, buy: bool) -> Option<u128> {
    let k = u128::from(x).checked_mul(u128::from(y))?;
    // The TAO reserve at price p' is sqrt(p' · k / 10⁹): rounded down for buys and up for
    // sells, so rounding never crosses the limit.
    let root = isqrt(mul_div_floor(k, u128::from(limit), PRICE_SCALE)?);
    let target_y = if buy { root } else { root.saturating_add(1) };
    if buy {
        target_y.checked_sub(u128::from(y)).filter(|d| *d > 0)
    } else {
        if target_y == 0 {
            return None;
        }
        // x' = k / y'; alpha needed = x' − x.
        mul_div_floor(u128::from(x), u128::from(y), target_y)?
            .checked_sub(u128::from(x))
            .filter(|d| *d > 0)
    }
}

/// Simulates buying alpha with `tao` (fee included). With `limit` (RAO per alpha) only the
/// part that keeps the price at or below it executes.
///
/// # Errors
///
/// [`Error::InsufficientLiquidity`] for an empty pool, an input over 1000 × the TAO reserve,
/// or an output that would leave less than [`MINIMUM_RESERVE`] alpha.
pub fn sim_buy(
    state: &(impl KvRead + ?Sized),
    netuid: NetUid,
    tao: u64,
    limit: Option<u64>,
) -> Result<SwapResult> {
    sim_buy_with_fee(state, netuid, tao, limit, true)
}

/// [`sim_buy`], charging the swap fee only if `charge_fee` (internal stake moves buy on the
/// destination fee-free: one fee per move).
///
/// # Errors
///
/// As [`sim_buy`].
pub fn sim_buy_with_fee(
    state: &(impl KvRead + ?Sized),
    netuid: NetUid,
    tao: u64,
    limit: Option<u64>,
    charge_fee: bool,
) -> Result<SwapResult> {
    if is_stable(state, netuid) {
        if limit.is_some_and(|l| l < 1_000_000_000) {
            return Ok(SwapResult::default());
        }
        return Ok(SwapResult { amount_in: tao, amount_out: tao, fee: 0 });
    }
    let (x, y) = reserves(state, netuid);
    if x == 0 || y == 0 {
        return Err(Error::InsufficientLiquidity);
    }
    let mut gross = tao;
    if let Some(limit) = limit {
        let Some(net_max) = net_input_to_limit(x, y, limit, true) else {
            return Ok(SwapResult::default());
        };
        // The fee stays in the reserve, so the whole input counts toward the target reserve
        // (and the price ends at or below the limit).
        gross = gross.min(u64::try_from(net_max).unwrap_or(u64::MAX));
    }
    if u128::from(gross) > u128::from(y).saturating_mul(1000) {
        return Err(Error::InsufficientLiquidity);
    }
    let fee = if charge_fee { fee_of(gross) } else { 0 };
    let net = gross.saturating_sub(fee);
    let out = to_u64(mul_div_floor(
        u128::from(x),
        u128::from(net),
        u128::from(y).saturating_add(u128::from(net)),
    ))?;
    if x.saturating_sub(out) < MINIMUM_RESERVE {
        return Err(Error::InsufficientLiquidity);
    }
    Ok(SwapResult { amount_in: gross, amount_out: out, fee })
}

/// Simulates selling `alpha` for TAO (fee taken from the alpha). With `limit` (RAO per alpha)
/// only the part that keeps the price at or above it executes.
///
/// # Errors
///
/// As [`sim_buy`], on the alpha side.
pub fn sim_sell(
    state: &(impl KvRead + ?Sized),
    netuid: NetUid,
    alpha: u64,
    limit: Option<u64>,
) -> Result<SwapResult> {
    if is_stable(state, netuid) {
        if limit.is_some_and(|l| l > 1_000_000_000) {
            return Ok(SwapResult::default());
        }
        return Ok(SwapResult { amount_in: alpha, amount_out: alpha, fee: 0 });
    }
    let (x, y) = reserves(state, netuid);
    if x == 0 || y == 0 {
        return Err(Error::InsufficientLiquidity);
    }
    let mut gross = alpha;
    if let Some(limit) = limit {
        let Some(net_max) = net_input_to_limit(x, y, limit, false) else {
            return Ok(SwapResult::default());
        };
        gross = gross.min(u64::try_from(net_max).unwrap_or(u64::MAX));
    }
    if u128::from(gross) > u128::from(x).saturating_mul(1000) {
        return Err(Error::InsufficientLiquidity);
    }
    let fee = fee_of(gross);
    let net = gross.saturating_sub(fee);
    let out = to_u64(mul_div_floor(
        u128::from(y),
        u128::from(net),
        u128::from(x).saturating_add(u128::from(net)),
    ))?;
    if y.saturating_sub(out) < MINIMUM_RESERVE {
        return Err(Error::InsufficientLiquidity);
    }
    Ok(SwapResult { amount_in: gross, amount_out: out, fee })
}

/// Buys alpha with `tao` (see [`sim_buy`]) and updates the reserves: `SubnetTAO += in`,
/// `SubnetAlphaIn −= out`, `SubnetAlphaOut += out`, `TotalStake += in`, volume. For stable
/// subnets `SubnetTAO` and `SubnetAlphaOut` both grow by the input.
///
/// # Errors
///
/// As [`sim_buy`]; nothing is written then.
pub fn buy(
    state: &mut (impl Kv + ?Sized),
    netuid: NetUid,
    tao: u64,
    limit: Option<u64>,
) -> Result<SwapResult> {
    buy_with_fee(state, netuid, tao, limit, true)
}

/// [`buy`], charging the swap fee only if `charge_fee` (see [`sim_buy_with_fee`]).
///
/// # Errors
///
/// As [`sim_buy`]; nothing is written then.
pub fn buy_with_fee(
    state: &mut (impl Kv + ?Sized),
    netuid: NetUid,
    tao: u64,
    limit: Option<u64>,
    charge_fee: bool,
) -> Result<SwapResult> {
    let r = sim_buy_with_fee(state, netuid, tao, limit, charge_fee)?;
    SubnetTAO::mutate(state, &netuid, |v| *v = v.saturating_add(r.amount_in));
    if !is_stable(state, netuid) {
        SubnetAlphaIn::mutate(state, &netuid, |v| *v = v.saturating_sub(r.amount_out));
    }
    SubnetAlphaOut::mutate(state, &netuid, |v| *v = v.saturating_add(r.amount_out));
    TotalStake::mutate(state, |v| *v = v.saturating_add(r.amount_in));
    SubnetVolume::mutate(state, &netuid, |v| *v = v.saturating_add(u128::from(r.amount_in)));
    Ok(r)
}

/// Sells `alpha` for TAO (see [`sim_sell`]) and updates the reserves: `SubnetAlphaIn += in`,
/// `SubnetAlphaOut −= in`, `SubnetTAO −= out`, `TotalStake −= out`, volume.
///
/// # Errors
///
/// As [`sim_sell`]; nothing is written then.
pub fn sell(
    state: &mut (impl Kv + ?Sized),
    netuid: NetUid,
    alpha: u64,
    limit: Option<u64>,
) -> Result<SwapResult> {
    let r = sim_sell(state, netuid, alpha, limit)?;
    if !is_stable(state, netuid) {
        SubnetAlphaIn::mutate(state, &netuid, |v| *v = v.saturating_add(r.amount_in));
    }
    SubnetAlphaOut::mutate(state, &netuid, |v| *v = v.saturating_sub(r.amount_in));
    SubnetTAO::mutate(state, &netuid, |v| *v = v.saturating_sub(r.amount_out));
    TotalStake::mutate(state, |v| *v = v.saturating_sub(r.amount_out));
    SubnetVolume::mutate(state, &netuid, |v| *v = v.saturating_add(u128::from(r.amount_out)));
    Ok(r)
}

/// Protocol liquidity injection: adds `tao` and `alpha` to the reserves (`TotalStake += tao`).
pub fn inject(state: &mut (impl Kv + ?Sized), netuid: NetUid, tao: u64, alpha: u64) {
    SubnetTAO::mutate(state, &netuid, |v| *v = v.saturating_add(tao));
    SubnetAlphaIn::mutate(state, &netuid, |v| *v = v.saturating_add(alpha));
    TotalStake::mutate(state, |v| *v = v.saturating_add(tao));
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects, reason = "test arithmetic on small known values")]
mod tests {
    use super::*;
    use crate::storage::MemoryKv;
    use proptest::prelude::*;

    fn pool(x: u64, y: u64) -> MemoryKv {
        let mut s = MemoryKv::new();
        let net = NetUid(1);
        SubnetMechanism::insert(&mut s, &net, &1);
        SubnetAlphaIn::insert(&mut s, &net, &x);
        SubnetTAO::insert(&mut s, &net, &y);
        TotalStake::put(&mut s, &y);
        s
    }

    #[test]
    fn test_buy_follows_constant_product_with_fee() {
        let mut s = pool(100_000_000_000, 100_000_000_000);
        let r = buy(&mut s, NetUid(1), 10_000_000_000, None).unwrap();
        let fee = (10_000_000_000u128 * 33).div_ceil(65_535) as u64;
        assert_eq!(r.fee, fee);
        let net = 10_000_000_000 - fee;
        assert_eq!(
            r.amount_out,
            (100_000_000_000u128 * net as u128 / (100_000_000_000u128 + net as u128)) as u64
        );
        assert_eq!(SubnetTAO::get(&s, &NetUid(1)), 110_000_000_000);
        assert_eq!(SubnetAlphaOut::get(&s, &NetUid(1)), r.amount_out);
    }

    #[test]
    fn test_limit_price_caps_a_buy() {
        let mut s = pool(100_000_000_000, 100_000_000_000);
        // Price 1.0; a limit of 1.21 allows the TAO reserve to reach 110 TAO.
        let r = sim_buy(&s, NetUid(1), 50_000_000_000, Some(1_210_000_000)).unwrap();
        assert!(r.amount_in < 50_000_000_000 && r.amount_in > 9_900_000_000, "{r:?}");
        buy(&mut s, NetUid(1), r.amount_in, None).unwrap();
        assert!(price_rao(&s, NetUid(1)) <= 1_210_000_000);
        // Already past the limit: nothing executes.
        assert_eq!(
            sim_buy(&s, NetUid(1), 1_000, Some(1_000_000_000)).unwrap(),
            SwapResult::default()
        );
    }

    #[test]
    fn test_stable_subnet_swaps_one_to_one() {
        let mut s = MemoryKv::new();
        let r = buy(&mut s, NetUid(0), 5_000, None).unwrap();
        assert_eq!((r.amount_in, r.amount_out, r.fee), (5_000, 5_000, 0));
        let r = sell(&mut s, NetUid(0), 2_000, None).unwrap();
        assert_eq!(r.amount_out, 2_000);
        assert_eq!(SubnetTAO::get(&s, &NetUid(0)), 3_000);
    }

    proptest! {
        // Round trips never extract value from the pool: k never decreases.
        #[test]
        fn test_swaps_never_shrink_k(
            x in 10_000_000u64..1_000_000_000_000_000,
            y in 10_000_000u64..1_000_000_000_000_000,
            amounts in proptest::collection::vec((any::<bool>(), 1u64..1_000_000_000_000), 1..20),
        ) {
            let mut s = pool(x, y);
            let net = NetUid(1);
            let mut k = u128::from(x) * u128::from(y);
            for (is_buy, amount) in amounts {
                let _ = if is_buy { buy(&mut s, net, amount, None) } else { sell(&mut s, net, amount, None) };
                let (x, y) = reserves(&s, net);
                let k2 = u128::from(x) * u128::from(y);
                prop_assert!(k2 >= k, "k shrank: {} -> {}", k, k2);
                prop_assert!(x >= MINIMUM_RESERVE && y >= MINIMUM_RESERVE);
                k = k2;
            }
        }
    }
}
