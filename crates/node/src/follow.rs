//! A full node that is not a validator: it follows the finalized chain of another node over
//! JSON-RPC and serves the same RPC from its own store.
//!
//! Validators talk over commonware's authenticated p2p, which admits only the validator set,
//! so a node outside it learns blocks from a node's RPC instead (`rustensor node --sync-from
//! ws://HOST:PORT`). Nothing it learns is taken on trust:
//!
//! - blocks come in order (`rustensor_finalizedBlocks`), each the child of the one before;
//!   a block that comes with its own finalization certificate (sources keep them for their
//!   latest blocks, every [`crate::store::FINALITY_CHECKPOINT`]th one and the last block of
//!   every consensus epoch) is committed, with the blocks before it, only once that
//!   certificate names it and carries a quorum of valid signatures of its epoch's validators
//!   ([`verify_finalization`]), as this node's own state names them (genesis for epoch 0, the
//!   state after each epoch's last block for the next): the ancestors of a finalized block are
//!   final, so a source cannot make it accept a block the validators did not finalize;
//! - each block is re-executed on the parent's state and must give the state root of its
//!   header ([`crate::chain::Chain::import`]), with the leader of the finalization's round as
//!   author (fees go where the validators sent them);
//! - the certificates are stored as a validator stores them, so this node can in turn be
//!   followed, or restarted from its store.
//!
//! Transactions that clients submit to a full node are checked by its own pool and passed to
//! the source (`author_submitExtrinsic`); their watchers see them finalized when the block
//! that includes them arrives here.
//!
//! A source that goes away is retried with a growing pause (at most [`MAX_RETRY`]); progress
//! is logged every [`LOG_EVERY`] blocks while catching up.

use std::sync::Arc;
use std::time::Duration;

use commonware_codec::Decode as _;
use commonware_consensus::simplex::types::Finalization;
use commonware_cryptography::certificate::Verifier as _;
use commonware_cryptography::ed25519;
use commonware_parallel::Sequential;
use commonware_rand_core::CryptoRng;
use commonware_runtime::{Clock, Spawner, Supervisor};
use futures::StreamExt as _;
use jsonrpsee_core::client::ClientT as _;
use jsonrpsee_core::rpc_params;
use serde_json::Value;

use crate::block::{Block, BlockDigest, to_digest};
use crate::consensus::epochs::{self, StateSets};
use crate::consensus::{App, Authors, NAMESPACE, Scheme};
use rustensor_runtime::pallets::validators;

/// The longest pause between attempts to reach the source.
pub const MAX_RETRY: Duration = Duration::from_secs(10);

/// While catching up, a progress line every this many blocks.
pub const LOG_EVERY: u64 = 500;

/// The most blocks held waiting for a certificate: sources keep one every
/// [`crate::store::FINALITY_CHECKPOINT`] blocks, and for their latest blocks.
pub const MAX_UNPROVEN: usize = 4096;

/// Where a full node stands with its source, for `system_health`. Cloning shares it.
#[derive(Clone, Debug, Default)]
pub struct SyncStatus(Arc<std::sync::Mutex<(bool, bool)>>);

impl SyncStatus {
    /// Whether the source is connected, and whether this node is still catching up with it.
    pub fn get(&self) -> (bool, bool) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn set(&self, connected: bool, syncing: bool) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = (connected, syncing);
    }
}

/// How a full node follows its source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FollowConfig {
    /// The WebSocket JSON-RPC URL of the node to follow (a validator or another full node).
    pub source: String,
    /// The pause between polls once caught up.
    pub poll: Duration,
    /// Blocks asked for per request (at most [`crate::rpc::MAX_SYNC_BLOCKS`]); halved down to
    /// one when a response is too large for the source to send.
    pub batch: u64,
}

impl FollowConfig {
    /// Following `source`, polling every 100 ms, 32 blocks per request.
    pub fn new(source: impl Into<String>) -> Self {
        Self { source: source.into(), poll: Duration::from_millis(100), batch: 32 }
    }
}

