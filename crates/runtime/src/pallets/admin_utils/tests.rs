//! Tests of `AdminUtils`: every setter's success path and its error paths (one table), the owner
//! rate limit, the admin freeze window, and one run through signed extrinsics. The fixtures
//! here (`chain`, `set_block`) also serve the owner tempo calls' tests in
//! `subtensor::tempo_control`.

#![allow(clippy::arithmetic_side_effects, reason = "test arithmetic on small known values")]
use crate::dispatch::Dispatchable;
use parity_scale_codec::Encode;
use rustensor_primitives::{AccountId32, NetUid};

use super::*;
use crate::dispatch::{DispatchError, Origin};
use crate::events::{EventRecord, Phase};
use crate::pallets::subtensor::rate_limit::{Hyperparameter, RateLimitKey};
use crate::pallets::subtensor::storage::{self as st, TAO};
use crate::pallets::subtensor::{self, Error as StError, Event as StEvent};
use crate::pallets::{balances, system};
use crate::storage::MemoryKv;

pub(crate) fn acc(b: u8) -> AccountId32 {
    AccountId32([b; 32])
}

pub(crate) const OWNER: u8 = 1;
pub(crate) const HOT: u8 = 2;
pub(crate) const STRANGER: u8 = 5;
pub(crate) const NET: NetUid = NetUid(1);
/// A netuid that does not exist, with tempo 0 so that the freeze window never applies to it.
pub(crate) const MISSING: NetUid = NetUid(9);

/// Block 1000, root subnet, subnet 1 owned by account 1 (its next epoch at block 1359), and
/// `MISSING` with tempo 0.
pub(crate) fn chain() -> MemoryKv {
    let mut s = MemoryKv::new();
    let funded: Vec<(AccountId32, u64)> = (1..=9).map(|b| (acc(b), 10_000 * TAO)).collect();
    balances::build_genesis(&mut s, &funded).unwrap();
    subtensor::build_genesis(&mut s, Some(&acc(9)), 90_000 * TAO);
    system::Number::put(&mut s, &1000);
    let mut events = Vec::new();
    let mut ctx = DispatchContext::new(&mut s, &mut events, Phase::ApplyExtrinsic(0));
    let netuid =
        subtensor::subnets::register_network(&mut ctx, &acc(OWNER), &acc(HOT), None).unwrap();
    assert_eq!(netuid, NET);
    st::Tempo::insert(&mut s, &MISSING, &0);
    assert_eq!(st::LastEpochBlock::get(&s, &NET), 999);
    s
}

pub(crate) fn set_block(s: &mut MemoryKv, block: u32) {
    system::Number::put(s, &block);
}

fn dispatch(
    s: &mut MemoryKv,
    origin: &Origin,
    call: Call,
) -> (Result<(), DispatchError>, Vec<EventRecord>) {
    let mut events = Vec::new();
    let result = {
        let mut ctx = DispatchContext::new(s, &mut events, Phase::ApplyExtrinsic(0));
        ctx.transactional(|ctx| call.dispatch(ctx, origin).map(drop).map_err(|e| e.error))
    };
    (result, events)
}

pub(crate) fn root(s: &mut MemoryKv, call: Call) -> Result<(), DispatchError> {
    dispatch(s, &Origin::Root, call).0
}

fn owner(s: &mut MemoryKv, call: Call) -> Result<(), DispatchError> {
    dispatch(s, &Origin::Signed(acc(OWNER)), call).0
}

fn stranger(s: &mut MemoryKv, call: Call) -> Result<(), DispatchError> {
    dispatch(s, &Origin::Signed(acc(STRANGER)), call).0
}

fn st_event(e: &StEvent) -> Vec<u8> {
    let mut bytes = vec![subtensor::PALLET_INDEX];
    e.encode_to(&mut bytes);
    bytes
}

fn au_event(e: &Event) -> Vec<u8> {
    let mut bytes = vec![PALLET_INDEX];
    e.encode_to(&mut bytes);
    bytes
}

pub(crate) const WINDOW: DispatchError = DispatchError::Module(crate::dispatch::ModuleError {
    index: subtensor::PALLET_INDEX,
    error: [StError::AdminActionProhibitedDuringWeightsWindow as u8, 0, 0, 0],
});

pub(crate) fn e(err: impl Into<DispatchError>) -> DispatchError {
    err.into()
}

/// One per-subnet setter: how to build it, what it stores, who may call it, which checks come
/// first, and its invalid values.
struct Case {
    name: &'static str,
    call: fn(NetUid) -> Call,
    /// Whether the valid value is stored on `NET`.
    stored: fn(&MemoryKv) -> bool,
    /// The event the success emits (encoded `RuntimeEvent`), if any.
    event: Option<Vec<u8>>,
    /// `Some(param)`: the owner may call it, rate-limited by `param` (`None` inside: no limit).
    owner: Option<Option<Hyperparameter>>,
    /// Whether the freeze window applies.
    window: bool,
    /// The error for a missing subnet, if it is checked.
    missing: Option<DispatchError>,
    /// Invalid calls (as root) and their errors.
    bad: Vec<(Call, DispatchError)>,
}

