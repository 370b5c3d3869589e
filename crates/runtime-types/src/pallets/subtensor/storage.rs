//! `SubtensorModule` storage items: names, hashers, key and value types and defaults as
//! subtensor declares them (`reference/subtensor.md` App. D).
//!
//! Every alias here is one item `SubtensorModule.<Name>`; its key is
//! `twox128("SubtensorModule") ++ twox128("<Name>") ++ hashed keys`, its value SCALE. Amounts
//! are RAO (`u64`) for TAO and alpha alike. Fixed-point values are stored as their raw bits:
//! `U64F64`/`U96F32`/`I96F32` as a 16-byte integer, exactly as substrate-fixed encodes them.
//!
//! Defaults are the production storage defaults (not the values `register_network` writes for
//! a new subnet; those live in `super::subnets`).
//!
//! Wire format: keys and values are what clients read with `state_getStorage`; changing a
//! name, hasher or type breaks them.

#![allow(missing_docs, reason = "each item is documented by its alias")]

use rustensor_primitives::{AccountId32, NetUid};

use super::types::{
    AxonInfo, ChainIdentityV2, NeuronCertificate, PrometheusInfo, RecycleOrBurn, SubnetIdentityV3,
    WeightCommit,
};
use crate::storage::{
    Blake2_128Concat, ConstBool, ConstI16, ConstU8, ConstU16, ConstU32, ConstU64, ConstU128, Get,
    Identity, KeyedBySubnet, OptionQuery, StorageDoubleMap, StorageMap, StorageNMap3, StorageValue,
    Twox64Concat, ValueQuery,
};

/// The pallet name in storage keys.
pub const PALLET: &str = "SubtensorModule";

/// Declares one zero-sized prefix type per item, in module `prefix`, named like the item.
///
/// Also declares `metadata_entries()`, the metadata of every item in this order; an item whose
/// alias is not named like its prefix is written `Prefix => Alias`.
macro_rules! prefixes {
    ($($name:ident $(=> $alias:ident)?),* $(,)?) => {
        /// The [`StoragePrefix`](crate::storage::StoragePrefix) type of each item.
        pub mod prefix {
            $(
                #[doc = concat!("`SubtensorModule.", stringify!($name), "`.")]
                #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
                pub struct $name;

                impl crate::storage::StoragePrefix for $name {
                    const PALLET: &'static str = super::PALLET;
                    const ITEM: &'static str = stringify!($name);
                }
            )*
        }

        /// The metadata entry of every item, in declaration order.
        pub fn metadata_entries() -> Vec<frame_metadata::v15::StorageEntryMetadata> {
            vec![$(crate::metadata::storage::entry::<prefixes!(@alias $name $($alias)?)>()),*]
        }
    };
    (@alias $name:ident) => { $name };
    (@alias $name:ident $alias:ident) => { $alias };
}

prefixes!(
    // Global values.
    TotalIssuance,
    TotalStake,
    BlockEmission,
    TotalNetworks,
    SubnetLimit,
    TaoWeight,
    SubnetOwnerCut,
    MaxDelegateTake,
    MinDelegateTake,
    TxRateLimit,
    TxDelegateTakeRateLimit,
    StakeThreshold,
    NominatorMinRequiredStake,
    NetworkRateLimit,
    NetworkImmunityPeriod,
    NetworkMinLockCost,
    NetworkLastLockCost,
    NetworkLockReductionInterval,
    NetworkRegistrationStartBlock,
    StartCallDelay,
    SubnetMovingAlpha,
    MaxEpochsPerBlock,
    InitialTempo,
    AdminFreezeWindow,
    OwnerHyperparamRateLimit,
    WeightsVersionKeyRateLimit,
    MinActivityCutoff,
    CommitRevealWeightsVersion,
    LastRateLimitedBlock,
    TransactionKeyLastBlock,
    // Accounts and keys.
    Owner,
    OwnedHotkeys,
    StakingHotkeys,
    Delegates,
    IdentitiesV2,
    // Stake and pools.
    TotalHotkeyAlpha,
    TotalHotkeyAlphaLastEpoch,
    TotalHotkeyShares,
    Alpha,
    SubnetTAO,
    SubnetAlphaIn,
    SubnetAlphaOut,
    SubnetProtocolAlpha,
    SubnetVolume,
    SubnetMovingPrice,
    RootProp,
    SubnetAlphaInEmission,
    SubnetAlphaOutEmission,
    SubnetTaoInEmission,
    SubnetExcessTao,
    SubnetEmissionEnabled,
    TransferToggle,
    SubnetLocked,
    AlphaDividendsPerSubnet,
    RootAlphaDividendsPerSubnet,
    LastColdkeyHotkeyStakeBlock,
    // Emission accumulators and epoch timing.
    PendingServerEmission,
    PendingValidatorEmission,
    PendingRootAlphaDivs,
    PendingOwnerCut,
    MinerBurned,
    BlocksSinceLastStep,
    LastMechansimStepBlock,
    LastEpochBlock,
    PendingEpochAt,
    SubnetEpochIndex,
    FirstEmissionBlockNumber,
    SubtokenEnabled,
    OwnerCutEnabled,
    RecycleOrBurn => RecycleOrBurnOf,
    // Subnet registry.
    NetworksAdded,
    NetworkRegisteredAt,
    RegisteredSubnetCounter,
    SubnetMechanism,
    SubnetOwner,
    SubnetOwnerHotkey,
    SubnetworkN,
    TokenSymbol,
    SubnetIdentitiesV3,
    // Neurons.
    Uids,
    Keys,
    IsNetworkMember,
    BlockAtRegistration,
    Axons,
    Prometheus,
    NeuronCertificates,
    // Consensus vectors.
    Active,
    Emission,
    Consensus,
    Dividends,
    ValidatorTrust,
    ValidatorPermit,
    StakeWeight,
    Incentive,
    LastUpdate,
    Weights,
    Bonds,
    // Commit-reveal.
    WeightCommits,
    RevealPeriodEpochs,
    CommitRevealWeightsEnabled,
    // Registration.
    Burn,
    MinBurn,
    MaxBurn,
    BurnHalfLife,
    BurnIncreaseMult,
    RegistrationsThisBlock,
    RegistrationsThisInterval,
    POWRegistrationsThisInterval,
    BurnRegistrationsThisInterval,
    MaxRegistrationsPerBlock,
    TargetRegistrationsPerInterval,
    AdjustmentInterval,
    AdjustmentAlpha,
    LastAdjustmentBlock,
    Difficulty,
    MinDifficulty,
    MaxDifficulty,
    NetworkRegistrationAllowed,
    NetworkPowRegistrationAllowed,
    RAORecycledForRegistration,
    UsedWork,
    ImmunityPeriod,
    MinNonImmuneUids,
    ImmuneOwnerUidsLimit,
    MinAllowedUids,
    MaxAllowedUids,
    // Epoch hyperparameters.
    Tempo,
    ActivityCutoff,
    ActivityCutoffFactorMilli,
    Rho,
    Kappa,
    MinAllowedWeights,
    MaxWeightsLimit,
    MaxAllowedValidators,
    WeightsVersionKey,
    WeightsSetRateLimit,
    BondsMovingAverage,
    BondsPenalty,
    BondsResetOn,
    LiquidAlphaOn,
    AlphaValues,
    AlphaSigmoidSteepness,
    Yuma3On,
    ServingRateLimit,
    EMAPriceHalvingBlocks,
);

