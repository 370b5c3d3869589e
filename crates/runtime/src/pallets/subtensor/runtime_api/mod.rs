//! Read APIs for the node: the runtime APIs clients reach through `state_call`
//! (`reference/subtensor.md` §11, `reference/substrate_compat.md` App. B.D).
//!
//! Each family has its own file and returns subtensor's struct of the same name, with the same
//! field order and SCALE encoding (compact wrappers included), so the official Python SDK
//! decodes our bytes with the type registry it reads from metadata:
//!
//! | module | runtime API | structs |
//! | --- | --- | --- |
//! | [`neuron`] | `NeuronInfoRuntimeApi` | `NeuronInfo`, `NeuronInfoLite` |
//! | [`metagraph`] | `SubnetInfoRuntimeApi` (metagraphs, subnet state) | `Metagraph`, `SubnetState` |
//! | [`dynamic`] | `SubnetInfoRuntimeApi` (pools) | `DynamicInfo` |
//! | [`hyperparams`] | `SubnetInfoRuntimeApi` (parameters) | `SubnetInfo`, `SubnetInfov2`, `SubnetHyperparams`, `SubnetHyperparamsV2`, V3 entries |
//! | [`stake`] | `StakeInfoRuntimeApi` | `StakeInfo` |
//! | [`delegate`] | `DelegateInfoRuntimeApi` | `DelegateInfo` |
//!
//! [`call_runtime_api`] is the single entry point of the node: it decodes the SCALE arguments
//! of a `state_call` method (`"<Api>_<method>"`), runs the function and returns the SCALE
//! result. [`SUPPORTED_METHODS`] lists the methods it answers.
//!
//! # Deviations from subtensor
//!
//! - There is no runtime API for the per-subnet registration (burn) cost in subtensor either:
//!   clients read `SubtensorModule.Burn`; [`burn_cost`] is the plain function for the node.
//! - Mechanism 0 only: `get_mechagraph(netuid, 0)` is the metagraph, other mechanisms are
//!   `None`; `get_all_mechagraphs` equals `get_all_metagraphs`.
//! - Selective metagraphs (`get_selective_metagraph`, `get_selective_mechagraph`), the stake
//!   availability, stake fee, lock and conviction APIs, and `ProxyFilterRuntimeApi` are not
//!   answered (unknown method); the SDK falls back to `get_metagraph` for metagraphs.
//! - Lists over subnets (`get_all_*`, `get_subnets_info*`, stake info) go in ascending netuid
//!   order; subtensor walks `NetworksAdded` in storage-key order, which is the same below
//!   netuid 256.
//! - `get_coldkey_auto_stake_hotkey` is always `None` (`AutoStakeDestination` is not kept).

pub mod delegate;
pub mod dynamic;
pub mod hyperparams;
pub mod metagraph;
pub mod names;
pub mod neuron;
pub mod stake;

pub use rustensor_runtime_types::pallets::subtensor::runtime_api::SUPPORTED_METHODS;

use parity_scale_codec::{Compact, Decode, Encode};
use rustensor_primitives::{AccountId32, NetUid};

use super::storage::{Burn, SubnetIdentitiesV3};
use crate::storage::KvRead;

/// Why a runtime API call produced no result.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InfoError {
    /// The method is not one of [`SUPPORTED_METHODS`].
    #[error("unknown runtime API method `{0}`")]
    UnknownMethod(String),
    /// The parameters do not decode as the method's arguments.
    #[error("cannot decode the parameters of `{method}`: {reason}")]
    BadParams {
        /// The method called.
        method: String,
        /// The decoder's message.
        reason: String,
    },
    /// The parameters decode but bytes are left over.
    #[error("{extra} trailing byte(s) after the parameters of `{method}`")]
    TrailingBytes {
        /// The method called.
        method: String,
        /// How many bytes were left.
        extra: usize,
    },
}

