//! The default request verification: nonce rules and the sr25519 signature (sdk.md §1.6–1.7).

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rustensor_primitives::AccountId32;
use rustensor_primitives::crypto::sr25519::{Public, Signature, VerifyingKey, verify_batch};
use tokio::sync::oneshot;

use crate::synapse::{SynapseBase, signature_message};

/// How old a first nonce per (hotkey, uuid) may be, on top of the synapse timeout.
pub const NONCE_BASE_WINDOW: Duration = Duration::from_secs(4);

/// Nanoseconds since the Unix epoch, as Python's `time.time_ns()`.
pub(crate) fn now_ns() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

/// Why a request failed verification.
///
/// Wire format: each message is the Python SDK's reason text, sent to the caller after
/// `Not Verified with error: ` (with the cause, if any, after `": "`); changing them changes
/// what dendrites see.
#[derive(Debug, thiserror::Error)]
pub(crate) enum VerifyError {
    /// The request names no caller hotkey.
    #[error("No SS58 formatted address or public key provided.")]
    NoHotkey,
    /// The caller hotkey is not an SS58 address.
    #[error("Invalid SS58 address {hotkey:?}")]
    InvalidHotkey {
        /// The hotkey as sent.
        hotkey: String,
        /// Why it does not decode.
        #[source]
        source: rustensor_primitives::Error,
    },
    /// The request has no nonce.
    #[error("Missing Nonce")]
    MissingNonce,
    /// A nonce at or below the last one accepted for this (hotkey, uuid).
    #[error("Nonce is too old, a newer one was last processed")]
    NonceReused,
    /// A first nonce older than the window allows.
    #[error(
        "Nonce is too old: acceptable delta is {window:.2} seconds but request was {age:.2} seconds old"
    )]
    NonceExpired {
        /// The acceptable age, in seconds.
        window: f64,
        /// The request's age, in seconds.
        age: f64,
    },
    /// The request is not signed.
    #[error("Missing Signature")]
    MissingSignature,
    /// The signature is not the caller's signature of the request.
    #[error("Signature mismatch with {message} and {signature}")]
    SignatureMismatch {
        /// The message that should have been signed.
        message: String,
        /// The signature as sent (hex).
        signature: String,
    },
}

impl VerifyError {
    /// The reason sent to the caller: this error and its causes, joined by `": "`.
    pub(crate) fn reason(&self) -> String {
        crate::error_text(self)
    }
}

/// The last accepted nonce per `"{hotkey}:{uuid}"`.
#[derive(Debug)]
pub(crate) struct NonceStore {
    last: Mutex<HashMap<String, u64>>,
    capacity: usize,
    max_timeout: Duration,
}

impl NonceStore {
    pub(crate) fn new(capacity: usize, max_timeout: Duration) -> Self {
        Self { last: Mutex::new(HashMap::new()), capacity, max_timeout }
    }

    fn check(&self, key: &str, nonce: u64, now: u64, timeout: Duration) -> Result<(), VerifyError> {
        let last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        match last.get(key) {
            Some(&prev) if nonce <= prev => Err(VerifyError::NonceReused),
            Some(_) => Ok(()),
            None => {
                let window = NONCE_BASE_WINDOW + timeout.min(self.max_timeout);
                let window_ns = u64::try_from(window.as_nanos()).unwrap_or(u64::MAX);
                if nonce <= now.saturating_sub(window_ns) {
                    let age = now.saturating_sub(nonce) as f64 / 1e9;
                    Err(VerifyError::NonceExpired { window: window.as_secs_f64(), age })
                } else {
                    Ok(())
                }
            }
        }
    }

    /// Records `nonce` unless a newer one won a race meanwhile; prunes entries whose nonce is
    /// older than any window could accept (a replay of them fails the window check anyway).
    fn commit(&self, key: String, nonce: u64, now: u64) -> Result<(), VerifyError> {
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        if last.len() >= self.capacity && !last.contains_key(&key) {
            let horizon = NONCE_BASE_WINDOW + self.max_timeout + Duration::from_secs(1);
            let cutoff = now.saturating_sub(u64::try_from(horizon.as_nanos()).unwrap_or(u64::MAX));
            last.retain(|_, n| *n > cutoff);
        }
        match last.entry(key) {
            Entry::Occupied(prev) if nonce <= *prev.get() => Err(VerifyError::NonceReused),
            Entry::Occupied(mut prev) => {
                prev.insert(nonce);
                Ok(())
            }
            Entry::Vacant(slot) => {
                slot.insert(nonce);
                Ok(())
            }
        }
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.last.lock().unwrap_or_else(|e| e.into_inner()).len()
    }
}