fn cases() -> Vec<Case> {
    use Hyperparameter as H;
    let not_exist = Some(e(Error::SubnetDoesNotExist));
    vec![
        Case {
            name: "serving_rate_limit",
            call: |n| Call::SudoSetServingRateLimit { netuid: n, serving_rate_limit: 7 },
            stored: |s| st::ServingRateLimit::get(s, &NET) == 7,
            event: Some(st_event(&StEvent::ServingRateLimitSet(NET, 7))),
            owner: Some(Some(H::ServingRateLimit)),
            window: true,
            missing: None,
            bad: vec![],
        },
        Case {
            name: "min_difficulty",
            call: |n| Call::SudoSetMinDifficulty { netuid: n, min_difficulty: 77 },
            stored: |s| st::MinDifficulty::get(s, &NET) == 77,
            event: Some(st_event(&StEvent::MinDifficultySet(NET, 77))),
            owner: None,
            window: true,
            missing: not_exist,
            bad: vec![],
        },
        Case {
            name: "max_difficulty",
            call: |n| Call::SudoSetMaxDifficulty { netuid: n, max_difficulty: 88 },
            stored: |s| st::MaxDifficulty::get(s, &NET) == 88,
            event: Some(st_event(&StEvent::MaxDifficultySet(NET, 88))),
            owner: Some(Some(H::MaxDifficulty)),
            window: true,
            missing: not_exist,
            bad: vec![],
        },
        Case {
            name: "weights_version_key",
            call: |n| Call::SudoSetWeightsVersionKey { netuid: n, weights_version_key: 5 },
            stored: |s| st::WeightsVersionKey::get(s, &NET) == 5,
            event: Some(st_event(&StEvent::WeightsVersionKeySet(NET, 5))),
            owner: Some(None),
            window: true,
            missing: not_exist,
            bad: vec![],
        },
        Case {
            name: "weights_set_rate_limit",
            call: |n| Call::SudoSetWeightsSetRateLimit { netuid: n, weights_set_rate_limit: 9 },
            stored: |s| st::WeightsSetRateLimit::get(s, &NET) == 9,
            event: Some(st_event(&StEvent::WeightsSetRateLimitSet(NET, 9))),
            owner: None,
            window: false,
            missing: not_exist,
            bad: vec![],
        },
        Case {
            name: "adjustment_interval",
            call: |n| Call::SudoSetAdjustmentInterval { netuid: n, adjustment_interval: 11 },
            stored: |s| st::AdjustmentInterval::get(s, &NET) == 11,
            event: Some(st_event(&StEvent::AdjustmentIntervalSet(NET, 11))),
            owner: None,
            window: false,
            missing: not_exist,
            bad: vec![],
        },
        Case {
            name: "adjustment_alpha",
            call: |n| Call::SudoSetAdjustmentAlpha { netuid: n, adjustment_alpha: 12 },
            stored: |s| st::AdjustmentAlpha::get(s, &NET) == 12,
            event: Some(st_event(&StEvent::AdjustmentAlphaSet(NET, 12))),
            owner: Some(Some(H::AdjustmentAlpha)),
            window: true,
            missing: not_exist,
            bad: vec![],
        },
        Case {
            name: "immunity_period",
            call: |n| Call::SudoSetImmunityPeriod { netuid: n, immunity_period: 13 },
            stored: |s| st::ImmunityPeriod::get(s, &NET) == 13,
            event: Some(st_event(&StEvent::ImmunityPeriodSet(NET, 13))),
            owner: Some(Some(H::ImmunityPeriod)),
            window: true,
            missing: not_exist,
            bad: vec![],
        },
        Case {
            name: "min_allowed_weights",
            call: |n| Call::SudoSetMinAllowedWeights { netuid: n, min_allowed_weights: 14 },
            stored: |s| st::MinAllowedWeights::get(s, &NET) == 14,
            event: Some(st_event(&StEvent::MinAllowedWeightSet(NET, 14))),
            owner: Some(Some(H::MinAllowedWeights)),
            window: true,
            missing: not_exist,
            bad: vec![],
        },
        Case {
            name: "max_allowed_uids",
            call: |n| Call::SudoSetMaxAllowedUids { netuid: n, max_allowed_uids: 100 },
            stored: |s| st::MaxAllowedUids::get(s, &NET) == 100,
            event: Some(st_event(&StEvent::MaxAllowedUidsSet(NET, 100))),
            owner: Some(Some(H::MaxAllowedUids)),
            window: true,
            missing: not_exist,
            bad: vec![
                (
                    Call::SudoSetMaxAllowedUids { netuid: NET, max_allowed_uids: 63 },
                    e(Error::MaxAllowedUidsLessThanMinAllowedUids),
                ),
                (
                    Call::SudoSetMaxAllowedUids { netuid: NET, max_allowed_uids: 257 },
                    e(Error::MaxAllowedUidsGreaterThanDefaultMaxAllowedUids),
                ),
            ],
        },
        Case {
            name: "kappa",
            call: |n| Call::SudoSetKappa { netuid: n, kappa: 16 },
            stored: |s| st::Kappa::get(s, &NET) == 16,
            event: Some(st_event(&StEvent::KappaSet(NET, 16))),
            owner: None,
            window: false,
            missing: not_exist,
            bad: vec![],
        },
        Case {
            name: "rho",
            call: |n| Call::SudoSetRho { netuid: n, rho: 17 },
            stored: |s| st::Rho::get(s, &NET) == 17,
            event: None,
            owner: Some(Some(H::Rho)),
            window: true,
            missing: not_exist,
            bad: vec![],
        },
        Case {
            name: "activity_cutoff",
            call: |n| Call::SudoSetActivityCutoff { netuid: n, activity_cutoff: 400 },
            stored: |s| st::ActivityCutoff::get(s, &NET) == 400,
            event: Some(st_event(&StEvent::ActivityCutoffSet(NET, 400))),
            owner: Some(Some(H::ActivityCutoff)),
            window: true,
            missing: not_exist,
            bad: vec![(
                Call::SudoSetActivityCutoff { netuid: NET, activity_cutoff: 359 },
                e(StError::ActivityCutoffTooLow),
            )],
        },
        Case {
            name: "network_registration_allowed",
            call: |n| Call::SudoSetNetworkRegistrationAllowed {
                netuid: n,
                registration_allowed: false,
            },
            stored: |s| !st::NetworkRegistrationAllowed::get(s, &NET),
            event: Some(st_event(&StEvent::RegistrationAllowed(NET, false))),
            owner: None,
            window: false,
            missing: None,
            bad: vec![],
        },
        Case {
            name: "target_registrations_per_interval",
            call: |n| Call::SudoSetTargetRegistrationsPerInterval {
                netuid: n,
                target_registrations_per_interval: 21,
            },
            stored: |s| st::TargetRegistrationsPerInterval::get(s, &NET) == 21,
            event: Some(st_event(&StEvent::RegistrationPerIntervalSet(NET, 21))),
            owner: None,
            window: true,
            missing: not_exist,
            bad: vec![],
        },
        Case {
            name: "min_burn",
            call: |n| Call::SudoSetMinBurn { netuid: n, min_burn: 1_000_000 },
            stored: |s| st::MinBurn::get(s, &NET) == 1_000_000,
            event: Some(st_event(&StEvent::MinBurnSet(NET, 1_000_000))),
            owner: Some(Some(H::MinBurn)),
            window: true,
            missing: not_exist,
            bad: vec![(
                Call::SudoSetMinBurn { netuid: NET, min_burn: TAO },
                e(Error::ValueNotInBounds),
            )],
        },
        Case {
            name: "max_burn",
            call: |n| Call::SudoSetMaxBurn { netuid: n, max_burn: 50 * TAO },
            stored: |s| st::MaxBurn::get(s, &NET) == 50 * TAO,
            event: Some(st_event(&StEvent::MaxBurnSet(NET, 50 * TAO))),
            owner: Some(Some(H::MaxBurn)),
            window: true,
            missing: not_exist,
            bad: vec![(
                Call::SudoSetMaxBurn { netuid: NET, max_burn: TAO / 10 },
                e(Error::ValueNotInBounds),
            )],
        },
        Case {
            name: "difficulty",
            call: |n| Call::SudoSetDifficulty { netuid: n, difficulty: 24 },
            stored: |s| st::Difficulty::get(s, &NET) == 24,
            event: Some(st_event(&StEvent::DifficultySet(NET, 24))),
            owner: None,
            window: true,
            missing: not_exist,
            bad: vec![],
        },
        Case {
            name: "max_allowed_validators",
            call: |n| Call::SudoSetMaxAllowedValidators { netuid: n, max_allowed_validators: 25 },
            stored: |s| st::MaxAllowedValidators::get(s, &NET) == 25,
            event: Some(st_event(&StEvent::MaxAllowedValidatorsSet(NET, 25))),
            owner: None,
            window: true,
            missing: not_exist,
            bad: vec![(
                Call::SudoSetMaxAllowedValidators { netuid: NET, max_allowed_validators: 257 },
                e(Error::MaxValidatorsLargerThanMaxUIds),
            )],
        },
        Case {
            name: "bonds_moving_average",
            call: |n| Call::SudoSetBondsMovingAverage { netuid: n, bonds_moving_average: 975_000 },
            stored: |s| st::BondsMovingAverage::get(s, &NET) == 975_000,
            event: Some(st_event(&StEvent::BondsMovingAverageSet(NET, 975_000))),
            owner: Some(Some(H::BondsMovingAverage)),
            window: true,
            missing: not_exist,
            bad: vec![],
        },
        Case {
            name: "max_registrations_per_block",
            call: |n| Call::SudoSetMaxRegistrationsPerBlock {
                netuid: n,
                max_registrations_per_block: 27,
            },
            stored: |s| st::MaxRegistrationsPerBlock::get(s, &NET) == 27,
            event: Some(st_event(&StEvent::MaxRegistrationsPerBlockSet(NET, 27))),
            owner: None,
            window: true,
            missing: not_exist,
            bad: vec![],
        },
        Case {
            name: "tempo",
            call: |n| Call::SudoSetTempo { netuid: n, tempo: 30 },
            stored: |s| st::Tempo::get(s, &NET) == 30 && st::LastEpochBlock::get(s, &NET) == 1000,
            event: Some(st_event(&StEvent::TempoSet(NET, 30))),
            owner: None,
            window: true,
            missing: not_exist,
            bad: vec![],
        },
        Case {
            name: "rao_recycled",
            call: |n| Call::SudoSetRaoRecycled { netuid: n, rao_recycled: 39 },
            stored: |s| st::RAORecycledForRegistration::get(s, &NET) == 39,
            event: Some(st_event(&StEvent::RAORecycledForRegistrationSet(NET, 39))),
            owner: None,
            window: false,
            missing: not_exist,
            bad: vec![],
        },
        Case {
            name: "commit_reveal_weights_enabled",
            call: |n| Call::SudoSetCommitRevealWeightsEnabled { netuid: n, enabled: false },
            stored: |s| !st::CommitRevealWeightsEnabled::get(s, &NET),
            event: Some(st_event(&StEvent::CommitRevealEnabled(NET, false))),
            owner: Some(Some(H::CommitRevealEnabled)),
            window: true,
            missing: not_exist,
            bad: vec![],
        },
        Case {
            name: "liquid_alpha_enabled",
            call: |n| Call::SudoSetLiquidAlphaEnabled { netuid: n, enabled: true },
            stored: |s| st::LiquidAlphaOn::get(s, &NET),
            event: None,
            owner: Some(Some(H::LiquidAlphaEnabled)),
            window: true,
            missing: None,
            bad: vec![],
        },
        Case {
            name: "commit_reveal_weights_interval",
            call: |n| Call::SudoSetCommitRevealWeightsInterval { netuid: n, interval: 3 },
            stored: |s| st::RevealPeriodEpochs::get(s, &NET) == 3,
            event: Some(st_event(&StEvent::CommitRevealPeriodsSet(NET, 3))),
            owner: Some(Some(H::WeightCommitInterval)),
            window: true,
            missing: not_exist,
            bad: vec![
                (
                    Call::SudoSetCommitRevealWeightsInterval { netuid: NET, interval: 101 },
                    e(StError::RevealPeriodTooLarge),
                ),
                (
                    Call::SudoSetCommitRevealWeightsInterval { netuid: NET, interval: 0 },
                    e(StError::RevealPeriodTooSmall),
                ),
            ],
        },
        Case {
            name: "bonds_penalty",
            call: |n| Call::SudoSetBondsPenalty { netuid: n, bonds_penalty: 60 },
            stored: |s| st::BondsPenalty::get(s, &NET) == 60,
            event: Some(st_event(&StEvent::BondsPenaltySet(NET, 60))),
            owner: Some(Some(H::BondsPenalty)),
            window: true,
            missing: not_exist,
            bad: vec![],
        },
        Case {
            name: "toggle_transfer",
            call: |n| Call::SudoSetToggleTransfer { netuid: n, toggle: false },
            stored: |s| !st::TransferToggle::get(s, &NET),
            event: Some(st_event(&StEvent::TransferToggle(NET, false))),
            owner: Some(Some(H::TransferEnabled)),
            window: true,
            missing: None,
            bad: vec![],
        },
        Case {
            name: "ema_price_halving_period",
            call: |n| Call::SudoSetEmaPriceHalvingPeriod { netuid: n, ema_halving: 65 },
            stored: |s| st::EMAPriceHalvingBlocks::get(s, &NET) == 65,
            event: None,
            owner: None,
            window: false,
            missing: None,
            bad: vec![],
        },
        Case {
            name: "subtoken_enabled",
            call: |n| Call::SudoSetSubtokenEnabled { netuid: n, subtoken_enabled: true },
            stored: |s| st::SubtokenEnabled::get(s, &NET),
            event: None,
            owner: None,
            window: true,
            missing: None,
            bad: vec![],
        },
        Case {
            name: "alpha_sigmoid_steepness",
            call: |n| Call::SudoSetAlphaSigmoidSteepness { netuid: n, steepness: 68 },
            stored: |s| st::AlphaSigmoidSteepness::get(s, &NET) == 68,
            event: None,
            owner: Some(Some(H::AlphaSigmoidSteepness)),
            window: true,
            missing: not_exist,
            bad: vec![],
        },
        Case {
            name: "yuma3_enabled",
            call: |n| Call::SudoSetYuma3Enabled { netuid: n, enabled: false },
            stored: |s| !st::Yuma3On::get(s, &NET),
            event: Some(au_event(&Event::Yuma3EnableToggled { netuid: NET, enabled: false })),
            owner: Some(Some(H::Yuma3Enabled)),
            window: true,
            missing: None,
            bad: vec![],
        },
        Case {
            name: "bonds_reset_enabled",
            call: |n| Call::SudoSetBondsResetEnabled { netuid: n, enabled: true },
            stored: |s| st::BondsResetOn::get(s, &NET),
            event: Some(au_event(&Event::BondsResetToggled { netuid: NET, enabled: true })),
            owner: Some(Some(H::BondsResetEnabled)),
            window: true,
            missing: None,
            bad: vec![],
        },
        Case {
            name: "owner_immune_neuron_limit",
            call: |n| Call::SudoSetOwnerImmuneNeuronLimit { netuid: n, immune_neurons: 10 },
            stored: |s| st::ImmuneOwnerUidsLimit::get(s, &NET) == 10,
            event: None,
            owner: Some(Some(H::ImmuneNeuronLimit)),
            window: true,
            missing: None,
            bad: vec![
                (
                    Call::SudoSetOwnerImmuneNeuronLimit { netuid: NET, immune_neurons: 0 },
                    e(StError::InvalidValue),
                ),
                (
                    Call::SudoSetOwnerImmuneNeuronLimit { netuid: NET, immune_neurons: 11 },
                    e(StError::InvalidValue),
                ),
            ],
        },
        Case {
            name: "recycle_or_burn",
            call: |n| Call::SudoSetRecycleOrBurn {
                netuid: n,
                recycle_or_burn: subtensor::types::RecycleOrBurn::Recycle,
            },
            stored: |s| {
                st::RecycleOrBurnOf::get(s, &NET) == subtensor::types::RecycleOrBurn::Recycle
            },
            event: None,
            owner: Some(Some(H::RecycleOrBurn)),
            window: true,
            missing: None,
            bad: vec![],
        },
        Case {
            name: "min_non_immune_uids",
            call: |n| Call::SudoSetMinNonImmuneUids { netuid: n, min: 84 },
            stored: |s| st::MinNonImmuneUids::get(s, &NET) == 84,
            event: Some(st_event(&StEvent::MinNonImmuneUidsSet(NET, 84))),
            owner: None,
            window: false,
            missing: None,
            bad: vec![],
        },
        Case {
            name: "burn_half_life",
            call: |n| Call::SudoSetBurnHalfLife { netuid: n, burn_half_life: 89 },
            stored: |s| st::BurnHalfLife::get(s, &NET) == 89,
            event: Some(au_event(&Event::BurnHalfLifeSet { netuid: NET, burn_half_life: 89 })),
            owner: Some(Some(H::BurnHalfLife)),
            window: true,
            missing: not_exist,
            bad: vec![
                (
                    Call::SudoSetBurnHalfLife { netuid: NET, burn_half_life: 0 },
                    e(Error::InvalidValue),
                ),
                (
                    Call::SudoSetBurnHalfLife { netuid: NET, burn_half_life: 36_101 },
                    e(Error::InvalidValue),
                ),
            ],
        },
        Case {
            name: "burn_increase_mult",
            call: |n| Call::SudoSetBurnIncreaseMult { netuid: n, burn_increase_mult: 2 << 64 },
            stored: |s| st::BurnIncreaseMult::get(s, &NET) == 2 << 64,
            event: Some(au_event(&Event::BurnIncreaseMultSet {
                netuid: NET,
                burn_increase_mult: 2 << 64,
            })),
            owner: Some(Some(H::BurnIncreaseMult)),
            window: true,
            missing: not_exist,
            bad: vec![
                (
                    Call::SudoSetBurnIncreaseMult {
                        netuid: NET,
                        burn_increase_mult: (1 << 64) - 1,
                    },
                    e(Error::InvalidValue),
                ),
                (
                    Call::SudoSetBurnIncreaseMult {
                        netuid: NET,
                        burn_increase_mult: (3 << 64) + 1,
                    },
                    e(Error::InvalidValue),
                ),
            ],
        },
        Case {
            name: "owner_cut_enabled",
            call: |n| Call::SudoSetOwnerCutEnabled { netuid: n, enabled: false },
            stored: |s| !st::OwnerCutEnabled::get(s, &NET),
            event: None,
            owner: Some(None),
            window: true,
            missing: not_exist,
            bad: vec![],
        },
        Case {
            name: "subnet_emission_enabled",
            call: |n| Call::SudoSetSubnetEmissionEnabled { netuid: n, enabled: true },
            stored: |s| st::SubnetEmissionEnabled::get(s, &NET),
            event: Some(au_event(&Event::SubnetEmissionEnabledSet { netuid: NET, enabled: true })),
            owner: None,
            window: false,
            missing: not_exist,
            bad: vec![],
        },
    ]
}

