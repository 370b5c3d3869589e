//! Decoding `System.Events` and turning dispatch errors into names and docs.
//!
//! Events decode into [`RuntimeEvent`], an enum over the runtime's own pallet event types, so
//! the SDK and the chain can never disagree on a field. Module errors are named through the
//! connected node's metadata ([`ErrorTable`]), which is what the official clients do: the
//! names come from the chain actually talked to, not from this build.

use std::collections::BTreeMap;

use frame_metadata::{RuntimeMetadata, RuntimeMetadataPrefixed};
use parity_scale_codec::{Compact, Decode};
use rustensor_runtime_types::dispatch::{DispatchError, DispatchEventInfo};
use rustensor_runtime_types::events::Phase;
use rustensor_runtime_types::pallets::{
    admin_utils, balances, subtensor, sudo, system, transaction_payment, utility, validators,
};
use scale_info::TypeDef;

/// An event of any pallet: FRAME's `RuntimeEvent`, decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuntimeEvent {
    /// A `System` event (extrinsic success or failure, accounts, remarks).
    System(system::Event),
    /// A `Balances` event (transfers, deposits, withdrawals).
    Balances(balances::Event),
    /// A `TransactionPayment` event (fees paid).
    TransactionPayment(transaction_payment::Event),
    /// A `SubtensorModule` event (subnets, neurons, weights, stake).
    Subtensor(subtensor::Event),
    /// A `Utility` event (batches).
    Utility(utility::Event),
    /// A `Sudo` event.
    Sudo(sudo::Event),
    /// An `AdminUtils` event (hyperparameters).
    AdminUtils(admin_utils::Event),
    /// A `Validators` event (consensus validator sets).
    Validators(validators::Event),
}

impl RuntimeEvent {
    /// The pallet's name, as in the metadata.
    pub fn pallet(&self) -> &'static str {
        match self {
            Self::System(_) => "System",
            Self::Balances(_) => "Balances",
            Self::TransactionPayment(_) => "TransactionPayment",
            Self::Subtensor(_) => "SubtensorModule",
            Self::Utility(_) => "Utility",
            Self::Sudo(_) => "Sudo",
            Self::AdminUtils(_) => "AdminUtils",
            Self::Validators(_) => "Validators",
        }
    }

    /// The event's variant name (`Transfer`, `StakeAdded`, …).
    pub fn name(&self) -> String {
        let debug = match self {
            Self::System(e) => format!("{e:?}"),
            Self::Balances(e) => format!("{e:?}"),
            Self::TransactionPayment(e) => format!("{e:?}"),
            Self::Subtensor(e) => format!("{e:?}"),
            Self::Utility(e) => format!("{e:?}"),
            Self::Sudo(e) => format!("{e:?}"),
            Self::AdminUtils(e) => format!("{e:?}"),
            Self::Validators(e) => format!("{e:?}"),
        };
        debug.split([' ', '(', '{']).next().unwrap_or_default().to_owned()
    }

    fn decode_one(input: &mut &[u8]) -> Result<Self, String> {
        let pallet = u8::decode(input).map_err(|e| e.to_string())?;
        let err = |e: parity_scale_codec::Error| format!("pallet {pallet}: {e}");
        Ok(match pallet {
            system::PALLET_INDEX => Self::System(Decode::decode(input).map_err(err)?),
            balances::PALLET_INDEX => Self::Balances(Decode::decode(input).map_err(err)?),
            transaction_payment::PALLET_INDEX => {
                Self::TransactionPayment(Decode::decode(input).map_err(err)?)
            }
            subtensor::PALLET_INDEX => Self::Subtensor(Decode::decode(input).map_err(err)?),
            utility::PALLET_INDEX => Self::Utility(Decode::decode(input).map_err(err)?),
            sudo::PALLET_INDEX => Self::Sudo(Decode::decode(input).map_err(err)?),
            admin_utils::PALLET_INDEX => Self::AdminUtils(Decode::decode(input).map_err(err)?),
            validators::PALLET_INDEX => Self::Validators(Decode::decode(input).map_err(err)?),
            other => return Err(format!("events of pallet {other} are not known to this client")),
        })
    }
}

/// One decoded entry of `System.Events`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventRecord {
    /// When in the block it happened.
    pub phase: Phase,
    /// The event.
    pub event: RuntimeEvent,
}

