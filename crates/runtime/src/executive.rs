//! The executive: runs a block's extrinsics on an [`Overlay`], one transactional layer each.
//!
//! [`Executive::initialize_block`] first runs `System`'s block initialization and then the
//! block step, `SubtensorModule`'s `on_initialize` ([`subtensor::emission::coinbase`]), whose events are
//! recorded with `Phase::Initialization`.
//!
//! For each extrinsic, as FRAME's `Executive::apply_extrinsic`:
//!
//! 1. decode it ([`UncheckedExtrinsic::decode`]) and its call ([`Dispatch::info`]);
//! 2. check it against `System` state ([`check()`] with [`CheckMode::Apply`]);
//!
//!    an error in 1–2 rejects the extrinsic: nothing is written and it must not be included;
//!    a signer who cannot pay the fee ([`transaction_payment::compute_fee`], keep-alive) is
//!    rejected too, as `InvalidTransaction::Payment`, and so is a top-level `Sudo` call not
//!    signed by the sudo key (`InvalidTransaction::BadSigner`, subtensor's
//!    `SudoTransactionExtension`, checked after the payment as the extensions are ordered);
//! 3. bump the signer's nonce and withdraw the fee (`Balances.Withdraw`); both are kept even
//!    if the call fails;
//! 4. run the call in a transactional layer: on `Err` the layer and the call's events are
//!    rolled back, so a failed call leaves only its nonce bump, its fee and its failure event;
//! 5. settle the fee ([`transaction_payment::compute_actual_fee`]): refund what the call's
//!    post-dispatch info forgives (`Balances.Deposit`), pay the rest to the block author
//!    (`Balances.Deposit`) or drop it from the issuance when there is no author (or the author
//!    cannot receive it), and record `TransactionPayment.TransactionFeePaid`;
//! 6. record `System.ExtrinsicSuccess` or `System.ExtrinsicFailed` with
//!    `Phase::ApplyExtrinsic(index)`.
//!
//! [`Executive::apply_extrinsics`] does the same for a whole list, but first verifies all the
//! signatures on every core, decompressing each sr25519 signer's key once: a signature's
//! validity depends only on the extrinsic and on data fixed for the block (versions, genesis and
//! birth-block hashes), so the verdicts can be computed in parallel and the execution stays
//! sequential and deterministic.

use rustensor_primitives::AccountId32;

use crate::dispatch::{CallError, Dispatch, DispatchContext, DispatchError, Origin};
use crate::events::{EventRecord, Phase};
use crate::extrinsic::InvalidTransaction;
use crate::extrinsic::{
    CheckMode, DecodeError, MultiSignature, TransactionValidityError, UncheckedExtrinsic, check,
    check_with, signed_message_of,
};
use crate::pallets::system::{self, ChainView};
use crate::pallets::{balances, subtensor, sudo, transaction_payment};
use crate::storage::{KvRead, Overlay};
use rustensor_primitives::crypto::sr25519;

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
    Decode(DecodeError),
    /// The call does not decode.
    #[error("undecodable call: {0}")]
    Call(CallError),
    /// A check failed (signature, era, nonce, unsigned).
    #[error("{0}")]
    Validity(TransactionValidityError),
}

impl From<DecodeError> for ApplyError {
    fn from(e: DecodeError) -> Self {
        Self::Decode(e)
    }
}

impl From<CallError> for ApplyError {
    fn from(e: CallError) -> Self {
        Self::Call(e)
    }
}

