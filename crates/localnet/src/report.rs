//! What a localnet shows: the table printed at every epoch and at the end, and the final
//! JSON document with the emission check.

use std::collections::BTreeMap;
use std::io::Write;

use rustensor_embedding::miner::Behaviour;
use rustensor_primitives::{AccountId32, NetUid};
use rustensor_sdk::chain::Metagraph;
use serde_json::{Value, json};

use crate::bootstrap::Member;

/// Who is who on the subnet.
#[derive(Clone, Debug)]
pub struct Report {
    /// The subnet.
    pub netuid: NetUid,
    /// Its validators and miners.
    pub members: Vec<Member>,
    /// The owner's hotkey (registered by the subnet's creation).
    pub owner_hotkey: AccountId32,
    /// Chain validators (node processes).
    pub chain_validators: usize,
}

/// What a table and the final document show: one moment of the subnet.
#[derive(Clone, Debug)]
pub struct LastState {
    /// The metagraph.
    pub metagraph: Metagraph,
    /// Each miner uid's mean moving-average score over the validators.
    pub scores: BTreeMap<u16, f64>,
    /// Epochs counted since every validator set weights.
    pub epochs: u64,
    /// The subnet owner's cut of emission (`u16` fraction).
    pub owner_cut: u16,
    /// Blocks between the last two epochs (what the last epoch paid out for); 0 if unknown.
    pub epoch_blocks: u64,
    /// Each chain node's finalized height (`None`: it did not answer), with several
    /// chain validators.
    pub heights: Vec<Option<u64>>,
}

impl Report {
    fn member_of(&self, hotkey: &AccountId32) -> Option<&Member> {
        self.members.iter().find(|m| m.hotkey.account_id() == *hotkey)
    }

    /// The role (`owner`, `validator`, `miner`, or `other`) and behaviour of `hotkey`.
    pub fn role_of(&self, hotkey: &AccountId32) -> (&'static str, Option<Behaviour>) {
        if *hotkey == self.owner_hotkey {
            return ("owner", None);
        }
        self.member_of(hotkey).map_or(("other", None), |m| (m.role.name(), m.behaviour))
    }
}

fn frac(v: u16) -> f64 {
    f64::from(v) / f64::from(u16::MAX)
}

/// `#0 1234, #1 1234, #2 down, ...`
pub fn heights_line(heights: &[Option<u64>]) -> String {
    heights
        .iter()
        .enumerate()
        .map(|(i, h)| h.map_or_else(|| format!("#{i} down"), |h| format!("#{i} {h}")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Writes the table of every uid (role, behaviour, score, incentive, dividends, emission)
/// under `title`, or under a summary line when `title` is `None`.
///
/// # Errors
///
/// Writing fails.
pub fn print_table(
    out: &mut dyn Write,
    report: &Report,
    s: &LastState,
    title: Option<&str>,
) -> std::io::Result<()> {
    let mg = &s.metagraph;
    if let Some(title) = title {
        writeln!(out, "{title} (subnet {}, block {})", report.netuid, mg.block)?;
    } else {
        writeln!(
            out,
            "subnet {} after {} epochs with weights, block {}",
            report.netuid, s.epochs, mg.block
        )?;
    }
    writeln!(
        out,
        "  {:>4}  {:<9} {:<9} {:>6} {:>10} {:>10} {:>16}",
        "UID", "ROLE", "BEHAVIOUR", "SCORE", "INCENTIVE", "DIVIDENDS", "EMISSION (α)"
    )?;
    for n in &mg.neurons {
        let (role, behaviour) = report.role_of(&n.hotkey);
        let score = s.scores.get(&n.uid).map_or_else(|| "-".to_owned(), |v| format!("{v:.3}"));
        writeln!(
            out,
            "  {:>4}  {:<9} {:<9} {:>6} {:>10.4} {:>10.4} {:>16.9}",
            n.uid,
            role,
            behaviour.map_or("-", Behaviour::name),
            score,
            frac(n.incentive),
            frac(n.dividends),
            n.emission as f64 / 1e9,
        )?;
    }
    Ok(())
}

/// The `--json` document (also the source of the emission check printed with the table).
pub fn final_document(report: &Report, s: &LastState) -> Value {
    let mg = &s.metagraph;
    let neurons: Vec<Value> = mg
        .neurons
        .iter()
        .map(|n| {
            let (role, behaviour) = report.role_of(&n.hotkey);
            json!({
                "uid": n.uid,
                "hotkey": n.hotkey.to_string(),
                "role": role,
                "behaviour": behaviour.map(Behaviour::name),
                "score": s.scores.get(&n.uid),
                "incentive": frac(n.incentive),
                "dividends": frac(n.dividends),
                "emission_rao": n.emission,
                "stake_rao": n.total_stake,
                "validator_permit": n.validator_permit,
                "axon": n.axon.map(|a| a.to_string()),
            })
        })
        .collect();
    json!({
        "netuid": report.netuid.0,
        "chain_validators": report.chain_validators,
        "chain_heights": s.heights,
        "block": mg.block,
        "tempo": mg.tempo,
        "epochs": s.epochs,
        "neurons": neurons,
        "miner_incentive_share": incentive_shares(report, mg),
        "validator_dividends_total": mg.neurons.iter().filter(|n| report.role_of(&n.hotkey).0 == "validator").map(|n| frac(n.dividends)).sum::<f64>(),
        "emission_check": emission_check(s),
    })
}

/// Miner incentive shares by behaviour.
fn incentive_shares(report: &Report, mg: &Metagraph) -> BTreeMap<&'static str, f64> {
    let mut by_behaviour: BTreeMap<&str, u64> = BTreeMap::new();
    let mut total: u64 = 0;
    for n in &mg.neurons {
        let (_, behaviour) = report.role_of(&n.hotkey);
        total += u64::from(n.incentive);
        if let Some(b) = behaviour {
            *by_behaviour.entry(b.name()).or_default() += u64::from(n.incentive);
        }
    }
    by_behaviour
        .iter()
        .map(|(b, v)| (*b, if total == 0 { 0.0 } else { *v as f64 / total as f64 }))
        .collect()
}

/// What the last epoch paid (Σ of every uid's emission) against what the subnet accumulated
/// since the epoch before: per block, the alpha emission less the owner's cut (the owner's
/// cut is paid to the owner's hotkey separately, not as uid emission). With no root stake on
/// the dev chain nothing goes to root dividends. Each block's split rounds down a few RAO,
/// hence the tolerance.
fn emission_check(s: &LastState) -> Value {
    let mg = &s.metagraph;
    let paid: u64 = mg.neurons.iter().map(|n| n.emission).sum();
    let blocks = s.epoch_blocks;
    let per_block = mg.raw.alpha_out_emission.0;
    let after_cut =
        u128::from(per_block) * u128::from(u16::MAX - s.owner_cut) / u128::from(u16::MAX);
    let expected = u64::try_from(after_cut * u128::from(blocks)).unwrap_or(u64::MAX);
    let diff = paid.abs_diff(expected);
    json!({
        "paid_last_epoch_rao": paid,
        "expected_rao": expected,
        "blocks_per_epoch": blocks,
        "alpha_emission_per_block_rao": per_block,
        "owner_cut_u16": s.owner_cut,
        "difference_rao": diff,
        "adds_up": blocks > 0 && diff <= blocks * 4 + mg.neurons.len() as u64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_heights_line_names_nodes_that_are_down() {
        assert_eq!(heights_line(&[Some(12), None, Some(11)]), "#0 12, #1 down, #2 11");
        assert_eq!(heights_line(&[]), "");
    }
}
