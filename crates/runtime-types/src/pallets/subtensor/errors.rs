//! `SubtensorModule` errors: `Error<T>` of `pallet_subtensor`, every variant in subtensor's
//! order, so that `DispatchError::Module { index: 7, error: [i, 0, 0, 0] }` names the same
//! error for clients (subtensor.md App. B). Variants this implementation never returns are kept
//! for their index.
//!
//! Wire format: variant indices; never reorder.

use parity_scale_codec::{Decode, Encode};

use super::PALLET_INDEX;
use crate::dispatch::DispatchError;

/// `pallet_subtensor::Error`, in subtensor's order. Wire-visible (variant indices).
#[allow(missing_docs, reason = "variant names are subtensor's and self-describing")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, scale_info::TypeInfo)]
pub enum Error {
    RootNetworkDoesNotExist,
    InvalidIpType,
    InvalidIpAddress,
    InvalidPort,
    HotKeyNotRegisteredInSubNet,
    HotKeyAccountNotExists,
    HotKeyNotRegisteredInNetwork,
    NonAssociatedColdKey,
    NotEnoughStake,
    NotEnoughStakeToWithdraw,
    NotEnoughStakeToSetWeights,
    NotEnoughStakeToSetChildkeys,
    NotEnoughBalanceToStake,
    BalanceWithdrawalError,
    ZeroBalanceAfterWithdrawn,
    NeuronNoValidatorPermit,
    WeightVecNotEqualSize,
    DuplicateUids,
    UidVecContainInvalidOne,
    WeightVecLengthIsLow,
    TooManyRegistrationsThisBlock,
    HotKeyAlreadyRegisteredInSubNet,
    NewHotKeyIsSameWithOld,
    NewHotKeyNotCleanForRootSwap,
    InvalidWorkBlock,
    InvalidDifficulty,
    InvalidSeal,
    MaxWeightExceeded,
    HotKeyAlreadyDelegate,
    SettingWeightsTooFast,
    IncorrectWeightVersionKey,
    ServingRateLimitExceeded,
    UidsLengthExceedUidsInSubNet,
    NetworkTxRateLimitExceeded,
    DelegateTxRateLimitExceeded,
    HotKeySetTxRateLimitExceeded,
    StakingRateLimitExceeded,
    SubNetRegistrationDisabled,
    TooManyRegistrationsThisInterval,
    TransactorAccountShouldBeHotKey,
    FaucetDisabled,
    NotSubnetOwner,
    RegistrationNotPermittedOnRootSubnet,
    StakeTooLowForRoot,
    AllNetworksInImmunity,
    NotEnoughBalanceToPaySwapHotKey,
    NotRootSubnet,
    CanNotSetRootNetworkWeights,
    NoNeuronIdAvailable,
    DelegateTakeTooLow,
    DelegateTakeTooHigh,
    NoWeightsCommitFound,
    InvalidRevealCommitHashNotMatch,
    CommitRevealEnabled,
    CommitRevealDisabled,
    LiquidAlphaDisabled,
    AlphaHighTooLow,
    AlphaLowOutOfRange,
    ColdKeyAlreadyAssociated,
    NotEnoughBalanceToPaySwapColdKey,
    InvalidChild,
    DuplicateChild,
    ProportionOverflow,
    TooManyChildren,
    TxRateLimitExceeded,
    ColdkeySwapAnnouncementNotFound,
    ColdkeySwapTooEarly,
    ColdkeySwapReannouncedTooEarly,
    AnnouncedColdkeyHashDoesNotMatch,
    ColdkeySwapAlreadyDisputed,
    NewColdKeyIsHotkey,
    InvalidChildkeyTake,
    TxChildkeyTakeRateLimitExceeded,
    InvalidIdentity,
    MechanismDoesNotExist,
    StakeUnavailable,
    SubnetNotExists,
    TooManyUnrevealedCommits,
    ExpiredWeightCommit,
    RevealTooEarly,
    InputLengthsUnequal,
    CommittingWeightsTooFast,
    AmountTooLow,
    InsufficientLiquidity,
    SlippageTooHigh,
    TransferDisallowed,
    ActivityCutoffTooLow,
    CallDisabled,
    FirstEmissionBlockNumberAlreadySet,
    NeedWaitingMoreBlocksToStarCall,
    NotEnoughAlphaOutToRecycle,
    CannotBurnOrRecycleOnRootSubnet,
    UnableToRecoverPublicKey,
    InvalidRecoveredPublicKey,
    SubtokenDisabled,
    HotKeySwapOnSubnetIntervalNotPassed,
    SameNetuid,
    InsufficientBalance,
    InvalidLeaseBeneficiary,
    LeaseCannotEndInThePast,
    LeaseNetuidNotFound,
    LeaseDoesNotExist,
    LeaseHasNoEndBlock,
    LeaseHasNotEnded,
    Overflow,
    BeneficiaryDoesNotOwnHotkey,
    ExpectedBeneficiaryOrigin,
    AdminActionProhibitedDuringWeightsWindow,
    SymbolDoesNotExist,
    SymbolAlreadyInUse,
    IncorrectCommitRevealVersion,
    InvalidRevealRound,
    RevealPeriodTooLarge,
    RevealPeriodTooSmall,
    InvalidValue,
    SubnetLimitReached,
    CannotAffordLockCost,
    EvmKeyAssociateRateLimitExceeded,
    SameAutoStakeHotkeyAlreadySet,
    UidMapCouldNotBeCleared,
    TrimmingWouldExceedMaxImmunePercentage,
    ChildParentInconsistency,
    InvalidNumRootClaim,
    InvalidRootClaimThreshold,
    InvalidSubnetNumber,
    TooManyUIDsPerMechanism,
    VotingPowerTrackingNotEnabled,
    InvalidVotingPowerEmaAlpha,
    Deprecated,
    AddStakeBurnRateLimitExceeded,
    ColdkeySwapAnnounced,
    ColdkeySwapDisputed,
    ColdkeySwapClearTooEarly,
    DisabledTemporarily,
    RegistrationPriceLimitExceeded,
    LockHotkeyMismatch,
    InsufficientStakeForLock,
    NoExistingLock,
    ActiveLockExists,
    CannotUseSystemAccount,
    UnlockAmountTooHigh,
    TempoOutOfBounds,
    ActivityCutoffFactorMilliOutOfBounds,
    EpochTriggerAlreadyPending,
    AutoEpochAlreadyImminent,
    DynamicTempoBlockedByCommitReveal,
    AccountRejectsLockedAlpha,
}

impl From<Error> for DispatchError {
    fn from(e: Error) -> Self {
        // Fieldless enum: the discriminant is the variant index.
        Self::module(PALLET_INDEX, e as u8)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_error_indices_are_subtensors() {
        assert_eq!(Error::RootNetworkDoesNotExist as u8, 0);
        assert_eq!(Error::UidsLengthExceedUidsInSubNet as u8, 32);
        assert_eq!(Error::SubnetNotExists as u8, 76);
        assert_eq!(Error::AccountRejectsLockedAlpha as u8, 146);
    }
}
