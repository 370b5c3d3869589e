//! Event records as `System.Events` holds them.
//!
//! `System.Events` is a plain `Vec<EventRecord>` where `EventRecord = { phase, event, topics }`
//! and `event` is the outer `RuntimeEvent`: the pallet index, the variant index of that
//! pallet's `Event` enum, then the fields (`reference/substrate_compat.md` §4.4). Clients keep
//! the records whose `Phase::ApplyExtrinsic(i)` matches an extrinsic's index in the block.
//!
//! Here an event is kept already encoded ([`EventRecord::event`]): each pallet encodes its own
//! `Event` enum, and the record never needs decoding inside the runtime.
//!
//! Wire format: matches `frame_system::EventRecord`; changing it breaks clients.

use parity_scale_codec::{Compact, Encode, Output};

/// When in the block an event happened: `frame_system::Phase`. Wire-visible.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    Encode,
    parity_scale_codec::Decode,
    scale_info::TypeInfo,
)]
pub enum Phase {
    /// While applying the extrinsic with this index in the block.
    #[codec(index = 0)]
    ApplyExtrinsic(u32),
    /// In the block's finalization (`on_finalize`).
    #[codec(index = 1)]
    Finalization,
    /// In the block's initialization (`on_initialize`, e.g. the coinbase).
    #[codec(index = 2)]
    Initialization,
}

/// One entry of `System.Events`. Wire-visible.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventRecord {
    /// When it happened.
    pub phase: Phase,
    /// The encoded `RuntimeEvent`: pallet index, event variant index, fields.
    pub event: Vec<u8>,
    /// Topics (always empty in subtensor).
    pub topics: Vec<[u8; 32]>,
}

impl EventRecord {
    /// A record of `event` (a pallet's `Event` value) from pallet `pallet_index`.
    pub fn new(phase: Phase, pallet_index: u8, event: &impl Encode) -> Self {
        let mut encoded = vec![pallet_index];
        event.encode_to(&mut encoded);
        Self { phase, event: encoded, topics: Vec::new() }
    }
}

impl Encode for EventRecord {
    fn encode_to<T: Output + ?Sized>(&self, dest: &mut T) {
        self.phase.encode_to(dest);
        dest.write(&self.event);
        self.topics.encode_to(dest);
    }
}

/// The `System.Events` value for `records`: `Compact(len) ++ records`.
pub fn encode_events(records: &[EventRecord]) -> Vec<u8> {
    let len = u32::try_from(records.len()).unwrap_or(u32::MAX);
    let mut out = Compact(len).encode();
    for record in records {
        record.encode_to(&mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_event_record_encoding() {
        // Balances(5).Transfer(2) { from, to, amount: u64 } in extrinsic 1.
        let record =
            EventRecord::new(Phase::ApplyExtrinsic(1), 5, &(2u8, [1u8; 32], [2u8; 32], 7u64));
        let bytes = record.encode();
        assert_eq!(&bytes[..7], &[0, 1, 0, 0, 0, 5, 2]);
        assert_eq!(bytes.len(), 5 + 2 + 32 + 32 + 8 + 1);
        assert_eq!(bytes.last(), Some(&0), "no topics");
        let all = encode_events(&[record.clone(), record]);
        assert_eq!(all[0], 2 << 2);
        assert_eq!(Phase::Initialization.encode(), vec![2]);
    }
}
