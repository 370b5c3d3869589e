//! SCALE value types stored by `SubtensorModule` and passed to its calls.
//!
//! Wire format: every type here encodes as subtensor's type of the same name
//! (`reference/subtensor.md` §4.2, App. D); changing a field order breaks clients.

use parity_scale_codec::{Decode, Encode};

/// `AxonInfo`: where a neuron serves its axon. IPv4 addresses sit in the low 32 bits of `ip`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Encode, Decode, scale_info::TypeInfo)]
pub struct AxonInfo {
    /// Block of the last update (the serving rate limit counts from it).
    pub block: u64,
    /// Client version.
    pub version: u32,
    /// IP address (v4 in the low 32 bits).
    pub ip: u128,
    /// TCP port.
    pub port: u16,
    /// 4 or 6.
    pub ip_type: u8,
    /// Protocol tag (not validated).
    pub protocol: u8,
    /// Reserved.
    pub placeholder1: u8,
    /// Reserved.
    pub placeholder2: u8,
}

/// `PrometheusInfo`: where a neuron serves its metrics.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Encode, Decode, scale_info::TypeInfo)]
pub struct PrometheusInfo {
    /// Block of the last update.
    pub block: u64,
    /// Client version.
    pub version: u32,
    /// IP address (v4 in the low 32 bits).
    pub ip: u128,
    /// TCP port.
    pub port: u16,
    /// 4 or 6.
    pub ip_type: u8,
}

/// `NeuronCertificate`: the TLS public key a neuron announced with `serve_axon_tls`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Encode, Decode, scale_info::TypeInfo)]
pub struct NeuronCertificate {
    /// The key's public bytes (at most 64).
    pub public_key: Vec<u8>,
    /// The algorithm tag (first byte of the submitted certificate).
    pub algorithm: u8,
}

/// `SubnetIdentityV3`: a subnet's self-description, set by its owner.
#[derive(Clone, Debug, Default, PartialEq, Eq, Encode, Decode, scale_info::TypeInfo)]
pub struct SubnetIdentityV3 {
    /// Name (≤ 256 bytes).
    pub subnet_name: Vec<u8>,
    /// Source repository (≤ 1024 bytes).
    pub github_repo: Vec<u8>,
    /// Contact (≤ 1024 bytes).
    pub subnet_contact: Vec<u8>,
    /// Website (≤ 1024 bytes).
    pub subnet_url: Vec<u8>,
    /// Discord handle (≤ 256 bytes).
    pub discord: Vec<u8>,
    /// Description (≤ 1024 bytes).
    pub description: Vec<u8>,
    /// Logo URL (≤ 1024 bytes).
    pub logo_url: Vec<u8>,
    /// Anything else (≤ 1024 bytes).
    pub additional: Vec<u8>,
}

impl SubnetIdentityV3 {
    /// Whether every field is within subtensor's length limit (§2.7).
    pub fn is_valid(&self) -> bool {
        self.subnet_name.len() <= 256
            && self.github_repo.len() <= 1024
            && self.subnet_contact.len() <= 1024
            && self.subnet_url.len() <= 1024
            && self.discord.len() <= 256
            && self.description.len() <= 1024
            && self.logo_url.len() <= 1024
            && self.additional.len() <= 1024
    }
}

/// `ChainIdentityV2`: a coldkey's on-chain identity.
#[derive(Clone, Debug, Default, PartialEq, Eq, Encode, Decode, scale_info::TypeInfo)]
pub struct ChainIdentityV2 {
    /// Name (≤ 256 bytes).
    pub name: Vec<u8>,
    /// Website (≤ 256 bytes).
    pub url: Vec<u8>,
    /// Source repository (≤ 256 bytes).
    pub github_repo: Vec<u8>,
    /// Image URL (≤ 1024 bytes).
    pub image: Vec<u8>,
    /// Discord handle (≤ 256 bytes).
    pub discord: Vec<u8>,
    /// Description (≤ 1024 bytes).
    pub description: Vec<u8>,
    /// Anything else (≤ 1024 bytes).
    pub additional: Vec<u8>,
}

impl ChainIdentityV2 {
    /// Whether every field is within subtensor's length limit (§2.7).
    pub fn is_valid(&self) -> bool {
        self.name.len() <= 256
            && self.url.len() <= 256
            && self.github_repo.len() <= 256
            && self.image.len() <= 1024
            && self.discord.len() <= 256
            && self.description.len() <= 1024
            && self.additional.len() <= 1024
    }
}

/// `RecycleOrBurnEnum`: what happens to miner incentive earned by the subnet owner's hotkeys.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Encode, Decode, scale_info::TypeInfo)]
pub enum RecycleOrBurn {
    /// Destroyed, alpha issuance unchanged.
    #[default]
    #[codec(index = 0)]
    Burn,
    /// Destroyed and removed from alpha issuance.
    #[codec(index = 1)]
    Recycle,
}

/// One hash commit of weights (`WeightCommits` entry): `(hash, commit_epoch, commit_block, 0)`.
pub type WeightCommit = ([u8; 32], u64, u64, u64);
