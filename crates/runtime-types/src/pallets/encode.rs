//! Encoding calls back to their wire bytes: what a client signs and submits.
//!
//! Decoding ([`RuntimeCall::decode`]) is what the chain does with call bytes; encoding is the
//! inverse, for the SDK's extrinsic builder and for tests. `decode(encode(c)) == c` for every
//! call a client can build, so the SDK covers every call the state machine offers without a
//! second, hand-written list of call layouts that could drift from the runtime's.
//!
//! The root-only calls rustensor does not support (`System.set_code`, `Balances.force_unreserve`,
//! …) decode to a `RootOnly(index)` variant that does not keep its arguments; they cannot be
//! encoded and give [`UnencodableCall`].

use parity_scale_codec::{Compact, Encode};

use super::{RuntimeCall, admin_utils, balances, subtensor, sudo, system, utility, validators};

/// A call that cannot be turned back into bytes: a root-only call rustensor does not support
/// and whose arguments it therefore does not keep.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("call {call} of pallet {pallet} is not supported by rustensor and cannot be encoded")]
pub struct UnencodableCall {
    /// The pallet index.
    pub pallet: u8,
    /// The call index.
    pub call: u8,
}

impl RuntimeCall {
    /// The call's wire bytes: pallet index, call index, SCALE arguments.
    ///
    /// # Errors
    ///
    /// [`UnencodableCall`] for a `RootOnly` call (alone or nested in a batch or `sudo`).
    pub fn to_bytes(&self) -> Result<Vec<u8>, UnencodableCall> {
        let mut out = Vec::new();
        self.encode_into(&mut out)?;
        Ok(out)
    }

    fn encode_into(&self, out: &mut Vec<u8>) -> Result<(), UnencodableCall> {
        match self {
            Self::System(call) => encode_system(call, out),
            Self::Balances(call) => encode_balances(call, out),
            Self::Utility(call) => encode_utility(call, out),
            Self::Sudo(call) => encode_sudo(call, out),
            Self::Subtensor(call) => {
                out.push(subtensor::PALLET_INDEX);
                call.encode_to(out);
                Ok(())
            }
            Self::AdminUtils(call) => {
                out.push(admin_utils::PALLET_INDEX);
                call.encode_to(out);
                Ok(())
            }
            Self::Validators(call) => {
                out.push(validators::PALLET_INDEX);
                call.encode_to(out);
                Ok(())
            }
        }
    }
}

fn encode_system(call: &system::Call, out: &mut Vec<u8>) -> Result<(), UnencodableCall> {
    use system::Call;
    let pallet = system::PALLET_INDEX;
    match call {
        Call::Remark(remark) => {
            out.extend([pallet, system::CALL_REMARK]);
            remark.encode_to(out);
        }
        Call::RemarkWithEvent(remark) => {
            out.extend([pallet, system::CALL_REMARK_WITH_EVENT]);
            remark.encode_to(out);
        }
        Call::SetStorage(items) => {
            out.extend([pallet, 4]);
            items.encode_to(out);
        }
        Call::KillStorage(keys) => {
            out.extend([pallet, 5]);
            keys.encode_to(out);
        }
        Call::KillPrefix(prefix, subkeys) => {
            out.extend([pallet, 6]);
            prefix.encode_to(out);
            subkeys.encode_to(out);
        }
        Call::RootOnly(index) => return Err(UnencodableCall { pallet, call: *index }),
    }
    Ok(())
}

fn encode_balances(call: &balances::Call, out: &mut Vec<u8>) -> Result<(), UnencodableCall> {
    use balances::Call;
    let pallet = balances::PALLET_INDEX;
    match call {
        Call::TransferAllowDeath { dest, value } => {
            out.extend([pallet, balances::CALL_TRANSFER_ALLOW_DEATH]);
            dest.encode_to(out);
            Compact(*value).encode_to(out);
        }
        Call::TransferKeepAlive { dest, value } => {
            out.extend([pallet, balances::CALL_TRANSFER_KEEP_ALIVE]);
            dest.encode_to(out);
            Compact(*value).encode_to(out);
        }
        Call::TransferAll { dest, keep_alive } => {
            out.extend([pallet, balances::CALL_TRANSFER_ALL]);
            dest.encode_to(out);
            keep_alive.encode_to(out);
        }
        Call::ForceTransfer { source, dest, value } => {
            out.extend([pallet, balances::CALL_FORCE_TRANSFER]);
            source.encode_to(out);
            dest.encode_to(out);
            Compact(*value).encode_to(out);
        }
        Call::ForceSetBalance { who, new_free } => {
            out.extend([pallet, balances::CALL_FORCE_SET_BALANCE]);
            who.encode_to(out);
            Compact(*new_free).encode_to(out);
        }
        Call::RootOnly(index) => return Err(UnencodableCall { pallet, call: *index }),
    }
    Ok(())
}

fn encode_utility(call: &utility::Call, out: &mut Vec<u8>) -> Result<(), UnencodableCall> {
    let index = match call.mode {
        utility::Mode::Batch => utility::CALL_BATCH,
        utility::Mode::BatchAll => utility::CALL_BATCH_ALL,
        utility::Mode::ForceBatch => utility::CALL_FORCE_BATCH,
    };
    out.extend([utility::PALLET_INDEX, index]);
    Compact(u32::try_from(call.calls.len()).unwrap_or(u32::MAX)).encode_to(out);
    for inner in &call.calls {
        inner.encode_into(out)?;
    }
    Ok(())
}