#[test]
fn test_every_subnet_setter_succeeds_for_root_and_stores_and_emits() {
    for case in cases() {
        let mut s = chain();
        let (r, events) = dispatch(&mut s, &Origin::Root, (case.call)(NET));
        assert_eq!(r, Ok(()), "{}", case.name);
        assert!((case.stored)(&s), "{}: value stored", case.name);
        if let Some(event) = &case.event {
            assert!(events.iter().any(|r| r.event == *event), "{}: event", case.name);
        }
        // Root records no owner rate limit: a second root call passes.
        assert_eq!(root(&mut s, (case.call)(NET)), Ok(()), "{}: root again", case.name);
    }
}

#[test]
fn test_owner_settable_setters_accept_the_owner_and_others_refuse_it() {
    for case in cases() {
        let mut s = chain();
        let r = owner(&mut s, (case.call)(NET));
        if case.owner.is_some() {
            assert_eq!(r, Ok(()), "{}", case.name);
            assert!((case.stored)(&s), "{}: value stored", case.name);
        } else {
            assert_eq!(r, Err(DispatchError::BadOrigin), "{}: root only", case.name);
        }
        assert_eq!(
            stranger(&mut s, (case.call)(NET)),
            Err(DispatchError::BadOrigin),
            "{}: a stranger",
            case.name
        );
    }
}