impl From<TransactionValidityError> for ApplyError {
    fn from(e: TransactionValidityError) -> Self {
        Self::Validity(e)
    }
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
    /// The fee kept, tip included (as in `TransactionFeePaid`).
    pub fee: u64,
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

/// The flat priority subtensor gives normal (and mandatory) transactions
/// (`reference/subtensor.md` §6.10). Tips do not raise it.
pub const NORMAL_PRIORITY: u64 = 1;

/// The flat priority subtensor gives operational transactions (§6.10).
pub const OPERATIONAL_PRIORITY: u64 = 10_000_000_000;

/// Validates an extrinsic for the transaction pool, as FRAME's `validate_transaction`.
///
/// `state` must be the best block's state with block `best + 1` initialized
/// ([`system::initialize_block`], e.g. on a scratch [`Overlay`]); nothing is written. A nonce
/// ahead of the account's is accepted with a `requires` tag on the previous nonce.
///
/// # Errors
///
/// [`ApplyError`] as [`Executive::apply_extrinsic`] (including `Payment` when the signer
/// cannot pay the fee), except that a future nonce is valid.
pub fn validate_transaction(
    state: &(impl KvRead + ?Sized),
    dispatcher: &impl Dispatch,
    version: RuntimeVersion,
    bytes: &[u8],
) -> Result<ValidTransaction, ApplyError> {
    let xt = UncheckedExtrinsic::decode(bytes)?;
    let info = dispatcher.info(&xt.call)?;
    let view = ChainView {
        state,
        spec_version: version.spec_version,
        transaction_version: version.transaction_version,
    };
    let checked = check(&xt, &view, CheckMode::Validate)?;
    let fee = transaction_payment::compute_fee(encoded_len(bytes), &info, checked.tip);
    if !balances::can_withdraw_keep_alive(state, &checked.signer, fee) {
        return Err(ApplyError::Validity(InvalidTransaction::Payment.into()));
    }
    sudo::validate_signer(state, &checked.signer, &checked.call)
        .map_err(|e| ApplyError::Validity(e.into()))?;
    let account_nonce = system::account_nonce(state, &checked.signer);
    let requires = match checked.nonce.checked_sub(1) {
        Some(previous) if checked.nonce > account_nonce => {
            vec![parity_scale_codec::Encode::encode(&(checked.signer, previous))]
        }
        _ => Vec::new(),
    };
    Ok(ValidTransaction {
        priority: if info.class == crate::dispatch::DispatchClass::Operational {
            OPERATIONAL_PRIORITY
        } else {
            NORMAL_PRIORITY
        },
        requires,
        provides: vec![parity_scale_codec::Encode::encode(&(checked.signer, checked.nonce))],
        longevity: checked.longevity,
        propagate: true,
    })
}

/// The length the fee is charged on: the whole encoded extrinsic, length prefix included
/// (FRAME's `len`), saturated to `u32`.
fn encoded_len(bytes: &[u8]) -> u32 {
    u32::try_from(bytes.len()).unwrap_or(u32::MAX)
}

/// `f` over `items`, in order, split into contiguous chunks over up to
/// `available_parallelism` scoped threads (none for small inputs).
fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    /// Fewer items than this per thread are not worth a thread.
    const MIN_PER_THREAD: usize = 16;
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(items.len() / MIN_PER_THREAD);
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let f = &f;
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    })
}

/// Executes one block on an overlay over the parent state `B`.
pub struct Executive<B, D> {
    state: Overlay<B>,
    dispatcher: D,
    version: RuntimeVersion,
    events: Vec<EventRecord>,
    next_index: u32,
    author: Option<AccountId32>,
}

impl<B: KvRead, D: Dispatch> Executive<B, D> {
    /// Starts block `number` whose parent hash is `parent_hash`, over the parent's state, and
    /// runs the block step ([`subtensor::emission::coinbase::on_initialize`], events in
    /// `Phase::Initialization`).
    pub fn initialize_block(
        parent_state: B,
        dispatcher: D,
        version: RuntimeVersion,
        number: u32,
        parent_hash: [u8; 32],
    ) -> Self {
        let mut state = Overlay::new(parent_state);
        system::initialize_block(&mut state, number, parent_hash);
        // The block step (`SubtensorModule::on_initialize`): emission, injection, epochs.
        let mut events = Vec::new();
        {
            let mut ctx = DispatchContext::new(&mut state, &mut events, Phase::Initialization);
            subtensor::emission::coinbase::on_initialize(&mut ctx);
        }
        Self { state, dispatcher, version, events, next_index: 0, author: None }
    }

    /// Sets the block author, who receives the fees and tips (subtensor §1.4). Without one,
    /// fees are dropped from the total issuance.
    pub fn set_author(&mut self, author: Option<AccountId32>) {
        self.author = author;
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
        self.apply_checked(bytes, None)
    }

