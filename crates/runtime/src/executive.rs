//! The executive: runs a block's extrinsics on an [`Overlay`], one transactional layer each.
//!
//! For each extrinsic, as FRAME's `Executive::apply_extrinsic`:
//!
//! 1. decode it ([`UncheckedExtrinsic::decode`]) and its call ([`Dispatch::info`]);
//! 2. check it against `System` state ([`check()`] with [`CheckMode::Apply`]);
//!
//!    an error in 1–2 rejects the extrinsic: nothing is written and it must not be included;
//! 3. bump the signer's nonce (kept even if the call fails);
//! 4. run the call in a transactional layer: on `Err` the layer and the call's events are
//!    rolled back, so a failed call leaves only its nonce bump (and, later, its fee);
//! 5. record `System.ExtrinsicSuccess` or `System.ExtrinsicFailed` with
//!    `Phase::ApplyExtrinsic(index)`.
//!
//! Fees (`TransactionPayment`) are not charged yet.

use rustensor_primitives::AccountId32;

use crate::dispatch::{CallError, Dispatch, DispatchContext, DispatchError};
use crate::events::{EventRecord, Phase};
use crate::extrinsic::{
    CheckMode, DecodeError, TransactionValidityError, UncheckedExtrinsic, check,
};
use crate::pallets::system::{self, ChainView};
use crate::storage::{KvRead, Overlay};

/// The runtime version the extrinsic checks sign against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuntimeVersion {
    /// `spec_version` (subtensor 425 at the reference commit).
    pub spec_version: u32,
    /// `transaction_version`.
    pub transaction_version: u32,
}

