//! Known-answer vectors shared by the tests of several modules.

/// The sr25519 dev accounts: (name, public key, SS58 with prefix 42). Public keys are the
/// well-known ones (e.g. polkadot-sdk chain specs' aura keys); addresses as printed by
/// `subkey inspect //Name` and listed in many Substrate READMEs.
pub(crate) const DEV_ACCOUNTS: &[(&str, &str, &str)] = &[
    (
        "//Alice",
        "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d",
        "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY",
    ),
    (
        "//Bob",
        "8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48",
        "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty",
    ),
    (
        "//Charlie",
        "90b5ab205c6974c9ea841be688864633dc9ca8a357843eeacf2314649965fe22",
        "5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y",
    ),
    (
        "//Dave",
        "306721211d5404bd9da88e0204360a1a9ab8b87c66c1bc2fcdd37f3c2222cc20",
        "5DAAnrj7VHTznn2AWBemMuyBwZWs6FNFjdyVXUeYum3PTXFy",
    ),
    (
        "//Eve",
        "e659a7a1628cdd93febc04a4e0646ea20e9f5f0ce097d9a05290d4a9e054df4e",
        "5HGjWAeFDfFCWPsjFQdVV2Msvz2XtMktvgocEZcCj68kUMaw",
    ),
    (
        "//Ferdie",
        "1cbd2d43530a44705ad088af313e18f80b53ef16b36177cd4b77b846f2a5f07c",
        "5CiPPseXPECbkjWCa6MnjNokrgYjMqmKndv2rSnekmSK2DjL",
    ),
    (
        "//Alice//stash",
        "be5ddb1579b72e84524fc29e78609e3caf42e85aa118ebfe0b0ad404b5bdd25f",
        "5GNJqTPyNqANBkUVMN1LPPrxXnFouWXoe2wNSmmEoLctxiZY",
    ),
    (
        "//Bob//stash",
        "fe65717dad0447d715f660a0a58411de509b42e6efb8375f562f58a554d5860e",
        "5HpG9w8EBLe5XCrbczpwq5TSXvedjrBGCwqxK1iQ7qUsSWFc",
    ),
];