    /// Applies `extrinsics` in order, exactly as [`Self::apply_extrinsic`] on each would, with
    /// their signatures verified beforehand on up to `available_parallelism` threads.
    pub fn apply_extrinsics(&mut self, extrinsics: &[Vec<u8>]) -> Vec<Result<Applied, ApplyError>>
    where
        B: Sync,
    {
        let verdicts = {
            let view = ChainView {
                state: &self.state,
                spec_version: self.version.spec_version,
                transaction_version: self.version.transaction_version,
            };
            let decoded = parallel_map(extrinsics, |bytes| UncheckedExtrinsic::decode(bytes).ok());
            // Each sr25519 signer's key is decompressed once for the whole block.
            let signers: Vec<AccountId32> = decoded
                .iter()
                .flatten()
                .filter_map(|xt| xt.signature.as_ref())
                .filter(|part| matches!(part.signature, MultiSignature::Sr25519(_)))
                .map(|part| part.signer)
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            let keys: std::collections::BTreeMap<AccountId32, Option<sr25519::VerifyingKey>> =
                signers
                    .iter()
                    .copied()
                    .zip(parallel_map(&signers, |who| sr25519::Public(who.0).verifying_key().ok()))
                    .collect();
            let verdict = |xt: &Option<UncheckedExtrinsic>| -> Option<bool> {
                let xt = xt.as_ref()?;
                let message = signed_message_of(xt, &view).ok()?;
                let part = xt.signature.as_ref()?;
                Some(match part.signature {
                    MultiSignature::Sr25519(sig) => keys
                        .get(&part.signer)
                        .and_then(Option::as_ref)
                        .is_some_and(|key| key.verify(&message, &sr25519::Signature(sig))),
                    other => other.verify(&message, &part.signer),
                })
            };
            parallel_map(&decoded, verdict)
        };
        extrinsics.iter().zip(verdicts).map(|(bytes, v)| self.apply_checked(bytes, v)).collect()
    }

    fn apply_checked(
        &mut self,
        bytes: &[u8],
        verified: Option<bool>,
    ) -> Result<Applied, ApplyError> {
        let xt = UncheckedExtrinsic::decode(bytes)?;
        let info = self.dispatcher.info(&xt.call)?;
        let view = ChainView {
            state: &self.state,
            spec_version: self.version.spec_version,
            transaction_version: self.version.transaction_version,
        };
        let checked = check_with(&xt, &view, CheckMode::Apply, verified)?;
        let len = encoded_len(bytes);
        let fee = transaction_payment::compute_fee(len, &info, checked.tip);
        let who = checked.signer;
        // Payment is checked before the sudo signer, as the extensions are ordered; neither
        // writes anything when it fails.
        let payment_error = ApplyError::Validity(InvalidTransaction::Payment.into());
        if let Err(e) = sudo::validate_signer(&self.state, &who, &checked.call) {
            if !balances::can_withdraw_keep_alive(&self.state, &who, fee) {
                return Err(payment_error);
            }
            return Err(ApplyError::Validity(e.into()));
        }

        let index = self.next_index;
        let phase = Phase::ApplyExtrinsic(index);
        {
            // The withdrawal is the payment check: on failure it writes nothing.
            let mut ctx = DispatchContext::new(&mut self.state, &mut self.events, phase);
            if balances::withdraw(&mut ctx, &who, fee).is_err() {
                return Err(payment_error);
            }
        }
        self.next_index = self.next_index.saturating_add(1);
        system::inc_account_nonce(&mut self.state, &who);

        let mark = self.events.len();
        self.state.start_transaction();
        let outcome = {
            let mut ctx = DispatchContext::new(&mut self.state, &mut self.events, phase);
            self.dispatcher.dispatch(&mut ctx, &Origin::Signed(who), &checked.call)
        };
        let closed = if outcome.is_ok() {
            self.state.commit_transaction()
        } else {
            self.events.truncate(mark);
            self.state.rollback_transaction()
        };
        debug_assert!(closed.is_ok(), "the layer opened above is open");
        let (post_info, result) = match outcome {
            Ok(post_info) => (post_info, Ok(())),
            Err(e) => (e.post_info, Err(e.error)),
        };

        // Settle the fee: refund, then the rest (tip included) to the author or burned.
        let actual_fee =
            transaction_payment::compute_actual_fee(len, &info, &post_info, checked.tip).min(fee);
        {
            let mut ctx = DispatchContext::new(&mut self.state, &mut self.events, phase);
            let refund = fee.saturating_sub(actual_fee);
            if let Err(lost) = balances::resolve(&mut ctx, &who, refund) {
                balances::burn_credit(ctx.state, lost);
            }
            let paid = match self.author {
                Some(author) => balances::resolve(&mut ctx, &author, actual_fee),
                None => Err(actual_fee),
            };
            if let Err(lost) = paid {
                balances::burn_credit(ctx.state, lost);
            }
            ctx.deposit_event(
                transaction_payment::PALLET_INDEX,
                &transaction_payment::Event::TransactionFeePaid {
                    who,
                    actual_fee,
                    tip: checked.tip,
                },
            );
        }

        let dispatch_info = transaction_payment::post_dispatch_event_info(&info, &post_info);
        let event = match result {
            Ok(()) => system::Event::ExtrinsicSuccess { dispatch_info },
            Err(dispatch_error) => system::Event::ExtrinsicFailed { dispatch_error, dispatch_info },
        };
        self.events.push(EventRecord::new(phase, system::PALLET_INDEX, &event));
        Ok(Applied { index, signer: who, result, fee: actual_fee })
    }

