//! Helpers for tests of the runtime and of crates built on it: dev keys, a funded genesis
//! state, and signed extrinsics. Behind the `test-utils` feature (always in this crate's tests).

use parity_scale_codec::{Compact, Encode};
use rustensor_primitives::AccountId32;
use rustensor_primitives::crypto::sr25519::Pair;

use crate::executive::RuntimeVersion;
use crate::extrinsic::{AdditionalSigned, Era, SignedExtra, UncheckedExtrinsic};
use crate::pallets::{balances, sudo, system, utility};
use crate::storage::MemoryKv;

/// The runtime version tests sign against: subtensor's spec 425, transaction version 1.
pub const TEST_VERSION: RuntimeVersion =
    RuntimeVersion { spec_version: 425, transaction_version: 1 };

/// The genesis hash tests use (block 1's parent).
pub const TEST_GENESIS_HASH: [u8; 32] = [0x47; 32];

/// The well-known dev accounts, in Substrate's order.
pub const DEV_NAMES: [&str; 6] = ["Alice", "Bob", "Charlie", "Dave", "Eve", "Ferdie"];

/// The sr25519 dev key `//<name>` (e.g. `dev_pair("Alice")`).
///
/// # Panics
///
/// If `name` makes an invalid secret URI (never for [`DEV_NAMES`]).
pub fn dev_pair(name: &str) -> Pair {
    Pair::from_uri(&format!("//{name}"), None).expect("a dev secret URI is valid")
}

/// The account of `//<name>`.
pub fn dev_account(name: &str) -> AccountId32 {
    dev_pair(name).account_id()
}

/// A genesis state with each of [`DEV_NAMES`] holding `balance` RAO.
///
/// # Panics
///
/// If `balance` is below the existential deposit or the total overflows.
pub fn dev_genesis(balance: u64) -> MemoryKv {
    let balances: Vec<(AccountId32, u64)> =
        DEV_NAMES.iter().map(|name| (dev_account(name), balance)).collect();
    let mut state = MemoryKv::new();
    balances::build_genesis(&mut state, &balances).expect("dev genesis balances are valid");
    state
}

/// [`dev_genesis`] with `//<sudo>` as the sudo key (`Sudo.Key`).
///
/// # Panics
///
/// As [`dev_genesis`].
pub fn dev_genesis_with_sudo(balance: u64, sudo: &str) -> MemoryKv {
    let mut state = dev_genesis(balance);
    sudo::build_genesis(&mut state, Some(&dev_account(sudo)));
    state
}

/// The call bytes of `Sudo.sudo(call)`.
pub fn sudo_call(call: &[u8]) -> Vec<u8> {
    let mut bytes = vec![sudo::PALLET_INDEX, sudo::CALL_SUDO];
    bytes.extend_from_slice(call);
    bytes
}

/// The call bytes of `Utility` batch `call_index` (`utility::CALL_BATCH`, …) over `calls`.
pub fn batch_call(call_index: u8, calls: &[Vec<u8>]) -> Vec<u8> {
    let mut bytes = vec![utility::PALLET_INDEX, call_index];
    Compact(u32::try_from(calls.len()).expect("a test batch fits in u32")).encode_to(&mut bytes);
    for call in calls {
        bytes.extend_from_slice(call);
    }
    bytes
}

/// The call bytes of `System.remark_with_event(remark)`.
pub fn remark_with_event(remark: &[u8]) -> Vec<u8> {
    let mut call = vec![system::PALLET_INDEX, system::CALL_REMARK_WITH_EVENT];
    remark.to_vec().encode_to(&mut call);
    call
}

/// The call bytes of `Balances.force_set_balance(Id(who), new_free)` (root only).
pub fn force_set_balance(who: AccountId32, new_free: u64) -> Vec<u8> {
    let mut call = vec![balances::PALLET_INDEX, balances::CALL_FORCE_SET_BALANCE];
    balances::MultiAddress::Id(who).encode_to(&mut call);
    Compact(new_free).encode_to(&mut call);
    call
}

/// An immortal extrinsic signed by `pair` for [`TEST_VERSION`] and [`TEST_GENESIS_HASH`],
/// encoded for `apply_extrinsic`.
pub fn sign_call(pair: &Pair, nonce: u32, call: Vec<u8>) -> Vec<u8> {
    let additional = AdditionalSigned {
        spec_version: TEST_VERSION.spec_version,
        transaction_version: TEST_VERSION.transaction_version,
        genesis_hash: TEST_GENESIS_HASH,
        birth_hash: TEST_GENESIS_HASH,
        metadata_hash: None,
    };
    let extra = SignedExtra { era: Era::Immortal, nonce, ..Default::default() };
    UncheckedExtrinsic::sign_sr25519(pair, call, extra, &additional).encode()
}

/// The call bytes of `Balances.transfer_keep_alive(Id(dest), value)`.
pub fn transfer_keep_alive(dest: AccountId32, value: u64) -> Vec<u8> {
    let mut call = vec![balances::PALLET_INDEX, balances::CALL_TRANSFER_KEEP_ALIVE];
    balances::MultiAddress::Id(dest).encode_to(&mut call);
    Compact(value).encode_to(&mut call);
    call
}

/// The call bytes of `System.remark(remark)`.
pub fn remark(remark: &[u8]) -> Vec<u8> {
    let mut call = vec![system::PALLET_INDEX, system::CALL_REMARK];
    remark.to_vec().encode_to(&mut call);
    call
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::executive::Executive;
    use crate::pallets::Runtime;

    #[test]
    fn test_dev_genesis_block_runs_transfers_and_remarks() {
        let genesis = dev_genesis(1_000_000_000_000);
        let alice = dev_pair("Alice");
        let mut block =
            Executive::initialize_block(&genesis, Runtime, TEST_VERSION, 1, TEST_GENESIS_HASH);
        let transfer = sign_call(&alice, 0, transfer_keep_alive(dev_account("Ferdie"), 5));
        // 5 RAO to an existing account is fine; the ED only applies to totals.
        assert_eq!(block.apply_extrinsic(&transfer).map(|a| a.result), Ok(Ok(())));
        let remark = sign_call(&alice, 1, remark(b"hello"));
        assert_eq!(block.apply_extrinsic(&remark).map(|a| a.result), Ok(Ok(())));
        let state = block.finalize_block();
        assert_eq!(balances::free_balance(&state, &dev_account("Ferdie")), 1_000_000_000_005);
        // No author: both fees left the issuance.
        let fees = 1_000_000_000_000 - 5 - balances::free_balance(&state, &alice.account_id());
        assert!(fees > 0);
        assert_eq!(balances::TotalIssuance::get(&state), 6_000_000_000_000 - fees);
    }
}
