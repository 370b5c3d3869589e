//! Read APIs for the node: metagraph, neurons, dynamic info, hyperparameters, stake info
//! (`reference/subtensor.md` §11).
