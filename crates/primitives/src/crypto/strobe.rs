//! sr25519 signature challenges, computed the way schnorrkel's merlin transcript computes them,
//! but cheaply enough for batch verification.
//!
//! A schnorrkel challenge is a merlin transcript: STROBE-128 (Keccak-f\[1600\] at a rate of 166
//! bytes) with merlin's framing, where appending a message is `meta-AD(label ‖ len₃₂)` then
//! `AD(message)` and a challenge is `meta-AD(label ‖ len₃₂)` then `PRF`. merlin absorbs one byte
//! at a time and wipes every transcript it drops; both matter when an axon checks thousands of
//! signatures a second, and neither is needed here, where everything absorbed is public (the
//! message, the public key and the signature's `R`). [`Challenger`] absorbs whole runs of bytes at
//! once and keeps the state after the signing context, so each signature starts from a copy.
//!
//! Only the STROBE operations merlin uses are here: `meta-AD`, `AD` and `PRF`, without
//! streaming continuations beyond merlin's own `label ‖ length` pair. The tests check the
//! challenges against the ones schnorrkel's own verification derives.

/// STROBE-128's rate: the bytes of the 200-byte Keccak state that data is absorbed into.
const RATE: usize = 166;

const FLAG_I: u8 = 1;
const FLAG_A: u8 = 1 << 1;
const FLAG_C: u8 = 1 << 2;
const FLAG_M: u8 = 1 << 4;

/// A STROBE-128 duplex state with merlin's framing.
#[derive(Clone)]
struct Sponge {
    /// The Keccak state as bytes; lane `i` is bytes `8i..8i + 8`, little-endian.
    state: [u8; 200],
    /// The next byte of the rate to absorb into or squeeze from.
    pos: usize,
    /// Where the current operation began, plus one (STROBE's `pos_begin`).
    pos_begin: u8,
}

impl Sponge {
    /// STROBE-128 initialised with `protocol`, as STROBE v1.0.2 specifies.
    fn new(protocol: &[u8]) -> Self {
        let mut sponge = Self { state: [0; 200], pos: 0, pos_begin: 0 };
        sponge.state[..6].copy_from_slice(&[1, RATE as u8 + 2, 1, 0, 1, 96]);
        sponge.state[6..18].copy_from_slice(b"STROBEv1.0.2");
        sponge.permute();
        sponge.meta_ad(protocol);
        sponge
    }

    /// Keccak-f\[1600\] over the state.
    fn permute(&mut self) {
        let mut lanes = [0u64; 25];
        for (lane, bytes) in lanes.iter_mut().zip(self.state.chunks_exact(8)) {
            let mut word = [0u8; 8];
            word.copy_from_slice(bytes);
            *lane = u64::from_le_bytes(word);
        }
        keccak::f1600(&mut lanes);
        for (lane, bytes) in lanes.iter().zip(self.state.chunks_exact_mut(8)) {
            bytes.copy_from_slice(&lane.to_le_bytes());
        }
    }

    /// Ends a block: pads the rate as STROBE does and runs the permutation.
    fn run_f(&mut self) {
        self.state[self.pos] ^= self.pos_begin;
        self.state[self.pos + 1] ^= 0x04;
        self.state[RATE + 1] ^= 0x80;
        self.permute();
        self.pos = 0;
        self.pos_begin = 0;
    }

    /// Absorbs `data` into the rate, running the permutation each time the rate fills.
    fn absorb(&mut self, data: &[u8]) {
        let mut data = data;
        while !data.is_empty() {
            let n = data.len().min(RATE - self.pos);
            for (byte, d) in self.state[self.pos..self.pos + n].iter_mut().zip(&data[..n]) {
                *byte ^= d;
            }
            self.pos += n;
            data = &data[n..];
            if self.pos == RATE {
                self.run_f();
            }
        }
    }

    /// Starts a STROBE operation with `flags` (never a continuation).
    fn begin_op(&mut self, flags: u8) {
        let old_begin = self.pos_begin;
        // `pos < RATE`, so this fits the byte STROBE keeps it in.
        self.pos_begin = (self.pos + 1) as u8;
        self.absorb(&[old_begin, flags]);
        if flags & FLAG_C != 0 && self.pos != 0 {
            self.run_f();
        }
    }

    /// STROBE `meta-AD(data)`.
    fn meta_ad(&mut self, data: &[u8]) {
        self.begin_op(FLAG_M | FLAG_A);
        self.absorb(data);
    }

    /// merlin's frame header: `meta-AD(label ‖ len₃₂)`.
    fn meta_ad_label(&mut self, label: &[u8], len: usize) {
        self.meta_ad(label);
        // merlin encodes lengths as u32 and panics beyond; data here is far shorter, and a
        // longer message gives a challenge no signature matches.
        self.absorb(&u32::try_from(len).unwrap_or(u32::MAX).to_le_bytes());
    }

