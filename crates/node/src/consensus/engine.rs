//! Starting simplex, marshal, block broadcast and backfill for our application.

use std::sync::Arc;
use std::time::Duration;

use commonware_broadcast::buffered;
use commonware_codec::{Decode as _, DecodeExt as _};
use commonware_consensus::marshal::core::{Actor, Mailbox};
use commonware_consensus::marshal::resolver::p2p as marshal_resolver;
use commonware_consensus::marshal::standard::{Inline, Standard};
use commonware_consensus::marshal::store::Blocks as _;
use commonware_consensus::marshal::{self, Start};
use commonware_consensus::simplex::elector::RoundRobin;
use commonware_consensus::simplex::types::Finalization;
use commonware_consensus::simplex::{self, ForwardPolicy, SkipBudget, SkipPolicy};
use commonware_consensus::types::{Epoch, FixedEpocher, ViewDelta};
use commonware_cryptography::certificate::{Scheme as _, Verifier as _};
use commonware_cryptography::{Sha256, Signer as _, ed25519};
use commonware_p2p::utils::mux::{Builder as _, MuxHandle, Muxer};
use commonware_p2p::{Blocker, Provider, Receiver, Sender, simulated};
use commonware_parallel::Sequential;
use commonware_rand_core::CryptoRng;
use commonware_runtime::buffer::paged::CacheRef;
use commonware_runtime::{Clock, Handle, Metrics, Quota, Spawner, Storage, Supervisor};
use commonware_storage::archive::immutable;
use commonware_utils::ordered::Set;
use commonware_utils::vec::NonEmptyVec;
use commonware_utils::{NZDuration, NZU16, NZU32, NZU64, NZUsize};
use rustensor_runtime::genesis::Validator;
use rustensor_runtime::pallets::validators::{self, ValidatorInfo};

use super::epochs::{self, EpochSchemes, Orchestrator, PeerTracker, Request, StateSets};
use super::{App, Authors, Committer};
use crate::block::{Block, BlockDigest, BlockLimits, to_digest};

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
        .map_err(|e| anyhow::anyhow!("secret URI {uri}: {}", crate::error_text(&e)))?;
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

/// What a validator needs of a commonware runtime context (the tokio runtime in production, the
/// deterministic one in tests): clock, randomness, tasks, storage, metrics and networking.
pub trait NodeRuntime:
    Clock
    + CryptoRng
    + Spawner
    + Storage
    + Metrics
    + commonware_runtime::Network
    + commonware_runtime::Resolver
    + Supervisor
    + Send
    + Sync
    + 'static
{
}

impl<T> NodeRuntime for T where
    T: Clock
        + CryptoRng
        + Spawner
        + Storage
        + Metrics
        + commonware_runtime::Network
        + commonware_runtime::Resolver
        + Supervisor
        + Send
        + Sync
        + 'static
{
}

/// Consensus timing and storage settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsensusConfig {
    /// The prefix of the consensus storage partitions (simplex journal, marshal archives);
    /// must be unique per validator sharing one storage (the node appends its key).
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

/// The running consensus tasks of a validator (simplex, marshal, broadcast, resolvers).
pub struct Consensus {
    handles: Vec<Handle<()>>,
}

impl Consensus {
    /// Stops all consensus tasks.
    pub fn abort(self) {
        for handle in self.handles {
            handle.abort();
        }
    }
}

/// The largest message on any consensus channel (blocks are at most 5 MiB).
pub const MAX_MESSAGE: u32 = 8 * 1024 * 1024;

/// An in-process simulated network (deterministic runtime) with `participants` as its peers
/// and no links yet: the caller adds links between the validators it starts on it.
pub async fn local_network<E>(
    context: E,
    participants: &Set<ed25519::PublicKey>,
) -> simulated::Oracle<ed25519::PublicKey, E>
where
    E: Clock
        + CryptoRng
        + Spawner
        + Metrics
        + commonware_runtime::Network
        + Supervisor
        + Send
        + Sync
        + 'static,
{
    let (network, oracle) = simulated::Network::new_with_peers(
        context.child("network"),
        simulated::Config {
            max_size: MAX_MESSAGE,
            max_peers_per_set: NZUsize!(MAX_PEERS_PER_SET.max(participants.len() + 1)),
            disconnect_on_block: true,
            tracked_peer_sets: NZUsize!(3),
        },
        participants.iter().cloned(),
    )
    .await;
    network.start();
    oracle
}

