//! Substrate v4 extrinsics.
