//! Submitting a call and printing what came of it: the spinner, the receipt as text or JSON.

use std::io::{IsTerminal as _, Write};
use std::process::ExitCode;

use rustensor_primitives::Balance;
use rustensor_primitives::crypto::sr25519::Pair;
use rustensor_runtime::pallets::RuntimeCall;
use rustensor_sdk::chain::{ChainClient, TxOptions, TxReceipt};
use serde_json::{Value, json};

use super::NetworkArgs;

pub(super) fn submit(
    rt: &tokio::runtime::Runtime,
    client: &ChainClient,
    signer: &Pair,
    call: RuntimeCall,
) -> anyhow::Result<TxReceipt> {
    let result = with_spinner("signing, submitting and waiting for finalization", || {
        rt.block_on(client.submit(signer, call, TxOptions::default()))
    });
    Ok(result?)
}

/// Runs `work` while a spinner with the elapsed seconds turns on stderr (only on a terminal,
/// so scripts and `--json` consumers see nothing of it).
fn with_spinner<T>(what: &str, work: impl FnOnce() -> T) -> T {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    if !std::io::stderr().is_terminal() {
        return work();
    }
    let done = Arc::new(AtomicBool::new(false));
    let spinner = {
        let (done, what) = (done.clone(), what.to_owned());
        std::thread::spawn(move || {
            const FRAMES: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
            #[allow(clippy::disallowed_methods, reason = "progress display only")]
            let began = std::time::Instant::now();
            let mut frame = 0usize;
            while !done.load(Ordering::Relaxed) {
                eprint!(
                    "\r\x1b[2K{} {what}… {:.1} s",
                    FRAMES[frame % FRAMES.len()],
                    began.elapsed().as_secs_f32()
                );
                frame = frame.wrapping_add(1);
                std::thread::sleep(std::time::Duration::from_millis(80));
            }
            eprint!("\r\x1b[2K");
        })
    };
    let result = work();
    done.store(true, Ordering::Relaxed);
    let _ = spinner.join();
    result
}

fn receipt_json(receipt: &TxReceipt) -> Value {
    json!({
        "extrinsic_hash": format!("0x{}", hex::encode(receipt.hash)),
        "block_number": receipt.block.map(|b| b.number),
        "block_hash": receipt.block.map(|b| format!("0x{}", hex::encode(b.hash))),
        "finalized": receipt.finalized,
        "fee_rao": receipt.fee,
        "events": receipt.events.iter().map(|e| format!("{}.{}", e.pallet(), e.name())).collect::<Vec<_>>(),
    })
}

pub(super) fn print_receipt(
    out: &mut dyn Write,
    net: &NetworkArgs,
    what: &str,
    receipt: &TxReceipt,
    extra: Value,
) -> anyhow::Result<ExitCode> {
    if net.json {
        let mut doc = receipt_json(receipt);
        if let (Value::Object(doc), Value::Object(extra)) = (&mut doc, extra) {
            doc.extend(extra);
        }
        writeln!(out, "{doc}")?;
    } else {
        let block = receipt.block.map_or_else(|| "?".into(), |b| format!("#{}", b.number));
        writeln!(
            out,
            "✔ {what}: finalized in block {block} (fee {})",
            Balance::from_rao(receipt.fee)
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

// ---------------------------------------------------------------------------------------------
// wallet balance | transfer

pub(super) fn print_amount(
    out: &mut dyn Write,
    net: &NetworkArgs,
    name: &str,
    amount: Balance,
    extra: Value,
) -> anyhow::Result<ExitCode> {
    if net.json {
        let mut doc = json!({ format!("{name}_rao"): amount.rao(), format!("{name}_tao"): amount.to_tao_string() });
        if let (Value::Object(doc), Value::Object(extra)) = (&mut doc, extra) {
            doc.extend(extra);
        }
        writeln!(out, "{doc}")?;
    } else {
        writeln!(out, "{amount}")?;
    }
    Ok(ExitCode::SUCCESS)
}