#[test]
fn test_owner_setters_are_rate_limited_per_parameter_for_the_owner_only() {
    for case in cases() {
        let Some(Some(param)) = case.owner else { continue };
        let mut s = chain();
        assert_eq!(owner(&mut s, (case.call)(NET)), Ok(()), "{}", case.name);
        assert_eq!(
            st::LastRateLimitedBlock::get(&s, &RateLimitKey::OwnerHyperparamUpdate(NET, param)),
            1000,
            "{}: recorded",
            case.name
        );
        set_block(&mut s, 1001);
        assert_eq!(
            owner(&mut s, (case.call)(NET)),
            Err(e(StError::TxRateLimitExceeded)),
            "{}: second owner call",
            case.name
        );
        assert_eq!(root(&mut s, (case.call)(NET)), Ok(()), "{}: root is exempt", case.name);
    }
}

#[test]
fn test_setters_check_that_the_subnet_exists() {
    for case in cases() {
        let Some(missing) = case.missing else { continue };
        let mut s = chain();
        assert_eq!(root(&mut s, (case.call)(MISSING)), Err(missing), "{}", case.name);
    }
}

#[test]
fn test_setters_are_refused_in_the_freeze_window_for_owner_and_root() {
    for case in cases() {
        let mut s = chain();
        // Next epoch at 1359: 9 blocks left at 1350 (< AdminFreezeWindow 10).
        set_block(&mut s, 1350);
        let r = root(&mut s, (case.call)(NET));
        if case.window {
            assert_eq!(r, Err(WINDOW), "{}: root", case.name);
            if case.owner.is_some() {
                assert_eq!(owner(&mut s, (case.call)(NET)), Err(WINDOW), "{}: owner", case.name);
            }
        } else {
            assert_eq!(r, Ok(()), "{}: no window check", case.name);
        }
    }
}

