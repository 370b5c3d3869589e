"""Loads rustensor's metadata with the official Python stack and uses it.

Usage: python metadata_interop.py CASE.json

CASE.json (written by tests/metadata_interop.rs) holds the path of the metadata bytes
(`RuntimeMetadataPrefixed`) and SCALE bytes produced by the runtime, with what they must
decode to. The metadata is loaded exactly as async-substrate-interface loads it
(`_decode_v15_metadata` into a `Runtime`), then used to decode a `System.Account` value and
`System.Events`, to encode a `Balances.transfer_keep_alive` call, and to decode a runtime-API
result by its output type. Prints one line per check; exits non-zero on the first failure.
"""

import json
import sys

from async_substrate_interface.types import Runtime, _decode_v15_metadata
from async_substrate_interface.utils.receipt import normalize_module_error
from scalecodec.base import RuntimeConfigurationObject, ScaleBytes
from scalecodec.type_registry import load_type_registry_preset


def load_runtime(metadata_bytes):
    rc = RuntimeConfigurationObject(ss58_format=42)
    rc.clear_type_registry()
    rc.update_type_registry(load_type_registry_preset(name="core") or {})
    metadata = _decode_v15_metadata(metadata_bytes, runtime_config=rc)
    return Runtime(
        chain="rustensor",
        metadata=metadata,
        type_registry={},
        runtime_config=rc,
        metadata_v15=metadata,
        runtime_info={"specVersion": 1, "transactionVersion": 1},
        ss58_format=42,
    )


def decode(runtime, type_string, hex_bytes):
    obj = runtime.runtime_config.create_scale_object(
        type_string, data=ScaleBytes(bytes.fromhex(hex_bytes))
    )
    obj.decode()
    return obj.value


def storage_value_type(runtime, pallet, item):
    fn = runtime.metadata.get_metadata_pallet(pallet).get_storage_function(item)
    if fn is None:
        raise AssertionError(f"{pallet}.{item} not in metadata")
    return fn.get_value_type_string()


def check(label, got, want):
    if got != want:
        print(f"FAIL {label}: got {got!r}, want {want!r}")
        sys.exit(1)
    print(f"ok   {label}: {got!r}")


def main():
    with open(sys.argv[1]) as f:
        case = json.load(f)
    with open(case["metadata"], "rb") as f:
        runtime = load_runtime(f.read())
    pallets = [p.name for p in runtime.metadata.pallets]
    print(f"ok   pallets: {pallets}")

    # System.Account.
    account = decode(
        runtime, storage_value_type(runtime, "System", "Account"), case["account"]
    )
    check("System.Account nonce", account["nonce"], case["account_nonce"])
    check("System.Account data.free", account["data"]["free"], case["account_free"])

    # System.Events: success, then a failure with a module error named from the metadata.
    events = decode(
        runtime, storage_value_type(runtime, "System", "Events"), case["events"]
    )
    names = [(e["event"]["module_id"], e["event"]["event_id"]) for e in events]
    check(
        "System.Events names",
        names,
        [("System", "ExtrinsicSuccess"), ("System", "ExtrinsicFailed")],
    )
    # cyscale's EventRecord splits the phase into its name and `extrinsic_idx`.
    check("ExtrinsicFailed phase", events[1]["phase"], "ApplyExtrinsic")
    check("ExtrinsicFailed extrinsic_idx", events[1]["extrinsic_idx"], 1)
    attrs = events[1]["event"]["attributes"]
    module_error = normalize_module_error(attrs["dispatch_error"])
    err = runtime.metadata.get_module_error(
        module_index=module_error["module_index"],
        error_index=module_error["error_index"],
    )
    check("module error name", err.name, case["error_name"])
    check("module error docs present", bool(err.docs), True)
    check(
        "dispatch_info.weight.ref_time",
        events[0]["event"]["attributes"]["dispatch_info"]["weight"]["ref_time"],
        case["success_ref_time"],
    )

    # Encode Balances.transfer_keep_alive and compare with the runtime's bytes.
    call = runtime.runtime_config.create_scale_object("Call", metadata=runtime.metadata)
    encoded = call.encode(
        {
            "call_module": "Balances",
            "call_function": "transfer_keep_alive",
            "call_args": {"dest": case["dest_ss58"], "value": case["value"]},
        }
    )
    check("transfer_keep_alive bytes", encoded.to_hex()[2:], case["call"])

    # A runtime-API result, decoded by the method's output type.
    method = runtime.runtime_api_map["StakeInfoRuntimeApi"]["get_stake_info_for_coldkey"]
    stake = decode(runtime, f"scale_info::{method['output']}", case["stake_info"])
    check("StakeInfo count", len(stake), 1)
    check("StakeInfo.hotkey", stake[0]["hotkey"], case["stake_hotkey_ss58"])
    check("StakeInfo.netuid", stake[0]["netuid"], case["stake_netuid"])
    check("StakeInfo.stake", stake[0]["stake"], case["stake_amount"])
    print("all checks passed")


if __name__ == "__main__":
    main()
