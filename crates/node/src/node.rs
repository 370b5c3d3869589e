//! The node: state store + chain + simplex + marshal, started on any commonware runtime.
//!
//! [`NodeConfig::dev`] is what `rustensor node --dev` uses: the built-in dev chain spec, the
//! `//Alice` validator key (the dev spec's only validator), state under
//! `<base_path>/state.redb`, 250 ms minimum block time. [`crate::service`] runs
//! [`Node::start_with`] on a `commonware_runtime::tokio` runner (with `<base_path>/consensus`
//! as its storage directory); tests run it on the deterministic runtime.
//!
//! # Networking
//!
//! [`Node::start_with`] connects the validators over commonware's authenticated, encrypted TCP
//! transport (`authenticated::lookup`, see [`consensus::tcp_p2p`]): each validator listens on
//! [`NodeConfig::listen_addr`] and dials the others at the addresses of the chain spec (or
//! [`NodeConfig::peers`]); only the spec's validators are accepted. A lone validator runs the
//! same code with nobody to dial. [`Node::start_on`] uses commonware's simulated network
//! instead, for deterministic multi-validator tests.
//!
//! # Restarts
//!
//! The store keeps finalized blocks' state and, with each block, its finalization certificate;
//! unfinalized blocks live in memory only. On start, consensus resumes from the latest
//! committed block: simplex starts with that block's finalization as its floor and marshal with
//! it as its floor block (see [`consensus::start`]). Where the consensus storage survived (the
//! tokio runtime's storage directory), simplex's journal and marshal's archives resume from
//! there; marshal may redeliver finalized blocks, which are committed idempotently.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use commonware_cryptography::ed25519;
use commonware_p2p::simulated;
use rustensor_runtime::genesis::{ChainSpec, build_genesis};

use crate::chain::Chain;
use crate::consensus::{
    self, App, Consensus, ConsensusConfig, MemoryTxQueue, NoObserver, NodeRuntime, Observer,
    ProductionConfig, TxSource, dev_signer,
};
use crate::store::{StateStore, StoreConfig};

/// How to run a node.
#[derive(Clone, Debug)]
pub struct NodeConfig {
    /// Where the node keeps its data.
    pub base_path: PathBuf,
    /// The chain spec.
    pub spec: ChainSpec,
    /// The validator's consensus key as a secret URI (dev: `//Alice`).
    pub validator_uri: String,
    /// Block production settings.
    pub production: ProductionConfig,
    /// State retention.
    pub store: StoreConfig,
    /// Consensus timeouts and the storage partition prefix (the node appends its key).
    pub consensus: ConsensusConfig,
    /// Where this validator accepts p2p connections from the other validators (dev: an
    /// ephemeral loopback port, a lone validator needs no peers).
    pub listen_addr: SocketAddr,
    /// The other validators' consensus keys and p2p addresses, before those of the chain
    /// spec (which lists an address for every validator).
    pub peers: Vec<(ed25519::PublicKey, SocketAddr)>,
}

impl NodeConfig {
    /// The dev node: [`ChainSpec::dev`], validator `//Alice`, 250 ms blocks, data in
    /// `base_path`.
    pub fn dev(base_path: impl Into<PathBuf>) -> Self {
        Self {
            base_path: base_path.into(),
            spec: ChainSpec::dev(),
            validator_uri: "//Alice".into(),
            production: ProductionConfig::default(),
            store: StoreConfig::default(),
            consensus: ConsensusConfig::default(),
            listen_addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            peers: Vec::new(),
        }
    }
}