#[test]
fn test_setters_reject_invalid_values() {
    for case in cases() {
        for (call, expected) in case.bad {
            let mut s = chain();
            assert_eq!(root(&mut s, call), Err(expected), "{}", case.name);
        }
    }
}

#[test]
fn test_freeze_window_boundary_pending_trigger_and_tempo_zero() {
    let mut s = chain();
    let call = || Call::SudoSetRho { netuid: NET, rho: 3 };
    // Exactly AdminFreezeWindow (10) blocks left: open.
    set_block(&mut s, 1349);
    assert_eq!(root(&mut s, call()), Ok(()));
    set_block(&mut s, 1350);
    assert_eq!(root(&mut s, call()), Err(WINDOW));
    // A zero window never freezes.
    st::AdminFreezeWindow::put(&mut s, &0);
    assert_eq!(root(&mut s, call()), Ok(()));
    st::AdminFreezeWindow::put(&mut s, &10);
    // A pending manual trigger freezes until it fires.
    set_block(&mut s, 1000);
    st::PendingEpochAt::insert(&mut s, &NET, &1005);
    assert_eq!(root(&mut s, call()), Err(WINDOW));
    set_block(&mut s, 1005);
    assert_eq!(root(&mut s, call()), Ok(()));
    // Tempo 0: never in the window.
    st::Tempo::insert(&mut s, &NET, &0);
    set_block(&mut s, 1350);
    assert_eq!(root(&mut s, call()), Ok(()));
}

#[test]
fn test_owner_rate_limit_lasts_owner_hyperparam_rate_limit_tempos() {
    let mut s = chain();
    let call = |v| Call::SudoSetImmunityPeriod { netuid: NET, immunity_period: v };
    assert_eq!(owner(&mut s, call(1)), Ok(()));
    // Another parameter is not limited.
    assert_eq!(owner(&mut s, Call::SudoSetRho { netuid: NET, rho: 1 }), Ok(()));
    // 2 tempos × 360 = 720 blocks; move the epoch anchor so the window stays open.
    set_block(&mut s, 1719);
    st::LastEpochBlock::insert(&mut s, &NET, &1719);
    assert_eq!(owner(&mut s, call(2)), Err(e(StError::TxRateLimitExceeded)));
    set_block(&mut s, 1720);
    assert_eq!(owner(&mut s, call(3)), Ok(()));
    assert_eq!(st::ImmunityPeriod::get(&s, &NET), 3);
    // Root can change the limit: 0 epochs means no limit.
    assert_eq!(root(&mut s, Call::SudoSetOwnerHparamRateLimit { epochs: 0 }), Ok(()));
    assert_eq!(owner(&mut s, call(4)), Ok(()));
}

