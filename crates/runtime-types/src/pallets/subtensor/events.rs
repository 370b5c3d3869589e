//! `SubtensorModule` events: `Event<T>` of `pallet_subtensor` with subtensor's variant
//! indices and field types (subtensor.md App. C), so clients decode our `System.Events`.
//!
//! Amounts are RAO `u64` (`TaoBalance`/`AlphaBalance`), `NetUidStorageIndex` is the `u16`
//! netuid for mechanism 0, hashes are 32 bytes, block numbers in events typed
//! `BlockNumberFor<T>` are `u32`. Variants whose payload types are not modelled here
//! (`RootClaimTypeSet`) are left out; their indices stay reserved.
//!
//! Wire format: variant indices and field order; never reorder.

use parity_scale_codec::{Compact, Decode, Encode};
use rustensor_primitives::{AccountId32, NetUid};

use crate::dispatch::DispatchError;

/// `pallet_subtensor::Event`. Wire-visible (variant indices and field order).
#[allow(missing_docs, reason = "variant and field names are subtensor's")]
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, scale_info::TypeInfo)]
pub enum Event {
    #[codec(index = 0)]
    NetworkAdded(NetUid, u16),
    #[codec(index = 1)]
    NetworkRemoved(NetUid),
    #[codec(index = 2)]
    StakeAdded(AccountId32, AccountId32, u64, u64, NetUid, u64),
    #[codec(index = 3)]
    StakeRemoved(AccountId32, AccountId32, u64, u64, NetUid, u64),
    #[codec(index = 4)]
    StakeMoved(AccountId32, AccountId32, NetUid, AccountId32, NetUid, u64),
    #[codec(index = 5)]
    WeightsSet(u16, u16),
    #[codec(index = 6)]
    NeuronRegistered(NetUid, u16, AccountId32),
    #[codec(index = 7)]
    BulkNeuronsRegistered(u16, u16),
    #[codec(index = 8)]
    BulkBalancesSet(u16, u16),
    #[codec(index = 9)]
    MaxAllowedUidsSet(NetUid, u16),
    #[codec(index = 10)]
    MaxWeightLimitSet(NetUid, u16),
    #[codec(index = 11)]
    DifficultySet(NetUid, u64),
    #[codec(index = 12)]
    AdjustmentIntervalSet(NetUid, u16),
    #[codec(index = 13)]
    RegistrationPerIntervalSet(NetUid, u16),
    #[codec(index = 14)]
    MaxRegistrationsPerBlockSet(NetUid, u16),
    #[codec(index = 15)]
    ActivityCutoffSet(NetUid, u16),
    #[codec(index = 16)]
    RhoSet(NetUid, u16),
    #[codec(index = 17)]
    AlphaSigmoidSteepnessSet(NetUid, i16),
    #[codec(index = 18)]
    KappaSet(NetUid, u16),
    #[codec(index = 19)]
    MinAllowedWeightSet(NetUid, u16),
    #[codec(index = 20)]
    ValidatorPruneLenSet(NetUid, u64),
    #[codec(index = 21)]
    ScalingLawPowerSet(NetUid, u16),
    #[codec(index = 22)]
    WeightsSetRateLimitSet(NetUid, u64),
    #[codec(index = 23)]
    ImmunityPeriodSet(NetUid, u16),
    #[codec(index = 24)]
    BondsMovingAverageSet(NetUid, u64),
    #[codec(index = 25)]
    BondsPenaltySet(NetUid, u16),
    #[codec(index = 26)]
    BondsResetOnSet(NetUid, bool),
    #[codec(index = 27)]
    MaxAllowedValidatorsSet(NetUid, u16),
    #[codec(index = 28)]
    AxonServed(NetUid, AccountId32),
    #[codec(index = 29)]
    PrometheusServed(NetUid, AccountId32),
    #[codec(index = 30)]
    DelegateAdded(AccountId32, AccountId32, u16),
    #[codec(index = 31)]
    DefaultTakeSet(u16),
    #[codec(index = 32)]
    WeightsVersionKeySet(NetUid, u64),
    #[codec(index = 33)]
    MinDifficultySet(NetUid, u64),
    #[codec(index = 34)]
    MaxDifficultySet(NetUid, u64),
    #[codec(index = 35)]
    ServingRateLimitSet(NetUid, u64),
    #[codec(index = 36)]
    BurnSet(NetUid, u64),
    #[codec(index = 37)]
    MaxBurnSet(NetUid, u64),
    #[codec(index = 38)]
    MinBurnSet(NetUid, u64),
    #[codec(index = 39)]
    MaxEpochsPerBlockSet(u8),
    #[codec(index = 40)]
    TxRateLimitSet(u64),
    #[codec(index = 41)]
    TxDelegateTakeRateLimitSet(u64),
    #[codec(index = 42)]
    TxChildKeyTakeRateLimitSet(u64),
    #[codec(index = 43)]
    AdminFreezeWindowSet(u16),
    #[codec(index = 44)]
    OwnerHyperparamRateLimitSet(u16),
    #[codec(index = 45)]
    MinChildKeyTakeSet(u16),
    #[codec(index = 46)]
    MinChildKeyTakePerSubnetSet(NetUid, u16),
    #[codec(index = 47)]
    MaxChildKeyTakeSet(u16),
    #[codec(index = 48)]
    ChildKeyTakeSet(AccountId32, u16),
    #[codec(index = 49)]
    Sudid(Result<(), DispatchError>),
    #[codec(index = 50)]
    RegistrationAllowed(NetUid, bool),
    #[codec(index = 51)]
    PowRegistrationAllowed(NetUid, bool),
    #[codec(index = 52)]
    TempoSet(NetUid, u16),
    #[codec(index = 53)]
    RAORecycledForRegistrationSet(NetUid, u64),
    #[codec(index = 54)]
    StakeThresholdSet(u64),
    #[codec(index = 55)]
    AdjustmentAlphaSet(NetUid, u64),
    #[codec(index = 56)]
    Faucet(AccountId32, u64),
    #[codec(index = 57)]
    SubnetOwnerCutSet(u16),
    #[codec(index = 58)]
    NetworkRateLimitSet(u64),
    #[codec(index = 59)]
    NetworkImmunityPeriodSet(u64),
    #[codec(index = 60)]
    StartCallDelaySet(u64),
    #[codec(index = 61)]
    NetworkMinLockCostSet(u64),
    #[codec(index = 62)]
    SubnetLimitSet(u16),
    #[codec(index = 63)]
    NetworkLockCostReductionIntervalSet(u64),
    #[codec(index = 64)]
    TakeDecreased(AccountId32, AccountId32, u16),
    #[codec(index = 65)]
    TakeIncreased(AccountId32, AccountId32, u16),
    #[codec(index = 66)]
    HotkeySwapped { coldkey: AccountId32, old_hotkey: AccountId32, new_hotkey: AccountId32 },
    #[codec(index = 67)]
    MaxDelegateTakeSet(u16),
    #[codec(index = 68)]
    MinDelegateTakeSet(u16),
    #[codec(index = 69)]
    ColdkeySwapAnnounced { who: AccountId32, new_coldkey_hash: [u8; 32] },
    #[codec(index = 70)]
    ColdkeySwapReset { who: AccountId32 },
    #[codec(index = 71)]
    ColdkeySwapped { old_coldkey: AccountId32, new_coldkey: AccountId32 },
    #[codec(index = 72)]
    ColdkeySwapDisputed { coldkey: AccountId32 },
    #[codec(index = 73)]
    AllBalanceUnstakedAndTransferredToNewColdkey {
        current_coldkey: AccountId32,
        new_coldkey: AccountId32,
        total_balance: u64,
    },
    #[codec(index = 74)]
    ArbitrationPeriodExtended { coldkey: AccountId32 },
    #[codec(index = 75)]
    SetChildrenScheduled(AccountId32, NetUid, u64, Vec<(u64, AccountId32)>),
    #[codec(index = 76)]
    SetChildren(AccountId32, NetUid, Vec<(u64, AccountId32)>),
    #[codec(index = 77)]
    ChainIdentitySet(AccountId32),
    #[codec(index = 78)]
    SubnetIdentitySet(NetUid),
    #[codec(index = 79)]
    SubnetIdentityRemoved(NetUid),
    #[codec(index = 80)]
    DissolveNetworkScheduled { account: AccountId32, netuid: NetUid, execution_block: u32 },
    #[codec(index = 81)]
    ColdkeySwapAnnouncementDelaySet(u32),
    #[codec(index = 82)]
    ColdkeySwapReannouncementDelaySet(u32),
    #[codec(index = 83)]
    DissolveNetworkScheduleDurationSet(u32),
    #[codec(index = 84)]
    CRV3WeightsCommitted(AccountId32, u16, [u8; 32]),
    #[codec(index = 85)]
    WeightsCommitted(AccountId32, u16, [u8; 32]),
    #[codec(index = 86)]
    WeightsRevealed(AccountId32, u16, [u8; 32]),
    #[codec(index = 87)]
    WeightsBatchRevealed(AccountId32, NetUid, Vec<[u8; 32]>),
    #[codec(index = 88)]
    BatchWeightsCompleted(Vec<Compact<NetUid>>, AccountId32),
    #[codec(index = 89)]
    BatchCompletedWithErrors(),
    #[codec(index = 90)]
    BatchWeightItemFailed(NetUid, DispatchError),
    #[codec(index = 91)]
    StakeTransferred(AccountId32, AccountId32, AccountId32, NetUid, NetUid, u64),
    #[codec(index = 92)]
    StakeSwapped(AccountId32, AccountId32, NetUid, NetUid, u64),
    #[codec(index = 93)]
    TransferToggle(NetUid, bool),
    #[codec(index = 94)]
    SubnetOwnerHotkeySet(NetUid, AccountId32),
    #[codec(index = 95)]
    FirstEmissionBlockNumberSet(NetUid, u64),
    #[codec(index = 96)]
    AlphaRecycled(AccountId32, AccountId32, u64, NetUid),
    #[codec(index = 97)]
    AlphaBurned(AccountId32, AccountId32, u64, NetUid),
    #[codec(index = 98)]
    EvmKeyAssociated {
        netuid: NetUid,
        hotkey: AccountId32,
        evm_key: [u8; 20],
        block_associated: u64,
    },
    #[codec(index = 99)]
    CRV3WeightsRevealed(NetUid, AccountId32),
    #[codec(index = 100)]
    CommitRevealPeriodsSet(NetUid, u64),
    #[codec(index = 101)]
    CommitRevealEnabled(NetUid, bool),
    #[codec(index = 102)]
    HotkeySwappedOnSubnet {
        coldkey: AccountId32,
        old_hotkey: AccountId32,
        new_hotkey: AccountId32,
        netuid: NetUid,
    },
    #[codec(index = 103)]
    SubnetLeaseCreated {
        beneficiary: AccountId32,
        lease_id: u32,
        netuid: NetUid,
        end_block: Option<u32>,
    },
    #[codec(index = 104)]
    SubnetLeaseTerminated { beneficiary: AccountId32, netuid: NetUid },
    #[codec(index = 105)]
    SymbolUpdated { netuid: NetUid, symbol: Vec<u8> },
    #[codec(index = 106)]
    CommitRevealVersionSet(u16),
    #[codec(index = 107)]
    TimelockedWeightsCommitted(AccountId32, u16, [u8; 32], u64),
    #[codec(index = 108)]
    TimelockedWeightsRevealed(u16, AccountId32),
    #[codec(index = 109)]
    AutoStakeAdded {
        netuid: NetUid,
        destination: AccountId32,
        hotkey: AccountId32,
        owner: AccountId32,
        incentive: u64,
    },
    #[codec(index = 110)]
    IncentiveAlphaEmittedToMiners { netuid: u16, emissions: Vec<u64> },
    #[codec(index = 111)]
    MinAllowedUidsSet(NetUid, u16),
    #[codec(index = 112)]
    AutoStakeDestinationSet { coldkey: AccountId32, netuid: NetUid, hotkey: AccountId32 },
    #[codec(index = 113)]
    MinNonImmuneUidsSet(NetUid, u16),
    #[codec(index = 114)]
    RootClaimed { coldkey: AccountId32 },
    #[codec(index = 116)]
    VotingPowerTrackingEnabled { netuid: NetUid },
    #[codec(index = 117)]
    VotingPowerTrackingDisableScheduled { netuid: NetUid, disable_at_block: u64 },
    #[codec(index = 118)]
    VotingPowerTrackingDisabled { netuid: NetUid },
    #[codec(index = 119)]
    VotingPowerEmaAlphaSet { netuid: NetUid, alpha: u64 },
    #[codec(index = 120)]
    SubnetLeaseDividendsDistributed { lease_id: u32, contributor: AccountId32, alpha: u64 },
    #[codec(index = 121)]
    AddStakeBurn { netuid: NetUid, hotkey: AccountId32, amount: u64, alpha: u64 },
    #[codec(index = 122)]
    ColdkeySwapCleared { who: AccountId32 },
    #[codec(index = 123)]
    TransactionFeePaidWithAlpha {
        who: AccountId32,
        netuid: NetUid,
        alpha_fee: u64,
        tao_amount: u64,
    },
    #[codec(index = 124)]
    BurnHalfLifeSet { netuid: NetUid, burn_half_life: u16 },
    #[codec(index = 125)]
    BurnIncreaseMultSet { netuid: NetUid, burn_increase_mult: u128 },
    #[codec(index = 126)]
    AutoParentDelegationEnabledSet { hotkey: AccountId32, enabled: bool },
    #[codec(index = 127)]
    StakeLocked { coldkey: AccountId32, hotkey: AccountId32, netuid: NetUid, amount: u64 },
    #[codec(index = 128)]
    StakeUnlocked { coldkey: AccountId32, hotkey: AccountId32, netuid: NetUid, amount: u64 },
    #[codec(index = 129)]
    LockMoved {
        coldkey: AccountId32,
        origin_hotkey: AccountId32,
        destination_hotkey: AccountId32,
        netuid: NetUid,
    },
    #[codec(index = 130)]
    ActivityCutoffFactorMilliSet { netuid: NetUid, factor_milli: u32 },
    #[codec(index = 131)]
    EpochTriggered { netuid: NetUid, by: AccountId32, fires_at: u64 },
    #[codec(index = 132)]
    EpochDeferred { netuid: NetUid, from_block: u64, to_block: u64 },
    #[codec(index = 133)]
    EpochSkipped { netuid: NetUid, block: u64 },
    #[codec(index = 134)]
    SubnetOwnerChanged { netuid: NetUid, old_coldkey: AccountId32, new_coldkey: AccountId32 },
    #[codec(index = 135)]
    PerpetualLockUpdated { coldkey: AccountId32, netuid: NetUid, enabled: bool },
    #[codec(index = 136)]
    RejectLockedAlphaUpdated { coldkey: AccountId32, enabled: bool },
}