/// Why an extrinsic was rejected (it must not be included in a block).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ApplyError {
    /// The bytes are not a well-formed extrinsic.
    #[error("undecodable extrinsic: {0}")]
    Decode(#[from] DecodeError),
    /// The call does not decode.
    #[error("undecodable call: {0}")]
    Call(#[from] CallError),
    /// A check failed (signature, era, nonce, unsigned).
    #[error("{0}")]
    Validity(#[from] TransactionValidityError),
}

/// What happened to an included extrinsic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    /// Its index in the block (the `Phase::ApplyExtrinsic` of its events).
    pub index: u32,
    /// The signer.
    pub signer: AccountId32,
    /// `Ok` if the call succeeded, else its error (its writes were rolled back).
    pub result: Result<(), DispatchError>,
}

/// What the pool learns from a valid transaction: sp-runtime's `ValidTransaction`.
///
/// Wire format: matches `sp_runtime::transaction_validity::ValidTransaction` (inside
/// `TaggedTransactionQueue_validate_transaction` results).
#[derive(Clone, Debug, PartialEq, Eq, parity_scale_codec::Encode, parity_scale_codec::Decode)]
pub struct ValidTransaction {
    /// Higher goes first. Subtensor's priorities are flat: 1 for normal calls.
    pub priority: u64,
    /// Tags that must be provided by earlier transactions: `(signer, nonce - 1)` when the
    /// nonce is ahead of the account's.
    pub requires: Vec<Vec<u8>>,
    /// Tags this transaction provides: `SCALE((signer, nonce))`, as FRAME's `CheckNonce`.
    pub provides: Vec<Vec<u8>>,
    /// Blocks it stays valid for (from its era).
    pub longevity: u64,
    /// Whether to gossip it.
    pub propagate: bool,
}

/// The flat priority subtensor gives normal transactions (`reference/subtensor.md` §6.10).
pub const NORMAL_PRIORITY: u64 = 1;

/// Validates an extrinsic for the transaction pool, as FRAME's `validate_transaction`.
///
/// `state` must be the best block's state with block `best + 1` initialized
/// ([`system::initialize_block`], e.g. on a scratch [`Overlay`]); nothing is written. A nonce
/// ahead of the account's is accepted with a `requires` tag on the previous nonce.
///
/// # Errors
///
/// [`ApplyError`] as [`Executive::apply_extrinsic`], except that a future nonce is valid.
pub fn validate_transaction(
    state: &(impl KvRead + ?Sized),
    dispatcher: &impl Dispatch,
    version: RuntimeVersion,
    bytes: &[u8],
) -> Result<ValidTransaction, ApplyError> {
    let xt = UncheckedExtrinsic::decode(bytes)?;
    dispatcher.info(&xt.call)?;
    let view = ChainView {
        state,
        spec_version: version.spec_version,
        transaction_version: version.transaction_version,
    };
    let checked = check(&xt, &view, CheckMode::Validate)?;
    let account_nonce = system::account_nonce(state, &checked.signer);
    let requires = match checked.nonce.checked_sub(1) {
        Some(previous) if checked.nonce > account_nonce => {
            vec![parity_scale_codec::Encode::encode(&(checked.signer, previous))]
        }
        _ => Vec::new(),
    };
    Ok(ValidTransaction {
        priority: NORMAL_PRIORITY,
        requires,
        provides: vec![parity_scale_codec::Encode::encode(&(checked.signer, checked.nonce))],
        longevity: checked.longevity,
        propagate: true,
    })
}

/// Executes one block on an overlay over the parent state `B`.
pub struct Executive<B, D> {
    state: Overlay<B>,
    dispatcher: D,
    version: RuntimeVersion,
    events: Vec<EventRecord>,
    next_index: u32,
}

impl<B: KvRead, D: Dispatch> Executive<B, D> {
    /// Starts block `number` whose parent hash is `parent_hash`, over the parent's state.
    pub fn initialize_block(
        parent_state: B,
        dispatcher: D,
        version: RuntimeVersion,
        number: u32,
        parent_hash: [u8; 32],
    ) -> Self {
        let mut state = Overlay::new(parent_state);
        system::initialize_block(&mut state, number, parent_hash);
        Self { state, dispatcher, version, events: Vec::new(), next_index: 0 }
    }

    /// The block's state so far.
    pub fn state(&self) -> &Overlay<B> {
        &self.state
    }

    /// The events recorded so far.
    pub fn events(&self) -> &[EventRecord] {
        &self.events
    }

    /// Applies one extrinsic (see the module docs).
    ///
    /// # Errors
    ///
    /// [`ApplyError`] if the extrinsic is rejected; the state is then untouched.
    pub fn apply_extrinsic(&mut self, bytes: &[u8]) -> Result<Applied, ApplyError> {
        let xt = UncheckedExtrinsic::decode(bytes)?;
        let info = self.dispatcher.info(&xt.call)?;
        let view = ChainView {
            state: &self.state,
            spec_version: self.version.spec_version,
            transaction_version: self.version.transaction_version,
        };
        let checked = check(&xt, &view, CheckMode::Apply)?;

        let index = self.next_index;
        self.next_index = self.next_index.saturating_add(1);
        let phase = Phase::ApplyExtrinsic(index);
        system::inc_account_nonce(&mut self.state, &checked.signer);

        let mark = self.events.len();
        self.state.start_transaction();
        let result = {
            let mut ctx = DispatchContext::new(&mut self.state, &mut self.events, phase);
            self.dispatcher.dispatch(&mut ctx, &checked.signer, &checked.call)
        };
        let closed = if result.is_ok() {
            self.state.commit_transaction()
        } else {
            self.events.truncate(mark);
            self.state.rollback_transaction()
        };
        debug_assert!(closed.is_ok(), "the layer opened above is open");

        let event = match result {
            Ok(()) => system::Event::ExtrinsicSuccess { dispatch_info: info },
            Err(dispatch_error) => {
                system::Event::ExtrinsicFailed { dispatch_error, dispatch_info: info }
            }
        };
        self.events.push(EventRecord::new(phase, system::PALLET_INDEX, &event));
        Ok(Applied { index, signer: checked.signer, result })
    }

    /// Ends the block: prunes the block-hash window, stores the events, and hands back the
    /// state overlay (its changes are the block's state diff).
    pub fn finalize_block(mut self) -> Overlay<B> {
        system::finalize_block(&mut self.state);
        system::store_events(&mut self.state, &self.events);
        self.state
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dispatch::DispatchEventInfo;
    use crate::events::encode_events;
    use crate::extrinsic::{AdditionalSigned, InvalidTransaction, SignedExtra};
    use crate::pallets::Runtime;
    use crate::storage::{MemoryKv, StoragePrefix};
    use parity_scale_codec::Encode;
    use rustensor_primitives::crypto::sr25519::Pair;
    use rustensor_primitives::hashing::blake2_256;

    const VERSION: RuntimeVersion = RuntimeVersion { spec_version: 425, transaction_version: 1 };
    const GENESIS: [u8; 32] = [0x47; 32];

    fn signed(pair: &Pair, nonce: u32, call: Vec<u8>) -> Vec<u8> {
        let additional = AdditionalSigned {
            spec_version: VERSION.spec_version,
            transaction_version: VERSION.transaction_version,
            genesis_hash: GENESIS,
            birth_hash: GENESIS,
            metadata_hash: None,
        };
        let extra = SignedExtra { nonce, ..Default::default() };
        UncheckedExtrinsic::sign_sr25519(pair, call, extra, &additional).encode()
    }

    fn remark_with_event(text: &[u8]) -> Vec<u8> {
        let mut call = vec![system::PALLET_INDEX, system::CALL_REMARK_WITH_EVENT];
        text.to_vec().encode_to(&mut call);
        call
    }

    #[test]
    fn test_block_applies_success_failure_and_rejections() {
        let alice = Pair::from_uri("//Alice", None).expect("dev key");
        let mut block = Executive::initialize_block(MemoryKv::new(), Runtime, VERSION, 1, GENESIS);

        // 0: success with a pallet event.
        let applied = block.apply_extrinsic(&signed(&alice, 0, remark_with_event(b"hi"))).unwrap();
        assert_eq!((applied.index, applied.result), (0, Ok(())));

        // 1: a root-only call fails: nonce bumped, ExtrinsicFailed recorded.
        let applied = block.apply_extrinsic(&signed(&alice, 1, vec![0, 2, 0])).unwrap();
        assert_eq!((applied.index, applied.result), (1, Err(DispatchError::BadOrigin)));

        // Rejections leave no trace.
        let before = block.state().changes().clone();
        assert_eq!(
            block.apply_extrinsic(&signed(&alice, 1, remark_with_event(b"x"))),
            Err(ApplyError::Validity(InvalidTransaction::Stale.into()))
        );
        assert_eq!(
            block.apply_extrinsic(&signed(&alice, 2, vec![9, 0])),
            Err(ApplyError::Call(CallError::UnknownPallet(9)))
        );
        assert_eq!(
            block.apply_extrinsic(&signed(&alice, 2, vec![0, 0, 8, 1])),
            Err(ApplyError::Call(CallError::BadArguments { pallet: 0, call: 0 }))
        );
        assert_eq!(
            block.apply_extrinsic(&[0x00]),
            Err(ApplyError::Decode(DecodeError::MissingVersion))
        );
        assert_eq!(&before, block.state().changes());

        let state = block.finalize_block();
        assert_eq!(system::account_nonce(&state, &alice.account_id()), 2);
        let who = alice.account_id();
        let expected = vec![
            EventRecord::new(
                Phase::ApplyExtrinsic(0),
                0,
                &system::Event::Remarked { sender: who, hash: blake2_256(b"hi") },
            ),
            EventRecord::new(
                Phase::ApplyExtrinsic(0),
                0,
                &system::Event::ExtrinsicSuccess { dispatch_info: DispatchEventInfo::default() },
            ),
            EventRecord::new(
                Phase::ApplyExtrinsic(1),
                0,
                &system::Event::ExtrinsicFailed {
                    dispatch_error: DispatchError::BadOrigin,
                    dispatch_info: DispatchEventInfo::default(),
                },
            ),
        ];
        assert_eq!(state.get(&system::EventsPrefix::prefix()), Some(encode_events(&expected)));
        assert_eq!(system::EventCount::get(&state), 3);
        // ExtrinsicFailed bytes: Phase::ApplyExtrinsic(1), System 0, variant 1, BadOrigin 2,
        // info (weight 0/0, Normal, Pays::Yes), no topics.
        assert_eq!(expected[2].encode(), vec![0, 1, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 0]);
    }

    #[test]
    fn test_signed_transfers_through_the_runtime() {
        use crate::pallets::balances::{self, MultiAddress};
        let alice = Pair::from_uri("//Alice", None).expect("dev key");
        let bob = Pair::from_uri("//Bob", None).expect("dev key").account_id();
        let mut genesis = MemoryKv::new();
        balances::build_genesis(&mut genesis, &[(alice.account_id(), 10_000_000_000)]).unwrap();
        let mut block = Executive::initialize_block(&genesis, Runtime, VERSION, 1, GENESIS);

        let call = |value: u64| {
            let mut call = vec![balances::PALLET_INDEX, balances::CALL_TRANSFER_KEEP_ALIVE];
            MultiAddress::Id(bob).encode_to(&mut call);
            parity_scale_codec::Compact(value).encode_to(&mut call);
            call
        };
        let ok = block.apply_extrinsic(&signed(&alice, 0, call(1_000_000_000))).unwrap();
        assert_eq!(ok.result, Ok(()));
        let all = block.apply_extrinsic(&signed(&alice, 1, call(9_000_000_000))).unwrap();
        assert_eq!(
            all.result,
            Err(DispatchError::Token(crate::dispatch::TokenError::NotExpendable))
        );
        let state = block.finalize_block();
        assert_eq!(balances::free_balance(&state, &alice.account_id()), 9_000_000_000);
        assert_eq!(balances::free_balance(&state, &bob), 1_000_000_000);
        assert_eq!(system::account_nonce(&state, &alice.account_id()), 2);
        assert_eq!(balances::TotalIssuance::get(&state), 10_000_000_000);
        // NewAccount, Endowed, Transfer, ExtrinsicSuccess; ExtrinsicFailed.
        assert_eq!(system::EventCount::get(&state), 5);
    }

    #[test]
    fn test_validate_transaction_tags_and_future_nonces() {
        let alice = Pair::from_uri("//Alice", None).expect("dev key");
        let who = alice.account_id();
        let mut state = Overlay::new(MemoryKv::new());
        system::initialize_block(&mut state, 1, GENESIS);
        system::inc_account_nonce(&mut state, &who);
        let before = state.changes().clone();

        let valid =
            validate_transaction(&state, &Runtime, VERSION, &signed(&alice, 1, vec![0, 0, 0]))
                .expect("valid");
        assert_eq!(valid.provides, vec![(who, 1u32).encode()]);
        assert!(valid.requires.is_empty());
        assert_eq!(valid.priority, NORMAL_PRIORITY);
        assert_eq!(valid.longevity, u64::MAX - 1);

        let future =
            validate_transaction(&state, &Runtime, VERSION, &signed(&alice, 3, vec![0, 0, 0]))
                .expect("future nonces wait in the pool");
        assert_eq!(future.requires, vec![(who, 2u32).encode()]);

        assert_eq!(
            validate_transaction(&state, &Runtime, VERSION, &signed(&alice, 0, vec![0, 0, 0])),
            Err(ApplyError::Validity(InvalidTransaction::Stale.into()))
        );
        assert_eq!(&before, state.changes(), "validation writes nothing");
        // The encoding is sp-runtime's: priority u64, requires, provides, longevity u64, propagate.
        let bytes = valid.encode();
        assert_eq!(&bytes[..9], &[1, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(bytes.len(), 8 + 1 + 1 + 1 + 36 + 8 + 1);
    }

    // Throughput probe for issue 3's benchmark (signed transfer_keep_alive into a block,
    // signature checks included). Run with
    // `cargo test --release -p rustensor-runtime -- --ignored --nocapture transfer_throughput`.
    #[test]
    #[ignore = "timing probe, run by hand in release"]
    #[allow(clippy::disallowed_methods, reason = "a timing probe reads the clock")]
    fn test_transfer_throughput_slow_() {
        use crate::pallets::balances::{self, MultiAddress};
        const N: u32 = 5_000;
        let alice = Pair::from_uri("//Alice", None).expect("dev key");
        let bob = Pair::from_uri("//Bob", None).expect("dev key").account_id();
        let mut genesis = MemoryKv::new();
        balances::build_genesis(&mut genesis, &[(alice.account_id(), u64::MAX / 2)]).unwrap();
        let mut call = vec![balances::PALLET_INDEX, balances::CALL_TRANSFER_KEEP_ALIVE];
        MultiAddress::Id(bob).encode_to(&mut call);
        parity_scale_codec::Compact(1_000_000u64).encode_to(&mut call);
        let txs: Vec<Vec<u8>> = (0..N).map(|n| signed(&alice, n, call.clone())).collect();

        let start = std::time::Instant::now();
        let mut block = Executive::initialize_block(&genesis, Runtime, VERSION, 1, GENESIS);
        for tx in &txs {
            assert_eq!(block.apply_extrinsic(tx).map(|a| a.result), Ok(Ok(())));
        }
        let state = block.finalize_block();
        let elapsed = start.elapsed();
        assert_eq!(balances::free_balance(&state, &bob), u64::from(N) * 1_000_000);
        let per_second = u128::from(N) * 1_000_000_000 / elapsed.as_nanos().max(1);
        println!("{N} signed transfers in {elapsed:?}: {per_second}/s");
    }

    // A dispatcher whose call writes, emits, then fails: nothing of it may survive.
    struct WritesThenFails;
    impl Dispatch for WritesThenFails {
        fn info(&self, _call: &[u8]) -> Result<DispatchEventInfo, CallError> {
            Ok(DispatchEventInfo::default())
        }
        fn dispatch(
            &self,
            ctx: &mut DispatchContext<'_>,
            _who: &AccountId32,
            call: &[u8],
        ) -> Result<(), DispatchError> {
            ctx.state.put(b"scratch", call);
            ctx.deposit_event(7, &0u8);
            if call[0] == 1 { Err(DispatchError::module(7, 3)) } else { Ok(()) }
        }
    }

    #[test]
    fn test_failed_call_leaves_only_nonce_and_failure_event() {
        let alice = Pair::from_uri("//Alice", None).expect("dev key");
        let mut block =
            Executive::initialize_block(MemoryKv::new(), WritesThenFails, VERSION, 1, GENESIS);
        let applied = block.apply_extrinsic(&signed(&alice, 0, vec![1, 0])).unwrap();
        assert_eq!(applied.result, Err(DispatchError::module(7, 3)));
        assert_eq!(block.state().get(b"scratch"), None);
        assert_eq!(block.events().len(), 1);
        assert_eq!(system::account_nonce(block.state(), &alice.account_id()), 1);

        let applied = block.apply_extrinsic(&signed(&alice, 1, vec![2, 0])).unwrap();
        assert_eq!(applied.result, Ok(()));
        assert_eq!(block.state().get(b"scratch"), Some(vec![2, 0]));
        assert_eq!(block.events().len(), 3);
    }
}