#[test]
fn test_weights_version_key_owner_limit_is_five_tempos_in_transaction_key_last_block() {
    let mut s = chain();
    let call = |v| Call::SudoSetWeightsVersionKey { netuid: NET, weights_version_key: v };
    assert_eq!(owner(&mut s, call(1)), Ok(()));
    assert_eq!(st::TransactionKeyLastBlock::get(&s, &acc(OWNER), &NET, &4), 1000);
    set_block(&mut s, 1000 + 5 * 360 - 1);
    st::LastEpochBlock::insert(&mut s, &NET, &(1000 + 5 * 360 - 1));
    assert_eq!(owner(&mut s, call(2)), Err(e(StError::TxRateLimitExceeded)));
    set_block(&mut s, 1000 + 5 * 360);
    assert_eq!(owner(&mut s, call(3)), Ok(()));
}

#[test]
fn test_owner_bonds_moving_average_is_capped_but_root_is_not() {
    let mut s = chain();
    let call = |v| Call::SudoSetBondsMovingAverage { netuid: NET, bonds_moving_average: v };
    assert_eq!(owner(&mut s, call(975_001)), Err(e(Error::BondsMovingAverageMaxReached)));
    assert_eq!(root(&mut s, call(999_999)), Ok(()));
}

#[test]
fn test_only_root_sets_a_negative_sigmoid_steepness() {
    let mut s = chain();
    let call = || Call::SudoSetAlphaSigmoidSteepness { netuid: NET, steepness: -5 };
    assert_eq!(owner(&mut s, call()), Err(e(Error::NegativeSigmoidSteepness)));
    assert_eq!(root(&mut s, call()), Ok(()));
    assert_eq!(st::AlphaSigmoidSteepness::get(&s, &NET), -5);
}

#[test]
fn test_max_allowed_uids_and_min_allowed_uids_respect_the_neuron_count() {
    let mut s = chain();
    st::SubnetworkN::insert(&mut s, &NET, &120);
    assert_eq!(
        root(&mut s, Call::SudoSetMaxAllowedUids { netuid: NET, max_allowed_uids: 119 }),
        Err(e(Error::MaxAllowedUIdsLessThanCurrentUIds))
    );
    let min = |v| Call::SudoSetMinAllowedUids { netuid: NET, min_allowed_uids: v };
    assert_eq!(root(&mut s, min(100)), Ok(()));
    assert_eq!(st::MinAllowedUids::get(&s, &NET), 100);
    assert_eq!(root(&mut s, min(120)), Err(e(Error::MinAllowedUidsGreaterThanCurrentUids)));
    st::SubnetworkN::insert(&mut s, &NET, &256);
    assert_eq!(root(&mut s, min(256)), Err(e(Error::MinAllowedUidsGreaterThanMaxAllowedUids)));
    assert_eq!(owner(&mut s, min(10)), Err(DispatchError::BadOrigin));
    assert_eq!(
        root(&mut s, Call::SudoSetMinAllowedUids { netuid: MISSING, min_allowed_uids: 1 }),
        Err(e(Error::SubnetDoesNotExist))
    );
}

#[test]
fn test_alpha_values_need_liquid_alpha_and_ordered_bounds() {
    let mut s = chain();
    let call = |lo, hi| Call::SudoSetAlphaValues { netuid: NET, alpha_low: lo, alpha_high: hi };
    assert_eq!(owner(&mut s, call(2000, 3000)), Err(e(StError::LiquidAlphaDisabled)));
    st::LiquidAlphaOn::insert(&mut s, &NET, &true);
    assert_eq!(root(&mut s, call(2000, 1637)), Err(e(StError::AlphaHighTooLow)));
    assert_eq!(root(&mut s, call(1637, 3000)), Err(e(StError::AlphaLowOutOfRange)));
    assert_eq!(root(&mut s, call(3001, 3000)), Err(e(StError::AlphaLowOutOfRange)));
    assert_eq!(owner(&mut s, call(1638, 1638)), Ok(()));
    assert_eq!(st::AlphaValues::get(&s, &NET), (1638, 1638));
    assert_eq!(owner(&mut s, call(2000, 3000)), Err(e(StError::TxRateLimitExceeded)));
    assert_eq!(stranger(&mut s, call(2000, 3000)), Err(DispatchError::BadOrigin));
    set_block(&mut s, 1350);
    assert_eq!(root(&mut s, call(2000, 3000)), Err(WINDOW));
}

#[test]
fn test_burn_parameters_are_refused_on_the_root_subnet() {
    let mut s = chain();
    for call in [
        Call::SudoSetBurnHalfLife { netuid: subtensor::ROOT, burn_half_life: 10 },
        Call::SudoSetBurnIncreaseMult { netuid: subtensor::ROOT, burn_increase_mult: 1 << 64 },
        Call::SudoSetOwnerCutEnabled { netuid: subtensor::ROOT, enabled: false },
        Call::SudoSetSubnetEmissionEnabled { netuid: subtensor::ROOT, enabled: false },
    ] {
        // Tempo 0 keeps the freeze window out of the way.
        st::Tempo::insert(&mut s, &subtensor::ROOT, &0);
        assert_eq!(root(&mut s, call), Err(e(Error::NotPermittedOnRootSubnet)));
    }
}

#[test]
fn test_min_and_max_burn_must_stay_ordered() {
    let mut s = chain();
    st::MaxBurn::insert(&mut s, &NET, &(TAO / 2));
    assert_eq!(
        root(&mut s, Call::SudoSetMinBurn { netuid: NET, min_burn: TAO / 2 }),
        Err(e(Error::ValueNotInBounds))
    );
    st::MinBurn::insert(&mut s, &NET, &(TAO / 5));
    assert_eq!(
        root(&mut s, Call::SudoSetMaxBurn { netuid: NET, max_burn: TAO / 5 }),
        Err(e(Error::ValueNotInBounds))
    );
}