/// Answers the `state_call` method `method` with SCALE-encoded arguments `params` against
/// `state`, returning the SCALE-encoded result.
///
/// # Errors
///
/// [`InfoError::UnknownMethod`] for a method not in [`SUPPORTED_METHODS`],
/// [`InfoError::BadParams`] when `params` do not decode as its arguments,
/// [`InfoError::TrailingBytes`] when bytes are left after them.
pub fn call_runtime_api(
    state: &(impl KvRead + ?Sized),
    method: &str,
    params: &[u8],
) -> Result<Vec<u8>, InfoError> {
    let mut input = params;
    let input = &mut input;
    let out = match method {
        "NeuronInfoRuntimeApi_get_neurons" => {
            let netuid: NetUid = args(method, input)?;
            neuron::get_neurons(state, netuid).encode()
        }
        "NeuronInfoRuntimeApi_get_neuron" => {
            let (netuid, uid): (NetUid, u16) = args(method, input)?;
            neuron::get_neuron(state, netuid, uid).encode()
        }
        "NeuronInfoRuntimeApi_get_neurons_lite" => {
            let netuid: NetUid = args(method, input)?;
            neuron::get_neurons_lite(state, netuid).encode()
        }
        "NeuronInfoRuntimeApi_get_neuron_lite" => {
            let (netuid, uid): (NetUid, u16) = args(method, input)?;
            neuron::get_neuron_lite(state, netuid, uid).encode()
        }
        "SubnetInfoRuntimeApi_get_subnet_info" => {
            let netuid: NetUid = args(method, input)?;
            hyperparams::get_subnet_info(state, netuid).encode()
        }
        "SubnetInfoRuntimeApi_get_subnets_info" => {
            args::<()>(method, input)?;
            hyperparams::get_subnets_info(state).encode()
        }
        "SubnetInfoRuntimeApi_get_subnet_info_v2" => {
            let netuid: NetUid = args(method, input)?;
            hyperparams::get_subnet_info_v2(state, netuid).encode()
        }
        "SubnetInfoRuntimeApi_get_subnets_info_v2" => {
            args::<()>(method, input)?;
            hyperparams::get_subnets_info_v2(state).encode()
        }
        "SubnetInfoRuntimeApi_get_subnet_hyperparams" => {
            let netuid: NetUid = args(method, input)?;
            hyperparams::get_subnet_hyperparams(state, netuid).encode()
        }
        "SubnetInfoRuntimeApi_get_subnet_hyperparams_v2" => {
            let netuid: NetUid = args(method, input)?;
            hyperparams::get_subnet_hyperparams_v2(state, netuid).encode()
        }
        "SubnetInfoRuntimeApi_get_subnet_hyperparams_v3" => {
            let netuid: NetUid = args(method, input)?;
            hyperparams::get_subnet_hyperparams_v3(state, netuid).encode()
        }
        "SubnetInfoRuntimeApi_get_all_dynamic_info" => {
            args::<()>(method, input)?;
            dynamic::get_all_dynamic_info(state).encode()
        }
        "SubnetInfoRuntimeApi_get_dynamic_info" => {
            let netuid: NetUid = args(method, input)?;
            dynamic::get_dynamic_info(state, netuid).encode()
        }
        "SubnetInfoRuntimeApi_get_all_metagraphs" | "SubnetInfoRuntimeApi_get_all_mechagraphs" => {
            args::<()>(method, input)?;
            metagraph::get_all_metagraphs(state).encode()
        }
        "SubnetInfoRuntimeApi_get_metagraph" => {
            let netuid: NetUid = args(method, input)?;
            metagraph::get_metagraph(state, netuid).encode()
        }
        "SubnetInfoRuntimeApi_get_mechagraph" => {
            let (netuid, mecid): (NetUid, u8) = args(method, input)?;
            metagraph::get_mechagraph(state, netuid, mecid).encode()
        }
        "SubnetInfoRuntimeApi_get_subnet_state" => {
            let netuid: NetUid = args(method, input)?;
            metagraph::get_subnet_state(state, netuid).encode()
        }
        "SubnetInfoRuntimeApi_get_coldkey_auto_stake_hotkey" => {
            let (_coldkey, _netuid): (AccountId32, NetUid) = args(method, input)?;
            // `AutoStakeDestination` is not kept: no coldkey has an auto-stake hotkey.
            Option::<AccountId32>::None.encode()
        }
        "SubnetInfoRuntimeApi_get_subnet_to_prune" => {
            args::<()>(method, input)?;
            super::subnets::subnet_to_prune(state).encode()
        }
        "SubnetInfoRuntimeApi_get_subnet_account_id" => {
            let netuid: NetUid = args(method, input)?;
            get_subnet_account_id(state, netuid).encode()
        }
        "SubnetInfoRuntimeApi_get_next_epoch_start_block" => {
            let netuid: NetUid = args(method, input)?;
            get_next_epoch_start_block(state, netuid).encode()
        }
        "StakeInfoRuntimeApi_get_stake_info_for_coldkey" => {
            let coldkey: AccountId32 = args(method, input)?;
            stake::get_stake_info_for_coldkey(state, &coldkey).encode()
        }
        "StakeInfoRuntimeApi_get_stake_info_for_coldkeys" => {
            let coldkeys: Vec<AccountId32> = args(method, input)?;
            stake::get_stake_info_for_coldkeys(state, &coldkeys).encode()
        }
        "StakeInfoRuntimeApi_get_stake_info_for_hotkey_coldkey_netuid" => {
            let (hotkey, coldkey, netuid): (AccountId32, AccountId32, NetUid) =
                args(method, input)?;
            stake::get_stake_info_for_hotkey_coldkey_netuid(state, &hotkey, &coldkey, netuid)
                .encode()
        }
        "DelegateInfoRuntimeApi_get_delegates" => {
            args::<()>(method, input)?;
            delegate::get_delegates(state).encode()
        }
        "DelegateInfoRuntimeApi_get_delegate" => {
            let hotkey: AccountId32 = args(method, input)?;
            delegate::get_delegate(state, &hotkey).encode()
        }
        "DelegateInfoRuntimeApi_get_delegated" => {
            let coldkey: AccountId32 = args(method, input)?;
            delegate::get_delegated(state, &coldkey).encode()
        }
        "SubnetRegistrationRuntimeApi_get_network_registration_cost" => {
            args::<()>(method, input)?;
            get_network_registration_cost(state).encode()
        }
        _ => return Err(InfoError::UnknownMethod(method.to_owned())),
    };
    Ok(out)
}

