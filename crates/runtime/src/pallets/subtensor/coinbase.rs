//! Per-block emission and epoch scheduling (`reference/subtensor.md` §7).
