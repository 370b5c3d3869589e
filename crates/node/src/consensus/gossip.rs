//! Transaction gossip between the validators' pools, on p2p channel 5.
//!
//! A transaction reaches the chain only through the block of a validator that has it in its
//! pool. Without gossip, a transaction sent to one validator's RPC would wait until that
//! validator leads a view (one view in N). So each validator passes what its clients submit
//! ([`TxSource::take_announcements`]) to all the others, in batches, and pools what they pass
//! it ([`TxSource::gossiped`]), validated like a client's.
//!
//! One hop is enough: every validator is connected to every other. A transaction learned from
//! a peer is therefore never passed on, so no message loops. Gossip is best effort (p2p drops
//! messages to offline peers, the announcement queue drops when full): a transaction that is
//! not gossiped is still included when its own validator leads.
//!
//! A batch is the SCALE encoding of `Vec<Vec<u8>>` (each item one encoded extrinsic). A batch
//! that does not decode, or holds more than [`MAX_BATCH`] items, is dropped whole.

use std::sync::Arc;

use commonware_cryptography::ed25519;
use commonware_p2p::{Receiver, Recipients, Sender};
use commonware_runtime::{Handle, Spawner};
use futures::StreamExt as _;
use parity_scale_codec::{Decode as _, Encode as _};

use super::TxSource;

/// The most transactions in one gossip message.
pub const MAX_BATCH: usize = 256;

/// The most bytes of transactions in one gossip message (well under the p2p message limit).
pub const MAX_BATCH_BYTES: usize = 1024 * 1024;

/// Encodes one gossip message.
pub fn encode_batch(extrinsics: &[Vec<u8>]) -> Vec<u8> {
    extrinsics.encode()
}

/// Decodes one gossip message: `None` if it is not exactly a SCALE `Vec<Vec<u8>>` of at most
/// [`MAX_BATCH`] items.
pub fn decode_batch(mut bytes: &[u8]) -> Option<Vec<Vec<u8>>> {
    // The length prefix is checked before anything is allocated for the items.
    let count = parity_scale_codec::Compact::<u32>::decode(&mut &bytes[..]).ok()?.0 as usize;
    if count > MAX_BATCH {
        return None;
    }
    let batch = Vec::<Vec<u8>>::decode(&mut bytes).ok()?;
    bytes.is_empty().then_some(batch)
}

/// Starts the gossip tasks for `txs` on the channel `(sender, receiver)`: with `peers`,
/// announcements go to every peer in batches; batches from peers go to [`TxSource::gossiped`].
/// Without peers (a lone validator), or when `txs` does not gossip, nothing is announced (and
/// nothing copied for it); the channel is still drained.
pub fn start<E, S, R>(
    context: E,
    txs: Arc<dyn TxSource>,
    channel: (S, R),
    peers: bool,
) -> Handle<()>
where
    E: Spawner,
    S: Sender<PublicKey = ed25519::PublicKey>,
    R: Receiver<PublicKey = ed25519::PublicKey>,
{
    let (mut sender, mut receiver) = channel;
    let announcements = if peers { txs.take_announcements() } else { None };
    context.spawn(move |context| async move {
        if let Some(mut announcements) = announcements {
            let txs_in = txs.clone();
            context.child("gossip_in").spawn(move |_| async move {
                receive(&mut receiver, &*txs_in).await;
            });
            while let Some(first) = announcements.next().await {
                let mut batch = vec![first];
                let mut bytes = batch[0].len();
                while batch.len() < MAX_BATCH && bytes < MAX_BATCH_BYTES {
                    match announcements.try_recv() {
                        Ok(xt) => {
                            bytes += xt.len();
                            batch.push(xt);
                        }
                        _ => break,
                    }
                }
                let _ = sender.send(Recipients::All, encode_batch(&batch), false);
            }
        } else {
            receive(&mut receiver, &*txs).await;
        }
    })
}

/// Pools every transaction of every well-formed batch a peer sends, until the channel closes.
async fn receive<R>(receiver: &mut R, txs: &dyn TxSource)
where
    R: Receiver<PublicKey = ed25519::PublicKey>,
{
    while let Ok((peer, message)) = receiver.recv().await {
        let Some(batch) = decode_batch(message.as_ref()) else {
            tracing::debug!(?peer, "dropped a malformed transaction batch");
            continue;
        };
        for xt in batch {
            txs.gossiped(xt);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_round_trip() {
        let batch = vec![vec![1, 2, 3], vec![], vec![9; 300]];
        assert_eq!(decode_batch(&encode_batch(&batch)), Some(batch));
    }

    #[test]
    fn malformed_or_oversized_batches_are_refused() {
        assert_eq!(decode_batch(&[]), None);
        // A huge declared count is refused before any allocation.
        assert_eq!(decode_batch(&[0xff, 0xff, 0xff, 0xff, 0xff]), None);
        let too_many = vec![vec![0u8]; MAX_BATCH + 1];
        assert_eq!(decode_batch(&encode_batch(&too_many)), None);
        // Trailing bytes.
        let mut bytes = encode_batch(&[vec![1]]);
        bytes.push(0);
        assert_eq!(decode_batch(&bytes), None);
        // An item longer than the message.
        assert_eq!(decode_batch(&[4, 0xfc, 0xff, 0xff, 0x0f, 1]), None);
    }
}