/// [`ChainSpec::dev`] with the validators whose consensus keys have the secret URIs `uris`
/// (e.g. `["//Alice", "//Bob", "//Charlie", "//Dave"]`), in that order; p2p addresses are
/// `127.0.0.1:30333` upward.
///
/// # Errors
///
/// If a URI is not a valid ed25519 secret URI.
pub fn dev_spec_with_validators(uris: &[&str]) -> anyhow::Result<ChainSpec> {
    use commonware_cryptography::Signer as _;
    let mut spec = ChainSpec::dev();
    spec.validators = uris
        .iter()
        .zip(30333u16..)
        .map(|(uri, port)| {
            let key = dev_signer(uri)?.public_key();
            Ok(rustensor_runtime::genesis::ValidatorSpec {
                public_key: format!("0x{}", hex::encode(key.as_ref())),
                address: format!("127.0.0.1:{port}"),
            })
        })
        .collect::<anyhow::Result<_>>()?;
    Ok(spec)
}

/// A running node.
pub struct Node<E> {
    app: App<E>,
    txs: Arc<dyn TxSource>,
    store: Arc<StateStore>,
    consensus: Consensus,
    signer: ed25519::PrivateKey,
}

impl<E: NodeRuntime> Node<E> {
    /// Opens the store (committing genesis on first start) and starts consensus from the
    /// latest committed block.
    ///
    /// # Errors
    ///
    /// If the store cannot be opened or holds another chain, or the spec is invalid. A
    /// validator key in none of the chain's validator sets is no error: the node then follows
    /// consensus as an observer (verifying, not signing) until a set that holds its key takes
    /// over (see [`consensus::epochs`]).
    pub async fn start(context: E, config: NodeConfig) -> anyhow::Result<Self> {
        let store = Self::open_store(&config)?;
        let txs = Arc::new(MemoryTxQueue::default());
        Self::start_with(context, config, store, txs, Arc::new(NoObserver)).await
    }

    /// Opens the node's state store (`<base_path>/state.redb`), for [`Node::start_with`].
    ///
    /// # Errors
    ///
    /// If the store cannot be opened (another node holds it, damaged file, no permission).
    pub fn open_store(config: &NodeConfig) -> anyhow::Result<Arc<StateStore>> {
        Ok(Arc::new(StateStore::open(config.base_path.join("state.redb"), config.store)?))
    }

    /// As [`Node::start`], on an opened `store` (see [`Node::open_store`]), with block
    /// producers taking extrinsics from `txs` (the mempool) and block notifications going to
    /// `observer`.
    ///
    /// # Errors
    ///
    /// As [`Node::start`].
    pub async fn start_with(
        context: E,
        config: NodeConfig,
        store: Arc<StateStore>,
        txs: Arc<dyn TxSource>,
        observer: Arc<dyn Observer>,
    ) -> anyhow::Result<Self> {
        let validators = build_genesis(&config.spec)?.validators;
        let participants = consensus::validator_set(&validators)?;
        let signer = dev_signer(&config.validator_uri)?;
        // `--peer` addresses first, then the chain spec's.
        let mut addresses = config.peers.clone();
        for v in &validators {
            let key = consensus::validator_set(std::slice::from_ref(v))?;
            let Some(key) = key.iter().next().cloned() else { continue };
            if addresses.iter().any(|(k, _)| *k == key) {
                continue;
            }
            if let Ok(addr) = v.address.parse::<SocketAddr>() {
                addresses.push((key, addr));
            }
        }
        let p2p = consensus::tcp_p2p(
            context.child("network"),
            signer,
            &participants,
            config.listen_addr,
            &addresses,
        )?;
        Self::start_p2p(context, config, store, txs, observer, p2p).await
    }

    /// As [`Node::start_with`], on the simulated network of `oracle` (shared with the other
    /// validators; the caller sets up its links). Registers p2p channels 0-4 of this
    /// validator's key.
    ///
    /// # Errors
    ///
    /// As [`Node::start`]; also if this validator's channels are already registered.
    pub async fn start_on(
        context: E,
        config: NodeConfig,
        store: Arc<StateStore>,
        txs: Arc<dyn TxSource>,
        observer: Arc<dyn Observer>,
        oracle: &simulated::Oracle<ed25519::PublicKey, E>,
    ) -> anyhow::Result<Self> {
        use commonware_cryptography::Signer as _;
        let me = dev_signer(&config.validator_uri)?.public_key();
        let p2p = consensus::simulated_p2p(oracle, me).await?;
        Self::start_p2p(context, config, store, txs, observer, p2p).await
    }