/// Decoded public keys of recent callers by their SS58 address, so that a signature check
/// neither decodes the address (base58 and a BLAKE2b checksum) nor decompresses the caller's key
/// every time (together ≈ 10 % of the axon's time under load).
///
/// Bounded: when `capacity` keys are held the cache is emptied, so a flood of new keys costs no
/// more memory and no more work than having no cache.
pub(crate) struct KeyCache {
    keys: Mutex<HashMap<String, VerifyingKey>>,
    capacity: usize,
}

impl KeyCache {
    pub(crate) fn new(capacity: usize) -> Self {
        Self { keys: Mutex::new(HashMap::new()), capacity: capacity.max(1) }
    }

    /// The decoded key of SS58 address `hotkey`: `Ok(None)` if its bytes are not a valid
    /// sr25519 point (never cached).
    ///
    /// # Errors
    ///
    /// [`VerifyError::InvalidHotkey`] when `hotkey` is not a valid SS58 address.
    fn get(&self, hotkey: &str) -> Result<Option<VerifyingKey>, VerifyError> {
        if let Some(key) = self.keys.lock().unwrap_or_else(|e| e.into_inner()).get(hotkey) {
            return Ok(Some(key.clone()));
        }
        let account = AccountId32::from_ss58(hotkey)
            .map_err(|source| VerifyError::InvalidHotkey { hotkey: hotkey.to_owned(), source })?;
        let Ok(key) = Public::from(account).verifying_key() else { return Ok(None) };
        let mut keys = self.keys.lock().unwrap_or_else(|e| e.into_inner());
        if keys.len() >= self.capacity {
            keys.clear();
        }
        keys.insert(hotkey.to_owned(), key.clone());
        Ok(Some(key))
    }
}

/// Verifies the signatures of concurrent requests together.
///
/// The first request to arrive while no batch is running leads: it yields once, so that the
/// other requests in flight reach their signature check and queue theirs, then checks all
/// queued signatures with one [`verify_batch`] and answers each. A batch that fails is checked
/// one by one, so a bad signature costs its sender, not the others. With one request at a time
/// this is a single verification plus a task yield.
#[derive(Default)]
pub(crate) struct BatchVerifier {
    queue: Mutex<Vec<Pending>>,
    leading: AtomicBool,
}

/// Runs the batch of a leading request when dropped.
struct Lead<'a>(&'a BatchVerifier);

impl Drop for Lead<'_> {
    fn drop(&mut self) {
        self.0.lead();
    }
}

struct Pending {
    key: VerifyingKey,
    message: String,
    signature: Signature,
    reply: oneshot::Sender<bool>,
}

/// The most signatures checked in one batch.
const MAX_BATCH: usize = 128;