type Acc = AccountId32;
type B128 = Blake2_128Concat;

/// `Get` for the all-zero account: the default of `Owner`, `SubnetOwner` and `Keys`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ZeroAccount;
impl Get<AccountId32> for ZeroAccount {
    fn get() -> AccountId32 {
        AccountId32([0; 32])
    }
}

/// `Get` for the default token symbol "𝜏" (UTF-8 `F0 9D 9C 8F`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DefaultSymbol;
impl Get<Vec<u8>> for DefaultSymbol {
    fn get() -> Vec<u8> {
        b"\xF0\x9D\x9C\x8F".to_vec()
    }
}

/// `Get` for the default liquid-alpha bounds `(45875, 58982)` ≈ (0.7, 0.9).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DefaultAlphaValues;
impl Get<(u16, u16)> for DefaultAlphaValues {
    fn get() -> (u16, u16) {
        (45_875, 58_982)
    }
}

/// 1 TAO in RAO.
pub const TAO: u64 = 1_000_000_000;
/// `TaoWeight` storage default: 971 718 665 099 567 868 / u64::MAX ≈ 0.0527.
pub const DEFAULT_TAO_WEIGHT: u64 = 971_718_665_099_567_868;
/// `BurnIncreaseMult` default 1.26 as `U64F64` bits (the f64 1.26 converted exactly).
pub const DEFAULT_BURN_INCREASE_MULT_BITS: u128 = 23_242_897_532_874_035_200;
/// `SubnetMovingAlpha` default 0.000003 as `I96F32` bits.
pub const DEFAULT_MOVING_ALPHA_BITS: u128 = 12_885;

// ---- Global values ----------------------------------------------------------------------

/// `TotalIssuance`: subtensor's own TAO issuance (drives the halving), RAO.
pub type TotalIssuance = StorageValue<prefix::TotalIssuance, u64>;
/// `TotalStake`: TAO held in all subnet pools (`Σ SubnetTAO`), RAO.
pub type TotalStake = StorageValue<prefix::TotalStake, u64>;
/// `BlockEmission`: TAO minted this block (1 TAO until the first halving).
pub type BlockEmission = StorageValue<prefix::BlockEmission, u64, ValueQuery<ConstU64<TAO>>>;
/// `TotalNetworks`: number of subnets, root included.
pub type TotalNetworks = StorageValue<prefix::TotalNetworks, u16>;
/// `SubnetLimit`: most non-root subnets (128).
pub type SubnetLimit = StorageValue<prefix::SubnetLimit, u16, ValueQuery<ConstU16<128>>>;
/// `TaoWeight`: weight of root TAO in stake weights, as a fraction of `u64::MAX`.
pub type TaoWeight = StorageValue<prefix::TaoWeight, u64, ValueQuery<ConstU64<DEFAULT_TAO_WEIGHT>>>;
/// `SubnetOwnerCut`: owner share of alpha emission, u16 fraction (11 796 = 18 %).
pub type SubnetOwnerCut = StorageValue<prefix::SubnetOwnerCut, u16, ValueQuery<ConstU16<11_796>>>;
/// `MaxDelegateTake`: 11 796 (18 %).
pub type MaxDelegateTake = StorageValue<prefix::MaxDelegateTake, u16, ValueQuery<ConstU16<11_796>>>;
/// `MinDelegateTake`: 0.
pub type MinDelegateTake = StorageValue<prefix::MinDelegateTake, u16>;
/// `TxRateLimit`: blocks between a coldkey's rate-limited transactions (1000).
pub type TxRateLimit = StorageValue<prefix::TxRateLimit, u64, ValueQuery<ConstU64<1000>>>;
/// `TxDelegateTakeRateLimit`: blocks between take increases (216 000).
pub type TxDelegateTakeRateLimit =
    StorageValue<prefix::TxDelegateTakeRateLimit, u64, ValueQuery<ConstU64<216_000>>>;
/// `StakeThreshold`: least stake weight to set weights (0).
pub type StakeThreshold = StorageValue<prefix::StakeThreshold, u64>;
/// `NominatorMinRequiredStake`: per-million of `DefaultMinStake` under which a nomination is
/// cleaned up (0).
pub type NominatorMinRequiredStake = StorageValue<prefix::NominatorMinRequiredStake, u64>;
/// `NetworkRateLimit`: blocks between subnet registrations (7200).
pub type NetworkRateLimit = StorageValue<prefix::NetworkRateLimit, u64, ValueQuery<ConstU64<7200>>>;
/// `NetworkImmunityPeriod`: blocks a new subnet cannot be pruned (1 296 000).
pub type NetworkImmunityPeriod =
    StorageValue<prefix::NetworkImmunityPeriod, u64, ValueQuery<ConstU64<1_296_000>>>;
