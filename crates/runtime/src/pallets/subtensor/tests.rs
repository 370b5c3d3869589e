//! Scenario tests of `SubtensorModule` through signed extrinsics.