    /// merlin's framing of a labelled message: `meta-AD(label ‖ len₃₂)`, `AD(message)`.
    fn append_message(&mut self, label: &[u8], message: &[u8]) {
        self.meta_ad_label(label, message.len());
        self.begin_op(FLAG_A);
        self.absorb(message);
    }

    /// merlin's `challenge_bytes(label, out)`: `meta-AD(label ‖ len₃₂)`, then `PRF(out)`.
    fn challenge_bytes(&mut self, label: &[u8], out: &mut [u8]) {
        self.meta_ad_label(label, out.len());
        self.begin_op(FLAG_I | FLAG_A | FLAG_C);
        for byte in out.iter_mut() {
            // STROBE's PRF zeroes what it squeezes.
            *byte = std::mem::take(&mut self.state[self.pos]);
            self.pos += 1;
            if self.pos == RATE {
                self.run_f();
            }
        }
    }
}

/// Computes sr25519 challenges under one signing context; cheap to reuse for many signatures.
#[derive(Clone)]
pub(crate) struct Challenger {
    /// The transcript after `SigningContext` and the context bytes.
    context: Sponge,
}

impl Challenger {
    /// The transcript schnorrkel's `signing_context(context)` starts every signature from:
    /// merlin's `Transcript::new(b"SigningContext")`, then the context under an empty label.
    pub(crate) fn new(context: &[u8]) -> Self {
        let mut sponge = Sponge::new(b"Merlin v1.0");
        sponge.append_message(b"dom-sep", b"SigningContext");
        sponge.append_message(b"", context);
        Self { context: sponge }
    }

    /// The 64 challenge bytes of a signature with nonce commitment `r` by `public` on
    /// `message`, which schnorrkel reduces modulo the group order to get `k`.
    pub(crate) fn challenge(&self, message: &[u8], public: &[u8; 32], r: &[u8; 32]) -> [u8; 64] {
        let mut t = self.context.clone();
        t.append_message(b"sign-bytes", message);
        t.append_message(b"proto-name", b"Schnorr-sig");
        t.append_message(b"sign:pk", public);
        t.append_message(b"sign:R", r);
        let mut out = [0u8; 64];
        t.challenge_bytes(b"sign:c", &mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use curve25519_dalek::ristretto::CompressedRistretto;
    use curve25519_dalek::scalar::Scalar;

    use super::Challenger;

    /// The challenge scalar schnorrkel's own verification derives for the same inputs, and ours
    /// reduced the same way.
    fn both(context: &[u8], message: &[u8], public: &[u8; 32], r: &[u8; 32]) -> (Scalar, Scalar) {
        use schnorrkel::context::SigningTranscript;
        let mut t = schnorrkel::signing_context(context).bytes(message);
        t.proto_name(b"Schnorr-sig");
        t.commit_point(b"sign:pk", &CompressedRistretto(*public));
        t.commit_point(b"sign:R", &CompressedRistretto(*r));
        let theirs = t.challenge_scalar(b"sign:c");
        let ours = Challenger::new(context).challenge(message, public, r);
        (Scalar::from_bytes_mod_order_wide(&ours), theirs)
    }

    #[test]
    fn test_challenge_matches_schnorrkel_across_block_boundaries() {
        // Lengths around the 166-byte rate, where the framing's offsets shift by a block.
        for len in (0..=400).chain([498, 499, 500, 1000, 4096]) {
            let message: Vec<u8> = (0..len).map(|i| (i * 31 + 7) as u8).collect();
            let (ours, theirs) = both(b"substrate", &message, &[7; 32], &[0xa5; 32]);
            assert_eq!(ours, theirs, "message of {len} bytes");
        }
    }

    #[test]
    fn test_challenger_is_reusable() {
        let challenger = Challenger::new(b"substrate");
        let first = challenger.challenge(b"one", &[1; 32], &[2; 32]);
        let _ = challenger.challenge(b"two", &[3; 32], &[4; 32]);
        assert_eq!(challenger.challenge(b"one", &[1; 32], &[2; 32]), first);
    }

    proptest! {
        #[test]
        fn test_challenge_matches_schnorrkel_on_random_inputs(
            context in proptest::collection::vec(any::<u8>(), 0..200),
            message in proptest::collection::vec(any::<u8>(), 0..700),
            public in any::<[u8; 32]>(),
            r in any::<[u8; 32]>(),
        ) {
            let (ours, theirs) = both(&context, &message, &public, &r);
            prop_assert_eq!(ours, theirs);
        }
    }
}
