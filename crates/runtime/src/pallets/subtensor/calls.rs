//! What each `SubtensorModule` call does: one exhaustive match from [`Call`] (its encoding is in
//! `rustensor_runtime_types::pallets::subtensor::calls`) to the module that implements it, so a
//! call added to the enum does not compile until it is routed.

use super::types::SubnetIdentityV3;
use super::{registration, serving, staking, subnets, tempo_control, weights};
use crate::dispatch::Dispatchable;
use crate::dispatch::{
    DispatchContext, DispatchError, DispatchResultWithPostInfo, Origin, PostDispatchInfo,
};
pub use rustensor_runtime_types::pallets::subtensor::calls::*;

/// Runs the call from `origin`.
///
/// # Errors
///
/// The module's [`super::Error`] (or `BadOrigin`), with default post-dispatch info.
impl Dispatchable for Call {
    type Output = DispatchResultWithPostInfo;

    fn dispatch(self, ctx: &mut DispatchContext<'_>, origin: &Origin) -> Self::Output {
        let result: Result<(), DispatchError> = match self {
            Self::SetWeights { netuid, dests, weights: values, version_key } => {
                let who = *origin.ensure_signed()?;
                weights::set_weights(ctx, &who, netuid, &dests, &values, version_key)
                    .map_err(Into::into)
            }
            Self::BatchSetWeights { netuids, weights: rows, version_keys } => {
                let who = *origin.ensure_signed()?;
                weights::batch_set_weights(ctx, &who, &netuids, &rows, &version_keys)
                    .map_err(Into::into)
            }
            Self::CommitWeights { netuid, commit_hash } => {
                let who = *origin.ensure_signed()?;
                weights::commit_weights(ctx, &who, netuid, commit_hash).map_err(Into::into)
            }
            Self::BatchCommitWeights { netuids, commit_hashes } => {
                let who = *origin.ensure_signed()?;
                weights::batch_commit_weights(ctx, &who, &netuids, &commit_hashes)
                    .map_err(Into::into)
            }
            Self::RevealWeights { netuid, uids, values, salt, version_key } => {
                let who = *origin.ensure_signed()?;
                weights::reveal_weights(ctx, &who, netuid, &uids, &values, &salt, version_key)
                    .map_err(Into::into)
            }
            Self::BatchRevealWeights {
                netuid,
                uids_list,
                values_list,
                salts_list,
                version_keys,
            } => {
                let who = *origin.ensure_signed()?;
                weights::batch_reveal_weights(
                    ctx,
                    &who,
                    netuid,
                    &uids_list,
                    &values_list,
                    &salts_list,
                    &version_keys,
                )
                .map_err(Into::into)
            }
            Self::ServeAxon {
                netuid,
                version,
                ip,
                port,
                ip_type,
                protocol,
                placeholder1,
                placeholder2,
            } => {
                let who = *origin.ensure_signed()?;
                let axon = serving::AxonArgs {
                    version,
                    ip,
                    port,
                    ip_type,
                    protocol,
                    placeholder1,
                    placeholder2,
                };
                serving::serve_axon(ctx, &who, netuid, axon, None).map_err(Into::into)
            }
            Self::ServeAxonTls {
                netuid,
                version,
                ip,
                port,
                ip_type,
                protocol,
                placeholder1,
                placeholder2,
                certificate,
            } => {
                let who = *origin.ensure_signed()?;
                let axon = serving::AxonArgs {
                    version,
                    ip,
                    port,
                    ip_type,
                    protocol,
                    placeholder1,
                    placeholder2,
                };
                serving::serve_axon(ctx, &who, netuid, axon, Some(certificate)).map_err(Into::into)
            }
            Self::ServePrometheus { netuid, version, ip, port, ip_type } => {
                let who = *origin.ensure_signed()?;
                serving::serve_prometheus(ctx, &who, netuid, version, ip, port, ip_type)
                    .map_err(Into::into)
            }
            Self::Register { netuid, block_number, nonce, work, hotkey, coldkey } => {
                let who = *origin.ensure_signed()?;
                let pow = registration::PowArgs { block_number, nonce, work, coldkey };
                registration::register(ctx, &who, netuid, &hotkey, pow)
            }
            Self::BurnedRegister { netuid, hotkey } => {
                let who = *origin.ensure_signed()?;
                registration::burned_register(ctx, &who, netuid, &hotkey, None)
            }
            Self::RegisterLimit { netuid, hotkey, limit_price } => {
                let who = *origin.ensure_signed()?;
                registration::burned_register(ctx, &who, netuid, &hotkey, Some(limit_price))
            }
            Self::RootRegister { hotkey } => {
                let who = *origin.ensure_signed()?;
                registration::root_register(ctx, &who, &hotkey)
            }
            Self::RegisterNetwork { hotkey } => {
                let who = *origin.ensure_signed()?;
                subnets::register_network(ctx, &who, &hotkey, None).map(drop)
            }
            Self::RegisterNetworkWithIdentity { hotkey, identity } => {
                let who = *origin.ensure_signed()?;
                subnets::register_network(ctx, &who, &hotkey, identity).map(drop)
            }
            Self::DissolveNetwork { coldkey: _, netuid } | Self::RootDissolveNetwork { netuid } => {
                origin.ensure_root()?;
                subnets::dissolve_network(ctx, netuid)
            }
            Self::StartCall { netuid } => {
                let who = *origin.ensure_signed()?;
                subnets::start_call(ctx, &who, netuid)
            }
            Self::SetSubnetIdentity {
                netuid,
                subnet_name,
                github_repo,
                subnet_contact,
                subnet_url,
                discord,
                description,
                logo_url,
                additional,
            } => {
                let who = *origin.ensure_signed()?;
                let identity = SubnetIdentityV3 {
                    subnet_name,
                    github_repo,
                    subnet_contact,
                    subnet_url,
                    discord,
                    description,
                    logo_url,
                    additional,
                };
                subnets::set_subnet_identity(ctx, &who, netuid, identity)
            }
            Self::SetIdentity {
                name,
                url,
                github_repo,
                image,
                discord,
                description,
                additional,
            } => {
                let who = *origin.ensure_signed()?;
                let identity = super::types::ChainIdentityV2 {
                    name,
                    url,
                    github_repo,
                    image,
                    discord,
                    description,
                    additional,
                };
                subnets::set_identity(ctx, &who, identity)
            }
            Self::TryAssociateHotkey { hotkey } => {
                let who = *origin.ensure_signed()?;
                registration::try_associate_hotkey(ctx, &who, &hotkey)
            }
            Self::SetTempo { netuid, tempo } => {
                tempo_control::set_tempo(ctx, origin, netuid, tempo)
            }
            Self::SetActivityCutoffFactor { netuid, factor_milli } => {
                tempo_control::set_activity_cutoff_factor(ctx, origin, netuid, factor_milli)
            }
            Self::TriggerEpoch { netuid } => tempo_control::trigger_epoch(ctx, origin, netuid),
            call @ (Self::AddStake { .. }
            | Self::AddStakeLimit { .. }
            | Self::RemoveStake { .. }
            | Self::RemoveStakeLimit { .. }
            | Self::RemoveStakeFullLimit { .. }
            | Self::UnstakeAll { .. }
            | Self::UnstakeAllAlpha { .. }
            | Self::MoveStake { .. }
            | Self::TransferStake { .. }
            | Self::SwapStake { .. }
            | Self::SwapStakeLimit { .. }
            | Self::RecycleAlpha { .. }
            | Self::BurnAlpha { .. }
            | Self::IncreaseTake { .. }
            | Self::DecreaseTake { .. }) => staking::dispatch(ctx, origin, call),
        };
        result.map(|()| PostDispatchInfo::default()).map_err(Into::into)
    }
}
