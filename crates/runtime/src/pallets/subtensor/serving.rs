//! `serve_axon`, `serve_axon_tls` and `serve_prometheus` (`reference/subtensor.md` §4).
//!
//! Mirrors subtensor's `subnets/serving.rs`: a registered hotkey announces where it serves
//! its axon (and optionally a TLS public key) and its Prometheus metrics on one subnet.
//!
//! Storage read: `Uids` (registration), `ServingRateLimit`, `System.Number`.
//! Storage written: `Axons[netuid][hotkey]`, `Prometheus[netuid][hotkey]`,
//! `NeuronCertificates[netuid][hotkey]`.
//!
//! Validation order is subtensor's, which differs between the two calls:
//!
//! - axon: registered (`HotKeyNotRegisteredInNetwork`) → ip type (`InvalidIpType`) → ip
//!   (`InvalidIpAddress`, ip 0 allowed "for testing") → rate limit
//!   (`ServingRateLimitExceeded`) → port (`InvalidPort`);
//! - prometheus: ip type → ip (0 refused) → registered → rate limit → port.
//!
//! The rate limit counts from the `block` of the stored info, separately for axon and
//! prometheus: it passes when `ServingRateLimit == 0`, nothing was served yet (`block == 0`)
//! or `now − block ≥ ServingRateLimit`.
//!
//! # Deviations from subtensor
//!
//! - The pre-dispatch `CheckServingEndpoints` transaction extension is not modelled: invalid
//!   serving calls are included and fail in dispatch (they are free either way).
//! - The subnet is not required to exist beyond the hotkey being registered on it, as in
//!   subtensor.

use rustensor_primitives::{AccountId32, NetUid};

use super::storage::{Axons, NeuronCertificates, Prometheus, ServingRateLimit, Uids};
use super::types::{AxonInfo, NeuronCertificate, PrometheusInfo};
use super::{Error, Event, Result, current_block, deposit_event};
use crate::dispatch::DispatchContext;
use crate::storage::KvRead;

/// The IPv4 loopback address `127.0.0.1` as stored (low 32 bits).
const IPV4_LOCALHOST: u128 = 0x7f00_0001;

/// The longest certificate kept: one algorithm byte and a 64-byte public key.
const MAX_CERTIFICATE_LEN: usize = 65;

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

/// `serve_axon` (with `certificate` for `serve_axon_tls`): stores the hotkey's `AxonInfo` on
/// `netuid` with `block = now`, and the certificate if it is well-formed (1 to 65 bytes:
/// algorithm byte then public key; anything else is ignored silently). Event `AxonServed`.
///
/// # Errors
///
/// In this order: [`Error::HotKeyNotRegisteredInNetwork`], [`Error::InvalidIpType`],
/// [`Error::InvalidIpAddress`], [`Error::ServingRateLimitExceeded`], [`Error::InvalidPort`].
pub fn serve_axon(
    ctx: &mut DispatchContext<'_>,
    hotkey: &AccountId32,
    netuid: NetUid,
    axon: AxonArgs,
    certificate: Option<Vec<u8>>,
) -> Result<()> {
    if !is_registered(ctx.state, netuid, hotkey) {
        return Err(Error::HotKeyNotRegisteredInNetwork);
    }
    if !is_valid_ip_type(axon.ip_type) {
        return Err(Error::InvalidIpType);
    }
    if !is_valid_ip_address(axon.ip_type, axon.ip, true) {
        return Err(Error::InvalidIpAddress);
    }
    let now = current_block(ctx.state);
    let previous = Axons::get(ctx.state, &netuid, hotkey).unwrap_or_default();
    if !passes_rate_limit(ctx.state, netuid, previous.block, now) {
        return Err(Error::ServingRateLimitExceeded);
    }
    if axon.port == 0 {
        return Err(Error::InvalidPort);
    }
    if let Some(certificate) = certificate.as_deref().and_then(parse_certificate) {
        NeuronCertificates::insert(ctx.state, &netuid, hotkey, &certificate);
    }
    let info = AxonInfo {
        block: now,
        version: axon.version,
        ip: axon.ip,
        port: axon.port,
        ip_type: axon.ip_type,
        protocol: axon.protocol,
        placeholder1: axon.placeholder1,
        placeholder2: axon.placeholder2,
    };
    Axons::insert(ctx.state, &netuid, hotkey, &info);
    deposit_event(ctx, Event::AxonServed(netuid, *hotkey));
    Ok(())
}

