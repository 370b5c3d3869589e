//! Stake positions as share pools (`reference/subtensor.md` §6.2).
//!
//! Every `(hotkey, netuid)` has a pool whose value is `TotalHotkeyAlpha[hotkey][netuid]`
//! (alpha) and whose shares are `TotalHotkeyShares[hotkey][netuid]`; a coldkey's position is
//! its shares `Alpha[(hotkey, coldkey, netuid)]`, worth `shares × value / total_shares`.
//! Staking mints shares at the current value per share; dividends that raise the pool value
//! ([`increase_pool_value`]) compound for every nominator without touching their entries.
//!
//! Shares are `U64F64` bits (`u128`): the first deposit into an empty pool mints one share
//! per alpha (`amount << 64`). All products go through 256-bit intermediates
//! ([`mul_div_floor`]), values round down and shares burnt on withdrawal round up, so a
//! position can never claim more than the pool holds.
//!
//! # Deviations from subtensor
//!
//! - subtensor stores high-precision `SafeFloat` shares in `AlphaV2`/`TotalHotkeySharesV2`;
//!   we keep the (still readable) `U64F64` `Alpha`/`TotalHotkeyShares` items. Values may
//!   differ from subtensor's in the last RAO.

use rustensor_primitives::fixed::wide::{mul_div_ceil, mul_div_floor};
use rustensor_primitives::{AccountId32, NetUid};

use super::ROOT;
use super::storage::{
    Alpha, StakingHotkeys, SubnetAlphaOut, TaoWeight, TotalHotkeyAlpha, TotalHotkeyShares,
};
use crate::storage::{Kv, KvRead};

/// One alpha as shares in an empty pool: `1 << 64` (`U64F64` one).
const SHARES_PER_ALPHA: u128 = 1 << 64;

/// The alpha of `coldkey`'s position on `hotkey` in `netuid` (rounded down).
pub fn alpha_of(
    state: &(impl KvRead + ?Sized),
    hotkey: &AccountId32,
    coldkey: &AccountId32,
    netuid: NetUid,
) -> u64 {
    let shares = Alpha::get(state, hotkey, coldkey, &netuid);
    if shares == 0 {
        return 0;
    }
    let total = TotalHotkeyShares::get(state, hotkey, &netuid);
    let value = TotalHotkeyAlpha::get(state, hotkey, &netuid);
    mul_div_floor(shares, u128::from(value), total)
        .and_then(|v| u64::try_from(v).ok())
        .unwrap_or(0)
        .min(value)
}

/// The hotkey's pool value on `netuid`: all alpha staked to it there.
pub fn total_hotkey_alpha(
    state: &(impl KvRead + ?Sized),
    hotkey: &AccountId32,
    netuid: NetUid,
) -> u64 {
    TotalHotkeyAlpha::get(state, hotkey, &netuid)
}

/// Credits `amount` alpha to `coldkey`'s position on `hotkey` in `netuid` (mints shares at
/// the current value per share). Does not touch `SubnetAlphaOut`; callers account the alpha.
/// Returns the alpha the position gained (`amount`, or 0 if nothing could be minted).
pub fn increase_stake(
    state: &mut (impl Kv + ?Sized),
    hotkey: &AccountId32,
    coldkey: &AccountId32,
    netuid: NetUid,
    amount: u64,
) -> u64 {
    if amount == 0 {
        return 0;
    }
    let value = TotalHotkeyAlpha::get(state, hotkey, &netuid);
    let total = TotalHotkeyShares::get(state, hotkey, &netuid);
    let minted = if value == 0 || total == 0 {
        // An empty (or emptied) pool restarts at one share per alpha; stale shares of an
        // emptied pool are worthless, so they are reset with it.
        if total != 0 {
            reset_pool(state, hotkey, netuid);
        }
        u128::from(amount).saturating_mul(SHARES_PER_ALPHA)
    } else {
        match mul_div_floor(u128::from(amount), total, u128::from(value)) {
            Some(shares) if shares > 0 => shares,
            _ => return 0,
        }
    };
    let total = TotalHotkeyShares::get(state, hotkey, &netuid);
    let Some(new_total) = total.checked_add(minted) else { return 0 };
    Alpha::mutate(state, hotkey, coldkey, &netuid, |s| *s = s.saturating_add(minted));
    TotalHotkeyShares::insert(state, hotkey, &netuid, &new_total);
    TotalHotkeyAlpha::mutate(state, hotkey, &netuid, |v| *v = v.saturating_add(amount));
    amount
}