    /// Ends the block: rotates the validator set on an epoch boundary
    /// ([`crate::pallets::validators::on_finalize`], events in `Phase::Finalization`), prunes
    /// the block-hash window, stores the events, and hands back the
    /// state overlay (its changes are the block's state diff).
    pub fn finalize_block(mut self) -> Overlay<B> {
        {
            let mut ctx =
                DispatchContext::new(&mut self.state, &mut self.events, Phase::Finalization);
            crate::pallets::validators::on_finalize(&mut ctx);
        }
        system::finalize_block(&mut self.state);
        system::store_events(&mut self.state, &self.events);
        self.state
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dispatch::{DispatchEventInfo, Pays, PostDispatchInfo, Weight};
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

    fn funded(who: &AccountId32, amount: u64) -> MemoryKv {
        let mut genesis = MemoryKv::new();
        crate::pallets::balances::build_genesis(&mut genesis, &[(*who, amount)]).unwrap();
        genesis
    }

    fn fee_of(xt: &[u8]) -> u64 {
        let decoded = UncheckedExtrinsic::decode(xt).unwrap();
        let info = Runtime.info(&decoded.call).unwrap();
        transaction_payment::compute_fee(encoded_len(xt), &info, 0)
    }

    #[test]
    fn test_apply_extrinsics_in_parallel_equals_one_by_one() {
        let (alice, bob) =
            (Pair::from_uri("//Alice", None).unwrap(), Pair::from_uri("//Bob", None).unwrap());
        let mut genesis = MemoryKv::new();
        crate::pallets::balances::build_genesis(
            &mut genesis,
            &[(alice.account_id(), 1_000_000_000_000), (bob.account_id(), 1_000)],
        )
        .unwrap();
        // 100 extrinsics (enough for several threads): good ones, a tampered signature, a
        // stale and a future nonce, garbage bytes, and Bob failing to pay.
        let mut xts: Vec<Vec<u8>> =
            (0..90).map(|n| signed(&alice, n, remark_with_event(&n.to_le_bytes()))).collect();
        let mut tampered = signed(&alice, 90, remark_with_event(b"x"));
        let last = tampered.len() - 1;
        tampered[last] ^= 1;
        xts.push(tampered);
        xts.push(signed(&alice, 3, remark_with_event(b"stale")));
        xts.push(signed(&alice, 500, remark_with_event(b"future")));
        xts.push(vec![0xff; 40]);
        xts.push(signed(&bob, 0, remark_with_event(&[7; 2000])));
        for n in 90..95 {
            xts.push(signed(&alice, n, remark_with_event(b"more")));
        }
        let one_by_one = {
            let mut block = Executive::initialize_block(&genesis, Runtime, VERSION, 1, GENESIS);
            let results: Vec<_> = xts.iter().map(|x| block.apply_extrinsic(x)).collect();
            let events = block.events().to_vec();
            (results, events, block.finalize_block().into_parts().1)
        };
        let batched = {
            let mut block = Executive::initialize_block(&genesis, Runtime, VERSION, 1, GENESIS);
            let results = block.apply_extrinsics(&xts);
            let events = block.events().to_vec();
            (results, events, block.finalize_block().into_parts().1)
        };
        assert_eq!(one_by_one, batched);
        let results = &batched.0;
        assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 95);
        assert_eq!(
            results[90],
            Err(ApplyError::Validity(InvalidTransaction::BadProof.into())),
            "tampered"
        );
        assert_eq!(results[91], Err(ApplyError::Validity(InvalidTransaction::Stale.into())));
        assert_eq!(results[92], Err(ApplyError::Validity(InvalidTransaction::Future.into())));
        assert!(matches!(results[93], Err(ApplyError::Decode(_))), "{:?}", results[93]);
        assert_eq!(results[94], Err(ApplyError::Validity(InvalidTransaction::Payment.into())));
    }