    async fn start_p2p<S, R, P, B>(
        context: E,
        config: NodeConfig,
        store: Arc<StateStore>,
        txs: Arc<dyn TxSource>,
        observer: Arc<dyn Observer>,
        p2p: consensus::P2p<S, R, P, B>,
    ) -> anyhow::Result<Self>
    where
        S: commonware_p2p::Sender<PublicKey = ed25519::PublicKey>,
        R: commonware_p2p::Receiver<PublicKey = ed25519::PublicKey>,
        P: commonware_p2p::Provider<PublicKey = ed25519::PublicKey>,
        B: commonware_p2p::Blocker<PublicKey = ed25519::PublicKey>,
    {
        use commonware_cryptography::Signer as _;
        let chain = Chain::open(store.clone(), &config.spec)?;
        let signer = dev_signer(&config.validator_uri)?;
        let app = App::new(context.child("app"), chain, txs.clone(), config.production)
            .with_observer(observer);
        let key: String =
            signer.public_key().as_ref().iter().take(8).map(|b| format!("{b:02x}")).collect();
        let consensus_config = ConsensusConfig {
            partition: format!("{}-{key}", config.consensus.partition),
            ..config.consensus
        };
        let consensus = consensus::start(
            context.child("consensus"),
            signer.clone(),
            app.clone(),
            p2p,
            consensus_config,
        )
        .await?;
        Ok(Self { app, txs, store, consensus, signer })
    }

    /// Where block producers take extrinsics from.
    pub fn txs(&self) -> &Arc<dyn TxSource> {
        &self.txs
    }

    /// The consensus application (the chain, with its lock).
    pub fn app(&self) -> &App<E> {
        &self.app
    }

    /// The state store.
    pub fn store(&self) -> &Arc<StateStore> {
        &self.store
    }

    /// The genesis block hash.
    pub fn genesis_hash(&self) -> [u8; 32] {
        self.app.with_chain(Chain::genesis_hash)
    }

    /// The error that stopped the node from committing finalized blocks, if any.
    pub fn fatal(&self) -> Option<String> {
        self.app.fatal()
    }

    /// The validator's consensus public key.
    pub fn public_key(&self) -> ed25519::PublicKey {
        use commonware_cryptography::Signer as _;
        self.signer.public_key()
    }

    /// Stops consensus.
    pub fn stop(self) {
        self.app.stop();
        self.consensus.abort();
    }
}

/// Parses a validator's p2p address `KEY@IP:PORT` (the CLI's `--peer`): KEY is its ed25519
/// consensus key in hex, or on dev/test chains its secret URI (`//Bob`).
///
/// # Errors
///
/// If the text is not of that form; the message names what is wrong.
pub fn parse_peer(text: &str) -> anyhow::Result<(ed25519::PublicKey, SocketAddr)> {
    use anyhow::Context as _;
    use commonware_codec::DecodeExt as _;
    use commonware_cryptography::Signer as _;
    let (key, addr) =
        text.rsplit_once('@').with_context(|| format!("--peer {text:?}: expected KEY@IP:PORT"))?;
    let addr: SocketAddr =
        addr.parse().with_context(|| format!("--peer {text:?}: {addr:?} is not an IP:PORT"))?;
    let key = if key.starts_with("//") {
        dev_signer(key)?.public_key()
    } else {
        let bytes =
            hex::decode(key.trim_start_matches("0x")).ok().filter(|b| b.len() == 32).with_context(
                || format!("--peer {text:?}: the key must be 32 bytes of hex or a //URI"),
            )?;
        ed25519::PublicKey::decode(bytes)
            .map_err(|e| anyhow::anyhow!("--peer {text:?}: not an ed25519 key: {e}"))?
    };
    Ok((key, addr))
}