/// Decodes `T` from `input` and requires that nothing is left.
fn args<T: Decode>(method: &str, input: &mut &[u8]) -> Result<T, InfoError> {
    let value = T::decode(input)
        .map_err(|e| InfoError::BadParams { method: method.to_owned(), reason: e.to_string() })?;
    if input.is_empty() {
        Ok(value)
    } else {
        Err(InfoError::TrailingBytes { method: method.to_owned(), extra: input.len() })
    }
}

/// `SubnetRegistrationRuntimeApi_get_network_registration_cost`: the lock cost of registering a
/// subnet now, in RAO ([`super::subnets::lock_cost`]).
pub fn get_network_registration_cost(state: &(impl KvRead + ?Sized)) -> u64 {
    super::subnets::lock_cost(state)
}

/// The current burn (registration) cost of `netuid` in RAO (`SubtensorModule.Burn`), `None` if
/// the subnet does not exist. Not a runtime API in subtensor; clients read the storage item.
pub fn burn_cost(state: &(impl KvRead + ?Sized), netuid: NetUid) -> Option<u64> {
    super::subnet_exists(state, netuid).then(|| Burn::get(state, &netuid))
}

/// `get_subnet_account_id`: the pool account of `netuid` if it exists (the root always does).
pub fn get_subnet_account_id(
    state: &(impl KvRead + ?Sized),
    netuid: NetUid,
) -> Option<AccountId32> {
    (super::subnet_exists(state, netuid) || netuid == super::ROOT)
        .then(|| super::subnet_account_id(netuid))
}

/// `get_next_epoch_start_block`: `LastEpochBlock + Tempo`, or the pending epoch block if one
/// is scheduled earlier; `None` when the tempo is zero.
pub fn get_next_epoch_start_block(state: &(impl KvRead + ?Sized), netuid: NetUid) -> Option<u64> {
    use super::storage::{LastEpochBlock, PendingEpochAt, Tempo};
    let tempo = Tempo::get(state, &netuid);
    if tempo == 0 {
        return None;
    }
    let auto_next = LastEpochBlock::get(state, &netuid).saturating_add(u64::from(tempo));
    let pending = PendingEpochAt::get(state, &netuid);
    Some(if pending > 0 { auto_next.min(pending) } else { auto_next })
}

/// Bytes as subtensor's `Vec<Compact<u8>>` (names and symbols).
pub(crate) fn compact_bytes(bytes: &[u8]) -> Vec<Compact<u8>> {
    bytes.iter().copied().map(Compact).collect()
}

/// The subnet's display name: its identity's non-empty `subnet_name`, else the built-in name
/// of the netuid ([`names::NAMES`]), else `"unknown"`.
pub fn subnet_name(state: &(impl KvRead + ?Sized), netuid: NetUid) -> Vec<u8> {
    SubnetIdentitiesV3::try_get(state, &netuid)
        .map(|identity| identity.subnet_name)
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| {
            names::NAMES.get(usize::from(netuid.0)).copied().unwrap_or(names::UNKNOWN).to_vec()
        })
}

/// Entry `uid` of a stored per-uid vector, or the default when the vector is shorter.
pub(crate) fn at<T: Copy + Default>(values: &[T], uid: u16) -> T {
    values.get(usize::from(uid)).copied().unwrap_or_default()
}

#[cfg(test)]
mod tests;