fn archive_config<C>(prefix: &str, name: &str, codec_config: C) -> immutable::Config<C> {
    immutable::Config {
        metadata_partition: format!("{prefix}-{name}-metadata"),
        freezer_table_partition: format!("{prefix}-{name}-freezer-table"),
        freezer_table_initial_size: 64,
        freezer_table_resize_frequency: 10,
        freezer_table_resize_chunk_size: 10,
        freezer_key_partition: format!("{prefix}-{name}-freezer-key"),
        freezer_key_page_cache: CacheRef::new(NZU16!(16_384), NZUsize!(1_000)),
        freezer_value_partition: format!("{prefix}-{name}-freezer-value"),
        freezer_value_target_size: 1024 * 1024,
        freezer_value_compression: None,
        ordinal_partition: format!("{prefix}-{name}-ordinal"),
        items_per_section: NZU64!(1024),
        codec_config,
        replay_buffer: NZUsize!(1024 * 1024),
        freezer_key_write_buffer: NZUsize!(1024 * 1024),
        freezer_value_write_buffer: NZUsize!(1024 * 1024),
        ordinal_write_buffer: NZUsize!(1024 * 1024),
    }
}

/// The leader election of every view: round robin over the validator set.
pub(crate) fn elector_config() -> RoundRobin<Sha256> {
    RoundRobin::<Sha256>::default()
}

/// One validator's consensus channels and the peer services the engines use: simplex votes,
/// certificates and its resolver (p2p channels 0-2), marshal's block backfill (3) and block
/// broadcast (4), and transaction gossip between the pools (5). Built by [`simulated_p2p`] (in-process networks of tests) or [`tcp_p2p`]
/// (authenticated, encrypted TCP between validators).
pub struct P2p<S, R, P, B> {
    /// Channel 0: simplex votes.
    pub vote: (S, R),
    /// Channel 1: simplex certificates.
    pub certificate: (S, R),
    /// Channel 2: simplex's certificate resolver.
    pub resolver: (S, R),
    /// Channel 3: marshal's backfill of finalized blocks.
    pub backfill: (S, R),
    /// Channel 4: block broadcast.
    pub blocks: (S, R),
    /// Channel 5: transaction gossip (see [`super::gossip`]).
    pub txs: (S, R),
    /// Who the peers are (the tracked validator set).
    pub peers: P,
    /// Where misbehaving peers are reported.
    pub blocker: B,
    /// Tells the network which validators to connect to as the set changes (see
    /// [`super::epochs`]).
    pub tracker: PeerTracker,
    /// The network's own task, if it runs one for this validator.
    pub network: Option<Handle<()>>,
}

/// Per-peer message rate on every consensus channel. The network sizes each channel's inbound
/// queue for one burst from every peer it may hold (all tracked sets), allocated up front, so
/// the burst is kept small.
fn channel_quota() -> Quota {
    Quota::per_second(NZU32!(10_000)).allow_burst(NZU32!(128))
}

/// Registers validator `me`'s consensus channels on the simulated network of `oracle` (the
/// caller links the peers).
///
/// # Errors
///
/// If `me`'s channels are already registered.
pub async fn simulated_p2p<E>(
    oracle: &simulated::Oracle<ed25519::PublicKey, E>,
    me: ed25519::PublicKey,
) -> anyhow::Result<
    P2p<
        impl Sender<PublicKey = ed25519::PublicKey>,
        impl Receiver<PublicKey = ed25519::PublicKey>,
        impl Provider<PublicKey = ed25519::PublicKey>,
        impl Blocker<PublicKey = ed25519::PublicKey>,
    >,
