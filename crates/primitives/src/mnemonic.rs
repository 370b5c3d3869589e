//! BIP39 mnemonics and Substrate's entropy-based seed derivation.
//!
//! Substrate (and so bittensor-wallet) does **not** use the standard BIP39 seed. It runs
//! PBKDF2-HMAC-SHA512 over the mnemonic's *entropy bytes*, not over the phrase text:
//!
//! ```text
//! seed64      = PBKDF2-HMAC-SHA512(password = entropy, salt = "mnemonic" ++ passphrase, 2048 rounds)
//! mini_secret = seed64[0..32]
//! ```
//!
//! as the `substrate-bip39` crate does (`reference/sdk.md` §2.4). The 32-byte mini secret is the
//! seed of both sr25519 and ed25519 key pairs. Only the English word list is supported, as in
//! sp-core.

use bip39::{Language, Mnemonic};
use rand_core::{OsRng, RngCore};
use sha2::Sha512;
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// The public development phrase behind `//Alice`, `//Bob` and the other dev accounts.
///
/// A secret URI that starts with `/` is read as this phrase followed by the path.
pub const DEV_PHRASE: &str =
    "bottom drive obey lake curtain smoke basket hold race lonely fit walk";

/// PBKDF2 rounds of the Substrate seed derivation (as in BIP39).
const PBKDF2_ROUNDS: u32 = 2048;

/// Returns the entropy bytes of an English BIP39 phrase (16 to 32 bytes).
///
/// # Errors
///
/// [`Error::InvalidMnemonic`] for an unknown word, a bad checksum or a bad word count.
pub fn entropy_from_phrase(phrase: &str) -> Result<Zeroizing<Vec<u8>>> {
    let mnemonic = Mnemonic::parse_in(Language::English, phrase)?;
    let (mut array, len) = mnemonic.to_entropy_array();
    let entropy = Zeroizing::new(array[..len].to_vec());
    zeroize::Zeroize::zeroize(&mut array);
    Ok(entropy)
}

/// Checks that a phrase is a valid English BIP39 mnemonic.
///
/// # Errors
///
/// [`Error::InvalidMnemonic`] for an unknown word, a bad checksum or a bad word count.
pub fn validate_phrase(phrase: &str) -> Result<()> {
    Mnemonic::parse_in(Language::English, phrase)?;
    Ok(())
}

/// Substrate's 64-byte seed from BIP39 entropy and an optional passphrase (empty for none).
///
/// # Errors
///
/// [`Error::InvalidEntropyLength`] unless the entropy is 16, 20, 24, 28 or 32 bytes.
pub fn seed_from_entropy(entropy: &[u8], password: &str) -> Result<Zeroizing<[u8; 64]>> {
    if !(16..=32).contains(&entropy.len()) || !entropy.len().is_multiple_of(4) {
        return Err(Error::InvalidEntropyLength(entropy.len()));
    }
    let mut salt = Zeroizing::new(String::with_capacity(8 + password.len()));
    salt.push_str("mnemonic");
    salt.push_str(password);
    let mut seed = Zeroizing::new([0u8; 64]);
    pbkdf2::pbkdf2_hmac::<Sha512>(entropy, salt.as_bytes(), PBKDF2_ROUNDS, seed.as_mut());
    Ok(seed)
}

/// The 32-byte mini secret (key seed) of a phrase: the first half of [`seed_from_entropy`].
///
/// # Errors
///
/// [`Error::InvalidMnemonic`] for an invalid phrase.
pub fn mini_secret_from_phrase(
    phrase: &str,
    password: Option<&str>,
) -> Result<Zeroizing<[u8; 32]>> {
    let entropy = entropy_from_phrase(phrase)?;
    let seed = seed_from_entropy(&entropy, password.unwrap_or(""))?;
    let mut mini = Zeroizing::new([0u8; 32]);
    mini.copy_from_slice(&seed[..32]);
    Ok(mini)
}

/// The English BIP39 phrase of the given entropy (16 to 32 bytes, a multiple of 4).
///
/// # Errors
///
/// [`Error::InvalidMnemonic`] for an unsupported entropy length.
pub fn phrase_from_entropy(entropy: &[u8]) -> Result<Zeroizing<String>> {
    let mnemonic = Mnemonic::from_entropy_in(Language::English, entropy)?;
    Ok(Zeroizing::new(mnemonic.to_string()))
}

