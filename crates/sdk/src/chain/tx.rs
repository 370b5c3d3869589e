//! Signing, submitting and watching extrinsics.
//!
//! [`ChainClient::submit`] builds a Substrate v4 signed extrinsic for any
//! [`RuntimeCall`] (mortal for [`TxOptions::mortality`] blocks from the finalized block, with the
//! signer's next nonce), submits it and waits for the stage asked for. Over WebSocket it
//! watches with `author_submitAndWatchExtrinsic`; over HTTP it polls new blocks for the
//! extrinsic. Once included, the extrinsic's own events are read from its block and a failure
//! comes back as [`ChainError::Failed`] with the module error's name and docs.

use std::time::Duration;

use jsonrpsee_core::rpc_params;
use rustensor_primitives::crypto::sr25519::Pair;
use rustensor_runtime_types::events::Phase;
use rustensor_runtime_types::extrinsic::{AdditionalSigned, Era, SignedExtra, UncheckedExtrinsic};
use rustensor_runtime_types::pallets::{RuntimeCall, system, transaction_payment};
use serde_json::Value;

use super::client::{BlockRef, ChainClient, hex0x, parse_hash};
use super::error::{ChainError, Result};
use super::events::{EventRecord, RuntimeEvent};
use super::rpc::Retry;

/// How far a submission is followed before [`ChainClient::submit`] returns.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum WaitFor {
    /// Return once the node accepted it into its pool.
    Accepted,
    /// Return once it is in a block (and report its events).
    InBlock,
    /// Return once its block is finalized (and report its events).
    #[default]
    Finalized,
}

/// How to sign and follow a transaction.
#[derive(Clone, Copy, Debug)]
pub struct TxOptions {
    /// The stage to wait for.
    pub wait: WaitFor,
    /// A tip to the block author, in RAO.
    pub tip: u64,
    /// Blocks the transaction stays valid (a power of two from 4 to 65 536); `None` for an
    /// immortal transaction.
    pub mortality: Option<u64>,
    /// How long to wait for inclusion and finality before giving up.
    pub timeout: Duration,
}

impl Default for TxOptions {
    fn default() -> Self {
        Self {
            wait: WaitFor::Finalized,
            tip: 0,
            mortality: Some(64),
            timeout: Duration::from_secs(120),
        }
    }
}

/// What happened to a submitted transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TxReceipt {
    /// The extrinsic hash (`blake2_256` of its bytes).
    pub hash: [u8; 32],
    /// The nonce it was signed with.
    pub nonce: u32,
    /// The block it was included in (`None` with [`WaitFor::Accepted`]).
    pub block: Option<BlockRef>,
    /// Its index in that block.
    pub index: Option<u32>,
    /// Whether that block was finalized when the receipt was made.
    pub finalized: bool,
    /// The events it emitted (empty with [`WaitFor::Accepted`]).
    pub events: Vec<RuntimeEvent>,
    /// The fee it paid in RAO, tip included (from `TransactionFeePaid`; 0 for free calls).
    pub fee: u64,
}

impl ChainClient {
    /// Signs `call` with `signer` using the next nonce this client knows for it.
    ///
    /// # Errors
    ///
    /// An unencodable call, or transport errors while reading the nonce and best block.
    pub async fn sign(
        &self,
        signer: &Pair,
        call: &RuntimeCall,
        options: &TxOptions,
    ) -> Result<(Vec<u8>, u32)> {
        let who = signer.account_id();
        let remote = self.next_nonce(&who).await?;
        let nonce = {
            let nonces = self.nonces.lock().await;
            nonces.get(&who).copied().map_or(remote, |local| local.max(remote))
        };
        let bytes = self.sign_with_nonce(signer, call, options, nonce).await?;
        Ok((bytes, nonce))
    }

