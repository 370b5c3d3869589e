//! Tests of decoding, encoding, signing and checking.
//!
//! The fixed vectors in `testdata/` were built independently of this crate by
//! `testdata/xt_vectors.py` (py-scale-codec for SCALE, hashlib blake2b, `cryptography`'s
//! Ed25519, whose signatures are deterministic), from the layout in
//! `reference/substrate_compat.md` §4.2. Changing them is a format change.

use parity_scale_codec::{Compact, Encode};
use std::collections::BTreeMap;

use proptest::prelude::*;
use rustensor_primitives::AccountId32;
use rustensor_primitives::crypto::{ed25519, sr25519};

use super::*;

const SPEC: u32 = 425;
const TX_VERSION: u32 = 1;
const GENESIS: [u8; 32] = [0xaa; 32];

struct TestChain {
    current: u32,
    hashes: BTreeMap<u32, [u8; 32]>,
    nonces: BTreeMap<AccountId32, u32>,
    spec_version: u32,
    transaction_version: u32,
}

impl TestChain {
    fn new(current: u32) -> Self {
        let mut hashes = BTreeMap::new();
        hashes.insert(0, GENESIS);
        Self {
            current,
            hashes,
            nonces: BTreeMap::new(),
            spec_version: SPEC,
            transaction_version: TX_VERSION,
        }
    }
}

impl ChainContext for TestChain {
    fn spec_version(&self) -> u32 {
        self.spec_version
    }
    fn transaction_version(&self) -> u32 {
        self.transaction_version
    }
    fn current_block(&self) -> u32 {
        self.current
    }
    fn block_hash(&self, number: u32) -> Option<[u8; 32]> {
        self.hashes.get(&number).copied()
    }
    fn account_nonce(&self, who: &AccountId32) -> u32 {
        self.nonces.get(who).copied().unwrap_or(0)
    }
}

fn h(s: &str) -> Vec<u8> {
    hex::decode(s.trim()).expect("test vector is valid hex")
}

fn bob() -> AccountId32 {
    AccountId32::from_hex("0x8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48")
        .expect("valid hex")
}

fn transfer_call() -> Vec<u8> {
    let mut call = vec![0x05, 0x03, 0x00];
    call.extend_from_slice(bob().as_ref());
    call.extend(Compact(1_000_000_000u64).encode());
    call
}

fn additional(birth_hash: [u8; 32]) -> AdditionalSigned {
    AdditionalSigned {
        spec_version: SPEC,
        transaction_version: TX_VERSION,
        genesis_hash: GENESIS,
        birth_hash,
        metadata_hash: None,
    }
}

fn ed_pair() -> ed25519::Pair {
    ed25519::Pair::from_seed(&[0x11; 32])
}

fn alice() -> sr25519::Pair {
    sr25519::Pair::from_uri("//Alice", None).expect("dev key")
}

/// An sr25519-signed transfer by Alice, immortal, with `nonce`.
fn alice_transfer(nonce: u32) -> UncheckedExtrinsic {
    let extra = SignedExtra { nonce, ..Default::default() };
    UncheckedExtrinsic::sign_sr25519(&alice(), transfer_call(), extra, &additional(GENESIS))
}

fn check_err(
    xt: &UncheckedExtrinsic,
    chain: &TestChain,
    mode: CheckMode,
) -> TransactionValidityError {
    check(xt, chain, mode).expect_err("the check must fail")
}

#[test]
fn test_decode_python_built_mortal_transfer() {
    let bytes = h(include_str!("testdata/transfer_mortal_ed25519.hex"));
    let xt = UncheckedExtrinsic::decode(&bytes).expect("vector decodes");
    let part = xt.signature.expect("signed");
    assert_eq!(part.signer, ed_pair().account_id());
    assert_eq!(part.signature.variant(), 0);
    assert_eq!(
        part.extra,
        SignedExtra {
            era: Era::Mortal { period: 64, phase: 40 },
            nonce: 7,
            tip: 10,
            metadata_hash: MetadataHashMode::Disabled,
        }
    );
    assert_eq!(xt.call, transfer_call());
    assert_eq!(xt.encode(), bytes);
}