impl BatchVerifier {
    /// Whether `signature` is `key`'s signature of `message`, or of `<Bytes>message</Bytes>`
    /// (how polkadot.js extensions sign), as the SDK accepts both.
    pub(crate) async fn verify(
        &self,
        key: VerifyingKey,
        message: String,
        signature: Signature,
    ) -> bool {
        let (reply, answer) = oneshot::channel();
        self.lock().push(Pending { key, message, signature, reply });
        if !self.leading.swap(true, Ordering::SeqCst) {
            // The batch runs when the guard drops: after the yield, or at once if this request
            // is cancelled while yielding (so queued requests are never left waiting).
            let _lead = Lead(self);
            tokio::task::yield_now().await;
        }
        answer.await.unwrap_or(false)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Pending>> {
        self.queue.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Checks queued signatures until the queue is empty, then gives up the lead (taking it
    /// back if a request queued meanwhile found it taken).
    fn lead(&self) {
        loop {
            let batch: Vec<Pending> = {
                let mut queue = self.lock();
                let n = queue.len().min(MAX_BATCH);
                queue.drain(..n).collect()
            };
            if batch.is_empty() {
                self.leading.store(false, Ordering::SeqCst);
                if self.lock().is_empty() || self.leading.swap(true, Ordering::SeqCst) {
                    return;
                }
                continue;
            }
            let items: Vec<(&VerifyingKey, &[u8], &Signature)> =
                batch.iter().map(|p| (&p.key, p.message.as_bytes(), &p.signature)).collect();
            let all_good = batch.len() > 1 && verify_batch(&items);
            drop(items);
            for p in batch {
                let ok = all_good || {
                    p.key.verify(p.message.as_bytes(), &p.signature)
                        || p.key.verify(
                            format!("<Bytes>{}</Bytes>", p.message).as_bytes(),
                            &p.signature,
                        )
                };
                let _ = p.reply.send(ok);
            }
        }
    }
}

/// Checks a header-built request as the SDK's `default_verify` does, with the axon's own hotkey
/// in the signed message; on success records the nonce. The error's [`VerifyError::reason`] is
/// the SDK's reason text.
///
/// Deviation: the first-nonce time window applies whatever `bt_header_dendrite_version` says
/// (the SDK skips it below 7002000), and the timeout in it is capped by `max_timeout`.
pub(crate) async fn verify_request(
    store: &NonceStore,
    keys: &KeyCache,
    signatures: &BatchVerifier,
    axon_hotkey: &str,
    base: &SynapseBase,
) -> Result<(), VerifyError> {
    let d = &base.dendrite;
    let Some(hotkey) = d.hotkey.as_deref() else { return Err(VerifyError::NoHotkey) };
    let public = keys.get(hotkey)?;
    let Some(nonce) = d.nonce else { return Err(VerifyError::MissingNonce) };
    let uuid = d.uuid.as_deref().unwrap_or("None");
    let key = [hotkey, uuid].join(":");
    let now = now_ns();
    let timeout = Duration::try_from_secs_f64(base.timeout.max(0.0)).unwrap_or(Duration::MAX);
    store.check(&key, nonce, now, timeout)?;

    let signature_hex = match d.signature.as_deref() {
        Some(s) if !s.is_empty() => s,
        _ => return Err(VerifyError::MissingSignature),
    };
    let message = signature_message(nonce, hotkey, axon_hotkey, uuid, &base.computed_body_hash);
    let mismatch = |message: String| VerifyError::SignatureMismatch {
        message,
        signature: signature_hex.to_owned(),
    };
    let Ok(signature) = Signature::from_hex(signature_hex) else { return Err(mismatch(message)) };
    let Some(public) = public else { return Err(mismatch(message)) };
    // The batch takes the message; a rejected request rebuilds it for the error text.
    if !signatures.verify(public, message, signature).await {
        let message = signature_message(nonce, hotkey, axon_hotkey, uuid, &base.computed_body_hash);
        return Err(mismatch(message));
    }
    store.commit(key, nonce, now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "current_thread")]
    async fn test_batched_signatures_each_get_their_own_answer() {
        use rustensor_primitives::crypto::sr25519::Pair;
        let verifier = std::sync::Arc::new(BatchVerifier::default());
        let alice = Pair::from_uri("//Alice", None).expect("dev key");
        let key = alice.public().verifying_key().expect("key");
        let mut tasks = Vec::new();
        for i in 0..40u32 {
            let message = format!("request {i}");
            // Every 7th is signed over another message, every 11th in the <Bytes> wrapping.
            let signature = if i % 7 == 3 {
                alice.sign(b"something else")
            } else if i % 11 == 5 {
                alice.sign(format!("<Bytes>{message}</Bytes>").as_bytes())
            } else {
                alice.sign(message.as_bytes())
            };
            let (v, key) = (verifier.clone(), key.clone());
            tasks.push(tokio::spawn(async move { (i, v.verify(key, message, signature).await) }));
        }
        for task in tasks {
            let (i, ok) = task.await.expect("joins");
            assert_eq!(ok, i % 7 != 3, "request {i}");
        }
        // Alone, too.
        let sig = alice.sign(b"alone");
        assert!(verifier.verify(key.clone(), "alone".into(), sig).await);
        assert!(!verifier.verify(key, "alone!".into(), sig).await);
    }

    #[test]
    fn test_nonce_store_prunes_only_expired_entries() {
        let store = NonceStore::new(2, Duration::from_secs(1));
        let now = now_ns();
        store.commit("a".into(), 1, now).expect("ancient");
        store.commit("b".into(), now, now).expect("fresh");
        store.commit("c".into(), now, now).expect("fresh");
        assert_eq!(store.len(), 2, "the ancient entry is pruned");
        assert!(store.check("a", 2, now, Duration::from_secs(1)).is_err(), "window still rejects");
        assert!(store.commit("b".into(), now, now).is_err(), "reuse rejected");
    }
}
