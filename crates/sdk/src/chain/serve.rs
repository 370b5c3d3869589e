//! The `serve_axon` call that announces a neuron's axon on a subnet.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use rustensor_primitives::NetUid;
use rustensor_runtime_types::pallets::{RuntimeCall, subtensor};

/// Why an axon address cannot be announced.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ServeAxonError {
    /// 127.0.0.1 and ::1 are refused by the chain (subtensor's rule).
    #[error(
        "the chain refuses {ip} as an axon address (subtensor's rule); on one machine use another \
         loopback address such as 127.0.0.2, which Linux also routes to this host"
    )]
    Localhost {
        /// The address given.
        ip: IpAddr,
    },
}

/// The `serve_axon` call announcing `addr` on `netuid` (protocol 4, the axon's `version`),
/// refused before signing for the loopback addresses the chain rejects.
///
/// Wire format: the call's fields are subtensor's `SubtensorModule.serve_axon`; an IPv4
/// address goes as its `u32` value in a `u128` with `ip_type` 4, IPv6 with 6.
///
/// # Errors
///
/// [`ServeAxonError::Localhost`] if `addr` is 127.0.0.1 or ::1.
///
/// # Examples
///
/// ```
/// use rustensor_primitives::NetUid;
/// use rustensor_sdk::chain::serve_axon_call;
/// let call = serve_axon_call(NetUid(1), "127.0.0.2:8091".parse()?, 1)?;
/// assert!(serve_axon_call(NetUid(1), "127.0.0.1:8091".parse()?, 1).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn serve_axon_call(
    netuid: NetUid,
    addr: SocketAddr,
    version: u32,
) -> Result<RuntimeCall, ServeAxonError> {
    let ip = addr.ip();
    if ip == IpAddr::V4(Ipv4Addr::LOCALHOST) || ip == IpAddr::V6(Ipv6Addr::LOCALHOST) {
        return Err(ServeAxonError::Localhost { ip });
    }
    let (ip, ip_type) = match ip {
        IpAddr::V4(v4) => (u128::from(u32::from(v4)), 4),
        IpAddr::V6(v6) => (u128::from(v6), 6),
    };
    Ok(RuntimeCall::Subtensor(subtensor::Call::ServeAxon {
        netuid,
        version,
        ip,
        port: addr.port(),
        ip_type,
        protocol: 4,
        placeholder1: 0,
        placeholder2: 0,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_serve_axon_call_encodes_the_address_and_refuses_localhost() {
        let call = serve_axon_call(NetUid(2), "127.0.0.2:8091".parse().expect("addr"), 3)
            .expect("127.0.0.2 is allowed");
        assert_eq!(
            call,
            RuntimeCall::Subtensor(subtensor::Call::ServeAxon {
                netuid: NetUid(2),
                version: 3,
                ip: 0x7f00_0002,
                port: 8091,
                ip_type: 4,
                protocol: 4,
                placeholder1: 0,
                placeholder2: 0,
            })
        );
        for addr in ["127.0.0.1:1", "[::1]:1"] {
            let err = serve_axon_call(NetUid(2), addr.parse().expect("addr"), 1)
                .expect_err("localhost is refused");
            assert!(err.to_string().contains("127.0.0.2"));
        }
    }
}