    #[test]
    fn test_block_applies_success_failure_and_rejections() {
        use crate::pallets::balances;
        let alice = Pair::from_uri("//Alice", None).expect("dev key");
        let who = alice.account_id();
        let genesis = funded(&who, 10_000_000_000);
        let mut block = Executive::initialize_block(&genesis, Runtime, VERSION, 1, GENESIS);

        // 0: success with a pallet event.
        let xt0 = signed(&alice, 0, remark_with_event(b"hi"));
        let applied = block.apply_extrinsic(&xt0).unwrap();
        assert_eq!((applied.index, applied.result, applied.fee), (0, Ok(()), fee_of(&xt0)));

        // 1: a root-only call (`set_code(vec![])`) fails: nonce bumped, fee kept,
        // ExtrinsicFailed recorded.
        let xt1 = signed(&alice, 1, vec![0, 2, 0]);
        let applied = block.apply_extrinsic(&xt1).unwrap();
        assert_eq!((applied.index, applied.result), (1, Err(DispatchError::BadOrigin)));
        assert_eq!(applied.fee, fee_of(&xt1), "a failed call keeps its fee");

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
        assert_eq!(system::account_nonce(&state, &who), 2);
        let fees = fee_of(&xt0) + fee_of(&xt1);
        assert_eq!(balances::free_balance(&state, &who), 10_000_000_000 - fees);
        assert_eq!(
            balances::TotalIssuance::get(&state),
            10_000_000_000 - fees,
            "no author: fees are dropped"
        );
        let info0 = Runtime.info(&remark_with_event(b"hi")).unwrap();
        let info1 = Runtime.info(&[0, 2, 0]).unwrap();
        let p0 = Phase::ApplyExtrinsic(0);
        let p1 = Phase::ApplyExtrinsic(1);
        let withdraw = |phase, amount| {
            EventRecord::new(
                phase,
                balances::PALLET_INDEX,
                &balances::Event::Withdraw { who, amount },
            )
        };
        let paid = |phase, actual_fee| {
            EventRecord::new(
                phase,
                transaction_payment::PALLET_INDEX,
                &transaction_payment::Event::TransactionFeePaid { who, actual_fee, tip: 0 },
            )
        };
        let expected = vec![
            withdraw(p0, fee_of(&xt0)),
            EventRecord::new(
                p0,
                0,
                &system::Event::Remarked { sender: who, hash: blake2_256(b"hi") },
            ),
            paid(p0, fee_of(&xt0)),
            EventRecord::new(p0, 0, &system::Event::ExtrinsicSuccess { dispatch_info: info0 }),
            withdraw(p1, fee_of(&xt1)),
            paid(p1, fee_of(&xt1)),
            EventRecord::new(
                p1,
                0,
                &system::Event::ExtrinsicFailed {
                    dispatch_error: DispatchError::BadOrigin,
                    dispatch_info: info1,
                },
            ),
        ];
        assert_eq!(state.get(&system::EventsPrefix::prefix()), Some(encode_events(&expected)));
        assert_eq!(system::EventCount::get(&state), 7);
        // ExtrinsicFailed bytes: Phase::ApplyExtrinsic(1), System 0, variant 1, BadOrigin 2,
        // info (weight Compact(100_000_000)/0, Normal, Pays::Yes), no topics.
        assert_eq!(
            expected[6].encode(),
            vec![0, 1, 0, 0, 0, 0, 1, 2, 0x02, 0x84, 0xd7, 0x17, 0, 0, 0, 0]
        );
    }

    #[test]
    fn test_signed_transfers_through_the_runtime() {
        use crate::pallets::balances::{self, MultiAddress};
        let alice = Pair::from_uri("//Alice", None).expect("dev key");
        let bob = Pair::from_uri("//Bob", None).expect("dev key").account_id();
        let author = AccountId32([0xaa; 32]);
        let genesis = funded(&alice.account_id(), 10_000_000_000);
        let mut block = Executive::initialize_block(&genesis, Runtime, VERSION, 1, GENESIS);
        block.set_author(Some(author));

        let call = |value: u64| {
            let mut call = vec![balances::PALLET_INDEX, balances::CALL_TRANSFER_KEEP_ALIVE];
            MultiAddress::Id(bob).encode_to(&mut call);
            parity_scale_codec::Compact(value).encode_to(&mut call);
            call
        };
        let xt0 = signed(&alice, 0, call(1_000_000_000));
        let ok = block.apply_extrinsic(&xt0).unwrap();
        assert_eq!(ok.result, Ok(()));
        let xt1 = signed(&alice, 1, call(8_999_900_000));
        let all = block.apply_extrinsic(&xt1).unwrap();
        assert_eq!(
            all.result,
            Err(DispatchError::Token(crate::dispatch::TokenError::FundsUnavailable))
        );
        let fees = fee_of(&xt0) + fee_of(&xt1);
        assert_eq!((ok.fee, all.fee), (fee_of(&xt0), fee_of(&xt1)));
        let state = block.finalize_block();
        assert_eq!(balances::free_balance(&state, &alice.account_id()), 9_000_000_000 - fees);
        assert_eq!(balances::free_balance(&state, &bob), 1_000_000_000);
        assert_eq!(balances::free_balance(&state, &author), fees, "fees go to the author");
        assert_eq!(system::account_nonce(&state, &alice.account_id()), 2);
        assert_eq!(balances::TotalIssuance::get(&state), 10_000_000_000);
        // xt0: Withdraw, NewAccount, Endowed, Transfer, NewAccount+Endowed+Deposit (author),
        // TransactionFeePaid, ExtrinsicSuccess; xt1: Withdraw, Deposit, TransactionFeePaid,
        // ExtrinsicFailed.
        assert_eq!(system::EventCount::get(&state), 13);
    }