>
where
    E: Clock + CryptoRng + Spawner + Metrics + commonware_runtime::Network + Supervisor,
{
    let p2p = |e: commonware_p2p::simulated::Error| anyhow::anyhow!("p2p: {e}");
    let control = oracle.control(me);
    Ok(P2p {
        vote: control.register(0, channel_quota()).await.map_err(p2p)?,
        certificate: control.register(1, channel_quota()).await.map_err(p2p)?,
        resolver: control.register(2, channel_quota()).await.map_err(p2p)?,
        backfill: control.register(3, channel_quota()).await.map_err(p2p)?,
        blocks: control.register(4, channel_quota()).await.map_err(p2p)?,
        txs: control.register(5, channel_quota()).await.map_err(p2p)?,
        peers: oracle.manager(),
        blocker: control,
        tracker: simulated_tracker(oracle.manager()),
        network: None,
    })
}

/// A [`PeerTracker`] on a simulated network (addresses do not matter there).
fn simulated_tracker<E>(mut manager: simulated::Manager<ed25519::PublicKey, E>) -> PeerTracker
where
    E: Clock + Send + 'static,
{
    use commonware_p2p::Manager as _;
    Box::new(move |id, peers| {
        let keys: Vec<_> = peers.into_iter().map(|(key, _)| key).collect();
        match Set::try_from(keys) {
            Ok(set) => {
                let _ = manager.track(id, set);
            }
            Err(_) => tracing::warn!(id, "a peer set lists a key twice: not tracked"),
        }
    })
}

/// The most peers one tracked set may hold: two full validator sets (the running and the
/// scheduled one) and this node.
pub const MAX_PEERS_PER_SET: usize = 2 * validators::MAX_VALIDATORS + 1;

/// The namespace of the p2p handshake (domain separation from consensus votes).
pub const P2P_NAMESPACE: &[u8] = b"_RUSTENSOR_P2P";

/// Starts an authenticated, encrypted TCP network (commonware `authenticated::lookup`) for
/// `signer` listening on `listen`, with `participants` as its only allowed peers, dialed at
/// `addresses` (a validator without an address, like this one, is only accepted inbound).
///
/// # Errors
///
/// If a participant other than this validator has no address.
pub fn tcp_p2p<E>(
    context: E,
    signer: ed25519::PrivateKey,
    participants: &Set<ed25519::PublicKey>,
    listen: std::net::SocketAddr,
    addresses: &[(ed25519::PublicKey, std::net::SocketAddr)],
) -> anyhow::Result<
    P2p<
        impl Sender<PublicKey = ed25519::PublicKey>,
        impl Receiver<PublicKey = ed25519::PublicKey>,
        impl Provider<PublicKey = ed25519::PublicKey>,
        impl Blocker<PublicKey = ed25519::PublicKey>,
    >,