#[test]
fn test_builder_reproduces_python_vectors_exactly() {
    // Ed25519 signatures are deterministic, so our signer must give the very same bytes.
    let extra = SignedExtra {
        era: Era::mortal(64, 1000),
        nonce: 7,
        tip: 10,
        metadata_hash: MetadataHashMode::Disabled,
    };
    let xt = UncheckedExtrinsic::sign_ed25519(
        &ed_pair(),
        transfer_call(),
        extra,
        &additional([0xbb; 32]),
    );
    assert_eq!(xt.encode(), h(include_str!("testdata/transfer_mortal_ed25519.hex")));

    // A payload over 256 bytes is signed as its blake2_256 hash.
    let mut remark = vec![0x00, 0x00];
    remark.extend(Compact(300u32).encode());
    remark.extend((0..=255u8).chain(0..44u8));
    let xt = UncheckedExtrinsic::sign_ed25519(
        &ed_pair(),
        remark,
        SignedExtra::default(),
        &additional(GENESIS),
    );
    assert_eq!(xt.encode(), h(include_str!("testdata/remark_immortal_ed25519.hex")));
}

#[test]
fn test_check_accepts_python_vectors() {
    let mut chain = TestChain::new(1001);
    chain.hashes.insert(1000, [0xbb; 32]);
    chain.nonces.insert(ed_pair().account_id(), 7);
    let xt = UncheckedExtrinsic::decode(&h(include_str!("testdata/transfer_mortal_ed25519.hex")))
        .unwrap();
    let checked = check(&xt, &chain, CheckMode::Apply).expect("valid");
    assert_eq!(checked.signer, ed_pair().account_id());
    assert_eq!((checked.nonce, checked.tip), (7, 10));
    // Born at 1000, period 64: valid through block 1063.
    assert_eq!(checked.longevity, 1064 - 1001);

    chain.nonces.insert(ed_pair().account_id(), 0);
    let xt = UncheckedExtrinsic::decode(&h(include_str!("testdata/remark_immortal_ed25519.hex")))
        .unwrap();
    let checked = check(&xt, &chain, CheckMode::Apply).expect("valid");
    assert_eq!(checked.longevity, u64::MAX - 1001);
    assert_eq!(checked.call.len(), 2 + 2 + 300);
}

#[test]
fn test_sr25519_sign_round_trips_and_checks() {
    let xt = alice_transfer(0);
    let bytes = xt.encode();
    assert_eq!(bytes[..3], [0x39, 0x02, SIGNED_VERSION_BYTE]);
    assert_eq!(UncheckedExtrinsic::decode(&bytes), Ok(xt.clone()));
    assert_eq!(xt.hash(), rustensor_primitives::hashing::blake2_256(&bytes));
    let checked = check(&xt, &TestChain::new(5), CheckMode::Apply).expect("valid");
    assert_eq!(checked.signer, alice().account_id());
    assert_eq!(checked.call, transfer_call());
}