    #[test]
    fn test_fee_payment_failure_is_invalid_before_execution() {
        let alice = Pair::from_uri("//Alice", None).expect("dev key");
        let who = alice.account_id();
        // Enough for the ED but not the ED plus the fee: keep-alive withdrawal fails.
        let xt = signed(&alice, 0, remark_with_event(b"hi"));
        let genesis = funded(&who, 500 + fee_of(&xt) - 1);
        let mut block = Executive::initialize_block(&genesis, Runtime, VERSION, 1, GENESIS);
        let before = block.state().changes().clone();
        let payment: Result<(), ApplyError> =
            Err(ApplyError::Validity(InvalidTransaction::Payment.into()));
        assert_eq!(block.apply_extrinsic(&xt).map(|_| ()), payment);
        assert_eq!(&before, block.state().changes(), "nothing written, not even the nonce");
        assert!(block.events().is_empty());
        let mut pool = Overlay::new(&genesis);
        system::initialize_block(&mut pool, 1, GENESIS);
        assert_eq!(validate_transaction(&pool, &Runtime, VERSION, &xt).map(|_| ()), payment);

        // One RAO more and it pays, leaving exactly the existential deposit.
        let genesis = funded(&who, 500 + fee_of(&xt));
        let mut block = Executive::initialize_block(&genesis, Runtime, VERSION, 1, GENESIS);
        assert_eq!(block.apply_extrinsic(&xt).map(|a| a.result), Ok(Ok(())));
        assert_eq!(crate::pallets::balances::free_balance(block.state(), &who), 500);
    }

    // A dispatcher for fee modes: call [0] is free (Pays::No), [1] pays but reports
    // `Pays::No` after dispatch (as a successful sudo), [2] pays and fails.
    struct FeeModes;
    impl Dispatch for FeeModes {
        fn info(&self, call: &[u8]) -> Result<DispatchEventInfo, CallError> {
            let pays_fee = if call[0] == 0 { Pays::No } else { Pays::Yes };
            Ok(DispatchEventInfo {
                weight: Weight::from_parts(1_000_000_000, 0),
                pays_fee,
                ..Default::default()
            })
        }
        fn dispatch(
            &self,
            ctx: &mut DispatchContext<'_>,
            _origin: &Origin,
            call: &[u8],
        ) -> crate::dispatch::DispatchResultWithPostInfo {
            ctx.state.put(b"ran", call);
            match call[0] {
                0 => Ok(Default::default()),
                1 => Ok(PostDispatchInfo::FREE),
                _ => Err(DispatchError::module(7, 1).into()),
            }
        }
    }

    // Operational calls get subtensor's flat operational priority; tips change nothing.
    struct Operational;
    impl Dispatch for Operational {
        fn info(&self, _call: &[u8]) -> Result<DispatchEventInfo, CallError> {
            Ok(DispatchEventInfo {
                class: crate::dispatch::DispatchClass::Operational,
                ..Default::default()
            })
        }
        fn dispatch(
            &self,
            _ctx: &mut DispatchContext<'_>,
            _origin: &Origin,
            _call: &[u8],
        ) -> crate::dispatch::DispatchResultWithPostInfo {
            Ok(PostDispatchInfo::default())
        }
    }

    #[test]
    fn test_validate_priority_is_flat_by_class() {
        let alice = Pair::from_uri("//Alice", None).expect("dev key");
        let mut state = Overlay::new(funded(&alice.account_id(), 10_000_000_000));
        system::initialize_block(&mut state, 1, GENESIS);
        let xt = signed(&alice, 0, vec![0, 0, 0]);
        let valid = validate_transaction(&state, &Operational, VERSION, &xt).unwrap();
        assert_eq!(valid.priority, OPERATIONAL_PRIORITY);
        let valid = validate_transaction(&state, &Runtime, VERSION, &xt).unwrap();
        assert_eq!(valid.priority, NORMAL_PRIORITY);
    }