/// `NetworkMinLockCost`: floor of the subnet lock cost (1000 TAO).
pub type NetworkMinLockCost =
    StorageValue<prefix::NetworkMinLockCost, u64, ValueQuery<ConstU64<{ 1000 * TAO }>>>;
/// `NetworkLastLockCost`: the lock paid by the last subnet registration.
pub type NetworkLastLockCost =
    StorageValue<prefix::NetworkLastLockCost, u64, ValueQuery<ConstU64<{ 1000 * TAO }>>>;
/// `NetworkLockReductionInterval`: blocks for the lock cost to decay to the floor (100 800).
pub type NetworkLockReductionInterval =
    StorageValue<prefix::NetworkLockReductionInterval, u64, ValueQuery<ConstU64<100_800>>>;
/// `NetworkRegistrationStartBlock`: first block subnets may be registered (0).
pub type NetworkRegistrationStartBlock = StorageValue<prefix::NetworkRegistrationStartBlock, u64>;
/// `StartCallDelay`: blocks after registration before `start_call` is allowed (0).
pub type StartCallDelay = StorageValue<prefix::StartCallDelay, u64>;
/// `SubnetMovingAlpha`: per-block EMA factor of the moving price, `I96F32` bits (3·10⁻⁶).
pub type SubnetMovingAlpha =
    StorageValue<prefix::SubnetMovingAlpha, u128, ValueQuery<ConstU128<DEFAULT_MOVING_ALPHA_BITS>>>;
/// `MaxEpochsPerBlock`: most subnet epochs run in one block (2).
pub type MaxEpochsPerBlock = StorageValue<prefix::MaxEpochsPerBlock, u8, ValueQuery<ConstU8<2>>>;
/// `InitialTempo`: the `Tempo` of newly registered subnets (360). **Not a subtensor item**:
/// subtensor has it as a runtime constant (10 in `fast-blocks` builds); rustensor keeps it in
/// state so that one binary serves both, set from the chain spec.
pub type InitialTempo = StorageValue<prefix::InitialTempo, u16, ValueQuery<ConstU16<360>>>;
/// `AdminFreezeWindow`: blocks before an epoch during which hyperparameters are frozen (10).
pub type AdminFreezeWindow = StorageValue<prefix::AdminFreezeWindow, u16, ValueQuery<ConstU16<10>>>;
/// `OwnerHyperparamRateLimit`: tempos between an owner's updates of one parameter (2).
pub type OwnerHyperparamRateLimit =
    StorageValue<prefix::OwnerHyperparamRateLimit, u16, ValueQuery<ConstU16<2>>>;
/// `WeightsVersionKeyRateLimit`: tempos between owner updates of the version key (5).
pub type WeightsVersionKeyRateLimit =
    StorageValue<prefix::WeightsVersionKeyRateLimit, u64, ValueQuery<ConstU64<5>>>;
/// `MinActivityCutoff`: floor of `ActivityCutoff` (360).
pub type MinActivityCutoff =
    StorageValue<prefix::MinActivityCutoff, u16, ValueQuery<ConstU16<360>>>;
/// `CommitRevealWeightsVersion`: accepted timelock commit version (4).
pub type CommitRevealWeightsVersion =
    StorageValue<prefix::CommitRevealWeightsVersion, u16, ValueQuery<ConstU16<4>>>;
/// `LastRateLimitedBlock[RateLimitKey]`: last block of a rate-limited action
/// (see [`super::rate_limit::RateLimitKey`]).
pub type LastRateLimitedBlock =
    StorageMap<prefix::LastRateLimitedBlock, Identity, super::rate_limit::RateLimitKey, u64>;
/// `TransactionKeyLastBlock`: `(account, netuid, transaction type)` → the block an owner-side
/// rate-limited action last happened (`TransactionType` numbers, see
/// `super::rate_limit::OwnerLimit`).
pub type TransactionKeyLastBlock =
    StorageNMap3<prefix::TransactionKeyLastBlock, B128, Acc, Identity, NetUid, Identity, u16, u64>;

// ---- Accounts and keys ------------------------------------------------------------------

/// `Owner[hotkey] → coldkey` (zero account when unowned).
pub type Owner = StorageMap<prefix::Owner, B128, Acc, Acc, ValueQuery<ZeroAccount>>;
/// `OwnedHotkeys[coldkey] → hotkeys`.
pub type OwnedHotkeys = StorageMap<prefix::OwnedHotkeys, B128, Acc, Vec<Acc>>;
/// `StakingHotkeys[coldkey] → hotkeys` the coldkey has staked to.
pub type StakingHotkeys = StorageMap<prefix::StakingHotkeys, B128, Acc, Vec<Acc>>;
/// `Delegates[hotkey] → take` (u16 fraction; default 11 796 = 18 %).
pub type Delegates = StorageMap<prefix::Delegates, B128, Acc, u16, ValueQuery<ConstU16<11_796>>>;
/// `IdentitiesV2[coldkey]`.
pub type IdentitiesV2 = StorageMap<prefix::IdentitiesV2, B128, Acc, ChainIdentityV2, OptionQuery>;

// ---- Stake and pools --------------------------------------------------------------------

/// `TotalHotkeyAlpha[hotkey][netuid]`: the hotkey's share pool value (alpha).
pub type TotalHotkeyAlpha =
    StorageDoubleMap<prefix::TotalHotkeyAlpha, B128, Acc, Identity, NetUid, u64>;
/// `TotalHotkeyAlphaLastEpoch[hotkey][netuid]`: the pool value at the last epoch.
pub type TotalHotkeyAlphaLastEpoch =
    StorageDoubleMap<prefix::TotalHotkeyAlphaLastEpoch, B128, Acc, Identity, NetUid, u64>;
/// `TotalHotkeyShares[hotkey][netuid]`: the pool's share denominator, `U64F64` bits.
pub type TotalHotkeyShares =
    StorageDoubleMap<prefix::TotalHotkeyShares, B128, Acc, Identity, NetUid, u128>;