fn encode_sudo(call: &sudo::Call, out: &mut Vec<u8>) -> Result<(), UnencodableCall> {
    use sudo::Call;
    let pallet = sudo::PALLET_INDEX;
    match call {
        Call::Sudo(inner) => {
            out.extend([pallet, sudo::CALL_SUDO]);
            inner.encode_into(out)?;
        }
        Call::SudoUncheckedWeight(inner, weight) => {
            out.extend([pallet, sudo::CALL_SUDO_UNCHECKED_WEIGHT]);
            inner.encode_into(out)?;
            weight.encode_to(out);
        }
        Call::SetKey(new) => {
            out.extend([pallet, sudo::CALL_SET_KEY]);
            new.encode_to(out);
        }
        Call::SudoAs(who, inner) => {
            out.extend([pallet, sudo::CALL_SUDO_AS]);
            who.encode_to(out);
            inner.encode_into(out)?;
        }
        Call::RemoveKey => out.extend([pallet, sudo::CALL_REMOVE_KEY]),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use rustensor_primitives::AccountId32;

    use super::*;
    use crate::dispatch::Weight;
    use crate::pallets::balances::MultiAddress;

    fn account(byte: u8) -> AccountId32 {
        AccountId32::new([byte; 32])
    }

    fn round_trip(call: RuntimeCall) -> Vec<u8> {
        let bytes = call.to_bytes().expect("encodable");
        assert_eq!(RuntimeCall::decode(&bytes), Ok(call), "bytes {}", hex::encode(&bytes));
        bytes
    }

    #[test]
    fn test_every_pallet_round_trips_through_decode() {
        let transfer = RuntimeCall::Balances(balances::Call::TransferKeepAlive {
            dest: MultiAddress::Id(account(2)),
            value: 1_000_000_000,
        });
        let calls = vec![
            RuntimeCall::System(system::Call::Remark(b"hi".to_vec())),
            RuntimeCall::System(system::Call::RemarkWithEvent(vec![])),
            RuntimeCall::System(system::Call::SetStorage(vec![(vec![1], vec![2, 3])])),
            RuntimeCall::System(system::Call::KillStorage(vec![vec![9]])),
            RuntimeCall::System(system::Call::KillPrefix(vec![7, 7], 3)),
            RuntimeCall::Balances(balances::Call::TransferAllowDeath {
                dest: MultiAddress::Id(account(1)),
                value: 500,
            }),
            transfer.clone(),
            RuntimeCall::Balances(balances::Call::TransferAll {
                dest: MultiAddress::Id(account(3)),
                keep_alive: true,
            }),
            RuntimeCall::Balances(balances::Call::ForceTransfer {
                source: MultiAddress::Id(account(4)),
                dest: MultiAddress::Id(account(5)),
                value: u64::MAX,
            }),
            RuntimeCall::Balances(balances::Call::ForceSetBalance {
                who: MultiAddress::Id(account(6)),
                new_free: 0,
            }),
            RuntimeCall::Subtensor(subtensor::Call::BurnedRegister {
                netuid: 1.into(),
                hotkey: account(7),
            }),
            RuntimeCall::Subtensor(subtensor::Call::SetWeights {
                netuid: 3.into(),
                dests: vec![0, 1],
                weights: vec![u16::MAX, 1],
                version_key: 0,
            }),
            RuntimeCall::Utility(utility::Call {
                mode: utility::Mode::BatchAll,
                calls: vec![transfer.clone(), transfer.clone()],
            }),
            RuntimeCall::Utility(utility::Call { mode: utility::Mode::ForceBatch, calls: vec![] }),
            RuntimeCall::Sudo(sudo::Call::Sudo(Box::new(transfer.clone()))),
            RuntimeCall::Sudo(sudo::Call::SudoUncheckedWeight(
                Box::new(transfer.clone()),
                Weight::from_parts(5, 0),
            )),
            RuntimeCall::Sudo(sudo::Call::SudoAs(MultiAddress::Id(account(8)), Box::new(transfer))),
            RuntimeCall::Sudo(sudo::Call::SetKey(MultiAddress::Id(account(9)))),
            RuntimeCall::Sudo(sudo::Call::RemoveKey),
        ];
        for call in calls {
            round_trip(call);
        }
    }

    #[test]
    fn test_transfer_keep_alive_has_the_polkadot_js_layout() {
        // 05 03 | MultiAddress::Id (00 ++ 32 bytes) | Compact(10^9) = 02 28 6b ee.
        let bytes = round_trip(RuntimeCall::Balances(balances::Call::TransferKeepAlive {
            dest: MultiAddress::Id(account(0xaa)),
            value: 1_000_000_000,
        }));
        let mut expected = vec![0x05, 0x03, 0x00];
        expected.extend([0xaa; 32]);
        expected.extend([0x02, 0x28, 0x6b, 0xee]);
        assert_eq!(bytes, expected);
    }

    #[test]
    fn test_unsupported_root_calls_are_refused_even_when_nested() {
        let set_code = RuntimeCall::System(system::Call::RootOnly(2));
        assert_eq!(set_code.to_bytes(), Err(UnencodableCall { pallet: 0, call: 2 }));
        let nested = RuntimeCall::Sudo(sudo::Call::Sudo(Box::new(RuntimeCall::Balances(
            balances::Call::RootOnly(9),
        ))));
        assert_eq!(nested.to_bytes(), Err(UnencodableCall { pallet: 5, call: 9 }));
    }
}