/// `serve_prometheus`: stores the hotkey's `PrometheusInfo` on `netuid` with `block = now`.
/// Event `PrometheusServed`.
///
/// # Errors
///
/// In this order: [`Error::InvalidIpType`], [`Error::InvalidIpAddress`] (ip 0 included),
/// [`Error::HotKeyNotRegisteredInNetwork`], [`Error::ServingRateLimitExceeded`],
/// [`Error::InvalidPort`].
pub fn serve_prometheus(
    ctx: &mut DispatchContext<'_>,
    hotkey: &AccountId32,
    netuid: NetUid,
    version: u32,
    ip: u128,
    port: u16,
    ip_type: u8,
) -> Result<()> {
    if !is_valid_ip_type(ip_type) {
        return Err(Error::InvalidIpType);
    }
    if !is_valid_ip_address(ip_type, ip, false) {
        return Err(Error::InvalidIpAddress);
    }
    if !is_registered(ctx.state, netuid, hotkey) {
        return Err(Error::HotKeyNotRegisteredInNetwork);
    }
    let now = current_block(ctx.state);
    let previous = Prometheus::get(ctx.state, &netuid, hotkey).unwrap_or_default();
    if !passes_rate_limit(ctx.state, netuid, previous.block, now) {
        return Err(Error::ServingRateLimitExceeded);
    }
    if port == 0 {
        return Err(Error::InvalidPort);
    }
    let info = PrometheusInfo { block: now, version, ip, port, ip_type };
    Prometheus::insert(ctx.state, &netuid, hotkey, &info);
    deposit_event(ctx, Event::PrometheusServed(netuid, *hotkey));
    Ok(())
}

/// Whether `hotkey` holds a uid on `netuid`.
fn is_registered(state: &(impl KvRead + ?Sized), netuid: NetUid, hotkey: &AccountId32) -> bool {
    Uids::contains_key(state, &netuid, hotkey)
}

/// `ip_type ∈ {4, 6}`.
fn is_valid_ip_type(ip_type: u8) -> bool {
    matches!(ip_type, 4 | 6)
}

/// subtensor's `is_valid_ip_address`: 0 only if `allow_zero`; for v4 below `u32::MAX` and not
/// `127.0.0.1`; for v6 not all-ones and not `::1`.
fn is_valid_ip_address(ip_type: u8, ip: u128, allow_zero: bool) -> bool {
    if ip == 0 {
        return allow_zero;
    }
    match ip_type {
        4 => ip < u128::from(u32::MAX) && ip != IPV4_LOCALHOST,
        6 => ip != u128::MAX && ip != 1,
        _ => true,
    }
}

/// The serving rate limit from the stored info's `last` block.
fn passes_rate_limit(state: &(impl KvRead + ?Sized), netuid: NetUid, last: u64, now: u64) -> bool {
    let limit = ServingRateLimit::get(state, &netuid);
    limit == 0 || last == 0 || now.saturating_sub(last) >= limit
}

/// `NeuronCertificate::try_from(Vec<u8>)`: the first byte is the algorithm, the rest (≤ 64
/// bytes) the public key; `None` when empty or longer than 65 bytes.
fn parse_certificate(bytes: &[u8]) -> Option<NeuronCertificate> {
    if bytes.len() > MAX_CERTIFICATE_LEN {
        return None;
    }
    let (&algorithm, public_key) = bytes.split_first()?;
    Some(NeuronCertificate { public_key: public_key.to_vec(), algorithm })
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects, reason = "test arithmetic on small constants")]
mod tests {
    use parity_scale_codec::Decode;

    use super::*;
    use crate::events::{EventRecord, Phase};
    use crate::pallets::system;
    use crate::storage::MemoryKv;

    const NET: NetUid = NetUid(1);
    const IP: u128 = 0x0a00_0001; // 10.0.0.1

    fn acc(b: u8) -> AccountId32 {
        AccountId32([b; 32])
    }

    fn axon(ip: u128, port: u16, ip_type: u8) -> AxonArgs {
        AxonArgs { version: 7, ip, port, ip_type, protocol: 4, placeholder1: 1, placeholder2: 2 }
    }