/// `Alpha[(hotkey, coldkey, netuid)]`: a coldkey's shares in a hotkey's pool, `U64F64` bits.
pub type Alpha = StorageNMap3<prefix::Alpha, B128, Acc, B128, Acc, Identity, NetUid, u128>;
/// `SubnetTAO[netuid]`: the pool's TAO reserve.
pub type SubnetTAO = StorageMap<prefix::SubnetTAO, Identity, NetUid, u64>;
/// `SubnetAlphaIn[netuid]`: the pool's alpha reserve.
pub type SubnetAlphaIn = StorageMap<prefix::SubnetAlphaIn, Identity, NetUid, u64>;
/// `SubnetAlphaOut[netuid]`: alpha held by stakers.
pub type SubnetAlphaOut = StorageMap<prefix::SubnetAlphaOut, Identity, NetUid, u64>;
/// `SubnetProtocolAlpha[netuid]`: alpha bought by the protocol's chain buys.
pub type SubnetProtocolAlpha = StorageMap<prefix::SubnetProtocolAlpha, Identity, NetUid, u64>;
/// `SubnetVolume[netuid]`: cumulative swap volume (TAO).
pub type SubnetVolume = StorageMap<prefix::SubnetVolume, Identity, NetUid, u128>;
/// `SubnetMovingPrice[netuid]`: EMA of the spot price, `I96F32` bits (default 0).
pub type SubnetMovingPrice = StorageMap<prefix::SubnetMovingPrice, Identity, NetUid, i128>;
/// `RootProp[netuid]`: root proportion of the last block, `U96F32` bits.
pub type RootProp = StorageMap<prefix::RootProp, Identity, NetUid, u128>;
/// `SubnetAlphaInEmission[netuid]`: alpha injected into the pool last block.
pub type SubnetAlphaInEmission = StorageMap<prefix::SubnetAlphaInEmission, Identity, NetUid, u64>;
/// `SubnetAlphaOutEmission[netuid]`: alpha emitted to stakers last block.
pub type SubnetAlphaOutEmission = StorageMap<prefix::SubnetAlphaOutEmission, Identity, NetUid, u64>;
/// `SubnetTaoInEmission[netuid]`: TAO injected into the pool last block.
pub type SubnetTaoInEmission = StorageMap<prefix::SubnetTaoInEmission, Identity, NetUid, u64>;
/// `SubnetExcessTao[netuid]`: TAO of last block's chain buy.
pub type SubnetExcessTao = StorageMap<prefix::SubnetExcessTao, Identity, NetUid, u64>;
/// `SubnetEmissionEnabled[netuid]`: whether the subnet gets TAO-side emission (default true).
pub type SubnetEmissionEnabled =
    StorageMap<prefix::SubnetEmissionEnabled, Identity, NetUid, bool, ValueQuery<ConstBool<true>>>;
/// `TransferToggle[netuid]`: whether `transfer_stake` is allowed (default true).
pub type TransferToggle =
    StorageMap<prefix::TransferToggle, Identity, NetUid, bool, ValueQuery<ConstBool<true>>>;
/// `SubnetLocked[netuid]`: TAO the owner locked at registration.
pub type SubnetLocked = StorageMap<prefix::SubnetLocked, Identity, NetUid, u64>;
/// `AlphaDividendsPerSubnet[netuid][hotkey]`: alpha dividends of the last epoch.
pub type AlphaDividendsPerSubnet =
    StorageDoubleMap<prefix::AlphaDividendsPerSubnet, Identity, NetUid, B128, Acc, u64>;
/// `RootAlphaDividendsPerSubnet[netuid][hotkey]`: root alpha dividends of the last epoch.
pub type RootAlphaDividendsPerSubnet =
    StorageDoubleMap<prefix::RootAlphaDividendsPerSubnet, Identity, NetUid, B128, Acc, u64>;
/// `LastColdkeyHotkeyStakeBlock[coldkey][hotkey]`: block of the last stake change.
pub type LastColdkeyHotkeyStakeBlock = StorageDoubleMap<
    prefix::LastColdkeyHotkeyStakeBlock,
    Twox64Concat,
    Acc,
    Twox64Concat,
    Acc,
    u64,
    OptionQuery,
>;

// ---- Emission accumulators and epoch timing ---------------------------------------------

/// `PendingServerEmission[netuid]`: miner alpha accumulated since the last epoch.
pub type PendingServerEmission = StorageMap<prefix::PendingServerEmission, Identity, NetUid, u64>;
/// `PendingValidatorEmission[netuid]`: validator alpha accumulated since the last epoch.
pub type PendingValidatorEmission =
    StorageMap<prefix::PendingValidatorEmission, Identity, NetUid, u64>;
/// `PendingRootAlphaDivs[netuid]`: root stakers' alpha accumulated since the last epoch.
pub type PendingRootAlphaDivs = StorageMap<prefix::PendingRootAlphaDivs, Identity, NetUid, u64>;
/// `PendingOwnerCut[netuid]`: owner alpha accumulated since the last epoch.
pub type PendingOwnerCut = StorageMap<prefix::PendingOwnerCut, Identity, NetUid, u64>;
/// `MinerBurned[netuid]`: share of last tempo's miner incentive withheld, `U96F32` bits.
pub type MinerBurned = StorageMap<prefix::MinerBurned, Identity, NetUid, u128>;
/// `BlocksSinceLastStep[netuid]`.
pub type BlocksSinceLastStep = StorageMap<prefix::BlocksSinceLastStep, Identity, NetUid, u64>;
/// `LastMechansimStepBlock[netuid]` (sic): block of the last successful epoch.
pub type LastMechansimStepBlock = StorageMap<prefix::LastMechansimStepBlock, Identity, NetUid, u64>;
/// `LastEpochBlock[netuid]`: block of the last epoch slot (run or skipped).
pub type LastEpochBlock = StorageMap<prefix::LastEpochBlock, Identity, NetUid, u64>;
/// `PendingEpochAt[netuid]`: block of a deferred or owner-triggered epoch (0 = none).
pub type PendingEpochAt = StorageMap<prefix::PendingEpochAt, Identity, NetUid, u64>;
/// `SubnetEpochIndex[netuid]`: epoch slots so far (commit-reveal counts epochs with it).
pub type SubnetEpochIndex = StorageMap<prefix::SubnetEpochIndex, Identity, NetUid, u64>;
/// `FirstEmissionBlockNumber[netuid]`: set by `start_call`.
pub type FirstEmissionBlockNumber =
    StorageMap<prefix::FirstEmissionBlockNumber, Identity, NetUid, u64, OptionQuery>;
