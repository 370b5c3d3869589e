//! The runtime's integration tests: one binary, one module per concern.

mod metadata_interop;