#[test]
fn test_check_rejects_wrong_signed_data_as_bad_proof() {
    let xt = alice_transfer(0);
    let bad = TransactionValidityError::Invalid(InvalidTransaction::BadProof);

    let mut chain = TestChain::new(5);
    chain.spec_version = SPEC + 1;
    assert_eq!(check_err(&xt, &chain, CheckMode::Apply), bad);

    let mut chain = TestChain::new(5);
    chain.transaction_version = TX_VERSION + 1;
    assert_eq!(check_err(&xt, &chain, CheckMode::Apply), bad);

    let mut chain = TestChain::new(5);
    chain.hashes.insert(0, [0xcc; 32]);
    assert_eq!(check_err(&xt, &chain, CheckMode::Apply), bad);

    let mut tampered = xt.clone();
    if let Some(last) = tampered.call.last_mut() {
        *last ^= 1;
    }
    assert_eq!(check_err(&tampered, &TestChain::new(5), CheckMode::Apply), bad);

    let mut other_signer = xt.clone();
    if let Some(part) = other_signer.signature.as_mut() {
        part.signer = bob();
    }
    assert_eq!(check_err(&other_signer, &TestChain::new(5), CheckMode::Apply), bad);

    let mut ecdsa = xt;
    if let Some(part) = ecdsa.signature.as_mut() {
        part.signature = MultiSignature::Ecdsa([1; 65]);
    }
    assert_eq!(check_err(&ecdsa, &TestChain::new(5), CheckMode::Apply), bad);

    // Metadata hash mode enabled signs `Some(hash)` when the chain has one.
    struct WithMetadata(TestChain);
    impl ChainContext for WithMetadata {
        fn spec_version(&self) -> u32 {
            self.0.spec_version()
        }
        fn transaction_version(&self) -> u32 {
            self.0.transaction_version()
        }
        fn current_block(&self) -> u32 {
            self.0.current_block()
        }
        fn block_hash(&self, n: u32) -> Option<[u8; 32]> {
            self.0.block_hash(n)
        }
        fn account_nonce(&self, who: &AccountId32) -> u32 {
            self.0.account_nonce(who)
        }
        fn metadata_hash(&self) -> Option<[u8; 32]> {
            Some([9; 32])
        }
    }
    let extra = SignedExtra { metadata_hash: MetadataHashMode::Enabled, ..Default::default() };
    let signed_none =
        UncheckedExtrinsic::sign_sr25519(&alice(), transfer_call(), extra, &additional(GENESIS));
    let chain = WithMetadata(TestChain::new(5));
    assert_eq!(check(&signed_none, &chain, CheckMode::Apply).unwrap_err(), bad);
    let signed_some = UncheckedExtrinsic::sign_sr25519(
        &alice(),
        transfer_call(),
        extra,
        &AdditionalSigned { metadata_hash: Some([9; 32]), ..additional(GENESIS) },
    );
    assert!(check(&signed_some, &chain, CheckMode::Apply).is_ok());
    // Without a runtime metadata hash, enabled mode signs None (FRAME behaviour).
    assert!(check(&signed_none, &TestChain::new(5), CheckMode::Apply).is_ok());
}

#[test]
fn test_check_mortal_era_birth_and_expiry() {
    let born = 100u32;
    let era = Era::mortal(64, u64::from(born));
    let extra = SignedExtra { era, ..Default::default() };
    let xt =
        UncheckedExtrinsic::sign_sr25519(&alice(), transfer_call(), extra, &additional([0x64; 32]));

    let mut chain = TestChain::new(born + 1);
    chain.hashes.insert(born, [0x64; 32]);
    assert!(check(&xt, &chain, CheckMode::Apply).is_ok());
    chain.current = born + 63;
    assert_eq!(check(&xt, &chain, CheckMode::Apply).map(|c| c.longevity), Ok(1));

    // One period later the birth block is `born + 64`: the old signature no longer matches.
    chain.current = born + 65;
    chain.hashes.insert(born + 64, [0x65; 32]);
    assert_eq!(check_err(&xt, &chain, CheckMode::Apply), InvalidTransaction::BadProof.into());

    // The birth block hash is not kept (pruned, or the current block itself).
    let mut chain = TestChain::new(born + 1);
    assert_eq!(
        check_err(&xt, &chain, CheckMode::Apply),
        InvalidTransaction::AncientBirthBlock.into()
    );
    chain.current = born;
    assert_eq!(
        check_err(&xt, &chain, CheckMode::Apply),
        InvalidTransaction::AncientBirthBlock.into()
    );
}

#[test]
fn test_check_nonce_stale_future_and_pool_mode() {
    let mut chain = TestChain::new(5);
    chain.nonces.insert(alice().account_id(), 3);
    assert_eq!(
        check_err(&alice_transfer(2), &chain, CheckMode::Apply),
        InvalidTransaction::Stale.into()
    );
    assert_eq!(
        check_err(&alice_transfer(2), &chain, CheckMode::Validate),
        InvalidTransaction::Stale.into()
    );
    assert_eq!(
        check_err(&alice_transfer(4), &chain, CheckMode::Apply),
        InvalidTransaction::Future.into()
    );
    assert_eq!(check(&alice_transfer(4), &chain, CheckMode::Validate).map(|c| c.nonce), Ok(4));
    assert_eq!(check(&alice_transfer(3), &chain, CheckMode::Apply).map(|c| c.nonce), Ok(3));
}