/// `SubtokenEnabled[netuid]`: staking and emission allowed (after `start_call`).
pub type SubtokenEnabled = StorageMap<prefix::SubtokenEnabled, Identity, NetUid, bool>;
/// `OwnerCutEnabled[netuid]` (default true).
pub type OwnerCutEnabled =
    StorageMap<prefix::OwnerCutEnabled, Identity, NetUid, bool, ValueQuery<ConstBool<true>>>;
/// `RecycleOrBurn[netuid]`.
pub type RecycleOrBurnOf = StorageMap<prefix::RecycleOrBurn, Identity, NetUid, RecycleOrBurn>;

// ---- Subnet registry --------------------------------------------------------------------

/// `NetworksAdded[netuid]`: the subnet exists.
pub type NetworksAdded = StorageMap<prefix::NetworksAdded, Identity, NetUid, bool>;
/// `NetworkRegisteredAt[netuid]`.
pub type NetworkRegisteredAt = StorageMap<prefix::NetworkRegisteredAt, Identity, NetUid, u64>;
/// `RegisteredSubnetCounter[netuid]`: monotonic count of registrations of this netuid.
pub type RegisteredSubnetCounter =
    StorageMap<prefix::RegisteredSubnetCounter, Identity, NetUid, u64>;
/// `SubnetMechanism[netuid]`: 0 stable (root), 1 dynamic (pool).
pub type SubnetMechanism = StorageMap<prefix::SubnetMechanism, Identity, NetUid, u16>;
/// `SubnetOwner[netuid]`: the owner coldkey.
pub type SubnetOwner =
    StorageMap<prefix::SubnetOwner, Identity, NetUid, Acc, ValueQuery<ZeroAccount>>;
/// `SubnetOwnerHotkey[netuid]`.
pub type SubnetOwnerHotkey =
    StorageMap<prefix::SubnetOwnerHotkey, Identity, NetUid, Acc, ValueQuery<ZeroAccount>>;
/// `SubnetworkN[netuid]`: registered uids.
pub type SubnetworkN = StorageMap<prefix::SubnetworkN, Identity, NetUid, u16>;
/// `TokenSymbol[netuid]`: UTF-8 symbol (default "𝜏").
pub type TokenSymbol =
    StorageMap<prefix::TokenSymbol, Identity, NetUid, Vec<u8>, ValueQuery<DefaultSymbol>>;
/// `SubnetIdentitiesV3[netuid]`.
pub type SubnetIdentitiesV3 =
    StorageMap<prefix::SubnetIdentitiesV3, B128, NetUid, SubnetIdentityV3, OptionQuery>;

// ---- Neurons ----------------------------------------------------------------------------

/// `Uids[netuid][hotkey] → uid`.
pub type Uids = StorageDoubleMap<prefix::Uids, Identity, NetUid, B128, Acc, u16, OptionQuery>;
/// `Keys[netuid][uid] → hotkey`.
pub type Keys =
    StorageDoubleMap<prefix::Keys, Identity, NetUid, Identity, u16, Acc, ValueQuery<ZeroAccount>>;
/// `IsNetworkMember[hotkey][netuid]`.
pub type IsNetworkMember =
    StorageDoubleMap<prefix::IsNetworkMember, B128, Acc, Identity, NetUid, bool>;
/// `BlockAtRegistration[netuid][uid]`.
pub type BlockAtRegistration =
    StorageDoubleMap<prefix::BlockAtRegistration, Identity, NetUid, Identity, u16, u64>;
/// `Axons[netuid][hotkey]`.
pub type Axons =
    StorageDoubleMap<prefix::Axons, Identity, NetUid, B128, Acc, AxonInfo, OptionQuery>;
/// `Prometheus[netuid][hotkey]`.
pub type Prometheus =
    StorageDoubleMap<prefix::Prometheus, Identity, NetUid, B128, Acc, PrometheusInfo, OptionQuery>;
/// `NeuronCertificates[netuid][hotkey]`.
pub type NeuronCertificates = StorageDoubleMap<
    prefix::NeuronCertificates,
    Identity,
    NetUid,
    B128,
    Acc,
    NeuronCertificate,
    OptionQuery,
>;

// ---- Consensus vectors (mechanism 0: the storage index is the netuid) --------------------

/// `Active[netuid]`.
pub type Active = StorageMap<prefix::Active, Identity, NetUid, Vec<bool>>;
/// `Emission[netuid]`: last epoch's alpha per uid.
pub type Emission = StorageMap<prefix::Emission, Identity, NetUid, Vec<u64>>;
/// `Consensus[netuid]`.
pub type Consensus = StorageMap<prefix::Consensus, Identity, NetUid, Vec<u16>>;
/// `Dividends[netuid]`.
pub type Dividends = StorageMap<prefix::Dividends, Identity, NetUid, Vec<u16>>;
/// `ValidatorTrust[netuid]`.
pub type ValidatorTrust = StorageMap<prefix::ValidatorTrust, Identity, NetUid, Vec<u16>>;
/// `ValidatorPermit[netuid]`.
pub type ValidatorPermit = StorageMap<prefix::ValidatorPermit, Identity, NetUid, Vec<bool>>;
/// `StakeWeight[netuid]`.
pub type StakeWeight = StorageMap<prefix::StakeWeight, Identity, NetUid, Vec<u16>>;
/// `Incentive[netuid_index]`.
pub type Incentive = StorageMap<prefix::Incentive, Identity, u16, Vec<u16>>;
/// `LastUpdate[netuid_index]`: block each uid last set (or committed) weights.
pub type LastUpdate = StorageMap<prefix::LastUpdate, Identity, u16, Vec<u64>>;
/// `Weights[netuid_index][uid] → [(uid, weight)]`.
pub type Weights = StorageDoubleMap<prefix::Weights, Identity, u16, Identity, u16, Vec<(u16, u16)>>;
/// `Bonds[netuid_index][uid] → [(uid, bond)]`.
pub type Bonds = StorageDoubleMap<prefix::Bonds, Identity, u16, Identity, u16, Vec<(u16, u16)>>;