#[test]
fn test_global_root_setters_store_emit_and_refuse_signed_origins() {
    type Check = fn(&MemoryKv) -> bool;
    let table: Vec<(Call, Check, Option<Vec<u8>>)> = vec![
        (
            Call::SudoSetDefaultTake { default_take: 1 },
            |s| st::MaxDelegateTake::get(s) == 1,
            Some(st_event(&StEvent::MaxDelegateTakeSet(1))),
        ),
        (
            Call::SudoSetTxRateLimit { tx_rate_limit: 2 },
            |s| st::TxRateLimit::get(s) == 2,
            Some(st_event(&StEvent::TxRateLimitSet(2))),
        ),
        (
            Call::SudoSetSubnetOwnerCut { subnet_owner_cut: 28 },
            |s| st::SubnetOwnerCut::get(s) == 28,
            Some(st_event(&StEvent::SubnetOwnerCutSet(28))),
        ),
        (
            Call::SudoSetNetworkRateLimit { rate_limit: 29 },
            |s| st::NetworkRateLimit::get(s) == 29,
            Some(st_event(&StEvent::NetworkRateLimitSet(29))),
        ),
        (
            Call::SudoSetNetworkImmunityPeriod { immunity_period: 35 },
            |s| st::NetworkImmunityPeriod::get(s) == 35,
            Some(st_event(&StEvent::NetworkImmunityPeriodSet(35))),
        ),
        (
            Call::SudoSetNetworkMinLockCost { lock_cost: 36 },
            |s| st::NetworkMinLockCost::get(s) == 36,
            Some(st_event(&StEvent::NetworkMinLockCostSet(36))),
        ),
        (
            Call::SudoSetSubnetLimit { max_subnets: 37 },
            |s| st::SubnetLimit::get(s) == 37,
            Some(st_event(&StEvent::SubnetLimitSet(37))),
        ),
        (
            Call::SudoSetLockReductionInterval { interval: 38 },
            |s| st::NetworkLockReductionInterval::get(s) == 38,
            Some(st_event(&StEvent::NetworkLockCostReductionIntervalSet(38))),
        ),
        (
            Call::SudoSetStakeThreshold { min_stake: 42 },
            |s| st::StakeThreshold::get(s) == 42,
            Some(st_event(&StEvent::StakeThresholdSet(42))),
        ),
        (
            Call::SudoSetNominatorMinRequiredStake { min_stake: 43 },
            |s| st::NominatorMinRequiredStake::get(s) == 43,
            None,
        ),
        (
            Call::SudoSetTxDelegateTakeRateLimit { tx_rate_limit: 45 },
            |s| st::TxDelegateTakeRateLimit::get(s) == 45,
            Some(st_event(&StEvent::TxDelegateTakeRateLimitSet(45))),
        ),
        (
            Call::SudoSetMinDelegateTake { take: 46 },
            |s| st::MinDelegateTake::get(s) == 46,
            Some(st_event(&StEvent::MinDelegateTakeSet(46))),
        ),
        (
            Call::SudoToggleEvmPrecompile {
                precompile_id: PrecompileEnum::Staking,
                enabled: false,
            },
            |s| !PrecompileEnable::get(s, &PrecompileEnum::Staking),
            Some(au_event(&Event::PrecompileUpdated {
                precompile_id: PrecompileEnum::Staking,
                enabled: false,
            })),
        ),
        (
            Call::SudoSetSubnetMovingAlpha { alpha: 63 },
            |s| st::SubnetMovingAlpha::get(s) == 63,
            None,
        ),
        (
            Call::SudoSetCommitRevealVersion { version: 71 },
            |s| st::CommitRevealWeightsVersion::get(s) == 71,
            Some(st_event(&StEvent::CommitRevealVersionSet(71))),
        ),
        (
            Call::SudoSetAdminFreezeWindow { window: 74 },
            |s| st::AdminFreezeWindow::get(s) == 74,
            Some(st_event(&StEvent::AdminFreezeWindowSet(74))),
        ),
        (
            Call::SudoSetOwnerHparamRateLimit { epochs: 75 },
            |s| st::OwnerHyperparamRateLimit::get(s) == 75,
            Some(st_event(&StEvent::OwnerHyperparamRateLimitSet(75))),
        ),
        (
            Call::SudoSetStartCallDelay { delay: 85 },
            |s| st::StartCallDelay::get(s) == 85,
            Some(st_event(&StEvent::StartCallDelaySet(85))),
        ),
        (
            Call::SudoSetMaxEpochsPerBlock { max_epochs_per_block: 96 },
            |s| st::MaxEpochsPerBlock::get(s) == 96,
            Some(st_event(&StEvent::MaxEpochsPerBlockSet(96))),
        ),
    ];
    for (call, stored, event) in table {
        let mut s = chain();
        let name = format!("{call:?}");
        assert_eq!(owner(&mut s, call.clone()), Err(DispatchError::BadOrigin), "{name}");
        let (r, events) = dispatch(&mut s, &Origin::Root, call);
        assert_eq!(r, Ok(()), "{name}");
        assert!(stored(&s), "{name}: stored");
        if let Some(event) = event {
            assert!(events.iter().any(|r| r.event == event), "{name}: event");
        }
    }
}

#[test]
fn test_deprecated_and_disabled_calls_always_fail() {
    let mut s = chain();
    assert_eq!(
        root(&mut s, Call::SudoSetTotalIssuance { total_issuance: 1 }),
        Err(e(Error::Deprecated))
    );
    assert_eq!(
        root(
            &mut s,
            Call::SudoSetNetworkPowRegistrationAllowed { netuid: NET, registration_allowed: true }
        ),
        Err(e(Error::POWRegistrationDisabled))
    );
    assert_eq!(
        root(&mut s, Call::SudoSetMaxEpochsPerBlock { max_epochs_per_block: 0 }),
        Err(e(Error::ValueNotInBounds))
    );
}

#[test]
fn test_toggling_a_precompile_to_its_current_state_emits_nothing() {
    let mut s = chain();
    let call =
        Call::SudoToggleEvmPrecompile { precompile_id: PrecompileEnum::Alpha, enabled: true };
    let (r, events) = dispatch(&mut s, &Origin::Root, call);
    assert_eq!(r, Ok(()));
    assert!(events.is_empty());
}