#[test]
fn test_check_rejects_unsigned() {
    let xt = UncheckedExtrinsic::new_unsigned(vec![0, 0]);
    let bytes = xt.encode();
    assert_eq!(bytes, vec![0x0c, UNSIGNED_VERSION_BYTE, 0, 0]);
    assert_eq!(UncheckedExtrinsic::decode(&bytes), Ok(xt.clone()));
    assert_eq!(
        check_err(&xt, &TestChain::new(1), CheckMode::Validate),
        UnknownTransaction::NoUnsignedValidator.into()
    );
}

// The all-zero account is a small-order Ed25519 point, so a signature (R = identity, s = 0)
// verifies under the non-strict check for about one message in four: enough to reach
// CheckNonZeroSender, which must then refuse it.
#[test]
fn test_check_rejects_zero_sender_as_bad_signer() {
    let mut signature = [0u8; 64];
    signature[0] = 1; // R = compressed identity (y = 1)
    let zero = AccountId32([0; 32]);
    let forged = (0..256u64)
        .map(|tip| {
            let extra = SignedExtra { tip, ..Default::default() };
            UncheckedExtrinsic::new_signed(
                transfer_call(),
                zero,
                MultiSignature::Ed25519(signature),
                extra,
            )
        })
        .find(|xt| {
            let part = xt.signature.as_ref().expect("signed");
            part.signature
                .verify(&signing_message(&xt.call, &part.extra, &additional(GENESIS)), &zero)
        });
    let forged = forged.expect("the non-strict Ed25519 check accepts a small-order forgery");
    assert_eq!(
        check_err(&forged, &TestChain::new(5), CheckMode::Apply),
        InvalidTransaction::BadSigner.into()
    );
}

#[test]
fn test_decode_reports_each_malformation() {
    let good = alice_transfer(0).encode_body();
    let with_len = |body: &[u8]| {
        let mut out = Compact(u32::try_from(body.len()).unwrap()).encode();
        out.extend_from_slice(body);
        out
    };
    use DecodeError as E;
    assert_eq!(UncheckedExtrinsic::decode(&[]), Err(E::BadLengthPrefix));
    // Non-canonical compact (0 in two-byte mode).
    assert_eq!(UncheckedExtrinsic::decode(&[0x01, 0x00]), Err(E::BadLengthPrefix));
    assert_eq!(
        UncheckedExtrinsic::decode(&[0x08, 0x84]),
        Err(E::LengthMismatch { declared: 2, actual: 1 })
    );
    let mut long = with_len(&good);
    long.push(0);
    assert!(matches!(UncheckedExtrinsic::decode(&long), Err(E::LengthMismatch { .. })));
    assert_eq!(UncheckedExtrinsic::decode(&[0x00]), Err(E::MissingVersion));
    assert_eq!(
        UncheckedExtrinsic::decode(&with_len(&[0x85, 0, 0])),
        Err(E::UnsupportedVersion(0x85))
    );
    assert_eq!(
        UncheckedExtrinsic::decode(&with_len(&[0x45, 0, 0])),
        Err(E::UnsupportedVersion(0x45))
    );
    assert_eq!(UncheckedExtrinsic::decode(&with_len(&[0x84])), Err(E::BadAddress));
    assert_eq!(UncheckedExtrinsic::decode(&with_len(&[0x84, 0, 1, 2])), Err(E::BadAddress));
    assert_eq!(UncheckedExtrinsic::decode(&with_len(&[0x84, 1, 0])), Err(E::UnsupportedAddress(1)));
    assert_eq!(UncheckedExtrinsic::decode(&with_len(&[0x84, 4, 0])), Err(E::UnsupportedAddress(4)));
    assert_eq!(UncheckedExtrinsic::decode(&with_len(&[0x84, 5, 0])), Err(E::BadAddress));

    let mut body = good[..34].to_vec(); // version, address variant, 32-byte account
    assert_eq!(UncheckedExtrinsic::decode(&with_len(&body)), Err(E::BadSignature));
    body.push(3);
    assert_eq!(UncheckedExtrinsic::decode(&with_len(&body)), Err(E::UnknownSignatureVariant(3)));
    body.pop();
    body.push(1);
    body.extend([0u8; 63]);
    assert_eq!(UncheckedExtrinsic::decode(&with_len(&body)), Err(E::BadSignature));
    body.push(0);
    assert_eq!(UncheckedExtrinsic::decode(&with_len(&body)), Err(E::BadExtra(ExtraField::Era)));
    let mut bad_era = body.clone();
    bad_era.extend([0x10, 0x00]);
    assert_eq!(UncheckedExtrinsic::decode(&with_len(&bad_era)), Err(E::BadExtra(ExtraField::Era)));
    body.push(0); // immortal
    assert_eq!(UncheckedExtrinsic::decode(&with_len(&body)), Err(E::BadExtra(ExtraField::Nonce)));
    body.push(0);
    assert_eq!(UncheckedExtrinsic::decode(&with_len(&body)), Err(E::BadExtra(ExtraField::Tip)));
    body.push(0);
    assert_eq!(
        UncheckedExtrinsic::decode(&with_len(&body)),
        Err(E::BadExtra(ExtraField::MetadataHashMode))
    );
    let mut bad_mode = body.clone();
    bad_mode.extend([2, 5, 3]);
    assert_eq!(
        UncheckedExtrinsic::decode(&with_len(&bad_mode)),
        Err(E::BadExtra(ExtraField::MetadataHashMode))
    );
    body.push(0);
    assert_eq!(UncheckedExtrinsic::decode(&with_len(&body)), Err(E::MissingCall(0)));
    body.push(5);
    assert_eq!(UncheckedExtrinsic::decode(&with_len(&body)), Err(E::MissingCall(1)));
    body.push(3);
    assert!(UncheckedExtrinsic::decode(&with_len(&body)).is_ok());
    assert_eq!(UncheckedExtrinsic::decode(&with_len(&[0x04, 7])), Err(E::MissingCall(1)));
}

