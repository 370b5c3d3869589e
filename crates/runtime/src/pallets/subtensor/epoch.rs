//! The Yuma epoch of one subnet, through `rustensor-yuma` (`reference/subtensor.md` §8).
