//! [`StoreValidator`]: the runtime's pool checks against the latest committed state.

use std::sync::Arc;

use rustensor_primitives::AccountId32;
use rustensor_primitives::hashing::blake2_256;
use rustensor_runtime::executive::{RuntimeVersion, validate_transaction};
use rustensor_runtime::extrinsic::{UncheckedExtrinsic, UnknownTransaction};
use rustensor_runtime::pallets::{Runtime, system};
use rustensor_runtime::storage::Overlay;

use super::{Validated, Validator, oversized};
use crate::chain::RUNTIME_VERSION;
use crate::rpc::PoolError;
use crate::store::{Head, StateStore};

/// Validates extrinsics with [`validate_transaction`] on the latest committed block's state,
/// with block `latest + 1` initialized on a scratch overlay (nothing is written to the store).
///
/// Each call opens its own read view, so calls run concurrently without any pool lock.
#[derive(Clone, Debug)]
pub struct StoreValidator {
    store: Arc<StateStore>,
    version: RuntimeVersion,
    max_len: usize,
}

impl StoreValidator {
    /// A validator over `store` for the node's [`RUNTIME_VERSION`], refusing extrinsics longer
    /// than [`super::PoolConfig::default`]'s `max_extrinsic_len` before decoding them.
    pub fn new(store: Arc<StateStore>) -> Self {
        let max_len = super::PoolConfig::default().max_extrinsic_len;
        Self { store, version: RUNTIME_VERSION, max_len }
    }

    /// The same validator with another length limit (bytes, length prefix included).
    #[must_use]
    pub fn with_max_len(mut self, max_len: usize) -> Self {
        self.max_len = max_len;
        self
    }

    fn head(&self) -> Result<Head, PoolError> {
        self.store
            .latest()
            .map_err(|e| PoolError::Other(format!("state unavailable: {}", crate::error_text(&e))))?
            .ok_or_else(|| PoolError::Other("state unavailable: no committed block".into()))
    }
}

impl Validator for StoreValidator {
    fn validate(&self, xt: &[u8]) -> Result<Validated, PoolError> {
        if xt.len() > self.max_len {
            return Err(oversized(xt.len(), self.max_len));
        }
        let head = self.head()?;
        let number = head
            .number
            .checked_add(1)
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(|| PoolError::Other("block number overflows u32".into()))?;
        let view = self.store.state_at(head.number).map_err(|e| {
            PoolError::Other(format!("state unavailable: {}", crate::error_text(&e)))
        })?;
        let mut state = Overlay::new(view);
        system::initialize_block(&mut state, number, head.hash);
        let valid = validate_transaction(&state, &Runtime, self.version, xt)?;
        // `validate_transaction` decoded it already: decoding again cannot fail, but is cheap.
        let decoded =
            UncheckedExtrinsic::decode(xt).map_err(|e| PoolError::BadFormat(e.to_string()))?;
        let part =
            decoded.signature.ok_or(PoolError::Unknown(UnknownTransaction::NoUnsignedValidator))?;
        let account_nonce = u64::from(system::account_nonce(&state, &part.signer));
        Ok(Validated {
            hash: blake2_256(xt),
            signer: part.signer,
            nonce: u64::from(part.extra.nonce),
            tip: part.extra.tip,
            priority: valid.priority,
            longevity: valid.longevity,
            death: u64::from(number).saturating_add(valid.longevity),
            len: xt.len(),
            account_nonce,
        })
    }

    fn account_nonce(&self, who: &AccountId32) -> u64 {
        let Ok(head) = self.head() else { return 0 };
        self.store
            .state_at(head.number)
            .map_or(0, |view| u64::from(system::account_nonce(&view, who)))
    }

    fn best_number(&self) -> u64 {
        self.head().map_or(0, |h| h.number)
    }
}