    #[test]
    fn test_free_calls_refunds_and_tips() {
        use crate::pallets::balances;
        let alice = Pair::from_uri("//Alice", None).expect("dev key");
        let who = alice.account_id();
        let genesis = funded(&who, 10_000_000_000);
        let mut block = Executive::initialize_block(&genesis, FeeModes, VERSION, 1, GENESIS);
        let tipped = |nonce, call: Vec<u8>, tip| {
            let additional = AdditionalSigned {
                spec_version: VERSION.spec_version,
                transaction_version: VERSION.transaction_version,
                genesis_hash: GENESIS,
                birth_hash: GENESIS,
                metadata_hash: None,
            };
            let extra = SignedExtra { nonce, tip, ..Default::default() };
            UncheckedExtrinsic::sign_sr25519(&alice, call, extra, &additional).encode()
        };
        // Free call without a tip: no Withdraw, fee 0, TransactionFeePaid still emitted.
        let a = block.apply_extrinsic(&tipped(0, vec![0, 0], 0)).unwrap();
        assert_eq!((a.result, a.fee), (Ok(()), 0));
        assert_eq!(block.events().len(), 2, "TransactionFeePaid, ExtrinsicSuccess");
        // Free call with a tip: pays only the tip.
        let b = block.apply_extrinsic(&tipped(1, vec![0, 0], 7)).unwrap();
        assert_eq!(b.fee, 7);
        // Post-dispatch Pays::No: everything but the tip comes back.
        let xt = tipped(2, vec![1, 0], 3);
        let c = block.apply_extrinsic(&xt).unwrap();
        assert_eq!((c.result, c.fee), (Ok(()), 3));
        // A failure keeps the whole fee: base + length + 500_000 weight fee.
        let xt = tipped(3, vec![2, 0], 0);
        let d = block.apply_extrinsic(&xt).unwrap();
        assert_eq!(d.result, Err(DispatchError::module(7, 1)));
        assert_eq!(d.fee, 62_500 + u64::from(encoded_len(&xt)) + 500_000);
        assert_eq!(block.state().get(b"ran"), Some(vec![1, 0]), "the failed write is gone");
        let state = block.finalize_block();
        assert_eq!(balances::free_balance(&state, &who), 10_000_000_000 - 7 - 3 - d.fee);
        // ExtrinsicSuccess of the refunded call reports Pays::No.
        let success_free = EventRecord::new(
            Phase::ApplyExtrinsic(2),
            0,
            &system::Event::ExtrinsicSuccess {
                dispatch_info: DispatchEventInfo {
                    weight: Weight::from_parts(1_000_000_000, 0),
                    pays_fee: Pays::No,
                    ..Default::default()
                },
            },
        );
        let events = state.get(&system::EventsPrefix::prefix()).unwrap();
        let needle = success_free.encode();
        assert!(events.windows(needle.len()).any(|w| w == needle.as_slice()));
    }

