//! `System` (pallet index 0): accounts, nonces, the block number and recent block hashes.
//!
//! The wire half (its calls, events, errors, storage items and structs) is
//! `rustensor_runtime_types::pallets::system`, re-exported here.
//!
//! # Deviations from subtensor
//!
//! - `System.Events` is written once per block from the executive's buffer instead of appended
//!   per event; clients only read it at a block hash, where both give the same bytes.
//! - `ExtrinsicCount`, `BlockWeight`, `AllExtrinsicsLen` and the digest are not kept yet.
//! - Genesis does not write FRAME's placeholder `BlockHash[0] = [69; 32]`; block 1's
//!   [`initialize_block`] writes the real genesis hash there, as FRAME ends up doing.

use crate::dispatch::Dispatchable;
use crate::dispatch::{DispatchContext, DispatchError, Origin};
use crate::events::{EventRecord, encode_events};
use crate::extrinsic::ChainContext;
use crate::storage::{Kv, KvRead, StoragePrefix};
use rustensor_primitives::AccountId32;
use rustensor_primitives::hashing::blake2_256;
pub use rustensor_runtime_types::pallets::system::*;

/// Writes the block's event records as `System.Events` and `System.EventCount`.
pub fn store_events(state: &mut (impl Kv + ?Sized), records: &[EventRecord]) {
    state.put(&EventsPrefix::prefix(), &encode_events(records));
    EventCount::put(state, &u32::try_from(records.len()).unwrap_or(u32::MAX));
}

/// Removes the previous block's events, as `frame_system::initialize` does.
pub fn kill_events(state: &mut (impl Kv + ?Sized)) {
    state.delete(&EventsPrefix::prefix());
    EventCount::kill(state);
}

/// Starts block `number` on top of the block whose hash is `parent_hash`, as
/// `frame_system::initialize`: sets `Number` and `ParentHash`, and records `parent_hash` as
/// `BlockHash[number - 1]`.
pub fn initialize_block(state: &mut (impl Kv + ?Sized), number: u32, parent_hash: [u8; 32]) {
    kill_events(state);
    Number::put(state, &number);
    ParentHash::put(state, &parent_hash);
    if let Some(parent) = number.checked_sub(1) {
        BlockHash::insert(state, &parent, &parent_hash);
    }
}

/// Ends the current block, as `frame_system::finalize`: forgets the block hash that just fell
/// out of the [`BLOCK_HASH_COUNT`] window (never genesis). Events are stored by the executive.
pub fn finalize_block(state: &mut (impl Kv + ?Sized)) {
    let number = Number::get(state);
    let to_remove = number.saturating_sub(BLOCK_HASH_COUNT).saturating_sub(1);
    if to_remove != 0 {
        BlockHash::remove(state, &to_remove);
    }
}

/// The account's current nonce (0 for an unknown account).
pub fn account_nonce(state: &(impl KvRead + ?Sized), who: &AccountId32) -> u32 {
    Account::get(state, who).nonce
}

/// Increments the account's nonce, as `CheckNonce` does before dispatch (saturating: a `u32`
/// nonce never wraps).
pub fn inc_account_nonce(state: &mut (impl Kv + ?Sized), who: &AccountId32) {
    Account::mutate(state, who, |info| info.nonce = info.nonce.saturating_add(1));
}

/// Runs the call from `origin`.
///
/// # Errors
///
/// `BadOrigin` for root-only calls from a signed origin and for remarks from root;
/// `Other` for root calls rustensor does not support (`set_code`, …).
impl Dispatchable for Call {
    type Output = Result<(), DispatchError>;

    fn dispatch(self, ctx: &mut DispatchContext<'_>, origin: &Origin) -> Self::Output {
        match self {
            Self::Remark(_) => origin.ensure_signed().map(|_| ()),
            Self::RemarkWithEvent(remark) => {
                let who = *origin.ensure_signed()?;
                let hash = blake2_256(&remark);
                ctx.deposit_event(PALLET_INDEX, &Event::Remarked { sender: who, hash });
                Ok(())
            }
            Self::SetStorage(items) => {
                origin.ensure_root()?;
                for (key, value) in items {
                    ctx.state.put(&key, &value);
                }
                Ok(())
            }
            Self::KillStorage(keys) => {
                origin.ensure_root()?;
                for key in keys {
                    ctx.state.delete(&key);
                }
                Ok(())
            }
            Self::KillPrefix(prefix, _) => {
                origin.ensure_root()?;
                ctx.state.delete_prefix(&prefix);
                Ok(())
            }
            Self::RootOnly(_) => {
                origin.ensure_root()?;
                Err(DispatchError::Other("root call not supported by rustensor"))
            }
        }
    }
}

/// A [`ChainContext`] read from `System` storage, plus the runtime version.
///
/// `current_block` is `System.Number`, so the caller must have run [`initialize_block`] for the
/// block the extrinsic is checked for (for the pool: best block + 1, on a scratch overlay).
#[derive(Clone, Copy, Debug)]
pub struct ChainView<'a, S: ?Sized> {
    /// The state, with the block initialized.
    pub state: &'a S,
    /// The runtime's `spec_version`.
    pub spec_version: u32,
    /// The runtime's `transaction_version`.
    pub transaction_version: u32,
}