/// Debits up to `amount` alpha from `coldkey`'s position on `hotkey` in `netuid` (burns the
/// shares it is worth, rounded up, at most all of them). Does not touch `SubnetAlphaOut`.
/// Returns the alpha actually removed: `min(amount, position)`.
pub fn decrease_stake(
    state: &mut (impl Kv + ?Sized),
    hotkey: &AccountId32,
    coldkey: &AccountId32,
    netuid: NetUid,
    amount: u64,
) -> u64 {
    let position = alpha_of(state, hotkey, coldkey, netuid);
    let amount = amount.min(position);
    if amount == 0 {
        return 0;
    }
    let shares = Alpha::get(state, hotkey, coldkey, &netuid);
    let total = TotalHotkeyShares::get(state, hotkey, &netuid);
    let value = TotalHotkeyAlpha::get(state, hotkey, &netuid);
    let burnt = if amount == position {
        shares
    } else {
        mul_div_ceil(u128::from(amount), total, u128::from(value)).unwrap_or(shares).min(shares)
    };
    let left = shares.saturating_sub(burnt);
    if left == 0 {
        Alpha::remove(state, hotkey, coldkey, &netuid);
    } else {
        Alpha::insert(state, hotkey, coldkey, &netuid, &left);
    }
    let new_total = total.saturating_sub(burnt);
    if new_total == 0 {
        // A rounding remnant of value left with no shares is picked up by the next deposit
        // (`increase_stake` restarts an unshared pool).
        TotalHotkeyShares::remove(state, hotkey, &netuid);
    } else {
        TotalHotkeyShares::insert(state, hotkey, &netuid, &new_total);
    }
    TotalHotkeyAlpha::insert(state, hotkey, &netuid, &value.saturating_sub(amount));
    amount
}

/// Raises the hotkey's pool value by `amount` (dividends shared pro rata by every position).
/// If the pool has no shares yet, the alpha goes to `fallback_coldkey`'s position instead
/// (usually the hotkey's owner), so it is never stranded.
pub fn increase_pool_value(
    state: &mut (impl Kv + ?Sized),
    hotkey: &AccountId32,
    fallback_coldkey: &AccountId32,
    netuid: NetUid,
    amount: u64,
) {
    if amount == 0 {
        return;
    }
    if TotalHotkeyShares::get(state, hotkey, &netuid) == 0 {
        increase_stake(state, hotkey, fallback_coldkey, netuid, amount);
    } else {
        TotalHotkeyAlpha::mutate(state, hotkey, &netuid, |v| *v = v.saturating_add(amount));
    }
}

fn reset_pool(state: &mut (impl Kv + ?Sized), hotkey: &AccountId32, netuid: NetUid) {
    // Positions are keyed (hotkey, coldkey, netuid): collect the coldkeys first.
    let coldkeys: Vec<AccountId32> = Alpha::iter_prefix1(state, hotkey)
        .filter(|(_, n, _)| *n == netuid)
        .map(|(cold, _, _)| cold)
        .collect();
    for cold in coldkeys {
        Alpha::remove(state, hotkey, &cold, &netuid);
    }
    TotalHotkeyShares::remove(state, hotkey, &netuid);
}

/// Adds `hotkey` to `coldkey`'s `StakingHotkeys` if missing.
pub fn note_staking_hotkey(
    state: &mut (impl Kv + ?Sized),
    coldkey: &AccountId32,
    hotkey: &AccountId32,
) {
    StakingHotkeys::mutate(state, coldkey, |hotkeys| {
        if !hotkeys.contains(hotkey) {
            hotkeys.push(*hotkey);
        }
    });
}

/// Moves `amount` alpha into circulation on `netuid` and credits it to a position
/// (`SubnetAlphaOut += amount`).
pub fn credit_new_alpha(
    state: &mut (impl Kv + ?Sized),
    hotkey: &AccountId32,
    coldkey: &AccountId32,
    netuid: NetUid,
    amount: u64,
) -> u64 {
    let credited = increase_stake(state, hotkey, coldkey, netuid, amount);
    SubnetAlphaOut::mutate(state, &netuid, |v| *v = v.saturating_add(credited));
    credited
}

/// The stake weight of `hotkey` on `netuid` as the epoch reads it, as `I64F64` bits: its alpha
/// there plus `TaoWeight` × its root stake (TAO). As subtensor computes it: the weight is
/// first cut to `U96F32` (`TaoWeight · 2³² / u64::MAX`, truncated), and the product keeps its
/// 32 fractional bits. Saturates at the `I64F64` maximum. Childkeys are not implemented, so
/// inherited stake equals own stake.
pub fn stake_weight_bits(
    state: &(impl KvRead + ?Sized),
    hotkey: &AccountId32,
    netuid: NetUid,
) -> u128 {
    let alpha = u128::from(total_hotkey_alpha(state, hotkey, netuid));
    let alpha_bits = alpha << 64;
    if netuid == ROOT {
        return alpha_bits.min(I64F64_MAX_BITS);
    }
    let root = u128::from(total_hotkey_alpha(state, hotkey, ROOT));
    let weight_q32 =
        (u128::from(TaoWeight::get(state)) << 32).checked_div(u128::from(u64::MAX)).unwrap_or(0);
    // root < 2^64 and weight_q32 ≤ 2^32: the product fits, and its value has 32 fraction bits.
    let weighted_bits = root.saturating_mul(weight_q32) << 32;
    alpha_bits.saturating_add(weighted_bits).min(I64F64_MAX_BITS)
}