    /// Subnet `NET` with hotkey `acc(10)` registered, at block 100.
    fn setup() -> MemoryKv {
        let mut state = MemoryKv::new();
        system::Number::put(&mut state, &100);
        super::super::subnets::init_network(
            &mut state,
            NET,
            &acc(1),
            &acc(2),
            &Default::default(),
            100,
        );
        super::super::create_account_if_non_existent(&mut state, &acc(11), &acc(10));
        super::super::registration::append_neuron(&mut state, NET, &acc(10), 100);
        state
    }

    fn subtensor_events(events: &[EventRecord]) -> Vec<Event> {
        events
            .iter()
            .filter(|r| r.event.first() == Some(&super::super::PALLET_INDEX))
            .map(|r| Event::decode(&mut &r.event[1..]).expect("a subtensor event"))
            .collect()
    }

    fn axon_call(
        state: &mut MemoryKv,
        who: u8,
        args: AxonArgs,
        cert: Option<Vec<u8>>,
    ) -> (Result<()>, Vec<Event>) {
        let mut events = Vec::new();
        let result = {
            let mut ctx = DispatchContext::new(state, &mut events, Phase::ApplyExtrinsic(0));
            serve_axon(&mut ctx, &acc(who), NET, args, cert)
        };
        (result, subtensor_events(&events))
    }

    fn prom_call(
        state: &mut MemoryKv,
        who: u8,
        ip: u128,
        port: u16,
        ip_type: u8,
    ) -> (Result<()>, Vec<Event>) {
        let mut events = Vec::new();
        let result = {
            let mut ctx = DispatchContext::new(state, &mut events, Phase::ApplyExtrinsic(0));
            serve_prometheus(&mut ctx, &acc(who), NET, 3, ip, port, ip_type)
        };
        (result, subtensor_events(&events))
    }

    #[test]
    fn test_serve_axon_stores_info_with_current_block_and_emits_event() {
        let mut state = setup();
        let (result, events) = axon_call(&mut state, 10, axon(IP, 8091, 4), None);
        assert_eq!(result, Ok(()));
        assert_eq!(events, vec![Event::AxonServed(NET, acc(10))]);
        let stored = Axons::get(&state, &NET, &acc(10)).unwrap();
        assert_eq!(
            stored,
            AxonInfo {
                block: 100,
                version: 7,
                ip: IP,
                port: 8091,
                ip_type: 4,
                protocol: 4,
                placeholder1: 1,
                placeholder2: 2
            }
        );
        assert_eq!(NeuronCertificates::get(&state, &NET, &acc(10)), None);
    }

    #[test]
    fn test_serve_axon_allows_zero_ip_and_ipv6() {
        let mut state = setup();
        assert_eq!(axon_call(&mut state, 10, axon(0, 1, 4), None).0, Ok(()));
        ServingRateLimit::insert(&mut state, &NET, &0);
        assert_eq!(axon_call(&mut state, 10, axon(u128::MAX - 1, 1, 6), None).0, Ok(()));
    }

    #[test]
    fn test_serve_axon_tls_stores_certificate_split_into_algorithm_and_key() {
        let mut state = setup();
        let mut cert = vec![1u8];
        cert.extend([0xab; 64]);
        assert_eq!(axon_call(&mut state, 10, axon(IP, 1, 4), Some(cert)).0, Ok(()));
        assert_eq!(
            NeuronCertificates::get(&state, &NET, &acc(10)),
            Some(NeuronCertificate { public_key: vec![0xab; 64], algorithm: 1 })
        );
    }

    #[test]
    fn test_serve_axon_tls_ignores_oversized_or_empty_certificate() {
        for cert in [vec![1u8; 66], vec![]] {
            let mut state = setup();
            assert_eq!(axon_call(&mut state, 10, axon(IP, 1, 4), Some(cert)).0, Ok(()));
            assert_eq!(NeuronCertificates::get(&state, &NET, &acc(10)), None);
            assert!(Axons::get(&state, &NET, &acc(10)).is_some(), "the axon is still served");
        }
    }

