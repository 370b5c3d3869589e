//! The structs `SubtensorModule`'s runtime APIs answer with (`state_call`), SCALE-encoded as
//! subtensor encodes them. Which method answers with which struct, and how each is computed, is
//! `rustensor_runtime_types::pallets::subtensor::runtime_api`.
//!
//! | module | holds | runtime API |
//! | --- | --- | --- |
//! | [`metagraph`] | `Metagraph`, `SubnetState` | `SubnetInfoRuntimeApi.get_metagraph`, `get_subnet_state`, … |
//! | [`neuron`] | `NeuronInfo`, `NeuronInfoLite` | `NeuronInfoRuntimeApi` |
//! | [`dynamic`] | `DynamicInfo` | `SubnetInfoRuntimeApi.get_dynamic_info` |
//! | [`delegate`] | `DelegateInfo` | `DelegateInfoRuntimeApi` |
//! | [`stake`] | `StakeInfo` | `StakeInfoRuntimeApi` |
//! | [`hyperparams`] | `SubnetInfo`, `SubnetHyperparams` (v1–v3) | `SubnetInfoRuntimeApi.get_subnet_hyperparams*`, `get_subnet_info*` |

pub mod delegate;
pub mod dynamic;
pub mod hyperparams;
pub mod metagraph;
pub mod neuron;
pub mod stake;

/// Every `state_call` method `call_runtime_api` answers, as `"<Api>_<method>"`.
pub const SUPPORTED_METHODS: &[&str] = &[
    "NeuronInfoRuntimeApi_get_neurons",
    "NeuronInfoRuntimeApi_get_neuron",
    "NeuronInfoRuntimeApi_get_neurons_lite",
    "NeuronInfoRuntimeApi_get_neuron_lite",
    "SubnetInfoRuntimeApi_get_subnet_info",
    "SubnetInfoRuntimeApi_get_subnets_info",
    "SubnetInfoRuntimeApi_get_subnet_info_v2",
    "SubnetInfoRuntimeApi_get_subnets_info_v2",
    "SubnetInfoRuntimeApi_get_subnet_hyperparams",
    "SubnetInfoRuntimeApi_get_subnet_hyperparams_v2",
    "SubnetInfoRuntimeApi_get_subnet_hyperparams_v3",
    "SubnetInfoRuntimeApi_get_all_dynamic_info",
    "SubnetInfoRuntimeApi_get_all_metagraphs",
    "SubnetInfoRuntimeApi_get_metagraph",
    "SubnetInfoRuntimeApi_get_all_mechagraphs",
    "SubnetInfoRuntimeApi_get_mechagraph",
    "SubnetInfoRuntimeApi_get_dynamic_info",
    "SubnetInfoRuntimeApi_get_subnet_state",
    "SubnetInfoRuntimeApi_get_coldkey_auto_stake_hotkey",
    "SubnetInfoRuntimeApi_get_subnet_to_prune",
    "SubnetInfoRuntimeApi_get_subnet_account_id",
    "SubnetInfoRuntimeApi_get_next_epoch_start_block",
    "StakeInfoRuntimeApi_get_stake_info_for_coldkey",
    "StakeInfoRuntimeApi_get_stake_info_for_coldkeys",
    "StakeInfoRuntimeApi_get_stake_info_for_hotkey_coldkey_netuid",
    "DelegateInfoRuntimeApi_get_delegates",
    "DelegateInfoRuntimeApi_get_delegate",
    "DelegateInfoRuntimeApi_get_delegated",
    "SubnetRegistrationRuntimeApi_get_network_registration_cost",
];
