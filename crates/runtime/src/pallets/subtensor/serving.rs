//! `serve_axon`, `serve_axon_tls` and `serve_prometheus` (`reference/subtensor.md` §4).

use rustensor_primitives::{AccountId32, NetUid};

use super::{Error, Result};
use crate::dispatch::DispatchContext;

/// The axon fields of `serve_axon` / `serve_axon_tls`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AxonArgs {
    /// Client version.
    pub version: u32,
    /// IP address (v4 in the low 32 bits).
    pub ip: u128,
    /// TCP port.
    pub port: u16,
    /// 4 or 6.
    pub ip_type: u8,
    /// Protocol tag.
    pub protocol: u8,
    /// Reserved.
    pub placeholder1: u8,
    /// Reserved.
    pub placeholder2: u8,
}

/// `serve_axon` (with `certificate` for `serve_axon_tls`).
///
/// # Errors
///
/// Not implemented yet: [`Error::CallDisabled`].
pub fn serve_axon(
    _ctx: &mut DispatchContext<'_>,
    _hotkey: &AccountId32,
    _netuid: NetUid,
    _axon: AxonArgs,
    _certificate: Option<Vec<u8>>,
) -> Result<()> {
    Err(Error::CallDisabled)
}

/// `serve_prometheus`.
///
/// # Errors
///
/// Not implemented yet: [`Error::CallDisabled`].
pub fn serve_prometheus(
    _ctx: &mut DispatchContext<'_>,
    _hotkey: &AccountId32,
    _netuid: NetUid,
    _version: u32,
    _ip: u128,
    _port: u16,
    _ip_type: u8,
) -> Result<()> {
    Err(Error::CallDisabled)
}