>
where
    E: Clock
        + CryptoRng
        + Spawner
        + Metrics
        + commonware_runtime::Network
        + commonware_runtime::Resolver
        + Supervisor,
{
    use commonware_cryptography::ChaCha20Poly1305;
    use commonware_p2p::AddressableManager as _;
    use commonware_p2p::authenticated::lookup;
    use commonware_stream::cups::{self, Cups};
    use commonware_stream::sake::{self, Sake};

    let me = signer.public_key();
    let mut book = Vec::with_capacity(participants.len());
    for key in participants.iter() {
        let address = if *key == me {
            listen
        } else {
            addresses.iter().find(|(k, _)| k == key).map(|(_, a)| *a).ok_or_else(|| {
                anyhow::anyhow!(
                    "validator {} has no network address: pass --peer {}@HOST:PORT",
                    hex::encode(key.as_ref()),
                    hex::encode(key.as_ref()),
                )
            })?
        };
        book.push((key.clone(), commonware_p2p::Address::from(address)));
    }
    let book: commonware_utils::ordered::Map<_, _> =
        book.try_into().map_err(|_| anyhow::anyhow!("a validator key is listed twice"))?;
    let handshake = Cups::<_, ChaCha20Poly1305>::new(
        Sake {
            signer,
            synchrony_bound: Duration::from_secs(5),
            max_handshake_age: Duration::from_secs(10),
            version: sake::Version::V1,
        },
        cups::Version::V1,
    );
    let mut config = lookup::Config::local(
        handshake,
        P2P_NAMESPACE,
        listen,
        NZUsize!(MAX_PEERS_PER_SET),
        MAX_MESSAGE,
        NZUsize!(1024),
    );
    // The running epoch's set, the union with the scheduled one, and the new epoch's set.
    config.tracked_peer_sets = NZUsize!(3);
    let (mut network, mut oracle) = lookup::Network::new(context.child("p2p"), config);
    let _ = oracle.track(0, book);
    let overrides: Vec<_> = addresses.to_vec();
    let mut manager = oracle.clone();
    let tracker: PeerTracker = Box::new(move |id, peers| {
        let mut book = Vec::with_capacity(peers.len());
        for (key, address) in peers {
            let resolved = if key == me {
                Some(listen)
            } else if let Some((_, a)) = overrides.iter().find(|(k, _)| *k == key) {
                Some(*a)
            } else {
                resolve(&address)
            };
            match resolved {
                Some(a) => book.push((key, commonware_p2p::Address::from(a))),
                None => tracing::warn!(
                    key = hex::encode(key.as_ref()),
                    %address,
                    "a validator's address does not resolve: pass --peer KEY@IP:PORT"
                ),
            }
        }
        match commonware_utils::ordered::Map::try_from(book) {
            Ok(book) => {
                let _ = manager.track(id, book);
            }
            Err(_) => tracing::warn!(id, "a peer set lists a key twice: not tracked"),
        }
    });
    let vote = network.register(0, channel_quota());
    let certificate = network.register(1, channel_quota());
    let resolver = network.register(2, channel_quota());
    let backfill = network.register(3, channel_quota());
    let blocks = network.register(4, channel_quota());
    let txs = network.register(5, channel_quota());
    let handle = network.start();
    Ok(P2p {
        vote,
        certificate,
        resolver,
        backfill,
        blocks,
        txs,
        peers: oracle.clone(),
        blocker: oracle,
        tracker,
        network: Some(handle),
    })
}

/// `host:port` as a socket address: parsed, else looked up (the first address).
fn resolve(address: &str) -> Option<std::net::SocketAddr> {
    use std::net::ToSocketAddrs as _;
    address.parse().ok().or_else(|| address.to_socket_addrs().ok()?.next())
}