/// The largest `I64F64` value's bits.
const I64F64_MAX_BITS: u128 = i128::MAX as u128;

/// The integer part of [`stake_weight_bits`] (what a threshold in RAO compares against:
/// `w < T` for an integer `T` exactly when `⌊w⌋ < T`).
pub fn stake_weight(state: &(impl KvRead + ?Sized), hotkey: &AccountId32, netuid: NetUid) -> u64 {
    u64::try_from(stake_weight_bits(state, hotkey, netuid) >> 64).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::MemoryKv;
    use proptest::prelude::*;

    fn acc(b: u8) -> AccountId32 {
        AccountId32([b; 32])
    }

    #[test]
    fn test_stake_weight_cuts_tao_weight_to_32_fraction_bits_as_subtensor() {
        let mut s = MemoryKv::new();
        let (hot, cold, net) = (acc(1), acc(2), NetUid(1));
        increase_stake(&mut s, &hot, &cold, net, 5);
        increase_stake(&mut s, &hot, &cold, ROOT, 3_000_000_000);
        // Subtensor's default TaoWeight: 971_718_665_099_567_868 / u64::MAX ≈ 0.0527.
        let q32 = (971_718_665_099_567_868u128 << 32) / u128::from(u64::MAX);
        assert_eq!(q32, 226_245_882);
        // 5 + 3e9 · 226245882 / 2^32 = 5 + 158 030 922.6…: an integer part and a fraction.
        let bits = stake_weight_bits(&s, &hot, net);
        let exact = (5u128 << 64) + ((3_000_000_000u128 * q32) << 32);
        assert_eq!(bits, exact);
        assert_eq!(stake_weight(&s, &hot, net), 5 + 158_030_922);
        assert_ne!(bits & u128::from(u64::MAX), 0, "a fraction is kept");
        // On root, the root stake itself.
        assert_eq!(stake_weight(&s, &hot, ROOT), 3_000_000_000);
    }

    #[test]
    fn test_first_stake_then_dividends_compound_pro_rata() {
        let mut s = MemoryKv::new();
        let (hot, a, b, net) = (acc(1), acc(2), acc(3), NetUid(1));
        assert_eq!(increase_stake(&mut s, &hot, &a, net, 1_000), 1_000);
        assert_eq!(increase_stake(&mut s, &hot, &b, net, 3_000), 3_000);
        increase_pool_value(&mut s, &hot, &a, net, 400);
        assert_eq!(alpha_of(&s, &hot, &a, net), 1_100);
        assert_eq!(alpha_of(&s, &hot, &b, net), 3_300);
        assert_eq!(total_hotkey_alpha(&s, &hot, net), 4_400);
        assert_eq!(decrease_stake(&mut s, &hot, &a, net, 5_000), 1_100, "capped at position");
        assert_eq!(alpha_of(&s, &hot, &a, net), 0);
        assert_eq!(decrease_stake(&mut s, &hot, &b, net, 3_300), 3_300);
        assert_eq!(total_hotkey_alpha(&s, &hot, net), 0);
        assert_eq!(TotalHotkeyShares::get(&s, &hot, &net), 0);
    }

    proptest! {
        // Positions never sum to more than the pool, and withdrawing everything empties it.
        #[test]
        fn test_positions_never_exceed_the_pool(
            ops in proptest::collection::vec((0u8..4, 0u8..3, 1u64..10_000_000_000), 1..40)
        ) {
            let mut s = MemoryKv::new();
            let hot = acc(9);
            let net = NetUid(2);
            for (op, who, amount) in ops {
                let cold = acc(who);
                match op {
                    0 | 1 => { increase_stake(&mut s, &hot, &cold, net, amount); }
                    2 => { decrease_stake(&mut s, &hot, &cold, net, amount); }
                    _ => increase_pool_value(&mut s, &hot, &cold, net, amount / 7),
                }
                let sum: u64 = (0..3).map(|w| alpha_of(&s, &hot, &acc(w), net)).sum();
                prop_assert!(sum <= total_hotkey_alpha(&s, &hot, net));
            }
            for w in 0..3 {
                let cold = acc(w);
                let all = alpha_of(&s, &hot, &cold, net);
                prop_assert_eq!(decrease_stake(&mut s, &hot, &cold, net, u64::MAX), all);
            }
            prop_assert_eq!(TotalHotkeyShares::get(&s, &hot, &net), 0);
        }
    }
}