    async fn sign_with_nonce(
        &self,
        signer: &Pair,
        call: &RuntimeCall,
        options: &TxOptions,
        nonce: u32,
    ) -> Result<Vec<u8>> {
        let call = call.to_bytes()?;
        let (era, birth_hash) = match options.mortality {
            None => (Era::Immortal, self.genesis_hash()),
            Some(period) => {
                // The era starts at the latest *finalized* block: a node validates against
                // state it has committed, and may not know the hash of a newer best block yet
                // (it would answer "ancient birth block").
                let finalized = self.finalized_block().await?;
                let era = Era::mortal(period, finalized.number);
                let birth = era.birth(finalized.number);
                let hash = if birth == finalized.number {
                    finalized.hash
                } else {
                    self.block_hash(birth).await?.unwrap_or(finalized.hash)
                };
                (era, hash)
            }
        };
        let version = self.runtime_version();
        let extra = SignedExtra { era, nonce, tip: options.tip, ..SignedExtra::default() };
        let additional = AdditionalSigned {
            spec_version: version.spec_version,
            transaction_version: version.transaction_version,
            genesis_hash: self.genesis_hash(),
            birth_hash,
            metadata_hash: None,
        };
        Ok(UncheckedExtrinsic::sign_sr25519(signer, call, extra, &additional).encode())
    }

    /// Signs and submits `call`, then follows it as far as `options.wait` says.
    ///
    /// Several submissions from one signer may be made in a row (or concurrently from one
    /// client): nonces are handed out in order and remembered.
    ///
    /// # Errors
    ///
    /// [`ChainError::Rpc`] if the node refuses it (code 1010 with the reason: bad nonce,
    /// cannot pay the fee, …), [`ChainError::NotIncluded`] if the pool drops it,
    /// [`ChainError::Failed`] if it was included but failed, [`ChainError::Timeout`] if it
    /// was not included (or finalized) within `options.timeout`.
    pub async fn submit(
        &self,
        signer: &Pair,
        call: RuntimeCall,
        options: TxOptions,
    ) -> Result<TxReceipt> {
        let who = signer.account_id();
        // The nonce lock is held until the node has the transaction, so concurrent
        // submissions from this client get consecutive nonces in submission order.
        let mut nonces = self.nonces.lock().await;
        let remote = self.next_nonce(&who).await?;
        let nonce = nonces.get(&who).copied().map_or(remote, |local| local.max(remote));
        let bytes = self.sign_with_nonce(signer, &call, &options, nonce).await?;
        let hash = rustensor_primitives::hashing::blake2_256(&bytes);
        let start = self.best_block().await?;
        let watch = if self.rpc.is_ws() && options.wait != WaitFor::Accepted {
            match self
                .rpc
                .subscribe(
                    "author_submitAndWatchExtrinsic",
                    rpc_params![hex0x(&bytes)],
                    "author_unwatchExtrinsic",
                )
                .await
            {
                Ok(subscription) => Some(subscription),
                Err(e) => {
                    nonces.remove(&who);
                    return Err(e);
                }
            }
        } else {
            let sent: Result<Value> = self
                .rpc
                .request("author_submitExtrinsic", rpc_params![hex0x(&bytes)], Retry::Once)
                .await;
            if let Err(e) = sent {
                nonces.remove(&who);
                return Err(e);
            }
            None
        };
        nonces.insert(who, nonce.saturating_add(1));
        drop(nonces);

        let mut receipt = TxReceipt {
            hash,
            nonce,
            block: None,
            index: None,
            finalized: false,
            events: Vec::new(),
            fee: 0,
        };
        if options.wait == WaitFor::Accepted {
            return Ok(receipt);
        }
        let followed = match watch {
            Some(subscription) => {
                tokio::time::timeout(options.timeout, self.follow_ws(subscription, options.wait))
                    .await
            }
            None => {
                tokio::time::timeout(
                    options.timeout,
                    self.follow_polling(&bytes, start.number, options.wait),
                )
                .await
            }
        };
        let (block, finalized) = followed.map_err(|_| ChainError::Timeout {
            method: match options.wait {
                WaitFor::Finalized => "finalization of the transaction".into(),
                _ => "inclusion of the transaction".into(),
            },
            seconds: options.timeout.as_secs(),
        })??;
        let extrinsics = self.block_extrinsics(block.hash).await?;
        let index = extrinsics.iter().position(|x| *x == bytes).ok_or_else(|| {
            ChainError::NotFound(format!(
                "the node reported the transaction in block #{} but it is not there",
                block.number
            ))
        })?;
        let index = u32::try_from(index).unwrap_or(u32::MAX);
        let records: Vec<EventRecord> = self.events(block.hash).await?;
        receipt.block = Some(block);
        receipt.index = Some(index);
        receipt.finalized = finalized;
        let mut failure = None;
        for record in records.into_iter().filter(|r| r.phase == Phase::ApplyExtrinsic(index)) {
            match &record.event {
                RuntimeEvent::System(system::Event::ExtrinsicFailed { dispatch_error, .. }) => {
                    failure = Some(self.errors().describe(dispatch_error));
                }
                RuntimeEvent::TransactionPayment(
                    transaction_payment::Event::TransactionFeePaid { actual_fee, .. },
                ) => {
                    receipt.fee = *actual_fee;
                }
                _ => {}
            }
            receipt.events.push(record.event);
        }
        match failure {
            Some(failure) => Err(ChainError::Failed { block_number: block.number, failure }),
            None => Ok(receipt),
        }
    }