/// Why a block from the source was refused. The follower stops on any of these: the source
/// is wrong or hostile, and following it further would be pointless.
#[derive(Debug, thiserror::Error)]
pub enum FollowError {
    /// The source runs another chain.
    #[error(
        "the source's genesis is {theirs}, this node's is {ours}: it runs another chain (check \
         --chain against the source's spec)"
    )]
    OtherChain {
        /// This node's genesis hash (hex).
        ours: String,
        /// The source's genesis hash (hex).
        theirs: String,
    },
    /// A block or certificate that does not decode, or is not the block asked for.
    #[error("block #{number} from the source: {reason}")]
    Malformed {
        /// The block number asked for.
        number: u64,
        /// What is wrong with it.
        reason: String,
    },
    /// A certificate that does not prove the block final under the chain's validator set.
    #[error("block #{number}: its finalization certificate {reason}")]
    NotFinal {
        /// The block number.
        number: u64,
        /// What is wrong with the certificate.
        reason: &'static str,
    },
    /// Re-executing the block failed (another state root, or a store error).
    #[error("block #{number} does not execute here")]
    Execution {
        /// The block number.
        number: u64,
        /// The chain's or the store's error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

/// Checks that `finalization` finalizes `block` under the validator set `verifier`.
///
/// # Errors
///
/// [`FollowError::NotFinal`] if it names another block or its signatures do not verify.
pub fn verify_finalization(
    rng: &mut impl CryptoRng,
    verifier: &Scheme,
    block: &Block,
    finalization: &Finalization<Scheme, BlockDigest>,
) -> Result<(), FollowError> {
    let number = u64::from(block.header.number);
    if finalization.proposal.payload != to_digest(block.hash()) {
        return Err(FollowError::NotFinal { number, reason: "names another block" });
    }
    if !finalization.verify(rng, verifier, &Sequential) {
        return Err(FollowError::NotFinal {
            number,
            reason: "lacks a quorum of valid validator signatures",
        });
    }
    Ok(())
}

/// Follows `config.source` until the task is dropped, committing each finalized block to
/// `app`'s chain after checking its certificate against the validator set of its epoch (read
/// from this node's own state, see [`EpochChecks`]) and re-executing it.
/// Client transactions pooled by `app`'s transaction source are passed to the source. `status`
/// tells whether the source is connected and whether this node is still catching up.
///
/// # Errors
///
/// A [`FollowError`] when the source serves another chain or a block that fails its checks;
/// the node then stops (see the module docs).
pub async fn run<E>(
    mut context: E,
    app: App<E>,
    config: FollowConfig,
    status: SyncStatus,
) -> Result<(), FollowError>
where
    E: Clock + Spawner + Supervisor + CryptoRng + Send + Sync + 'static,
{
    let store = app.with_chain(|c| c.store().clone());
    let mut checks: Option<EpochChecks> = None;
    let genesis = app.with_chain(crate::chain::Chain::genesis_hash);
    let mut batch = config.batch.clamp(1, crate::rpc::MAX_SYNC_BLOCKS);
    let mut retry = Duration::from_millis(200);
    let mut announcements = app.txs().take_announcements();
    let mut logged = 0u64;
    loop {
        status.set(false, true);
        let client = match connect(&config.source).await {
            Ok(client) => Arc::new(client),
            Err(e) => {
                tracing::warn!(source = %config.source, error = %e, ?retry, "cannot reach the source");
                context.sleep(retry).await;
                retry = (retry * 2).min(MAX_RETRY);
                continue;
            }
        };
        // Same chain?
        match client.request::<Option<String>, _>("chain_getBlockHash", rpc_params![0]).await {
            Ok(Some(theirs)) if theirs == crate::rpc::hex0x(&genesis) => {}
            Ok(theirs) => {
                return Err(FollowError::OtherChain {
                    ours: crate::rpc::hex0x(&genesis),
                    theirs: theirs.unwrap_or_else(|| "unknown".into()),
                });
            }
            Err(e) => {
                tracing::warn!(error = %e, "the source did not answer chain_getBlockHash");
                context.sleep(retry).await;
                continue;
            }
        }
        tracing::info!(source = %config.source, "following");
        retry = Duration::from_millis(200);
        if let Some(rx) = announcements.take() {
            let source = config.source.clone();
            context.child("forward").spawn(move |_| forward_transactions(rx, source));
        }
        // Blocks received past our head, linked by parent hash, awaiting a certificate.
        let mut pending: Vec<Block> = Vec::new();
        loop {
            let head = match store.latest() {
                Ok(head) => head,
                Err(e) => return Err(FollowError::Execution { number: 0, source: e.into() }),
            };
            let (head, head_hash) = head.map_or((0, genesis), |h| (h.number, h.hash));
            let from = head.saturating_add(pending.len() as u64).saturating_add(1);
            let items: Vec<Value> =
                match client.request("rustensor_finalizedBlocks", rpc_params![from, batch]).await {
                    Ok(items) => items,
                    Err(jsonrpsee_core::ClientError::Call(e)) if batch > 1 => {
                        // Most likely a response over the source's size limit: ask for fewer.
                        tracing::debug!(error = %e, batch, "asking for fewer blocks");
                        batch = (batch / 2).max(1);
                        continue;
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "lost the source; reconnecting");
                        break;
                    }
                };
            // Caught up when the source has nothing past what this node holds or waits on.
            status.set(true, !items.is_empty());
            if items.is_empty() {
                context.sleep(config.poll).await;
                continue;
            }
            let mut parent = pending.last().map_or(head_hash, Block::hash);
            for (expected, item) in (from..).zip(&items) {
                let (block, finality) = decode_item(expected, parent, item)?;
                parent = block.hash();
                pending.push(block);
                if let Some((finalization, bytes)) = finality {
                    let tip = pending.last().expect("just pushed");
                    let epoch = finalization.proposal.round.epoch().get();
                    if checks.as_ref().is_none_or(|c| c.epoch != epoch) {
                        checks = Some(EpochChecks::at_head(&store, expected, epoch)?);
                    }
                    let current = checks.as_ref().expect("just set");
                    verify_finalization(&mut context, &current.verifier, tip, &finalization)?;
                    // The last block of an epoch may be certified in a later round (it is
                    // re-proposed until the next epoch starts): its header names its author.
                    let boundary = validators::is_boundary(current.epoch_length, expected);
                    let author = if boundary {
                        None
                    } else {
                        current.authors.of(finalization.proposal.round)
                    };
                    commit_segment(
                        &app,
                        std::mem::take(&mut pending),
                        author,
                        &bytes,
                        current.epoch_length,
                    )?;
                    if expected >= logged + LOG_EVERY {
                        logged = expected;
                        tracing::info!(number = expected, "synced");
                    }
                }
            }
            if pending.len() > MAX_UNPROVEN {
                return Err(FollowError::NotFinal {
                    number: from,
                    reason: "is missing: no certificate within the next blocks the source sent",
                });
            }
        }
        context.sleep(retry).await;
    }
}

