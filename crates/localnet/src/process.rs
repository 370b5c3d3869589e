//! Chain node child processes: start `rustensor node …`, wait for its ready line, copy its
//! log, and stop it (SIGTERM, then SIGKILL) when done.
//!
//! The node prints one line scripts can wait for (`crates/cli/src/node.rs`):
//! `rustensor node: ready rpc=ws://… metrics=http://…|off genesis=0x… head=N`; [`Ready`]
//! parses it. Every stderr line of the node goes to [`RunningNode::lines`] and, if given, to
//! a log file.

use std::fs::File;
use std::io::{BufRead as _, BufReader, Write as _};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};

/// The ready line's prefix.
pub const READY_PREFIX: &str = "rustensor node: ready ";

/// What a node's ready line says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ready {
    /// Its JSON-RPC URL (`ws://HOST:PORT`).
    pub rpc: String,
    /// Its Prometheus URL, `None` when metrics are off.
    pub metrics: Option<String>,
    /// Its genesis hash.
    pub genesis: [u8; 32],
    /// Its best block when it became ready.
    pub head: u64,
}

impl Ready {
    /// Parses a ready line; `Ok(None)` for any other line.
    ///
    /// # Errors
    ///
    /// A ready line with a field missing or malformed.
    pub fn parse(line: &str) -> anyhow::Result<Option<Self>> {
        let Some(rest) = line.strip_prefix(READY_PREFIX) else { return Ok(None) };
        let field = |name: &str| {
            rest.split_whitespace()
                .find_map(|kv| kv.strip_prefix(name).and_then(|v| v.strip_prefix('=')))
                .with_context(|| format!("no {name}= in {line}"))
        };
        let metrics = field("metrics")?;
        let genesis = hex::decode(field("genesis")?.trim_start_matches("0x"))
            .ok()
            .and_then(|b| <[u8; 32]>::try_from(b).ok())
            .with_context(|| format!("the genesis in {line} is not 32 bytes of hex"))?;
        let head = field("head")?.parse().with_context(|| format!("bad head in {line}"))?;
        Ok(Some(Self {
            rpc: field("rpc")?.to_owned(),
            metrics: (metrics != "off").then(|| metrics.to_owned()),
            genesis,
            head,
        }))
    }

    /// The RPC URL over HTTP (the same port serves both).
    pub fn http_url(&self) -> String {
        self.rpc.replacen("ws://", "http://", 1)
    }
}

/// How to start a node process.
#[derive(Debug)]
pub struct Launch {
    /// The `rustensor` executable.
    pub exe: PathBuf,
    /// Its arguments (`node --dev …`).
    pub args: Vec<String>,
    /// Extra environment variables.
    pub env: Vec<(String, String)>,
    /// A file every log line is copied to.
    pub log: Option<File>,
}

impl Launch {
    /// `exe ARGS`, no extra environment, no log file.
    pub fn new(exe: impl Into<PathBuf>, args: Vec<String>) -> Self {
        Self { exe: exe.into(), args, env: Vec::new(), log: None }
    }

    /// Starts the process; [`PendingNode::wait`] then waits for its ready line.
    ///
    /// # Errors
    ///
    /// The executable cannot be started.
    pub fn spawn(self) -> anyhow::Result<PendingNode> {
        let mut child = Command::new(&self.exe)
            .args(&self.args)
            .envs(self.env)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .with_context(|| format!("cannot start {}", self.exe.display()))?;
        let stderr = child.stderr.take().context("no stderr from the node")?;
        let (tx, rx) = mpsc::channel();
        let mut log = self.log;
        // Copies the log; keeps draining after the receiver is gone so the child never blocks.
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if let Some(file) = log.as_mut() {
                    let _ = writeln!(file, "{line}");
                }
                let _ = tx.send(line);
            }
        });
        Ok(PendingNode { node: NodeChild { child }, lines: rx })
    }
}

/// A child process stopped (SIGTERM, then SIGKILL after 10 s) when dropped.
#[derive(Debug)]
pub struct NodeChild {
    child: Child,
}

impl NodeChild {
    /// The process id.
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// Sends `signal` (`TERM`, `INT`, `KILL`, …) with `kill(1)`.
    pub fn signal(&self, signal: &str) {
        let _ = Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(self.child.id().to_string())
            .status();
    }

    /// Sends `signal` and waits up to `timeout` for the exit; after that kills it and
    /// returns `None`.
    pub fn signal_and_wait(&mut self, signal: &str, timeout: Duration) -> Option<ExitStatus> {
        if let Ok(Some(status)) = self.child.try_wait() {
            return Some(status);
        }
        self.signal(signal);
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        self.kill();
        None
    }