/// Starts a validator: marshal with its p2p backfill resolver and buffered block broadcast,
/// and the epoch orchestrator running one simplex engine per epoch (see [`super::epochs`]),
/// on the channels of `p2p`, with `app` building, verifying and committing blocks.
///
/// The validator sets come from the committed state (`Validators.Active` and
/// `Validators.Previous`), not from the caller: the engine of the current epoch signs with
/// `signer` if its key is in that epoch's set, and only follows (verifies and commits) if not.
///
/// Consensus starts from the application chain's committed head: from genesis on an empty
/// chain, else from the head's finalization certificate kept in the store
/// ([`crate::store::StateStore::finality`]), with the head block handed to marshal as its
/// floor. A head that ends an epoch starts the next epoch's engine from it. Consensus storage
/// (`config.partition`) that already holds later progress takes precedence (simplex's journal
/// of the epoch and marshal's archives resume).
///
/// # Errors
///
/// If consensus storage cannot be opened, the chain state holds no validator set, or the
/// chain's head (beyond genesis) has no stored finality certificate.
pub async fn start<E, S, R, P, B>(
    context: E,
    signer: ed25519::PrivateKey,
    app: App<E>,
    p2p: P2p<S, R, P, B>,
    config: ConsensusConfig,
) -> anyhow::Result<Consensus>
where
    E: NodeRuntime,
    S: Sender<PublicKey = ed25519::PublicKey>,
    R: Receiver<PublicKey = ed25519::PublicKey>,
    P: Provider<PublicKey = ed25519::PublicKey>,
    B: Blocker<PublicKey = ed25519::PublicKey>,
{
    let me = signer.public_key();
    let P2p {
        vote,
        certificate: cert,
        resolver: res,
        backfill,
        blocks,
        txs,
        peers,
        blocker,
        tracker,
        network,
    } = p2p;

    // Where to start: genesis, or the newest committed block with a stored finalization
    // certificate (the head, unless the head was committed as an ancestor of a finalized
    // block and the node stopped before its child: then a few blocks below it).
    let (head, sets) = app.with_chain(|chain| {
        let head = chain.head()?;
        let sets = StateSets::read(&chain.store().state_at(head.number)?)?;
        anyhow::Ok((head, sets))
    })?;
    let (floor_number, floor_bytes) = app.with_chain(|chain| {
        let mut number = head.number;
        while number > 0 {
            if let Some(bytes) = chain.store().finality(number)? {
                return anyhow::Ok((number, Some(bytes)));
            }
            number -= 1;
        }
        Ok((0, None))
    })?;
    let (floor_block, floor_hash) = app.with_chain(|chain| {
        let block = chain.committed_block(floor_number)?;
        let hash = chain.store().hash_of(floor_number)?;
        anyhow::Ok((block, hash))
    })?;
    let floor_block = floor_block
        .ok_or_else(|| anyhow::anyhow!("committed block #{floor_number} has no stored body"))?;
    let floor_hash =
        floor_hash.ok_or_else(|| anyhow::anyhow!("no hash stored for block #{floor_number}"))?;
    let floor = match floor_bytes {
        None => None,
        Some(bytes) => {
            let finalization = Finalization::<Scheme, BlockDigest>::decode_cfg(
                bytes::Bytes::from(bytes),
                &Scheme::certificate_codec_config_unbounded(),
            )
            .map_err(|e| anyhow::anyhow!("stored finality certificate: {e}"))?;
            if finalization.proposal.payload != to_digest(floor_hash) {
                anyhow::bail!(
                    "the stored finality certificate of #{floor_number} names another block"
                );
            }
            Some(finalization)
        }
    };

    // The schemes and leaders of the epochs the head's state names.
    let length = std::num::NonZeroU64::new(sets.epoch_length)
        .ok_or_else(|| anyhow::anyhow!("the chain's epoch length is 0"))?;
    let epocher = FixedEpocher::new(length);
    let schemes = EpochSchemes::new(Some(signer.clone()));
    let authors = Authors::default();
    for set in sets.previous.iter().chain(std::iter::once(&sets.active)) {
        let participants = epochs::participants(&set.validators)?;
        schemes.insert(set.epoch, participants.clone());
        authors.insert(set.epoch, participants);
    }
    let epoch = sets.active.epoch;
    if let Some(f) = &floor {
        let cert_epoch = f.proposal.round.epoch().get();
        if schemes.get(cert_epoch).is_none() {
            anyhow::bail!(
                "the newest stored certificate (#{floor_number}) is of epoch {cert_epoch}, whose                  validators this node no longer knows: remove the consensus directory and the                  state to sync again"
            );
        }
    }
    // Simplex starts from a certificate of the running epoch, else from the epoch's first
    // parent: the last block of the epoch before (genesis for epoch 0).
    let engine_floor = match floor.clone() {
        Some(f) if f.proposal.round.epoch().get() == epoch => simplex::Floor::Finalized(f),
        _ => {
            let parent = epoch.checked_mul(sets.epoch_length).and_then(|n| n.checked_sub(1));
            let hash = match parent {
                None => app.with_chain(|chain| chain.store().hash_of(0))?,
                Some(n) => app.with_chain(|chain| chain.store().hash_of(n))?,
            };
            let hash = hash.ok_or_else(|| {
                anyhow::anyhow!("the last block before epoch {epoch} is not committed here")
            })?;
            simplex::Floor::Genesis(to_digest(hash))
        }
    };

    let mut handles: Vec<Handle<()>> = network.into_iter().collect();
    let has_peers = sets.active.validators.len() > 1;
    handles.push(super::gossip::start(context.child("gossip"), app.txs.clone(), txs, has_peers));
    let prefix = config.partition.clone();
    let block_limits = BlockLimits::default();

    // Block dissemination.
    let (broadcast_engine, buffer) = buffered::Engine::new(
        context.child("broadcast"),
        buffered::Config {
            public_key: me.clone(),
            mailbox_size: NZUsize!(1024),
            deque_size: 16,
            priority: false,
            codec_config: block_limits,
            peer_provider: peers.clone(),
            strategy: Sequential,
        },
    );
    handles.push(broadcast_engine.start(blocks));

    // Backfill.
    let resolver = marshal_resolver::init(
        context.child("backfill"),
        marshal_resolver::Config {
            public_key: me.clone(),
            peer_provider: peers,
            blocker: blocker.clone(),
            mailbox_size: NZUsize!(1024),
            fetch_timeout: NZDuration!(Duration::from_secs(2)),
            fetch_retry_delay: Duration::from_millis(100),
            priority_requests: false,
            priority_responses: false,
        },
        backfill,
    );

    // Marshal's archives; the head block is put there when we start from it as a floor, so
    // marshal finds the floor block locally (it is committed here).
    let finalizations = immutable::Archive::init(
        context.child("finalizations_by_height"),
        archive_config(
            &prefix,
            "finalizations-by-height",
            Scheme::certificate_codec_config_unbounded(),
        ),
    )
    .await
    .map_err(|e| anyhow::anyhow!("finalizations archive: {e}"))?;
    let mut finalized_blocks = immutable::Archive::init(
        context.child("finalized_blocks"),
        archive_config(&prefix, "finalized-blocks", block_limits),
    )
    .await
    .map_err(|e| anyhow::anyhow!("blocks archive: {e}"))?;
    let start = match &floor {
        None => Start::Genesis(commonware_cryptography::Digested::precomputed(
            floor_block,
            to_digest(floor_hash),
        )),
        Some(finalization) => {
            finalized_blocks = finalized_blocks
                .put(to_digest(floor_hash), &Arc::new(floor_block))
                .await
                .map_err(|e| anyhow::anyhow!("blocks archive: {e}"))?
                .sync()
                .await
                .map_err(|e| anyhow::anyhow!("blocks archive: {e}"))?;
            Start::Floor(finalization.clone())
        }
    };
    let marshal_config = marshal::Config {
        provider: schemes.clone(),
        epocher: epocher.clone(),
        start,
        partition_prefix: format!("{prefix}-marshal"),
        mailbox_size: NZUsize!(1024),
        view_retention: ViewDelta::new(10),
        prunable_items_per_section: NZU64!(16),
        page_cache: CacheRef::new(NZU16!(16_384), NZUsize!(1_000)),
        replay_buffer: NZUsize!(1024 * 1024),
        key_write_buffer: NZUsize!(1024 * 1024),
        value_write_buffer: NZUsize!(1024 * 1024),
        block_codec_config: block_limits,
        max_repair: NZUsize!(16),
        max_pending_acks: NZUsize!(1),
        strategy: Sequential,
    };
    let (actor, mailbox, _) = Actor::<_, Standard<Block>, _, _, _, _, _, _>::init(
        context.child("marshal"),
        finalizations,
        finalized_blocks,
        marshal_config,
    )
    .await;

    // The orchestrator's mailbox; the committer asks it to enter each new epoch.
    let (requests_tx, requests) = futures::channel::mpsc::unbounded();
    let orchestrator = Orchestrator(requests_tx.clone());
    let committer = Committer::new(
        app.clone(),
        mailbox.clone(),
        authors,
        schemes.clone(),
        orchestrator,
        sets.epoch_length,
    );
    handles.push(actor.start(committer, buffer, resolver));

    // Simplex's channels, one sub-channel per epoch; messages of epochs nobody runs here go
    // to the backup queues, which tell the orchestrator that peers are ahead.
    let (vote_mux, vote_mux_handle, vote_backup) =
        Muxer::builder(context.child("vote_mux"), vote.0, vote.1).with_backup().build();
    let (cert_mux, cert_mux_handle, cert_backup) =
        Muxer::builder(context.child("certificate_mux"), cert.0, cert.1).with_backup().build();
    let (res_mux, res_mux_handle) = Muxer::new(context.child("resolver_mux"), res.0, res.1);
    handles.push(context.child("vote_mux").spawn(move |_| async move {
        let _ = vote_mux.run().await;
    }));
    handles.push(context.child("certificate_mux").spawn(move |_| async move {
        let _ = cert_mux.run().await;
    }));
    handles.push(context.child("resolver_mux").spawn(move |_| async move {
        let _ = res_mux.run().await;
    }));
    for (name, mut backup) in [("vote_backup", vote_backup), ("certificate_backup", cert_backup)] {
        let requests = requests_tx.clone();
        handles.push(context.child(name).spawn(move |_| async move {
            while let Some((epoch, (from, _))) = backup.recv().await {
                if requests.unbounded_send(Request::Seen { epoch, from }).is_err() {
                    break;
                }
            }
        }));
    }

    // Simplex, with marshal's standard inline-verification wrapper as its application.
    // The engines and marshal's inline wrapper (their application) run under the
    // orchestrator's task, so stopping it stops them and every verification they started.
    handles.push(context.child("orchestrator").spawn(move |ctx| {
        let wrapped = Inline::new(ctx.child("inline"), app, mailbox.clone(), epocher.clone());
        let engines = Engines {
            context: ctx,
            schemes,
            wrapped,
            blocker,
            prefix,
            config,
            mux: (vote_mux_handle, cert_mux_handle, res_mux_handle),
            tracker,
            me,
        };
        engines.run(epoch, sets, engine_floor, requests, mailbox, epocher)
    }));
    Ok(Consensus { handles })
}