#[test]
fn test_validity_error_indices_match_sp_runtime() {
    use InvalidTransaction as I;
    let all = [
        I::Call,
        I::Payment,
        I::Future,
        I::Stale,
        I::BadProof,
        I::AncientBirthBlock,
        I::ExhaustsResources,
        I::Custom(0),
        I::BadMandatory,
        I::MandatoryValidation,
        I::BadSigner,
        I::IndeterminateImplicit,
        I::UnknownOrigin,
    ];
    for (index, err) in all.into_iter().enumerate() {
        assert_eq!(err.encode()[0], u8::try_from(index).unwrap());
    }
    assert_eq!(I::Custom(9).encode(), vec![7, 9]);
    assert_eq!(TransactionValidityError::Invalid(I::Stale).encode(), vec![0, 3]);
    assert_eq!(
        TransactionValidityError::Unknown(UnknownTransaction::NoUnsignedValidator).encode(),
        vec![1, 1]
    );
    assert_eq!(I::Stale.description(), "Transaction is outdated");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn test_decode_never_panics_on_random_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = UncheckedExtrinsic::decode(&bytes);
        let _ = UncheckedExtrinsic::decode_body(&bytes);
    }

    // Mutations of a valid extrinsic reach the deeper decode paths.
    #[test]
    fn test_decode_never_panics_on_mutated_extrinsics(
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
        cut in any::<prop::sample::Index>(),
    ) {
        let mut bytes = alice_transfer(3).encode();
        for (at, value) in flips {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        let _ = UncheckedExtrinsic::decode(&bytes);
        bytes.truncate(cut.index(bytes.len()));
        let _ = UncheckedExtrinsic::decode(&bytes);
        if let Ok(xt) = UncheckedExtrinsic::decode_body(&bytes) {
            let _ = check(&xt, &TestChain::new(10), CheckMode::Validate);
        }
    }

    #[test]
    fn test_signed_round_trip(
        call in proptest::collection::vec(any::<u8>(), 2..400),
        nonce in any::<u32>(),
        tip in any::<u64>(),
        period in 0u64..70_000,
        current in any::<u32>(),
        enabled in any::<bool>(),
    ) {
        let era = if period < 4 { Era::Immortal } else { Era::mortal(period, u64::from(current)) };
        let metadata_hash = if enabled { MetadataHashMode::Enabled } else { MetadataHashMode::Disabled };
        let extra = SignedExtra { era, nonce, tip, metadata_hash };
        let xt = UncheckedExtrinsic::new_signed(call, bob(), MultiSignature::Sr25519([7; 64]), extra);
        prop_assert_eq!(UncheckedExtrinsic::decode(&xt.encode()), Ok(xt));
    }
}