    /// Stops it cleanly: SIGTERM, up to 10 s, then SIGKILL.
    pub fn stop(&mut self) {
        let _ = self.signal_and_wait("TERM", Duration::from_secs(10));
    }

    /// SIGKILL, and reaps it.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for NodeChild {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A node process started but perhaps not ready yet.
#[derive(Debug)]
pub struct PendingNode {
    node: NodeChild,
    lines: mpsc::Receiver<String>,
}

/// A node that did not print its ready line in time (or exited first); it has been killed.
#[derive(Debug)]
pub struct NotReady {
    /// Every line it printed.
    pub log: Vec<String>,
}

impl PendingNode {
    /// Waits up to `timeout` for the ready line.
    ///
    /// # Errors
    ///
    /// [`NotReady`] with the lines printed so far, the node killed, if it does not become
    /// ready in time, exits first, or prints a malformed ready line.
    pub fn wait(mut self, timeout: Duration) -> Result<RunningNode, NotReady> {
        let deadline = Instant::now() + timeout;
        let mut seen = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let Ok(line) = self.lines.recv_timeout(left) else { break };
            match Ready::parse(&line) {
                Ok(Some(ready)) => {
                    return Ok(RunningNode {
                        node: self.node,
                        ready,
                        lines: self.lines,
                        startup_log: seen,
                    });
                }
                Ok(None) => seen.push(line),
                Err(e) => {
                    seen.push(line);
                    seen.push(format!("(unreadable ready line: {e:#})"));
                    break;
                }
            }
        }
        self.node.kill();
        Err(NotReady { log: seen })
    }
}

/// A node that is ready.
#[derive(Debug)]
pub struct RunningNode {
    /// The process (stopped when this is dropped).
    pub node: NodeChild,
    /// What its ready line said.
    pub ready: Ready,
    /// Its log lines after the ready line.
    pub lines: mpsc::Receiver<String>,
    /// The log lines printed before the ready line (a restarted node may already have
    /// finalized a block by then).
    pub startup_log: Vec<String>,
}

/// `n` free loopback ports (bound, then released for a node to take).
///
/// # Errors
///
/// No port could be bound.
pub fn free_loopback_ports(n: usize) -> anyhow::Result<Vec<u16>> {
    let listeners = (0..n)
        .map(|_| std::net::TcpListener::bind("127.0.0.1:0"))
        .collect::<Result<Vec<_>, _>>()
        .context("cannot find free loopback ports")?;
    Ok(listeners.iter().map(|l| l.local_addr().map(|a| a.port())).collect::<Result<_, _>>()?)
}

/// Starts `launch` and waits up to `timeout` for it; the error names `log_path` and shows
/// its last lines, and suggests another port.
///
/// # Errors
///
/// The process cannot be started or does not become ready.
pub fn start_and_wait(
    launch: Launch,
    timeout: Duration,
    log_path: &std::path::Path,
    rpc_port: u16,
) -> anyhow::Result<RunningNode> {
    launch.spawn()?.wait(timeout).or_else(|e| not_ready(&e, timeout, log_path, rpc_port))
}

/// The error for a node that did not become ready.
pub(crate) fn not_ready<T>(
    e: &NotReady,
    timeout: Duration,
    log_path: &std::path::Path,
    rpc_port: u16,
) -> anyhow::Result<T> {
    let tail: Vec<&str> = e.log.iter().rev().take(5).map(String::as_str).collect();
    bail!(
        "the chain node did not become ready within {} s; the last lines of {}:\n{}\n\
         (if port {rpc_port} is taken, pass --rpc-port 0 or another port)",
        timeout.as_secs(),
        log_path.display(),
        tail.into_iter().rev().collect::<Vec<_>>().join("\n"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_ready_line_parses_and_other_lines_are_none() {
        let line = format!(
            "rustensor node: ready rpc=ws://127.0.0.1:9944 metrics=off genesis=0x{} head=7",
            "ab".repeat(32)
        );
        let ready = Ready::parse(&line).expect("valid").expect("a ready line");
        assert_eq!(ready.rpc, "ws://127.0.0.1:9944");
        assert_eq!(ready.http_url(), "http://127.0.0.1:9944");
        assert_eq!(ready.metrics, None);
        assert_eq!(ready.genesis, [0xab; 32]);
        assert_eq!(ready.head, 7);
        assert_eq!(Ready::parse("INFO something else").expect("fine"), None);
        assert!(Ready::parse("rustensor node: ready rpc=ws://x").is_err());
    }
}