impl<S: KvRead + ?Sized> ChainContext for ChainView<'_, S> {
    fn spec_version(&self) -> u32 {
        self.spec_version
    }
    fn transaction_version(&self) -> u32 {
        self.transaction_version
    }
    fn current_block(&self) -> u32 {
        Number::get(self.state)
    }
    fn block_hash(&self, number: u32) -> Option<[u8; 32]> {
        BlockHash::try_get(self.state, &number)
    }
    fn account_nonce(&self, who: &AccountId32) -> u32 {
        account_nonce(self.state, who)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extrinsic::{
        AdditionalSigned, CheckMode, Era, InvalidTransaction, SignedExtra, UncheckedExtrinsic,
        check,
    };
    use crate::storage::{MemoryKv, Overlay};
    use parity_scale_codec::{Decode, Encode, MaxEncodedLen};
    use rustensor_primitives::crypto::sr25519::Pair;

    fn h(s: &str) -> Vec<u8> {
        hex::decode(s).expect("test vector is valid hex")
    }

    // A fresh account holding 1 TAO, as pallet_balances writes it: nonce 0, one provider,
    // flags = IS_NEW_LOGIC. Layout computed by hand from the field list in
    // substrate_compat.md App. B.D (u32 x4, u64 x3, u128, little-endian).
    #[test]
    fn test_account_info_encoding_matches_layout() {
        let info = AccountInfo {
            nonce: 2,
            consumers: 0,
            providers: 1,
            sufficients: 0,
            data: AccountData { free: 1_000_000_000, ..Default::default() },
        };
        let bytes = info.encode();
        assert_eq!(
            bytes,
            h(concat!(
                "02000000",
                "00000000",
                "01000000",
                "00000000",
                "00ca9a3b00000000",
                "0000000000000000",
                "0000000000000000",
                "00000000000000000000000000000080"
            ))
        );
        assert_eq!(AccountInfo::decode(&mut &bytes[..]), Ok(info));
        assert_eq!(AccountInfo::max_encoded_len(), 56);
    }

    #[test]
    fn test_block_hashes_are_kept_for_the_window() {
        let mut state = MemoryKv::new();
        for n in 1..=BLOCK_HASH_COUNT + 3 {
            let mut parent = [0u8; 32];
            parent[..4].copy_from_slice(&(n - 1).to_le_bytes());
            initialize_block(&mut state, n, parent);
            finalize_block(&mut state);
        }
        let last = BLOCK_HASH_COUNT + 3;
        assert_eq!(Number::get(&state), last);
        assert!(BlockHash::contains_key(&state, &0), "genesis is never pruned");
        assert!(!BlockHash::contains_key(&state, &1));
        assert!(!BlockHash::contains_key(&state, &2));
        assert!(BlockHash::contains_key(&state, &3));
        assert!(BlockHash::contains_key(&state, &(last - 1)));
        assert_eq!(
            BlockHash::iter_keys(&state).count(),
            usize::try_from(BLOCK_HASH_COUNT + 1).unwrap(),
            "the window plus genesis"
        );
    }

    // End to end over storage: a signed extrinsic is checked against System state, its nonce
    // bumped, and a replay is then stale; a mortal one ages out of the hash window.
    #[test]
    fn test_chain_view_checks_against_system_storage() {
        let genesis = [0x47; 32];
        let alice = Pair::from_uri("//Alice", None).expect("dev key");
        let mut state = Overlay::new(MemoryKv::new());
        initialize_block(&mut state, 1, genesis);

        let additional = AdditionalSigned {
            spec_version: 425,
            transaction_version: 1,
            genesis_hash: genesis,
            birth_hash: genesis,
            metadata_hash: None,
        };
        let xt = UncheckedExtrinsic::sign_sr25519(
            &alice,
            vec![0x05, 0x03],
            SignedExtra::default(),
            &additional,
        );
        let bytes = xt.encode();
        let decoded = UncheckedExtrinsic::decode(&bytes).expect("decodes");
        let view = ChainView { state: &state, spec_version: 425, transaction_version: 1 };
        let checked = check(&decoded, &view, CheckMode::Apply).expect("valid");
        inc_account_nonce(&mut state, &checked.signer);
        assert_eq!(account_nonce(&state, &alice.account_id()), 1);

        let view = ChainView { state: &state, spec_version: 425, transaction_version: 1 };
        assert_eq!(check(&decoded, &view, CheckMode::Apply), Err(InvalidTransaction::Stale.into()));

        // Mortal: born at block 1 (the hash recorded when block 2 starts).
        initialize_block(&mut state, 2, [0x01; 32]);
        let extra = SignedExtra { era: Era::mortal(4, 1), nonce: 1, ..Default::default() };
        let xt = UncheckedExtrinsic::sign_sr25519(
            &alice,
            vec![0x05, 0x03],
            extra,
            &AdditionalSigned { birth_hash: [0x01; 32], ..additional },
        );
        let view = ChainView { state: &state, spec_version: 425, transaction_version: 1 };
        assert!(check(&xt, &view, CheckMode::Apply).is_ok());
        BlockHash::remove(&mut state, &1);
        let view = ChainView { state: &state, spec_version: 425, transaction_version: 1 };
        assert_eq!(
            check(&xt, &view, CheckMode::Apply),
            Err(InvalidTransaction::AncientBirthBlock.into())
        );
    }
}