/// A new random English phrase of 12, 15, 18, 21 or 24 words, from the OS random source.
///
/// # Errors
///
/// [`Error::InvalidWordCount`] for any other word count.
pub fn generate_phrase(word_count: usize) -> Result<Zeroizing<String>> {
    if !matches!(word_count, 12 | 15 | 18 | 21 | 24) {
        return Err(Error::InvalidWordCount(word_count));
    }
    // 11 bits per word, of which 1 in 33 is checksum: 4 bytes of entropy per 3 words.
    let mut entropy = Zeroizing::new([0u8; 32]);
    let len = word_count / 3 * 4;
    OsRng.fill_bytes(&mut entropy[..len]);
    phrase_from_entropy(&entropy[..len])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(s: &str) -> Vec<u8> {
        hex::decode(s).expect("test vector is valid hex")
    }

    // Vectors of paritytech/substrate-bip39 src/lib.rs (`vectors_are_correct`), all with the
    // password "Substrate": phrase, entropy, 64-byte seed.
    const SUBSTRATE_BIP39_VECTORS: &[[&str; 3]] = &[
        [
            "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about",
            "00000000000000000000000000000000",
            "44e9d125f037ac1d51f0a7d3649689d422c2af8b1ec8e00d71db4d7bf6d127e33f50c3d5c84fa3e5399c72d6cbbbbc4a49bf76f76d952f479d74655a2ef2d453",
        ],
        [
            "legal winner thank year wave sausage worth useful legal winner thank yellow",
            "7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f",
            "4313249608fe8ac10fd5886c92c4579007272cb77c21551ee5b8d60b780416850f1e26c1f4b8d88ece681cb058ab66d6182bc2ce5a03181f7b74c27576b5c8bf",
        ],
        [
            "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo when",
            "ffffffffffffffffffffffffffffffffffffffffffffffff",
            "8971cb290e7117c64b63379c97ed3b5c6da488841bd9f95cdc2a5651ac89571e2c64d391d46e2475e8b043911885457cd23e99a28b5a18535fe53294dc8e1693",
        ],
        [
            "hamster diagram private dutch cause delay private meat slide toddler razor book happy fancy gospel tennis maple dilemma loan word shrug inflict delay length",
            "68a79eaca2324873eacc50cb9c6eca8cc68ea5d936f98787c60c7ebc74e6ce7c",
            "7c60c555126c297deddddd59f8cdcdc9e3608944455824dd604897984b5cc369cad749803bb36eb8b786b570c9cdc8db275dbe841486676a6adf389f3be3f076",
        ],
        [
            "ozone drill grab fiber curtain grace pudding thank cruise elder eight picnic",
            "9e885d952ad362caeb4efe34a8e91bd2",
            "f4956be6960bc145cdab782e649a5056598fd07cd3f32ceb73421c3da27833241324dc2c8b0a4d847eee457e6d4c5429f5e625ece22abaa6a976e82f1ec5531d",
        ],
    ];

    #[test]
    fn test_seed_from_entropy_matches_substrate_bip39_vectors() {
        for [phrase, entropy, seed] in SUBSTRATE_BIP39_VECTORS {
            let got_entropy = entropy_from_phrase(phrase).expect("vector phrase is valid");
            assert_eq!(*got_entropy, h(entropy), "{phrase}");
            let got_seed =
                seed_from_entropy(&got_entropy, "Substrate").expect("entropy length is valid");
            assert_eq!(got_seed.to_vec(), h(seed), "{phrase}");
            let mini = mini_secret_from_phrase(phrase, Some("Substrate")).expect("valid");
            assert_eq!(mini.to_vec(), h(&seed[..64]), "{phrase}");
        }
    }

    // `subkey inspect "caution juice atom organ advance problem want pledge someone senior
    // holiday very"` prints "Secret seed: 0xc8fa0353…b849" (subkey docs).
    #[test]
    fn test_mini_secret_matches_subkey_inspect_vector() {
        let mini = mini_secret_from_phrase(
            "caution juice atom organ advance problem want pledge someone senior holiday very",
            None,
        )
        .expect("valid phrase");
        assert_eq!(
            mini.to_vec(),
            h("c8fa03532fb22ee1f7f6908b9c02b4e72483f0dbd66e4cd456b8f34c6230b849")
        );
    }

    #[test]
    fn test_entropy_from_phrase_rejects_bad_checksum() {
        let err = entropy_from_phrase("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon")
            .unwrap_err();
        assert_eq!(err, Error::InvalidMnemonic(bip39::Error::InvalidChecksum));
    }

    #[test]
    fn test_entropy_from_phrase_rejects_unknown_word_by_index() {
        let err = entropy_from_phrase(
            "bottom drive obey lake curtain smoke basket hold race lonely fit walkk",
        )
        .unwrap_err();
        assert_eq!(err, Error::InvalidMnemonic(bip39::Error::UnknownWord(11)));
        // The message names the position, never the word.
        assert!(!err.to_string().contains("walkk"), "{err}");
    }

    #[test]
    fn test_seed_from_entropy_rejects_bad_length() {
        assert_eq!(seed_from_entropy(&[0u8; 15], "").unwrap_err(), Error::InvalidEntropyLength(15));
        assert_eq!(seed_from_entropy(&[0u8; 18], "").unwrap_err(), Error::InvalidEntropyLength(18));
    }

    #[test]
    fn test_generate_phrase_yields_valid_phrases_of_each_length() {
        for words in [12, 15, 18, 21, 24] {
            let phrase = generate_phrase(words).expect("supported word count");
            assert_eq!(phrase.split_whitespace().count(), words);
            validate_phrase(&phrase).expect("generated phrase is valid");
        }
        assert_eq!(generate_phrase(13).unwrap_err(), Error::InvalidWordCount(13));
    }

    #[test]
    fn test_phrase_from_entropy_inverts_entropy_from_phrase() {
        let phrase = phrase_from_entropy(&h("7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f")).expect("16 bytes");
        assert_eq!(
            &*phrase,
            "legal winner thank year wave sausage worth useful legal winner thank yellow"
        );
    }
}