    #[test]
    fn test_serve_axon_errors_in_subtensor_order() {
        let cases: [(u8, AxonArgs, Error); 8] = [
            (99, axon(IP, 0, 9), Error::HotKeyNotRegisteredInNetwork),
            (10, axon(IP, 0, 5), Error::InvalidIpType),
            (10, axon(u128::from(u32::MAX), 0, 4), Error::InvalidIpAddress),
            (10, axon(IPV4_LOCALHOST, 0, 4), Error::InvalidIpAddress),
            (10, axon(u128::MAX, 0, 6), Error::InvalidIpAddress),
            (10, axon(1, 0, 6), Error::InvalidIpAddress),
            (10, axon(IP, 0, 4), Error::InvalidPort),
            (10, axon(1 << 40, 1, 4), Error::InvalidIpAddress),
        ];
        for (who, args, error) in cases {
            let mut state = setup();
            let (result, events) = axon_call(&mut state, who, args, Some(vec![1, 2]));
            assert_eq!(result, Err(error), "{args:?}");
            assert!(events.is_empty());
            assert_eq!(Axons::get(&state, &NET, &acc(10)), None);
            assert_eq!(NeuronCertificates::get(&state, &NET, &acc(10)), None);
        }
    }

    #[test]
    fn test_serve_axon_rate_limit_counts_from_stored_block() {
        let mut state = setup();
        assert_eq!(axon_call(&mut state, 10, axon(IP, 1, 4), None).0, Ok(()));
        system::Number::put(&mut state, &149);
        let (result, _) = axon_call(&mut state, 10, axon(IP, 2, 4), None);
        assert_eq!(result, Err(Error::ServingRateLimitExceeded));
        // The rate limit is checked before the port.
        let (result, _) = axon_call(&mut state, 10, axon(IP, 0, 4), None);
        assert_eq!(result, Err(Error::ServingRateLimitExceeded));
        system::Number::put(&mut state, &150);
        assert_eq!(axon_call(&mut state, 10, axon(IP, 2, 4), None).0, Ok(()));
        assert_eq!(Axons::get(&state, &NET, &acc(10)).unwrap().block, 150);
        // A zero limit never blocks.
        ServingRateLimit::insert(&mut state, &NET, &0);
        assert_eq!(axon_call(&mut state, 10, axon(IP, 3, 4), None).0, Ok(()));
    }

    #[test]
    fn test_serve_prometheus_stores_info_and_emits_event() {
        let mut state = setup();
        let (result, events) = prom_call(&mut state, 10, IP, 9090, 4);
        assert_eq!(result, Ok(()));
        assert_eq!(events, vec![Event::PrometheusServed(NET, acc(10))]);
        assert_eq!(
            Prometheus::get(&state, &NET, &acc(10)),
            Some(PrometheusInfo { block: 100, version: 3, ip: IP, port: 9090, ip_type: 4 })
        );
    }

    #[test]
    fn test_serve_prometheus_errors_in_subtensor_order() {
        let cases: [(u8, u128, u16, u8, Error); 6] = [
            // ip checks come before registration for prometheus
            (99, IP, 0, 5, Error::InvalidIpType),
            (99, 0, 0, 4, Error::InvalidIpAddress),
            (99, IPV4_LOCALHOST, 0, 4, Error::InvalidIpAddress),
            (99, 1, 0, 6, Error::InvalidIpAddress),
            (99, IP, 0, 4, Error::HotKeyNotRegisteredInNetwork),
            (10, IP, 0, 4, Error::InvalidPort),
        ];
        for (who, ip, port, ip_type, error) in cases {
            let mut state = setup();
            let (result, events) = prom_call(&mut state, who, ip, port, ip_type);
            assert_eq!(result, Err(error), "ip {ip:#x} type {ip_type}");
            assert!(events.is_empty());
            assert_eq!(Prometheus::get(&state, &NET, &acc(10)), None);
        }
    }

    #[test]
    fn test_serve_prometheus_rate_limit_is_independent_of_axon() {
        let mut state = setup();
        assert_eq!(axon_call(&mut state, 10, axon(IP, 1, 4), None).0, Ok(()));
        assert_eq!(prom_call(&mut state, 10, IP, 1, 4).0, Ok(()), "separate timers");
        system::Number::put(&mut state, &120);
        assert_eq!(prom_call(&mut state, 10, IP, 1, 4).0, Err(Error::ServingRateLimitExceeded));
        system::Number::put(&mut state, &150);
        assert_eq!(prom_call(&mut state, 10, IP, 2, 4).0, Ok(()));
    }
}