#[test]
fn test_subnet_owner_hotkey_is_rate_limited_for_owner_and_root() {
    let mut s = chain();
    let call = |h| Call::SudoSetSnOwnerHotkey { netuid: NET, hotkey: acc(h) };
    let (r, events) = dispatch(&mut s, &Origin::Signed(acc(OWNER)), call(3));
    assert_eq!(r, Ok(()));
    assert_eq!(st::SubnetOwnerHotkey::get(&s, &NET), acc(3));
    assert!(
        events.iter().any(|r| r.event == st_event(&StEvent::SubnetOwnerHotkeySet(NET, acc(3))))
    );
    assert_eq!(root(&mut s, call(4)), Err(e(StError::TxRateLimitExceeded)));
    set_block(&mut s, 1000 + 50_400);
    let alias = Call::SudoSetSubnetOwnerHotkey { netuid: NET, hotkey: acc(4) };
    assert_eq!(root(&mut s, alias), Ok(()));
    set_block(&mut s, 1000 + 2 * 50_400);
    assert_eq!(
        owner(
            &mut s,
            Call::SudoSetSnOwnerHotkey { netuid: NET, hotkey: subtensor::subnet_account_id(NET) }
        ),
        Err(e(StError::CannotUseSystemAccount))
    );
    assert_eq!(stranger(&mut s, call(6)), Err(DispatchError::BadOrigin));
    assert_eq!(
        root(&mut s, Call::SudoSetSnOwnerHotkey { netuid: MISSING, hotkey: acc(6) }),
        Err(e(StError::SubnetNotExists))
    );
}

// ---- wire format and signed extrinsics --------------------------------------------------------

#[test]
fn test_call_bytes_are_subtensors() {
    // AdminUtils(19).sudo_set_kappa(16)(netuid 1, kappa 0x0102).
    let bytes = [19u8, 16, 1, 0, 2, 1];
    assert_eq!(
        crate::pallets::RuntimeCall::decode(&bytes),
        Ok(crate::pallets::RuntimeCall::AdminUtils(Call::SudoSetKappa {
            netuid: NET,
            kappa: 0x0102
        }))
    );
    assert_eq!(
        Call::decode_from(0, &mut &[][..]),
        Err(crate::dispatch::CallError::UnknownCall { pallet: PALLET_INDEX, call: 0 })
    );
    assert_eq!(
        Call::decode_from(16, &mut &[1u8][..]),
        Err(crate::dispatch::CallError::BadArguments { pallet: PALLET_INDEX, call: 16 })
    );
    for &index in calls::KNOWN_CALLS {
        assert!(
            !matches!(
                Call::decode_from(index, &mut &[0u8; 64][..]),
                Err(crate::dispatch::CallError::UnknownCall { .. })
            ),
            "index {index} is known"
        );
    }
    // Error indices as clients see them.
    assert_eq!(Error::SubnetDoesNotExist as u8, 0);
    assert_eq!(Error::BondsMovingAverageMaxReached as u8, 3);
    assert_eq!(Error::Deprecated as u8, 13);
    assert_eq!(
        Call::SudoSetBurnHalfLife { netuid: NET, burn_half_life: 1 }.info().class,
        crate::dispatch::DispatchClass::Operational
    );
}

#[test]
fn test_admin_setters_through_signed_extrinsics() {
    use crate::executive::Executive;
    use crate::genesis::{ChainSpec, build_genesis};
    use crate::pallets::Runtime;
    use crate::test_utils::{
        TEST_GENESIS_HASH, TEST_VERSION, dev_account, dev_pair, sign_call, sudo_call,
    };

    let genesis = build_genesis(&ChainSpec::dev()).unwrap();
    let mut state = MemoryKv::new();
    for (k, v) in &genesis.storage {
        crate::storage::Kv::put(&mut state, k, v);
    }
    let bob = dev_pair("Bob");
    let admin = |c: Call| {
        let mut bytes = vec![PALLET_INDEX];
        c.encode_to(&mut bytes);
        bytes
    };
    let subtensor_call = |c: subtensor::Call| {
        let mut bytes = vec![subtensor::PALLET_INDEX];
        c.encode_to(&mut bytes);
        bytes
    };
    let mut block =
        Executive::initialize_block(&state, Runtime, TEST_VERSION, 1, TEST_GENESIS_HASH);
    let r = block
        .apply_extrinsic(&sign_call(
            &bob,
            0,
            subtensor_call(subtensor::Call::RegisterNetwork { hotkey: dev_account("Charlie") }),
        ))
        .unwrap();
    assert_eq!(r.result, Ok(()));
    // The owner (Bob) sets an owner parameter and pays a fee.
    let r = block
        .apply_extrinsic(&sign_call(
            &bob,
            1,
            admin(Call::SudoSetImmunityPeriod { netuid: NET, immunity_period: 4321 }),
        ))
        .unwrap();
    assert_eq!(r.result, Ok(()));
    assert!(r.fee > 0, "admin-utils calls pay");
    // Over the owner cap: AdminUtils error 3 (Module index 19).
    let r = block
        .apply_extrinsic(&sign_call(
            &bob,
            2,
            admin(Call::SudoSetBondsMovingAverage { netuid: NET, bonds_moving_average: 990_000 }),
        ))
        .unwrap();
    assert_eq!(r.result, Err(e(Error::BondsMovingAverageMaxReached)));
    assert_eq!(
        e(Error::BondsMovingAverageMaxReached),
        DispatchError::Module(crate::dispatch::ModuleError { index: 19, error: [3, 0, 0, 0] })
    );
    // Root-only from the owner: BadOrigin.
    let kappa = admin(Call::SudoSetKappa { netuid: NET, kappa: 100 });
    let r = block.apply_extrinsic(&sign_call(&bob, 3, kappa.clone())).unwrap();
    assert_eq!(r.result, Err(DispatchError::BadOrigin));
    // Through Sudo (Alice is the dev sudo key).
    let r = block.apply_extrinsic(&sign_call(&dev_pair("Alice"), 0, sudo_call(&kappa))).unwrap();
    assert_eq!(r.result, Ok(()));
    let state = block.finalize_block();
    assert_eq!(st::ImmunityPeriod::get(&state, &NET), 4321);
    assert_eq!(st::Kappa::get(&state, &NET), 100);
}