/// How to check the certificates of one epoch: its validators (as a verifier) and their
/// leader order, read from the state after this node's head.
struct EpochChecks {
    epoch: u64,
    epoch_length: u64,
    verifier: Scheme,
    authors: Authors,
}

impl EpochChecks {
    /// The checks of `epoch`, from the committed state of this node's head. Segments end at
    /// every epoch's last block (whose certificate sources keep), so the head's state names the
    /// set of the epoch of any certificate that follows.
    fn at_head(
        store: &crate::store::StateStore,
        number: u64,
        epoch: u64,
    ) -> Result<Self, FollowError> {
        let execution = |source: Box<dyn std::error::Error + Send + Sync>| FollowError::Execution {
            number,
            source,
        };
        let head = store.latest().map_err(|e| execution(e.into()))?.map_or(0, |h| h.number);
        let state = store.state_at(head).map_err(|e| execution(e.into()))?;
        let sets = StateSets::read(&state).map_err(|e| execution(e.into()))?;
        let set = std::iter::once(&sets.active)
            .chain(sets.previous.as_ref())
            .find(|s| s.epoch == epoch)
            .ok_or(FollowError::NotFinal {
                number,
                reason: "is of an epoch whose validator set this node does not know",
            })?;
        let participants =
            epochs::participants(&set.validators).map_err(|e| execution(e.into()))?;
        let authors = Authors::default();
        authors.insert(epoch, participants.clone());
        Ok(Self {
            epoch,
            epoch_length: sets.epoch_length,
            verifier: Scheme::verifier(NAMESPACE, participants),
            authors,
        })
    }
}

/// A block and, where the source sent one, its finalization certificate (decoded and as
/// bytes).
type Item = (Block, Option<(Finalization<Scheme, BlockDigest>, Vec<u8>)>);