/// Decodes a `System.Events` value.
///
/// # Errors
///
/// A description of the first record that does not decode (e.g. from a pallet this client
/// does not know: the rest cannot be located then).
pub fn decode_events(bytes: &[u8]) -> Result<Vec<EventRecord>, String> {
    let mut input = bytes;
    let count = Compact::<u32>::decode(&mut input).map_err(|e| e.to_string())?.0;
    let mut records = Vec::new();
    for i in 0..count {
        let at = |e: String| format!("event record {i}: {e}");
        let phase = Phase::decode(&mut input).map_err(|e| at(e.to_string()))?;
        let event = RuntimeEvent::decode_one(&mut input).map_err(at)?;
        let _topics = Vec::<[u8; 32]>::decode(&mut input).map_err(|e| at(e.to_string()))?;
        records.push(EventRecord { phase, event });
    }
    if !input.is_empty() {
        return Err(format!("{} bytes left after {count} event records", input.len()));
    }
    Ok(records)
}

/// A pallet error's name and documentation, from the chain's metadata.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorInfo {
    /// The pallet's name.
    pub pallet: String,
    /// The error's name (`NotEnoughBalanceToStake`, …).
    pub name: String,
    /// Its documentation, one string per line.
    pub docs: Vec<String>,
}

/// Every pallet error of a chain, by `(pallet index, error index)`.
#[derive(Clone, Debug, Default)]
pub struct ErrorTable {
    errors: BTreeMap<(u8, u8), ErrorInfo>,
}

impl ErrorTable {
    /// Builds the table from SCALE metadata bytes (`state_getMetadata`, V14 or V15).
    ///
    /// # Errors
    ///
    /// If the bytes are not metadata of a supported version.
    pub fn from_metadata(bytes: &[u8]) -> Result<Self, String> {
        let prefixed =
            RuntimeMetadataPrefixed::decode(&mut &bytes[..]).map_err(|e| e.to_string())?;
        let mut errors = BTreeMap::new();
        let mut add = |pallet: &str, index: u8, ty: &scale_info::PortableType| {
            if let TypeDef::Variant(variants) = &ty.ty.type_def {
                for v in &variants.variants {
                    errors.insert(
                        (index, v.index),
                        ErrorInfo {
                            pallet: pallet.to_owned(),
                            name: v.name.clone(),
                            docs: v.docs.clone(),
                        },
                    );
                }
            }
        };
        match prefixed.1 {
            RuntimeMetadata::V15(m) => {
                for pallet in &m.pallets {
                    if let Some(error) = &pallet.error
                        && let Some(ty) = m.types.types.iter().find(|t| t.id == error.ty.id)
                    {
                        add(&pallet.name, pallet.index, ty);
                    }
                }
            }
            RuntimeMetadata::V14(m) => {
                for pallet in &m.pallets {
                    if let Some(error) = &pallet.error
                        && let Some(ty) = m.types.types.iter().find(|t| t.id == error.ty.id)
                    {
                        add(&pallet.name, pallet.index, ty);
                    }
                }
            }
            other => return Err(format!("unsupported metadata version {}", other.version())),
        }
        Ok(Self { errors })
    }

    /// The error with these indices, if the chain has it.
    pub fn lookup(&self, pallet: u8, error: u8) -> Option<&ErrorInfo> {
        self.errors.get(&(pallet, error))
    }

    /// How many errors the table knows.
    pub fn len(&self) -> usize {
        self.errors.len()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// Names a dispatch error.
    pub fn describe(&self, error: &DispatchError) -> DispatchFailure {
        match error {
            DispatchError::Module(module) => {
                let index = module.error[0];
                match self.lookup(module.index, index) {
                    Some(info) => DispatchFailure {
                        pallet: info.pallet.clone(),
                        name: info.name.clone(),
                        docs: info.docs.join(" ").trim().to_owned(),
                    },
                    None => DispatchFailure {
                        pallet: format!("pallet {}", module.index),
                        name: format!("error {index}"),
                        docs: "not in the chain's metadata".into(),
                    },
                }
            }
            other => {
                let (name, docs) = describe_builtin(other);
                DispatchFailure { pallet: "System".into(), name, docs }
            }
        }
    }
}

/// The text for a non-module dispatch error, in the words of `sp_runtime` plus what to do.
fn describe_builtin(error: &DispatchError) -> (String, String) {
    use rustensor_runtime_types::dispatch::TokenError;
    let name = format!("{error:?}");
    let docs = match error {
        DispatchError::BadOrigin => "the signer may not make this call (root or an owner only?)",
        DispatchError::CannotLookup => "an account could not be found",
        DispatchError::Token(TokenError::FundsUnavailable) => {
            "the account does not have enough free balance for this (check `wallet balance`)"
        }
        DispatchError::Token(TokenError::BelowMinimum) => {
            "the amount would leave an account below the existential deposit (500 RAO)"
        }
        DispatchError::Token(TokenError::NotExpendable) => {
            "the transfer would kill the sender's account; send less or use transfer_allow_death"
        }
        DispatchError::Token(_) => "a balance rule refused the operation",
        DispatchError::Arithmetic(_) => "an amount overflowed or underflowed",
        DispatchError::Exhausted => "the block ran out of resources: retry",
        _ => "",
    };
    (name, docs.to_owned())
}

/// Why an included transaction failed: the pallet, error name and docs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DispatchFailure {
    /// The pallet (`SubtensorModule`, `Balances`, or `System` for built-in errors).
    pub pallet: String,
    /// The error's name (`NotEnoughBalanceToStake`, `Token(FundsUnavailable)`, …).
    pub name: String,
    /// What it means.
    pub docs: String,
}