// ---- Commit-reveal ----------------------------------------------------------------------

/// `WeightCommits[netuid_index][hotkey] → [(hash, commit_epoch, commit_block, 0)]`.
pub type WeightCommits = StorageDoubleMap<
    prefix::WeightCommits,
    Twox64Concat,
    u16,
    Twox64Concat,
    Acc,
    Vec<WeightCommit>,
    OptionQuery,
>;
/// `RevealPeriodEpochs[netuid]` (1).
pub type RevealPeriodEpochs =
    StorageMap<prefix::RevealPeriodEpochs, Twox64Concat, NetUid, u64, ValueQuery<ConstU64<1>>>;
/// `CommitRevealWeightsEnabled[netuid]` (default true).
pub type CommitRevealWeightsEnabled = StorageMap<
    prefix::CommitRevealWeightsEnabled,
    Identity,
    NetUid,
    bool,
    ValueQuery<ConstBool<true>>,
>;

// ---- Registration -----------------------------------------------------------------------

/// `Burn[netuid]`: current registration price (0.1 TAO by default; 1 TAO for new subnets).
pub type Burn = StorageMap<prefix::Burn, Identity, NetUid, u64, ValueQuery<ConstU64<100_000_000>>>;
/// `MinBurn[netuid]` (0.0005 TAO).
pub type MinBurn =
    StorageMap<prefix::MinBurn, Identity, NetUid, u64, ValueQuery<ConstU64<500_000>>>;
/// `MaxBurn[netuid]` (100 TAO).
pub type MaxBurn =
    StorageMap<prefix::MaxBurn, Identity, NetUid, u64, ValueQuery<ConstU64<{ 100 * TAO }>>>;
/// `BurnHalfLife[netuid]`: blocks for the price to halve (360).
pub type BurnHalfLife =
    StorageMap<prefix::BurnHalfLife, Identity, NetUid, u16, ValueQuery<ConstU16<360>>>;
/// `BurnIncreaseMult[netuid]`: price multiplier per registration, `U64F64` bits (1.26).
pub type BurnIncreaseMult = StorageMap<
    prefix::BurnIncreaseMult,
    Identity,
    NetUid,
    u128,
    ValueQuery<ConstU128<DEFAULT_BURN_INCREASE_MULT_BITS>>,
>;
/// `RegistrationsThisBlock[netuid]`.
pub type RegistrationsThisBlock = StorageMap<prefix::RegistrationsThisBlock, Identity, NetUid, u16>;
/// `RegistrationsThisInterval[netuid]`.
pub type RegistrationsThisInterval =
    StorageMap<prefix::RegistrationsThisInterval, Identity, NetUid, u16>;
/// `POWRegistrationsThisInterval[netuid]`.
pub type POWRegistrationsThisInterval =
    StorageMap<prefix::POWRegistrationsThisInterval, Identity, NetUid, u16>;
/// `BurnRegistrationsThisInterval[netuid]`.
pub type BurnRegistrationsThisInterval =
    StorageMap<prefix::BurnRegistrationsThisInterval, Identity, NetUid, u16>;
/// `MaxRegistrationsPerBlock[netuid]` (1).
pub type MaxRegistrationsPerBlock =
    StorageMap<prefix::MaxRegistrationsPerBlock, Identity, NetUid, u16, ValueQuery<ConstU16<1>>>;
/// `TargetRegistrationsPerInterval[netuid]` (2).
pub type TargetRegistrationsPerInterval = StorageMap<
    prefix::TargetRegistrationsPerInterval,
    Identity,
    NetUid,
    u16,
    ValueQuery<ConstU16<2>>,
>;
/// `AdjustmentInterval[netuid]` (100).
pub type AdjustmentInterval =
    StorageMap<prefix::AdjustmentInterval, Identity, NetUid, u16, ValueQuery<ConstU16<100>>>;
/// `AdjustmentAlpha[netuid]` (0): weight of the old value in the legacy adjustment.
pub type AdjustmentAlpha = StorageMap<prefix::AdjustmentAlpha, Identity, NetUid, u64>;
/// `LastAdjustmentBlock[netuid]`.
pub type LastAdjustmentBlock = StorageMap<prefix::LastAdjustmentBlock, Identity, NetUid, u64>;
/// `Difficulty[netuid]` (10⁷).
pub type Difficulty =
    StorageMap<prefix::Difficulty, Identity, NetUid, u64, ValueQuery<ConstU64<10_000_000>>>;
/// `MinDifficulty[netuid]` (10⁷).
pub type MinDifficulty =
    StorageMap<prefix::MinDifficulty, Identity, NetUid, u64, ValueQuery<ConstU64<10_000_000>>>;
/// `MaxDifficulty[netuid]` (u64::MAX / 4).
pub type MaxDifficulty = StorageMap<
    prefix::MaxDifficulty,
    Identity,
    NetUid,
    u64,
    ValueQuery<ConstU64<{ u64::MAX / 4 }>>,
>;
/// `NetworkRegistrationAllowed[netuid]` (default true).
pub type NetworkRegistrationAllowed = StorageMap<
    prefix::NetworkRegistrationAllowed,
    Identity,
    NetUid,
    bool,
    ValueQuery<ConstBool<true>>,