/// Decodes one `{number, block, finality}` item of `rustensor_finalizedBlocks`, checking that
/// it is block `expected` and a child of `parent`.
fn decode_item(
    expected: u64,
    parent: crate::block::Hash,
    item: &Value,
) -> Result<Item, FollowError> {
    let malformed = |reason: String| FollowError::Malformed { number: expected, reason };
    let hex_field = |name: &str| -> Result<Option<Vec<u8>>, FollowError> {
        match &item[name] {
            Value::Null => Ok(None),
            Value::String(text) => hex::decode(text.trim_start_matches("0x"))
                .map(Some)
                .map_err(|e| malformed(format!("`{name}` is not hex: {e}"))),
            _ => Err(malformed(format!("`{name}` is not a hex string"))),
        }
    };
    let block_bytes = hex_field("block")?.ok_or_else(|| malformed("no `block`".into()))?;
    let block = <Block as parity_scale_codec::Decode>::decode(&mut block_bytes.as_slice())
        .map_err(|e| malformed(format!("the block does not decode: {e}")))?;
    if u64::from(block.header.number) != expected {
        return Err(malformed(format!("got block #{} instead", block.header.number)));
    }
    if block.header.parent_hash != parent {
        return Err(malformed("its parent is not the block before it".into()));
    }
    let finality = match hex_field("finality")? {
        None => None,
        Some(bytes) => {
            let finalization = Finalization::<Scheme, BlockDigest>::decode_cfg(
                bytes::Bytes::from(bytes.clone()),
                &Scheme::certificate_codec_config_unbounded(),
            )
            .map_err(|e| malformed(format!("the certificate does not decode: {e}")))?;
            Some((finalization, bytes))
        }
    };
    Ok((block, finality))
}

/// Commits `segment` (linked blocks, the last one proven final by `certificate`, led by
/// `author`) in order: each re-executes on its parent's state to its header's state root.
fn commit_segment<E>(
    app: &App<E>,
    segment: Vec<Block>,
    author: Option<ed25519::PublicKey>,
    certificate: &[u8],
    epoch_length: u64,
) -> Result<(), FollowError>
where
    E: Clock + Spawner + Supervisor + Send + Sync + 'static,
{
    let Some(tip) = segment.last() else { return Ok(()) };
    let tip_number = u64::from(tip.header.number);
    let store = app.with_chain(|c| c.store().clone());
    for block in &segment {
        let number = u64::from(block.header.number);
        let execution = |source: Box<dyn std::error::Error + Send + Sync>| FollowError::Execution {
            number,
            source,
        };
        if number == tip_number {
            store
                .put_finality(number, certificate, epoch_length)
                .map_err(|e| execution(e.into()))?;
            app.commit(block, author.as_ref()).map_err(|e| execution(e.into()))?;
        } else {
            // An ancestor of a certified block: final too; its header names its author.
            app.commit(block, None).map_err(|e| execution(e.into()))?;
        }
    }
    Ok(())
}

async fn connect(url: &str) -> Result<jsonrpsee_ws_client::WsClient, jsonrpsee_core::ClientError> {
    jsonrpsee_ws_client::WsClientBuilder::default()
        .max_response_size(u32::MAX)
        .request_timeout(Duration::from_secs(60))
        .build(url)
        .await
}