/// Starts and stops the simplex engine of each epoch (the orchestrator of
/// [`super::epochs`]).
struct Engines<E: NodeRuntime, S: Sender<PublicKey = ed25519::PublicKey>, B> {
    context: E,
    schemes: EpochSchemes,
    wrapped: Inline<E, Scheme, App<E>, Block, FixedEpocher>,
    blocker: B,
    prefix: String,
    config: ConsensusConfig,
    mux: (MuxHandle<S>, MuxHandle<S>, MuxHandle<S>),
    tracker: PeerTracker,
    me: ed25519::PublicKey,
}

impl<E, S, B> Engines<E, S, B>
where
    E: NodeRuntime,
    S: Sender<PublicKey = ed25519::PublicKey>,
    B: Blocker<PublicKey = ed25519::PublicKey>,
{
    /// Starts the engine of `epoch` from `floor` on the epoch's sub-channels.
    async fn launch(
        &mut self,
        epoch: u64,
        floor: simplex::Floor<Scheme, BlockDigest>,
    ) -> anyhow::Result<Handle<()>> {
        let scheme = self
            .schemes
            .get(epoch)
            .ok_or_else(|| anyhow::anyhow!("no validator set known for epoch {epoch}"))?;
        let mux = |e: commonware_p2p::utils::mux::Error| anyhow::anyhow!("epoch {epoch}: {e}");
        let vote = self.mux.0.register(epoch).await.map_err(mux)?;
        let cert = self.mux.1.register(epoch).await.map_err(mux)?;
        let res = self.mux.2.register(epoch).await.map_err(mux)?;
        let engine_config = simplex::Config {
            scheme: Scheme::clone(&scheme),
            elector: elector_config(),
            blocker: self.blocker.clone(),
            automaton: self.wrapped.clone(),
            relay: self.wrapped.clone(),
            reporter: self.wrapped.clone(),
            track_historical_votes: false,
            strategy: Sequential,
            partition: format!("{}-simplex-{epoch}", self.prefix),
            mailbox_size: NZUsize!(1024),
            epoch: Epoch::new(epoch),
            floor,
            replay_buffer: NZUsize!(1024 * 1024),
            write_buffer: NZUsize!(1024 * 1024),
            page_cache: CacheRef::new(NZU16!(16_384), NZUsize!(1_000)),
            leader_timeout: self.config.leader_timeout,
            certification_timeout: self.config.certification_timeout,
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
        let engine = simplex::Engine::new(
            self.context.child("engine").with_attribute("epoch", epoch),
            engine_config,
        );
        Ok(engine.start(vote, cert, res))
    }

    /// Tracks peer set `id` as `validators`, if `id` is above the last one tracked.
    fn track(&mut self, last: &mut u64, id: u64, validators: &[ValidatorInfo]) {
        if id <= *last {
            return;
        }
        *last = id;
        (self.tracker)(id, epochs::peers(validators));
    }

    /// Runs `epoch` from `floor`, then serves the committer's requests: each new epoch's
    /// engine replaces the running one; schedules widen the peer set; messages of later epochs
    /// make marshal fetch the running epoch's last block.
    async fn run(
        mut self,
        epoch: u64,
        sets: StateSets,
        floor: simplex::Floor<Scheme, BlockDigest>,
        mut requests: futures::channel::mpsc::UnboundedReceiver<Request>,
        marshal: Mailbox<Scheme, Standard<Block>>,
        epocher: FixedEpocher,
    ) {
        use commonware_consensus::types::Epocher as _;
        use futures::StreamExt as _;
        // Peer set 0 (the genesis validators) is tracked when the network starts.
        let mut last_tracked = 0;
        self.track(&mut last_tracked, epoch.saturating_mul(2), &sets.active.validators);
        if let Some(next) = &sets.next {
            let both = epochs::union(&sets.active.validators, &next.validators);
            self.track(&mut last_tracked, epoch.saturating_mul(2).saturating_add(1), &both);
        }
        let mut running = match self.launch(epoch, floor).await {
            Ok(handle) => (epoch, handle),
            Err(e) => {
                tracing::error!(error = %e, "cannot start consensus");
                return;
            }
        };
        tracing::info!(
            epoch,
            signer = self.schemes.get(epoch).is_some_and(|s| s.me().is_some()),
            "consensus epoch started"
        );
        let mut last_hint: Option<(u64, std::time::SystemTime)> = None;
        while let Some(request) = requests.next().await {
            match request {
                Request::Enter { epoch, set, floor, done } => {
                    if epoch <= running.0 {
                        let _ = done.send(());
                        continue;
                    }
                    self.track(&mut last_tracked, epoch.saturating_mul(2), &set);
                    match self.launch(epoch, simplex::Floor::Genesis(floor)).await {
                        Ok(handle) => {
                            let (old, old_handle) =
                                std::mem::replace(&mut running, (epoch, handle));
                            old_handle.abort();
                            let signs = self.schemes.get(epoch).is_some_and(|s| s.me().is_some());
                            tracing::info!(
                                epoch,
                                validators = set.len(),
                                signer = signs,
                                "consensus epoch started"
                            );
                            if let Some(stale) = old.checked_sub(1) {
                                let partition = format!("{}-simplex-{stale}", self.prefix);
                                if let Err(e) = self.context.remove(&partition, None).await {
                                    tracing::debug!(%partition, error = %e, "old epoch journal not removed");
                                }
                            }
                        }
                        Err(e) => tracing::error!(epoch, error = %e, "cannot start the next epoch"),
                    }
                    let _ = done.send(());
                }
                Request::Announce { epoch, current, scheduled } => {
                    let Some(id) = epoch.checked_mul(2).and_then(|id| id.checked_sub(1)) else {
                        continue;
                    };
                    let both = epochs::union(&current, &scheduled);
                    if id > last_tracked {
                        tracing::info!(
                            epoch,
                            validators = scheduled.len(),
                            "validator set scheduled: connecting to it"
                        );
                    }
                    self.track(&mut last_tracked, id, &both);
                }
                Request::Seen { epoch, from } => {
                    if epoch <= running.0 || from == self.me {
                        continue;
                    }
                    let now = self.context.current();
                    let recent = last_hint.is_some_and(|(e, at)| {
                        e == running.0
                            && now.duration_since(at).unwrap_or_default() < Duration::from_secs(1)
                    });
                    if recent {
                        continue;
                    }
                    if let Some(last) = epocher.last(Epoch::new(running.0)) {
                        tracing::debug!(
                            epoch = running.0,
                            ahead = epoch,
                            "peers are in a later epoch: fetching the boundary"
                        );
                        marshal.hint_finalized(last, NonEmptyVec::new(from));
                        last_hint = Some((running.0, now));
                    }
                }
            }
        }
        running.1.abort();
    }
}