>;
/// `NetworkPowRegistrationAllowed[netuid]`: PoW `register` checks work (default false here;
/// see the module deviations).
pub type NetworkPowRegistrationAllowed =
    StorageMap<prefix::NetworkPowRegistrationAllowed, Identity, NetUid, bool>;
/// `RAORecycledForRegistration[netuid]`: TAO spent on registrations.
pub type RAORecycledForRegistration =
    StorageMap<prefix::RAORecycledForRegistration, Identity, NetUid, u64>;
/// `UsedWork[work] → block`: PoW seals already used.
pub type UsedWork = StorageMap<prefix::UsedWork, Identity, Vec<u8>, u64>;
/// `ImmunityPeriod[netuid]` (4096; 5000 for new subnets).
pub type ImmunityPeriod =
    StorageMap<prefix::ImmunityPeriod, Identity, NetUid, u16, ValueQuery<ConstU16<4096>>>;
/// `MinNonImmuneUids[netuid]` (10).
pub type MinNonImmuneUids =
    StorageMap<prefix::MinNonImmuneUids, Identity, NetUid, u16, ValueQuery<ConstU16<10>>>;
/// `ImmuneOwnerUidsLimit[netuid]` (1).
pub type ImmuneOwnerUidsLimit =
    StorageMap<prefix::ImmuneOwnerUidsLimit, Identity, NetUid, u16, ValueQuery<ConstU16<1>>>;
/// `MinAllowedUids[netuid]` (64).
pub type MinAllowedUids =
    StorageMap<prefix::MinAllowedUids, Identity, NetUid, u16, ValueQuery<ConstU16<64>>>;
/// `MaxAllowedUids[netuid]` (256).
pub type MaxAllowedUids =
    StorageMap<prefix::MaxAllowedUids, Identity, NetUid, u16, ValueQuery<ConstU16<256>>>;

// ---- Epoch hyperparameters --------------------------------------------------------------

/// `Tempo[netuid]`: blocks between epochs (360).
pub type Tempo = StorageMap<prefix::Tempo, Identity, NetUid, u16, ValueQuery<ConstU16<360>>>;
/// `ActivityCutoff[netuid]` (5000; no longer read by the epoch).
pub type ActivityCutoff =
    StorageMap<prefix::ActivityCutoff, Identity, NetUid, u16, ValueQuery<ConstU16<5000>>>;
/// `ActivityCutoffFactorMilli[netuid]`: cutoff = factor × tempo / 1000 blocks (13 889).
pub type ActivityCutoffFactorMilli = StorageMap<
    prefix::ActivityCutoffFactorMilli,
    Identity,
    NetUid,
    u32,
    ValueQuery<ConstU32<13_889>>,
>;
/// `Rho[netuid]` (10; unused).
pub type Rho = StorageMap<prefix::Rho, Identity, NetUid, u16, ValueQuery<ConstU16<10>>>;
/// `Kappa[netuid]` (32 767).
pub type Kappa = StorageMap<prefix::Kappa, Identity, NetUid, u16, ValueQuery<ConstU16<32_767>>>;
/// `MinAllowedWeights[netuid]` (1024; 1 for new subnets).
pub type MinAllowedWeights =
    StorageMap<prefix::MinAllowedWeights, Identity, NetUid, u16, ValueQuery<ConstU16<1024>>>;
/// `MaxWeightsLimit[netuid]` (u16::MAX; no longer checked).
pub type MaxWeightsLimit =
    StorageMap<prefix::MaxWeightsLimit, Identity, NetUid, u16, ValueQuery<ConstU16<{ u16::MAX }>>>;
/// `MaxAllowedValidators[netuid]` (128; 64 for new subnets).
pub type MaxAllowedValidators =
    StorageMap<prefix::MaxAllowedValidators, Identity, NetUid, u16, ValueQuery<ConstU16<128>>>;
/// `WeightsVersionKey[netuid]` (0).
pub type WeightsVersionKey = StorageMap<prefix::WeightsVersionKey, Identity, NetUid, u64>;
/// `WeightsSetRateLimit[netuid]` (100).
pub type WeightsSetRateLimit =
    StorageMap<prefix::WeightsSetRateLimit, Identity, NetUid, u64, ValueQuery<ConstU64<100>>>;
/// `BondsMovingAverage[netuid]` (900 000).
pub type BondsMovingAverage =
    StorageMap<prefix::BondsMovingAverage, Identity, NetUid, u64, ValueQuery<ConstU64<900_000>>>;
/// `BondsPenalty[netuid]` (65 535).
pub type BondsPenalty =
    StorageMap<prefix::BondsPenalty, Identity, NetUid, u16, ValueQuery<ConstU16<65_535>>>;
/// `BondsResetOn[netuid]` (false).
pub type BondsResetOn = StorageMap<prefix::BondsResetOn, Identity, NetUid, bool>;
/// `LiquidAlphaOn[netuid]` (false). Note subtensor's Blake2_128Concat hasher.
pub type LiquidAlphaOn = StorageMap<prefix::LiquidAlphaOn, B128, NetUid, bool>;
/// `AlphaValues[netuid] → (low, high)`.
pub type AlphaValues =
    StorageMap<prefix::AlphaValues, Identity, NetUid, (u16, u16), ValueQuery<DefaultAlphaValues>>;
/// `AlphaSigmoidSteepness[netuid]` (1000).
pub type AlphaSigmoidSteepness =
    StorageMap<prefix::AlphaSigmoidSteepness, Identity, NetUid, i16, ValueQuery<ConstI16<1000>>>;
/// `Yuma3On[netuid]` (false; true for new subnets). Note subtensor's Blake2_128Concat hasher.
pub type Yuma3On = StorageMap<prefix::Yuma3On, B128, NetUid, bool>;
/// `ServingRateLimit[netuid]` (50).
pub type ServingRateLimit =
    StorageMap<prefix::ServingRateLimit, Identity, NetUid, u64, ValueQuery<ConstU64<50>>>;
/// `EMAPriceHalvingBlocks[netuid]` (201 600).
pub type EMAPriceHalvingBlocks =
    StorageMap<prefix::EMAPriceHalvingBlocks, Identity, NetUid, u64, ValueQuery<ConstU64<201_600>>>;

