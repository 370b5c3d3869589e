//! The runtime APIs in the metadata: name, methods, parameter names and typed outputs.
//!
//! Clients check that a method exists here before calling it through `state_call`, encode the
//! parameters from these types, and decode the result by its type (a real struct, never raw
//! bytes). The subtensor families cover exactly [`SUPPORTED_METHODS`](crate::pallets::subtensor::runtime_api::SUPPORTED_METHODS).

use frame_metadata::v15::{
    RuntimeApiMetadata, RuntimeApiMethodMetadata, RuntimeApiMethodParamMetadata,
};
use rustensor_primitives::{AccountId32, NetUid};
use scale_info::{MetaType, TypeInfo};

use super::types::{OpaqueMetadata, UncheckedExtrinsic};
use crate::dispatch::DispatchError;
use crate::extrinsic::TransactionValidityError;
use crate::pallets::subtensor::runtime_api::{
    delegate, dynamic, hyperparams, metagraph, neuron, stake,
};
use crate::pallets::transaction_payment::{FeeDetails, RuntimeDispatchInfo};

/// A parameter `name` of type `T`.
fn p<T: TypeInfo + 'static>(name: &'static str) -> RuntimeApiMethodParamMetadata {
    RuntimeApiMethodParamMetadata { name, ty: MetaType::new::<T>() }
}

/// A method `name(inputs) -> O`.
fn m<O: TypeInfo + 'static>(
    name: &'static str,
    inputs: Vec<RuntimeApiMethodParamMetadata>,
) -> RuntimeApiMethodMetadata {
    RuntimeApiMethodMetadata { name, inputs, output: MetaType::new::<O>(), docs: Vec::new() }
}

/// An API `name` with its methods.
fn api(name: &'static str, methods: Vec<RuntimeApiMethodMetadata>) -> RuntimeApiMetadata {
    RuntimeApiMetadata { name, methods, docs: Vec::new() }
}

/// Every runtime API this runtime describes.
pub fn runtime_apis() -> Vec<RuntimeApiMetadata> {
    use delegate::{DelegateInfo, DelegatedRow};
    use dynamic::DynamicInfo;
    use hyperparams::{
        SubnetHyperparams, SubnetHyperparamsV2, SubnetHyperparamsV3, SubnetInfo, SubnetInfov2,
    };
    use metagraph::{Metagraph, SubnetState};
    use neuron::{NeuronInfo, NeuronInfoLite};
    use stake::StakeInfo;
    type Acc = AccountId32;
    let netuid = || p::<NetUid>("netuid");
    vec![
        api(
            "Metadata",
            vec![
                m::<OpaqueMetadata>("metadata", Vec::new()),
                m::<Option<OpaqueMetadata>>("metadata_at_version", vec![p::<u32>("version")]),
                m::<Vec<u32>>("metadata_versions", Vec::new()),
            ],
        ),
        api(
            "BlockBuilder",
            vec![m::<Result<Result<(), DispatchError>, TransactionValidityError>>(
                "apply_extrinsic",
                vec![p::<UncheckedExtrinsic>("extrinsic")],
            )],
        ),
        api("AccountNonceApi", vec![m::<u32>("account_nonce", vec![p::<Acc>("account")])]),
        api(
            "TransactionPaymentApi",
            vec![
                m::<RuntimeDispatchInfo>(
                    "query_info",
                    vec![p::<UncheckedExtrinsic>("uxt"), p::<u32>("len")],
                ),
                m::<FeeDetails>(
                    "query_fee_details",
                    vec![p::<UncheckedExtrinsic>("uxt"), p::<u32>("len")],
                ),
            ],
        ),
        api(
            "NeuronInfoRuntimeApi",
            vec![
                m::<Vec<NeuronInfo>>("get_neurons", vec![netuid()]),
                m::<Option<NeuronInfo>>("get_neuron", vec![netuid(), p::<u16>("uid")]),
                m::<Vec<NeuronInfoLite>>("get_neurons_lite", vec![netuid()]),
                m::<Option<NeuronInfoLite>>("get_neuron_lite", vec![netuid(), p::<u16>("uid")]),
            ],
        ),
        api(
            "SubnetInfoRuntimeApi",
            vec![
                m::<Option<SubnetInfo>>("get_subnet_info", vec![netuid()]),
                m::<Vec<Option<SubnetInfo>>>("get_subnets_info", Vec::new()),
                m::<Option<SubnetInfov2>>("get_subnet_info_v2", vec![netuid()]),
                m::<Vec<Option<SubnetInfov2>>>("get_subnets_info_v2", Vec::new()),
                m::<Option<SubnetHyperparams>>("get_subnet_hyperparams", vec![netuid()]),
                m::<Option<SubnetHyperparamsV2>>("get_subnet_hyperparams_v2", vec![netuid()]),
                m::<Option<SubnetHyperparamsV3>>("get_subnet_hyperparams_v3", vec![netuid()]),
                m::<Vec<Option<DynamicInfo>>>("get_all_dynamic_info", Vec::new()),
                m::<Vec<Option<Metagraph>>>("get_all_metagraphs", Vec::new()),
                m::<Option<Metagraph>>("get_metagraph", vec![netuid()]),
                m::<Vec<Option<Metagraph>>>("get_all_mechagraphs", Vec::new()),
                m::<Option<Metagraph>>("get_mechagraph", vec![netuid(), p::<u8>("mecid")]),
                m::<Option<DynamicInfo>>("get_dynamic_info", vec![netuid()]),
                m::<Option<SubnetState>>("get_subnet_state", vec![netuid()]),
                m::<Option<Acc>>(
                    "get_coldkey_auto_stake_hotkey",
                    vec![p::<Acc>("coldkey"), netuid()],
                ),
                m::<Option<NetUid>>("get_subnet_to_prune", Vec::new()),
                m::<Option<Acc>>("get_subnet_account_id", vec![netuid()]),
                m::<Option<u64>>("get_next_epoch_start_block", vec![netuid()]),
            ],
        ),
        api(
            "StakeInfoRuntimeApi",
            vec![
                m::<Vec<StakeInfo>>(
                    "get_stake_info_for_coldkey",
                    vec![p::<Acc>("coldkey_account")],
                ),
                m::<Vec<(Acc, Vec<StakeInfo>)>>(
                    "get_stake_info_for_coldkeys",
                    vec![p::<Vec<Acc>>("coldkey_accounts")],
                ),
                m::<Option<StakeInfo>>(
                    "get_stake_info_for_hotkey_coldkey_netuid",
                    vec![p::<Acc>("hotkey_account"), p::<Acc>("coldkey_account"), netuid()],
                ),
            ],
        ),
        api(
            "DelegateInfoRuntimeApi",
            vec![
                m::<Vec<DelegateInfo>>("get_delegates", Vec::new()),
                m::<Option<DelegateInfo>>("get_delegate", vec![p::<Acc>("delegate_account")]),
                m::<Vec<DelegatedRow>>("get_delegated", vec![p::<Acc>("delegatee_account")]),
            ],
        ),
        api(
            "SubnetRegistrationRuntimeApi",
            vec![m::<u64>("get_network_registration_cost", Vec::new())],
        ),
    ]
}