    #[test]
    fn test_validate_transaction_tags_and_future_nonces() {
        let alice = Pair::from_uri("//Alice", None).expect("dev key");
        let who = alice.account_id();
        let mut state = Overlay::new(funded(&who, 10_000_000_000));
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

    #[allow(clippy::arithmetic_side_effects, reason = "test bookkeeping on small numbers")]
    mod books {
        use super::*;
        use crate::pallets::{balances, system::Account, utility};
        use crate::test_utils::{
            TEST_GENESIS_HASH, TEST_VERSION, batch_call, dev_account, dev_genesis, dev_pair,
        };
        use proptest::prelude::*;

        #[derive(Clone, Debug)]
        enum Op {
            Transfer { from: usize, to: usize, amount: u64, keep_alive: bool, tip: u64 },
            Batch { from: usize, mode: u8, to: Vec<(usize, u64)>, tip: u64 },
        }

        const NAMES: [&str; 6] = ["Alice", "Bob", "Charlie", "Dave", "Eve", "Ferdie"];

        fn op() -> impl Strategy<Value = Op> {
            let amount = prop_oneof![0u64..1_000, 0u64..2_000_000_000, Just(1_000_000_000u64)];
            prop_oneof![
                (0..6usize, 0..6usize, amount.clone(), any::<bool>(), 0u64..1_000).prop_map(
                    |(from, to, amount, keep_alive, tip)| Op::Transfer {
                        from,
                        to,
                        amount,
                        keep_alive,
                        tip
                    }
                ),
                (
                    0..6usize,
                    0..3u8,
                    proptest::collection::vec((0..6usize, amount), 0..4),
                    0u64..1_000
                )
                    .prop_map(|(from, mode, to, tip)| Op::Batch {
                        from,
                        mode,
                        to,
                        tip
                    }),
            ]
        }

        fn transfer(to: usize, amount: u64, keep_alive: bool) -> Vec<u8> {
            let index = if keep_alive {
                balances::CALL_TRANSFER_KEEP_ALIVE
            } else {
                balances::CALL_TRANSFER_ALLOW_DEATH
            };
            let mut call = vec![balances::PALLET_INDEX, index];
            balances::MultiAddress::Id(dev_account(NAMES[to])).encode_to(&mut call);
            parity_scale_codec::Compact(amount).encode_to(&mut call);
            call
        }

        fn sign(from: usize, nonce: u32, call: Vec<u8>, tip: u64) -> Vec<u8> {
            let additional = AdditionalSigned {
                spec_version: TEST_VERSION.spec_version,
                transaction_version: TEST_VERSION.transaction_version,
                genesis_hash: TEST_GENESIS_HASH,
                birth_hash: TEST_GENESIS_HASH,
                metadata_hash: None,
            };
            let extra = SignedExtra { nonce, tip, ..Default::default() };
            UncheckedExtrinsic::sign_sr25519(&dev_pair(NAMES[from]), call, extra, &additional)
                .encode()
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(24))]

            // Fees never create or lose RAO except what is dropped with no author: the sum
            // of all free balances equals Balances.TotalIssuance, which fell by exactly the
            // fees (and dust) dropped.
            #[test]
            fn test_fees_keep_the_books(ops in proptest::collection::vec(op(), 1..12), author in any::<bool>()) {
                let genesis = dev_genesis(3_000_000_000);
                let mut block = Executive::initialize_block(&genesis, Runtime, TEST_VERSION, 1, TEST_GENESIS_HASH);
                let author_account = AccountId32([0xaa; 32]);
                block.set_author(author.then_some(author_account));
                let mut nonces = [0u32; 6];
                for op in ops {
                    let (from, xt) = match op {
                        Op::Transfer { from, to, amount, keep_alive, tip } => {
                            (from, sign(from, nonces[from], transfer(to, amount, keep_alive), tip))
                        }
                        Op::Batch { from, mode, to, tip } => {
                            let calls: Vec<Vec<u8>> =
                                to.into_iter().map(|(to, a)| transfer(to, a, true)).collect();
                            let index = [utility::CALL_BATCH, utility::CALL_BATCH_ALL, utility::CALL_FORCE_BATCH][usize::from(mode)];
                            (from, sign(from, nonces[from], batch_call(index, &calls), tip))
                        }
                    };
                    match block.apply_extrinsic(&xt) {
                        Ok(_) => nonces[from] += 1,
                        Err(e) => prop_assert_eq!(e, ApplyError::Validity(InvalidTransaction::Payment.into())),
                    }
                }
                // Balances(5).DustLost(1) { account, amount: u64 }.
                let dust: u64 = block
                    .events()
                    .iter()
                    .filter(|r| r.event[..2] == [balances::PALLET_INDEX, 1])
                    .map(|r| u64::from_le_bytes(r.event[34..42].try_into().unwrap()))
                    .sum();
                let state = block.finalize_block();
                let total: u64 = Account::iter(&state).map(|(_, info)| info.data.free).sum();
                prop_assert_eq!(total, balances::TotalIssuance::get(&state));
                if author {
                    prop_assert_eq!(total + dust, 6 * 3_000_000_000, "with an author no fee is dropped");
                }
            }
        }
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
            _origin: &Origin,
            call: &[u8],
        ) -> crate::dispatch::DispatchResultWithPostInfo {
            ctx.state.put(b"scratch", call);
            ctx.deposit_event(7, &0u8);
            if call[0] == 1 {
                Err(DispatchError::module(7, 3).into())
            } else {
                Ok(Default::default())
            }
        }
    }

    #[test]
    fn test_failed_call_leaves_only_nonce_and_failure_event() {
        let alice = Pair::from_uri("//Alice", None).expect("dev key");
        let genesis = funded(&alice.account_id(), 10_000_000_000);
        let mut block = Executive::initialize_block(&genesis, WritesThenFails, VERSION, 1, GENESIS);
        let applied = block.apply_extrinsic(&signed(&alice, 0, vec![1, 0])).unwrap();
        assert_eq!(applied.result, Err(DispatchError::module(7, 3)));
        assert_eq!(block.state().get(b"scratch"), None);
        // Withdraw, TransactionFeePaid, ExtrinsicFailed: the call's own event is gone.
        assert_eq!(block.events().len(), 3);
        assert_eq!(system::account_nonce(block.state(), &alice.account_id()), 1);

        let applied = block.apply_extrinsic(&signed(&alice, 1, vec![2, 0])).unwrap();
        assert_eq!(applied.result, Ok(()));
        assert_eq!(block.state().get(b"scratch"), Some(vec![2, 0]));
        assert_eq!(block.events().len(), 3 + 4);
    }
}