impl std::fmt::Display for DispatchFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.pallet, self.name)?;
        if !self.docs.is_empty() {
            write!(f, ": {}", self.docs)?;
        }
        Ok(())
    }
}

/// The outcome of an extrinsic, from its block's events.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExtrinsicResult {
    /// `System.ExtrinsicSuccess`.
    Success(DispatchEventInfo),
    /// `System.ExtrinsicFailed`, named.
    Failed(DispatchFailure),
}

#[cfg(test)]
mod tests {
    use parity_scale_codec::Encode as _;
    use rustensor_primitives::AccountId32;
    use rustensor_runtime_types::dispatch::ModuleError;
    use rustensor_runtime_types::events::{EventRecord as RawRecord, encode_events};

    use super::*;

    #[test]
    fn test_events_written_by_the_runtime_decode_back() {
        let who = AccountId32::new([1; 32]);
        let records = vec![
            RawRecord::new(
                Phase::ApplyExtrinsic(0),
                balances::PALLET_INDEX,
                &balances::Event::Transfer { from: who, to: AccountId32::new([2; 32]), amount: 7 },
            ),
            RawRecord::new(
                Phase::ApplyExtrinsic(0),
                system::PALLET_INDEX,
                &system::Event::ExtrinsicSuccess { dispatch_info: DispatchEventInfo::default() },
            ),
        ];
        let decoded = decode_events(&encode_events(&records)).expect("decodes");
        assert_eq!(decoded.len(), 2);
        assert_eq!(decoded[0].event.pallet(), "Balances");
        assert_eq!(decoded[0].event.name(), "Transfer");
        assert_eq!(decoded[1].event.name(), "ExtrinsicSuccess");
        assert_eq!(decoded[1].phase, Phase::ApplyExtrinsic(0));
    }

    #[test]
    fn test_an_unknown_pallet_is_reported_not_guessed() {
        let mut bytes = Compact(1u32).encode();
        Phase::Initialization.encode_to(&mut bytes);
        bytes.extend([99, 0, 0]);
        let error = decode_events(&bytes).expect_err("pallet 99 is unknown");
        assert!(error.contains("pallet 99"), "{error}");
    }

    #[test]
    fn test_module_errors_are_named_from_our_metadata() {
        let table = ErrorTable::from_metadata(rustensor_runtime_types::metadata::metadata_bytes())
            .expect("our metadata decodes");
        assert!(table.len() > 50, "{} errors", table.len());
        let error = subtensor::Error::NotEnoughStakeToWithdraw;
        let failure = table.describe(&DispatchError::Module(ModuleError {
            index: subtensor::PALLET_INDEX,
            error: [error as u8, 0, 0, 0],
        }));
        assert_eq!(failure.pallet, "SubtensorModule");
        assert_eq!(failure.name, "NotEnoughStakeToWithdraw");
        let unknown =
            table.describe(&DispatchError::Module(ModuleError { index: 200, error: [1, 0, 0, 0] }));
        assert_eq!(unknown.name, "error 1");
        let token = table.describe(&DispatchError::Token(
            rustensor_runtime_types::dispatch::TokenError::FundsUnavailable,
        ));
        assert_eq!(token.name, "Token(FundsUnavailable)");
        assert!(token.docs.contains("enough free balance"));
    }
}
