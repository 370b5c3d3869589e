//! Starting a simplex engine for our application.

use std::time::Duration;

use commonware_codec::DecodeExt as _;
use commonware_consensus::simplex::{
    self, ForwardPolicy, SkipBudget, SkipPolicy, elector::RoundRobin,
};
use commonware_consensus::types::{Epoch, ViewDelta};
use commonware_cryptography::{Sha256, Signer as _, ed25519};
use commonware_p2p::simulated;
use commonware_parallel::Sequential;
use commonware_rand_core::CryptoRng;
use commonware_runtime::buffer::paged::CacheRef;
use commonware_runtime::{Clock, Handle, Metrics, Quota, Spawner, Storage, Supervisor};
use commonware_utils::ordered::Set;
use commonware_utils::{NZDuration, NZU16, NZU32, NZUsize};
use rustensor_runtime::genesis::Validator;

use super::App;
use crate::block::{Hash, to_digest};

/// The signing scheme: ed25519 attributable multisignatures.
pub type Scheme = simplex::scheme::ed25519::Scheme;

/// The consensus signing namespace (domain separation of votes).
pub const NAMESPACE: &[u8] = b"_RUSTENSOR_CONSENSUS";

/// The consensus key of the secret URI `uri` (e.g. `"//Alice"`), as the chain spec derives
/// validator keys: the ed25519 seed of Substrate's derivation.
///
/// # Errors
///
/// If the URI is not a valid ed25519 secret URI.
pub fn dev_signer(uri: &str) -> anyhow::Result<ed25519::PrivateKey> {
    let pair = rustensor_primitives::crypto::ed25519::Pair::from_uri(uri, None)
        .map_err(|e| anyhow::anyhow!("secret URI {uri}: {e}"))?;
    let seed = pair.seed();
    ed25519::PrivateKey::decode(seed.to_vec()).map_err(|e| anyhow::anyhow!("ed25519 seed: {e}"))
}

/// The account a validator with consensus secret URI `uri` collects block fees on
/// ([`crate::chain::author_of`] of its ed25519 public key).
///
/// # Errors
///
/// As [`dev_signer`].
pub fn author_account(uri: &str) -> anyhow::Result<rustensor_primitives::AccountId32> {
    let public = dev_signer(uri)?.public_key();
    let mut bytes = [0u8; 32];
    bytes.copy_from_slice(public.as_ref());
    Ok(crate::chain::author_of(&bytes))
}

/// The consensus participant set of the genesis validators.
///
/// # Errors
///
/// If a key is not a valid ed25519 public key or a key is listed twice.
pub fn validator_set(validators: &[Validator]) -> anyhow::Result<Set<ed25519::PublicKey>> {
    let keys = validators
        .iter()
        .map(|v| {
            ed25519::PublicKey::decode(v.public_key.to_vec())
                .map_err(|e| anyhow::anyhow!("validator key: {e}"))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Set::try_from(keys).map_err(|_| anyhow::anyhow!("a validator key is listed twice"))
}

/// Consensus timing and storage settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsensusConfig {
    /// The journal's storage partition (unique per engine instance).
    pub partition: String,
    /// How long to wait for a leader's proposal before voting to skip the view.
    pub leader_timeout: Duration,
    /// How long to wait for a notarized block to be certified.
    pub certification_timeout: Duration,
}

impl Default for ConsensusConfig {
    fn default() -> Self {
        Self {
            partition: "simplex".into(),
            leader_timeout: Duration::from_secs(2),
            certification_timeout: Duration::from_secs(3),
        }
    }
}

/// Starts a single validator's simplex engine building on `floor` (the genesis block's hash,
/// or after a restart the latest committed block's hash, with a fresh journal partition).
///
/// The engine's p2p channels come from commonware's in-process simulated network with this
/// validator as its only peer: one validator sends its votes to nobody, so no real network is
/// needed (multi-validator p2p is future work).
///
/// # Errors
///
/// If the signer is not in `participants` or the channels cannot be registered.
pub async fn start<E>(
    context: E,
    signer: ed25519::PrivateKey,
    participants: Set<ed25519::PublicKey>,
    app: App<E>,
    floor: Hash,
    config: ConsensusConfig,
) -> anyhow::Result<Handle<()>>
where
    E: Clock
        + CryptoRng
        + Spawner
        + Storage
        + Metrics
        + commonware_runtime::Network
        + Supervisor
        + Send
        + Sync
        + 'static,
{
    let me = signer.public_key();
    let (network, oracle) = simulated::Network::new_with_peers(
        context.child("network"),
        simulated::Config {
            max_size: 8 * 1024 * 1024,
            max_peers_per_set: NZUsize!(participants.len() + 1),
            disconnect_on_block: true,
            tracked_peer_sets: NZUsize!(1),
        },
        participants.iter().cloned(),
    )
    .await;
    network.start();
    let control = oracle.control(me);
    let quota = Quota::per_second(NZU32!(10_000));
    let vote = control.register(0, quota).await.map_err(|e| anyhow::anyhow!("p2p: {e}"))?;
    let cert = control.register(1, quota).await.map_err(|e| anyhow::anyhow!("p2p: {e}"))?;
    let res = control.register(2, quota).await.map_err(|e| anyhow::anyhow!("p2p: {e}"))?;
    let scheme = Scheme::signer(NAMESPACE, participants, signer)
        .ok_or_else(|| anyhow::anyhow!("the signer is not a validator"))?;
    let engine_config = simplex::Config {
        scheme,
        elector: RoundRobin::<Sha256>::default(),
        blocker: control,
        automaton: app.clone(),
        relay: app.clone(),
        reporter: app,
        track_historical_votes: false,
        strategy: Sequential,
        partition: config.partition,
        mailbox_size: NZUsize!(1024),
        epoch: Epoch::zero(),
        floor: simplex::Floor::Genesis(to_digest(floor)),
        replay_buffer: NZUsize!(1024 * 1024),
        write_buffer: NZUsize!(1024 * 1024),
        page_cache: CacheRef::new(NZU16!(16_384), NZUsize!(1_000)),
        leader_timeout: config.leader_timeout,
        certification_timeout: config.certification_timeout,
        timeout_retry: Duration::from_secs(5),
        view_retention: ViewDelta::new(10),
        skip: SkipPolicy::Enabled {
            timeout: Duration::from_secs(10),
            budget: SkipBudget::Participants,
        },
        fetch_timeout: NZDuration!(Duration::from_secs(1)),
        fetch_retry_delay: Duration::from_millis(100),
        forward: ForwardPolicy::Disabled,
    };
    let engine = simplex::Engine::new(context.child("engine"), engine_config);
    Ok(engine.start(vote, cert, res))
}