    async fn follow_ws(
        &self,
        mut subscription: jsonrpsee_core::client::Subscription<Value>,
        wait: WaitFor,
    ) -> Result<(BlockRef, bool)> {
        let stage = if wait == WaitFor::Finalized { "finalized" } else { "in a block" };
        while let Some(status) = subscription.next().await {
            let status = status.map_err(|e| ChainError::Decode {
                what: "a transaction status".into(),
                reason: e.to_string(),
            })?;
            if let Some(hash) = status.get("inBlock") {
                if wait == WaitFor::InBlock {
                    let hash = parse_hash("the inclusion block", hash)?;
                    return Ok((BlockRef { number: self.block_number(hash).await?, hash }, false));
                }
            } else if let Some(hash) = status.get("finalized") {
                let hash = parse_hash("the finalized block", hash)?;
                return Ok((BlockRef { number: self.block_number(hash).await?, hash }, true));
            } else if let Some(hash) = status.get("finalityTimeout") {
                return Err(ChainError::NotIncluded {
                    status: format!("finality timeout at {hash}"),
                });
            } else if let Some(text) = status.as_str() {
                if matches!(text, "dropped" | "invalid") {
                    return Err(ChainError::NotIncluded { status: text.to_owned() });
                }
            } else if status.get("usurped").is_some() {
                return Err(ChainError::NotIncluded { status: "usurped".into() });
            }
        }
        Err(ChainError::WatchEnded { stage })
    }

    async fn follow_polling(
        &self,
        bytes: &[u8],
        after: u64,
        wait: WaitFor,
    ) -> Result<(BlockRef, bool)> {
        let mut scanned = after;
        loop {
            let best = self.best_block().await?;
            while scanned < best.number {
                scanned += 1;
                let Some(hash) = self.block_hash(scanned).await? else { break };
                if self.block_extrinsics(hash).await?.iter().any(|x| x == bytes) {
                    let block = BlockRef { number: scanned, hash };
                    if wait == WaitFor::InBlock {
                        return Ok((block, false));
                    }
                    loop {
                        let finalized = self.finalized_block().await?;
                        if finalized.number >= block.number {
                            if self.block_hash(block.number).await? == Some(block.hash) {
                                return Ok((block, true));
                            }
                            // Retracted: keep scanning from there.
                            scanned = block.number.saturating_sub(1);
                            break;
                        }
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}