/// Passes each client transaction pooled here to the source (on a connection of its own,
/// opened again after a failure), until the pool goes away.
async fn forward_transactions(
    mut announcements: futures::channel::mpsc::Receiver<Vec<u8>>,
    source: String,
) {
    let mut client = None;
    while let Some(xt) = announcements.next().await {
        let hex = crate::rpc::hex0x(&xt);
        for _attempt in 0..2 {
            if client.is_none() {
                client = connect(&source).await.ok();
            }
            let Some(c) = &client else { break };
            match c.request::<String, _>("author_submitExtrinsic", rpc_params![hex.clone()]).await {
                Ok(_) => break,
                Err(jsonrpsee_core::ClientError::Call(e)) => {
                    tracing::warn!(error = %e, "the source refused a transaction passed on from here");
                    break;
                }
                Err(e) => {
                    tracing::debug!(error = %e, "reconnecting to pass a transaction on");
                    client = None;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use commonware_consensus::simplex::types::{Finalize, Proposal};
    use commonware_consensus::types::{Epoch, Round, View};
    use commonware_cryptography::Signer as _;
    use commonware_utils::non_empty;
    use commonware_utils::ordered::Set;
    use serde_json::json;

    use super::*;
    use crate::block::genesis_header;
    use crate::consensus::dev_signer;

    fn child(parent: &Block) -> Block {
        let mut header = genesis_header([3; 32]);
        header.number = parent.header.number + 1;
        header.parent_hash = parent.hash();
        Block { header, extrinsics: vec![vec![1, 2]] }
    }

    fn item(block: &Block, finality: Option<&[u8]>) -> Value {
        json!({
            "number": block.header.number,
            "block": crate::rpc::hex0x(&parity_scale_codec::Encode::encode(block)),
            "finality": finality.map(crate::rpc::hex0x),
        })
    }

    /// A finalization of `block` signed by the validators with secret URIs `signers`, all
    /// of `set`.
    fn finalization(set: &[&str], signers: &[&str], block: &Block) -> Vec<u8> {
        let keys: Vec<_> = set.iter().map(|u| dev_signer(u).unwrap().public_key()).collect();
        let participants = Set::try_from(keys).unwrap();
        let proposal = Proposal::new(
            Round::new(Epoch::zero(), View::new(5)),
            View::new(4),
            to_digest(block.hash()),
        );
        let votes: Vec<Finalize<Scheme, BlockDigest>> = signers
            .iter()
            .map(|u| {
                let scheme =
                    Scheme::signer(NAMESPACE, participants.clone(), dev_signer(u).unwrap())
                        .unwrap();
                Finalize::sign(&scheme, proposal.clone()).unwrap()
            })
            .collect();
        let verifier = Scheme::verifier(NAMESPACE, participants);
        let certificate =
            Finalization::from_finalizes(&verifier, non_empty![@&votes], &Sequential).unwrap();
        commonware_codec::Encode::encode(&certificate).to_vec()
    }

    fn decode(bytes: &[u8]) -> Finalization<Scheme, BlockDigest> {
        Finalization::decode_cfg(
            bytes::Bytes::from(bytes.to_vec()),
            &Scheme::certificate_codec_config_unbounded(),
        )
        .unwrap()
    }

    fn rng() -> impl CryptoRng {
        commonware_utils::test_rng()
    }

    const VALIDATORS: [&str; 4] = ["//Alice", "//Bob", "//Charlie", "//Dave"];

    fn verifier() -> Scheme {
        let keys: Vec<_> = VALIDATORS.iter().map(|u| dev_signer(u).unwrap().public_key()).collect();
        Scheme::verifier(NAMESPACE, Set::try_from(keys).unwrap())
    }

    #[test]
    fn a_quorum_of_the_validators_proves_a_block_final() {
        let genesis = Block { header: genesis_header([1; 32]), extrinsics: vec![] };
        let block = child(&genesis);
        let bytes = finalization(&VALIDATORS, &VALIDATORS[..3], &block);
        let cert = decode(&bytes);
        assert!(verify_finalization(&mut rng(), &verifier(), &block, &cert).is_ok());
        // The same certificate does not prove another block.
        let other = child(&block);
        let err = verify_finalization(&mut rng(), &verifier(), &other, &cert).unwrap_err();
        assert!(err.to_string().contains("names another block"), "{err}");
    }

    #[test]
    fn certificates_of_other_keys_or_too_few_signers_are_refused() {
        let genesis = Block { header: genesis_header([1; 32]), extrinsics: vec![] };
        let block = child(&genesis);
        // Signed by a validator set of the forger's own making.
        let forged = ["//Mallory", "//Trent", "//Eve", "//Ferdie"];
        let cert = decode(&finalization(&forged, &forged, &block));
        let err = verify_finalization(&mut rng(), &verifier(), &block, &cert).unwrap_err();
        assert!(err.to_string().contains("quorum"), "{err}");
        // One real validator alone (a certificate of a one-validator set) is not a quorum of
        // four.
        let cert = decode(&finalization(&VALIDATORS[..1], &VALIDATORS[..1], &block));
        let err = verify_finalization(&mut rng(), &verifier(), &block, &cert).unwrap_err();
        assert!(err.to_string().contains("quorum"), "{err}");
    }

    #[test]
    fn items_must_be_the_next_block_and_well_formed() {
        let genesis = Block { header: genesis_header([1; 32]), extrinsics: vec![] };
        let block = child(&genesis);
        let (decoded, finality) = decode_item(1, genesis.hash(), &item(&block, None)).unwrap();
        assert_eq!(decoded, block);
        assert!(finality.is_none());
        // Not the number asked for.
        let err = decode_item(2, genesis.hash(), &item(&block, None)).unwrap_err();
        assert!(err.to_string().contains("got block #1 instead"), "{err}");
        // Not a child of the block before.
        let err = decode_item(1, [9; 32], &item(&block, None)).unwrap_err();
        assert!(err.to_string().contains("parent"), "{err}");
        // Junk.
        let junk = json!({"number": 1, "block": "0xzz", "finality": null});
        assert!(decode_item(1, genesis.hash(), &junk).is_err());
        let junk = json!({"number": 1, "block": "0x0102", "finality": null});
        assert!(decode_item(1, genesis.hash(), &junk).is_err());
        let junk = item(&block, Some(&[1, 2, 3]));
        let err = decode_item(1, genesis.hash(), &junk).unwrap_err();
        assert!(err.to_string().contains("certificate does not decode"), "{err}");
        assert!(decode_item(1, genesis.hash(), &json!({})).is_err());
    }
}