/// Declares [`NETUID_KEYED`] and [`netuid_key_prefixes`] from one list of item aliases.
macro_rules! netuid_keyed {
    ($($item:ident),* $(,)?) => {
        /// Every item whose first key is a subnet: the netuid itself or, for the per-uid
        /// vectors, weights, bonds and commits, its `u16` storage index (mechanism 0 of the
        /// subnet). Dissolving a subnet clears each of them for its netuid. A test checks this
        /// list against the metadata, so an item declared with a netuid key and left out here
        /// (or in [`NETUID_KEYED_KEPT`]) fails it.
        pub const NETUID_KEYED: &[&str] = &[$(<$item as KeyedBySubnet>::ITEM),*];

        /// The key prefix of `netuid`'s entries in each item of [`NETUID_KEYED`], in that order
        /// (each item's own hasher applied to the netuid).
        pub fn netuid_key_prefixes(netuid: NetUid) -> Vec<Vec<u8>> {
            vec![$(<$item as KeyedBySubnet>::subnet_prefix(netuid)),*]
        }
    };
}

netuid_keyed!(
    NetworksAdded,
    NetworkRegisteredAt,
    SubnetMechanism,
    SubnetOwner,
    SubnetOwnerHotkey,
    SubnetworkN,
    TokenSymbol,
    SubnetIdentitiesV3,
    SubnetTAO,
    SubnetAlphaIn,
    SubnetAlphaOut,
    SubnetProtocolAlpha,
    SubnetVolume,
    SubnetMovingPrice,
    RootProp,
    SubnetAlphaInEmission,
    SubnetAlphaOutEmission,
    SubnetTaoInEmission,
    SubnetExcessTao,
    SubnetEmissionEnabled,
    TransferToggle,
    SubnetLocked,
    PendingServerEmission,
    PendingValidatorEmission,
    PendingRootAlphaDivs,
    PendingOwnerCut,
    MinerBurned,
    BlocksSinceLastStep,
    LastMechansimStepBlock,
    LastEpochBlock,
    PendingEpochAt,
    SubnetEpochIndex,
    FirstEmissionBlockNumber,
    SubtokenEnabled,
    OwnerCutEnabled,
    RecycleOrBurnOf,
    Active,
    Emission,
    Consensus,
    Dividends,
    ValidatorTrust,
    ValidatorPermit,
    StakeWeight,
    RevealPeriodEpochs,
    CommitRevealWeightsEnabled,
    Burn,
    MinBurn,
    MaxBurn,
    BurnHalfLife,
    BurnIncreaseMult,
    RegistrationsThisBlock,
    RegistrationsThisInterval,
    POWRegistrationsThisInterval,
    BurnRegistrationsThisInterval,
    MaxRegistrationsPerBlock,
    TargetRegistrationsPerInterval,
    AdjustmentInterval,
    AdjustmentAlpha,
    LastAdjustmentBlock,
    Difficulty,
    MinDifficulty,
    MaxDifficulty,
    NetworkRegistrationAllowed,
    NetworkPowRegistrationAllowed,
    RAORecycledForRegistration,
    ImmunityPeriod,
    MinNonImmuneUids,
    ImmuneOwnerUidsLimit,
    MinAllowedUids,
    MaxAllowedUids,
    Tempo,
    ActivityCutoff,
    ActivityCutoffFactorMilli,
    Rho,
    Kappa,
    MinAllowedWeights,
    MaxWeightsLimit,
    MaxAllowedValidators,
    WeightsVersionKey,
    WeightsSetRateLimit,
    BondsMovingAverage,
    BondsPenalty,
    BondsResetOn,
    LiquidAlphaOn,
    AlphaValues,
    AlphaSigmoidSteepness,
    Yuma3On,
    ServingRateLimit,
    EMAPriceHalvingBlocks,
    Incentive,
    LastUpdate,
    Uids,
    Keys,
    BlockAtRegistration,
    Axons,
    Prometheus,
    NeuronCertificates,
    AlphaDividendsPerSubnet,
    RootAlphaDividendsPerSubnet,
    Weights,
    Bonds,
    WeightCommits,
);

/// The items keyed by netuid first that dissolving a subnet keeps, each with the reason.
pub const NETUID_KEYED_KEPT: &[(&str, &str)] = &[(
    "RegisteredSubnetCounter",
    "the netuid's registration generation: it outlives dissolution so that entries written \
     under an earlier registration of the same netuid stay unreachable, as upstream",
)];

// ---- Constants (the `SubtensorModule` metadata constants) -------------------------------

/// `MIN_ACTIVITY_CUTOFF_FACTOR_MILLI`: the least `ActivityCutoffFactorMilli` an owner may set
/// (1000 = one tempo).
pub const MIN_ACTIVITY_CUTOFF_FACTOR_MILLI: u32 = 1_000;
/// `MAX_ACTIVITY_CUTOFF_FACTOR_MILLI`: the largest `ActivityCutoffFactorMilli` an owner may
/// set (50 000 = fifty tempos).
pub const MAX_ACTIVITY_CUTOFF_FACTOR_MILLI: u32 = 50_000;
/// The `scaling_law_power` every subnet reports (50, i.e. 0.5); not kept in state.
pub const SCALING_LAW_POWER: u16 = 50;
/// The `pruning_score` every neuron reports (`u16::MAX`, subtensor's initial score); pruning
/// scores are not kept in state.
pub const PRUNING_SCORE: u16 = u16::MAX;
/// `SubtensorPalletId`: the pallet id (`b"subtensr"`) from which subnet accounts are derived
/// (`b"modl" ++ id ++ SCALE(netuid)`, zero-padded).
pub const SUBTENSOR_PALLET_ID: [u8; 8] = *b"subtensr";
/// `KeySwapCost`: the TAO charged for swapping a hotkey (0.1 TAO). Upstream's value;
/// rustensor does not implement hotkey swaps yet.
pub const KEY_SWAP_COST: u64 = 100_000_000;
