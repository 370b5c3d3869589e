//! Synapses: the request/response types that travel between a dendrite and an axon.
//!
//! Wire format: a synapse serializes to the same JSON as the Python SDK's pydantic model
//! (`bittensor.Synapse` in bittensor 10.5.0, reference/sdk.md §1.2): the common fields
//! [`SynapseBase`] first (`name`, `timeout`, `total_size`, `header_size`, `dendrite`, `axon`,
//! `computed_body_hash`), then the subclass's own fields. Changing a field name or order breaks
//! Python peers.
//!
//! A synapse type implements [`Synapse`]: it embeds a [`SynapseBase`] with `#[serde(flatten)]`,
//! names its route with [`Synapse::NAME`] (the Python class name) and lists the fields covered by
//! the body hash in [`Synapse::REQUIRED_HASH_FIELDS`] (the Python `required_hash_fields` class
//! variable). [`Echo`] and [`EchoHashed`] are the generic health-check synapses, [`StreamEcho`]
//! the streaming one.
//!
//! The body hash ([`body_hash`], sdk.md §1.5) is SHA3-256 over the concatenated SHA3-256 hex
//! digests of Python's `str()` of each listed field, which [`python_str`] reproduces for JSON
//! values.
//!
//! # Deviations from the Python SDK
//!
//! * Nested JSON objects inside a hashed field are rendered in sorted key order (serde_json's
//!   map), where Python keeps insertion order; hashed fields holding dicts with more than one
//!   key and a non-sorted declaration order hash differently. Strings, numbers, booleans, null
//!   and lists of those hash exactly as Python does.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha3::{Digest, Sha3_256};

/// The SDK version the Rust dendrite and axon announce: bittensor 10.5.0 as
/// `major * 1_000_000 + minor * 1_000 + patch` (sdk.md §1.2).
pub const VERSION_AS_INT: i64 = 10_005_000;

/// SHA3-256 of the empty string: the body hash of a synapse without `required_hash_fields`.
pub const EMPTY_BODY_HASH: &str =
    "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a";

/// The Python SDK's default synapse timeout in seconds.
pub const DEFAULT_TIMEOUT: f64 = 12.0;

/// Information about one end of a call (`bittensor.TerminalInfo`).
///
/// Wire format: these ten keys in this order, each `null` when unset; sent in headers as
/// `bt_header_dendrite_<key>` / `bt_header_axon_<key>`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TerminalInfo {
    /// HTTP-like status of the call (200 success, 4xx/5xx failures).
    pub status_code: Option<i64>,
    /// Human-readable status (`Success`, or the error).
    pub status_message: Option<String>,
    /// Seconds spent processing, as a float.
    pub process_time: Option<f64>,
    /// IP address of this end.
    pub ip: Option<String>,
    /// Port of this end.
    pub port: Option<i64>,
    /// SDK version of this end (`10005000` for 10.5.0).
    pub version: Option<i64>,
    /// Nonce: `time.time_ns()` when the dendrite signed the request.
    pub nonce: Option<u64>,
    /// Identifier of the dendrite (or axon) object, constant across its calls.
    pub uuid: Option<String>,
    /// SS58 address of this end's hotkey.
    pub hotkey: Option<String>,
    /// `0x`-prefixed hex sr25519 signature.
    pub signature: Option<String>,
}

impl TerminalInfo {
    /// The non-null fields as `(key, Python str() of the value)` pairs, in wire order.
    pub fn header_pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::with_capacity(10);
        self.visit_headers(&mut |i, v| out.push((TERMINAL_KEYS[i], v.to_owned())));
        out
    }

    /// Calls `f(i, value)` for each non-null field in wire order, `i` being the field's index
    /// in [`TERMINAL_KEYS`] and `value` its Python `str()`; nothing is allocated.
    fn visit_headers(&self, f: &mut impl FnMut(usize, &str)) {
        let mut int = itoa::Buffer::new();
        if let Some(v) = self.status_code {
            f(0, int.format(v));
        }
        if let Some(v) = &self.status_message {
            f(1, v);
        }
        if let Some(v) = self.process_time {
            let mut repr = StackStr::default();
            let _ = write_python_float_repr(v, &mut repr);
            f(2, repr.as_str());
        }
        if let Some(v) = &self.ip {
            f(3, v);
        }
        if let Some(v) = self.port {
            f(4, int.format(v));
        }
        if let Some(v) = self.version {
            f(5, int.format(v));
        }
        if let Some(v) = self.nonce {
            f(6, int.format(v));
        }
        if let Some(v) = &self.uuid {
            f(7, v);
        }
        if let Some(v) = &self.hotkey {
            f(8, v);
        }
        if let Some(v) = &self.signature {
            f(9, v);
        }
    }

    /// Sets one field from its header value (`key` without the `bt_header_<end>_` prefix).
    ///
    /// Unknown keys are ignored, as the SDK ignores them.
    ///
    /// # Errors
    ///
    /// [`HeaderError`] when a numeric field does not parse.
    pub fn set_from_header(&mut self, key: &str, value: &str) -> Result<(), HeaderError> {
        let bad = |what: &'static str| HeaderError { field: what.to_owned(), value: value.into() };
        match key {
            "status_code" => {
                self.status_code = Some(parse_int(value).ok_or_else(|| bad("status_code"))?)
            }
            "status_message" => self.status_message = Some(value.to_owned()),
            "process_time" => {
                self.process_time = Some(value.trim().parse().map_err(|_| bad("process_time"))?);
            }
            "ip" => self.ip = Some(value.to_owned()),
            "port" => self.port = Some(parse_int(value).ok_or_else(|| bad("port"))?),
            "version" => self.version = Some(parse_int(value).ok_or_else(|| bad("version"))?),
            "nonce" => self.nonce = Some(value.trim().parse().map_err(|_| bad("nonce"))?),
            "uuid" => self.uuid = Some(value.to_owned()),
            "hotkey" => self.hotkey = Some(value.to_owned()),
            "signature" => self.signature = Some(value.to_owned()),
            _ => {}
        }
        Ok(())
    }
}

fn parse_int(value: &str) -> Option<i64> {
    value.trim().parse().ok()
}

/// A header value that does not parse as the field's type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("header {field} has value {value:?}, which is not a valid {field}")]
pub struct HeaderError {
    /// The field (header name without its prefix).
    pub field: String,
    /// The value received.
    pub value: String,
}

/// The fields every synapse has (`bittensor.Synapse`'s own fields), in `model_dump` order.
///
/// Wire format: flattened into the synapse's JSON object ahead of the subclass fields.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SynapseBase {
    /// The route name: the synapse's class name.
    pub name: String,
    /// Call timeout in seconds, set by the dendrite.
    pub timeout: f64,
    /// CPython object size of the request; meaningless outside CPython, kept for the wire.
    pub total_size: i64,
    /// CPython object size of the headers; meaningless outside CPython, kept for the wire.
    pub header_size: i64,
    /// The caller.
    pub dendrite: TerminalInfo,
    /// The callee.
    pub axon: TerminalInfo,
    /// The body hash; travels in the header, the body copy stays empty.
    pub computed_body_hash: String,
}

impl Default for SynapseBase {
    fn default() -> Self {
        Self {
            name: String::new(),
            timeout: DEFAULT_TIMEOUT,
            total_size: 0,
            header_size: 0,
            dendrite: TerminalInfo::default(),
            axon: TerminalInfo::default(),
            computed_body_hash: String::new(),
        }
    }
}

impl SynapseBase {
    /// A base named `name` with the SDK's defaults.
    pub fn named(name: &str) -> Self {
        Self { name: name.to_owned(), ..Self::default() }
    }

    /// Builds the base from request or response headers, as `Synapse.from_headers` does.
    ///
    /// `headers` yields lowercase names and their values. `bt_header_input_obj_*` headers (the
    /// SDK's empty placeholders for required fields) are ignored.
    ///
    /// # Errors
    ///
    /// [`HeaderError`] for a numeric header (`timeout`, sizes, ports, version, nonce, status
    /// code, process time) that does not parse.
    pub fn from_headers<'a>(
        headers: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, HeaderError> {
        let mut base = Self::default();
        for (key, value) in headers {
            let bad = || HeaderError { field: key.to_owned(), value: value.to_owned() };
            if let Some(k) = key.strip_prefix("bt_header_axon_") {
                base.axon.set_from_header(k, value)?;
            } else if let Some(k) = key.strip_prefix("bt_header_dendrite_") {
                base.dendrite.set_from_header(k, value)?;
            } else {
                match key {
                    "name" => base.name = value.to_owned(),
                    "timeout" => {
                        base.timeout = value.trim().parse().map_err(|_| bad())?;
                        if !base.timeout.is_finite() {
                            return Err(bad());
                        }
                    }
                    "total_size" => base.total_size = parse_int(value).ok_or_else(bad)?,
                    "header_size" => base.header_size = parse_int(value).ok_or_else(bad)?,
                    "computed_body_hash" => base.computed_body_hash = value.to_owned(),
                    _ => {}
                }
            }
        }
        Ok(base)
    }

    /// The headers the SDK's `to_headers` writes for this base, with `body_hash` as
    /// `computed_body_hash` (the body copy of that field is always empty).
    pub fn to_headers(&self, body_hash: &str) -> Vec<(&'static str, String)> {
        let mut out = Vec::with_capacity(HEADER_KEYS.len());
        self.visit_headers(body_hash, |i, v| out.push((HEADER_KEYS[i], v.to_owned())));
        out
    }

    /// Calls `f(i, value)` for each header [`SynapseBase::to_headers`] writes, in the same
    /// order, `i` being the header's index in [`HEADER_KEYS`]; the values are borrowed or
    /// rendered on the stack, so an axon can copy them straight into its response.
    pub(crate) fn visit_headers(&self, body_hash: &str, mut f: impl FnMut(usize, &str)) {
        f(0, &self.name);
        let mut repr = StackStr::default();
        let _ = write_python_float_repr(self.timeout, &mut repr);
        f(1, repr.as_str());
        self.axon.visit_headers(&mut |i, v| f(2 + i, v));
        self.dendrite.visit_headers(&mut |i, v| f(12 + i, v));
        let mut int = itoa::Buffer::new();
        f(22, int.format(self.header_size));
        f(23, int.format(self.total_size));
        f(24, body_hash);
    }
}

/// [`TerminalInfo`]'s header keys in wire order, each behind `prefix`.
macro_rules! terminal_keys {
    ($prefix:literal) => {
        [
            concat!($prefix, "status_code"),
            concat!($prefix, "status_message"),
            concat!($prefix, "process_time"),
            concat!($prefix, "ip"),
            concat!($prefix, "port"),
            concat!($prefix, "version"),
            concat!($prefix, "nonce"),
            concat!($prefix, "uuid"),
            concat!($prefix, "hotkey"),
            concat!($prefix, "signature"),
        ]
    };
}

/// [`TerminalInfo`]'s fields in wire order.
const TERMINAL_KEYS: [&str; 10] = terminal_keys!("");

/// The axon's terminal info headers, in [`TERMINAL_KEYS`] order.
const AXON_HEADER_KEYS: [&str; 10] = terminal_keys!("bt_header_axon_");

/// The dendrite's terminal info headers, in [`TERMINAL_KEYS`] order.
const DENDRITE_HEADER_KEYS: [&str; 10] = terminal_keys!("bt_header_dendrite_");

/// Every header a synapse base writes, in [`SynapseBase::to_headers`] order: `name`,
/// `timeout`, the axon's ten, the dendrite's ten, `header_size`, `total_size`,
/// `computed_body_hash`.
pub(crate) const HEADER_KEYS: [&str; 25] = {
    let mut keys = [""; 25];
    keys[0] = "name";
    keys[1] = "timeout";
    let mut i = 0;
    while i < 10 {
        keys[2 + i] = AXON_HEADER_KEYS[i];
        keys[12 + i] = DENDRITE_HEADER_KEYS[i];
        i += 1;
    }
    keys[22] = "header_size";
    keys[23] = "total_size";
    keys[24] = "computed_body_hash";
    keys
};

/// A request/response type served by an axon and sent by a dendrite.
///
/// Implementors embed a [`SynapseBase`] with `#[serde(flatten)]` as their first field and give
/// every own field a default (`#[serde(default)]` on the struct), so that any JSON object the
/// Python SDK would accept parses.
///
/// # Examples
///
/// ```
/// use rustensor_sdk::synapse::{Synapse, SynapseBase};
/// use serde::{Deserialize, Serialize};
///
/// #[derive(Clone, Debug, Default, Serialize, Deserialize)]
/// #[serde(default)]
/// struct Dummy {
///     #[serde(flatten)]
///     base: SynapseBase,
///     dummy_input: i64,
///     dummy_output: Option<i64>,
/// }
///
/// impl Synapse for Dummy {
///     const NAME: &'static str = "Dummy";
///     const REQUIRED_HASH_FIELDS: &'static [&'static str] = &["dummy_input"];
///     fn base(&self) -> &SynapseBase { &self.base }
///     fn base_mut(&mut self) -> &mut SynapseBase { &mut self.base }
/// }
///
/// let d = Dummy { dummy_input: 7, ..Default::default() };
/// // sha3(sha3("7"))
/// assert_eq!(d.body_hash().len(), 64);
/// ```
pub trait Synapse: Serialize + DeserializeOwned + Send + Sync + 'static {
    /// The route and `name` field: the Python class name.
    const NAME: &'static str;
    /// Fields covered by the body hash, in order (Python's `required_hash_fields`).
    const REQUIRED_HASH_FIELDS: &'static [&'static str] = &[];

    /// The common fields.
    fn base(&self) -> &SynapseBase;
    /// The common fields, mutably.
    fn base_mut(&mut self) -> &mut SynapseBase;

    /// The body hash of this synapse as the Python SDK computes it (sdk.md §1.5).
    fn body_hash(&self) -> String {
        if Self::REQUIRED_HASH_FIELDS.is_empty() {
            return EMPTY_BODY_HASH.to_owned();
        }
        match serde_json::to_value(self) {
            Ok(v) => body_hash(&v, Self::REQUIRED_HASH_FIELDS),
            // Serializing a plain data struct to a Value cannot fail; hash nothing if it does.
            Err(_) => body_hash::<&str>(&Value::Null, &[]),
        }
    }
}

/// The JSON keys of [`SynapseBase`]'s fields.
const BASE_KEYS: [&str; 7] =
    ["name", "timeout", "total_size", "header_size", "dendrite", "axon", "computed_body_hash"];

/// Parses synapse `S` from a JSON body: the same value, and on failure the same error, as
/// `serde_json::from_slice::<S>(body)`.
///
/// Why not just that: `S` embeds its [`SynapseBase`] with `#[serde(flatten)]`, and serde parses
/// every key it does not know itself (the whole base, `dendrite` and `axon` objects included)
/// into an intermediate tree first. Here the top-level members are split first, unparsed, and
/// the base and the subclass fields are each parsed straight from their text, which is about
/// twice as fast for a typical request. A body this path does not take (not an object, escaped
/// keys, anything invalid) goes through `from_slice`, so errors read as before.
pub fn parse_synapse<S: Synapse>(body: &[u8]) -> serde_json::Result<S> {
    parse_split(body).or_else(|_| serde_json::from_slice(body))
}

fn parse_split<S: Synapse>(body: &[u8]) -> serde_json::Result<S> {
    let members: Members<'_> = serde_json::from_slice(body)?;
    let (base, own): (Vec<_>, Vec<_>) =
        members.0.into_iter().partition(|(key, _)| BASE_KEYS.contains(key));
    let base: SynapseBase = Members(base).parse()?;
    let mut synapse: S = Members(own).parse()?;
    *synapse.base_mut() = base;
    Ok(synapse)
}

/// The members of a JSON object, keys borrowed (so unescaped) and values unparsed.
struct Members<'a>(Vec<(&'a str, &'a serde_json::value::RawValue)>);

impl<'a> Members<'a> {
    /// `T` parsed from these members as if they were one JSON object.
    fn parse<T: Deserialize<'a>>(self) -> serde_json::Result<T> {
        use serde::de::value::{BorrowedStrDeserializer, MapDeserializer};
        T::deserialize(MapDeserializer::<_, serde_json::Error>::new(
            self.0.into_iter().map(|(k, v)| (BorrowedStrDeserializer::new(k), v)),
        ))
    }
}

impl<'de> Deserialize<'de> for Members<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Members<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut out = Vec::with_capacity(16);
                while let Some(entry) = map.next_entry()? {
                    out.push(entry);
                }
                Ok(Members(out))
            }
        }
        deserializer.deserialize_map(Visit)
    }
}

/// The bare base synapse: the SDK's built-in `/Synapse` ping, which every axon answers.
impl Synapse for SynapseBase {
    const NAME: &'static str = "Synapse";
    fn base(&self) -> &SynapseBase {
        self
    }
    fn base_mut(&mut self) -> &mut SynapseBase {
        self
    }
}

/// SHA3-256 of `data` as lowercase hex, no `0x`.
pub fn sha3_hex(data: &[u8]) -> String {
    hex::encode(Sha3_256::digest(data))
}

/// The body hash of a synapse given as JSON: `sha3_hex(concat(sha3_hex(str(body[f])) for f in
/// fields))`, where `str` is Python's (see [`python_str`]). A missing field hashes as `None`.
pub fn body_hash<S: AsRef<str>>(body: &Value, fields: &[S]) -> String {
    if fields.is_empty() {
        return EMPTY_BODY_HASH.to_owned();
    }
    let mut concat = String::with_capacity(64 * fields.len());
    for f in fields {
        let rendered = match body.get(f.as_ref()) {
            Some(v) => python_str(v),
            None => "None".to_owned(),
        };
        concat.push_str(&sha3_hex(rendered.as_bytes()));
    }
    sha3_hex(concat.as_bytes())
}

/// Python's `str()` of the value pydantic's `model_dump` would hold for this JSON value.
///
/// Strings are raw; everything else is `repr`: `None`, `True`/`False`, ints, floats as Python's
/// shortest round-trip repr, lists `[a, b]`, dicts `{'k': v}` with Python string quoting.
pub fn python_str(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => {
            let mut out = String::new();
            python_repr(other, &mut out);
            out
        }
    }
}

fn python_repr(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("None"),
        Value::Bool(true) => out.push_str("True"),
        Value::Bool(false) => out.push_str("False"),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                out.push_str(&i.to_string());
            } else if let Some(u) = n.as_u64() {
                out.push_str(&u.to_string());
            } else if let Some(f) = n.as_f64() {
                out.push_str(&python_float_repr(f));
            }
        }
        Value::String(s) => python_str_repr(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                python_repr(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                python_str_repr(k, out);
                out.push_str(": ");
                python_repr(item, out);
            }
            out.push('}');
        }
    }
}

/// Python's `repr()` of a `str`: single quotes unless the text holds `'` and no `"`.
fn python_str_repr(s: &str, out: &mut String) {
    let quote = if s.contains('\'') && !s.contains('"') { '"' } else { '\'' };
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if (0x80..0xa0).contains(&(c as u32)) => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push(quote);
}

/// Python's `repr()` of a float: shortest round-trip digits, exponent form when the decimal
/// exponent is below -4 or at least 16 (`1e-05`, `1e+16`), else fixed with at least `.0`.
pub fn python_float_repr(f: f64) -> String {
    let mut out = String::with_capacity(24);
    let _ = write_python_float_repr(f, &mut out);
    out
}

/// Writes [`python_float_repr`] of `f` to `out`.
fn write_python_float_repr(f: f64, out: &mut impl std::fmt::Write) -> std::fmt::Result {
    use std::fmt::Write as _;
    if f.is_nan() {
        return out.write_str("nan");
    }
    if f.is_infinite() {
        return out.write_str(if f > 0.0 { "inf" } else { "-inf" });
    }
    // Rust's `{:e}` gives the shortest round-trip digits: "1.5e-5", "-1e16", "0e0".
    let mut sci = StackStr::default();
    write!(sci, "{f:e}")?;
    let (mantissa, exp) = sci.as_str().split_once('e').unwrap_or((sci.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mantissa),
    };
    if !(-4..16).contains(&exp) {
        let exp_sign = if exp < 0 { '-' } else { '+' };
        return write!(out, "{sign}{mantissa}e{exp_sign}{:02}", exp.unsigned_abs());
    }
    // The digits are `lead` then `frac` (one digit before the point in `{:e}` form).
    let (lead, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    out.write_str(sign)?;
    let zeros =
        |out: &mut dyn std::fmt::Write, n: i32| (0..n).try_for_each(|_| out.write_char('0'));
    if exp < 0 {
        out.write_str("0.")?;
        zeros(out, -exp - 1)?;
        out.write_str(lead)?;
        out.write_str(frac)
    } else if exp as usize >= frac.len() {
        out.write_str(lead)?;
        out.write_str(frac)?;
        zeros(out, exp - frac.len() as i32)?;
        out.write_str(".0")
    } else {
        let (int, rest) = frac.split_at(exp as usize);
        write!(out, "{lead}{int}.{rest}")
    }
}

/// A short string on the stack, for rendering a number without allocating.
#[derive(Default)]
struct StackStr {
    buf: [u8; 32],
    len: usize,
}

impl StackStr {
    fn as_str(&self) -> &str {
        // Only whole `&str`s are ever appended, so the bytes are valid UTF-8.
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or("")
    }
}

impl std::fmt::Write for StackStr {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self
            .len
            .checked_add(s.len())
            .filter(|&e| e <= self.buf.len())
            .ok_or(std::fmt::Error)?;
        self.buf[self.len..end].copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// The generic health-check synapse: `Echo{n: int = 0, text: str = "", out: Optional[str]}`.
///
/// Wire format: matches the Python class `Echo(bt.Synapse)` with those fields and no
/// `required_hash_fields`; an axon's reply sets `out` to `text`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Echo {
    /// The common fields.
    #[serde(flatten)]
    pub base: SynapseBase,
    /// A number.
    pub n: i64,
    /// The text to echo.
    pub text: String,
    /// The reply.
    pub out: Option<String>,
}

impl Echo {
    /// A request for `text` with number `n`.
    pub fn new(n: i64, text: impl Into<String>) -> Self {
        Self { base: SynapseBase::named(Self::NAME), n, text: text.into(), out: None }
    }
}

impl Synapse for Echo {
    const NAME: &'static str = "Echo";
    fn base(&self) -> &SynapseBase {
        &self.base
    }
    fn base_mut(&mut self) -> &mut SynapseBase {
        &mut self.base
    }
}

/// [`Echo`] with the body hash over `n` and `text` (`required_hash_fields = ("n", "text")`).
///
/// Wire format: matches the Python class `EchoHashed` of the captured fixtures.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EchoHashed {
    /// The common fields.
    #[serde(flatten)]
    pub base: SynapseBase,
    /// A number, covered by the body hash.
    pub n: i64,
    /// The text to echo, covered by the body hash.
    pub text: String,
    /// The reply.
    pub out: Option<String>,
}

impl EchoHashed {
    /// A request for `text` with number `n`.
    pub fn new(n: i64, text: impl Into<String>) -> Self {
        Self { base: SynapseBase::named(Self::NAME), n, text: text.into(), out: None }
    }
}

impl Synapse for EchoHashed {
    const NAME: &'static str = "EchoHashed";
    const REQUIRED_HASH_FIELDS: &'static [&'static str] = &["n", "text"];
    fn base(&self) -> &SynapseBase {
        &self.base
    }
    fn base_mut(&mut self) -> &mut SynapseBase {
        &mut self.base
    }
}

/// A streaming health-check synapse: `StreamEcho{text: str = "", out: Optional[str]}`; a
/// streaming axon answers it with the words of `text`, one chunk each (see
/// [`crate::axon::Axon::attach_streaming`]).
///
/// Wire format: matches a Python `StreamEcho(bt.StreamingSynapse)` with those fields and no
/// `required_hash_fields` (the interop tests' `synapses.py`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StreamEcho {
    /// The common fields.
    #[serde(flatten)]
    pub base: SynapseBase,
    /// The text to stream back.
    pub text: String,
    /// The reply, as a Python client accumulates it.
    pub out: Option<String>,
}

impl StreamEcho {
    /// A request to stream back `text`.
    pub fn new(text: impl Into<String>) -> Self {
        Self { base: SynapseBase::named("StreamEcho"), text: text.into(), out: None }
    }
}

impl Synapse for StreamEcho {
    const NAME: &'static str = "StreamEcho";
    fn base(&self) -> &SynapseBase {
        &self.base
    }
    fn base_mut(&mut self) -> &mut SynapseBase {
        &mut self.base
    }
}

/// The message a dendrite signs: `"{nonce}.{dendrite_ss58}.{axon_ss58}.{uuid}.{body_hash}"`.
///
/// Wire format: sdk.md §1.6; the axon rebuilds it with its own hotkey.
pub fn signature_message(
    nonce: u64,
    dendrite_hotkey: &str,
    axon_hotkey: &str,
    uuid: &str,
    body_hash: &str,
) -> String {
    // `join` sizes the string once; an axon builds this for every request, and `format!`
    // costs about twice as much.
    let mut nonce_text = itoa::Buffer::new();
    [nonce_text.format(nonce), dendrite_hotkey, axon_hotkey, uuid, body_hash].join(".")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn test_body_hash_empty_fields_is_sha3_of_empty_string() {
        assert_eq!(sha3_hex(b""), EMPTY_BODY_HASH);
        assert_eq!(Echo::new(41, "hello").body_hash(), EMPTY_BODY_HASH);
    }

    #[test]
    fn test_body_hash_matches_python_for_n_and_text() {
        // Measured with bittensor 10.5.0 (sdk.md §1.5 and fixture echohashed_request.http).
        assert_eq!(
            EchoHashed::new(7, "abc").body_hash(),
            "3d92e01f481fe355b5370db053dcfa666fa04f7508c814795625e4ff88d73d05"
        );
    }

    #[test]
    fn test_python_float_repr_matches_python() {
        for (f, want) in [
            (0.1, "0.1"),
            (5.0, "5.0"),
            (12.0, "12.0"),
            (100.0, "100.0"),
            (1.5, "1.5"),
            (-2.25, "-2.25"),
            (0.0, "0.0"),
            (1e-5, "1e-05"),
            (0.0001, "0.0001"),
            (7.510185241699219e-05, "7.510185241699219e-05"),
            (1e16, "1e+16"),
            (123456789012345.6, "123456789012345.6"),
            (1.2345e20, "1.2345e+20"),
        ] {
            assert_eq!(python_float_repr(f), want, "{f}");
        }
    }

    #[test]
    fn test_python_str_matches_python_repr_shapes() {
        assert_eq!(python_str(&json!("raw 'text'")), "raw 'text'");
        assert_eq!(python_str(&json!(null)), "None");
        assert_eq!(python_str(&json!(true)), "True");
        assert_eq!(python_str(&json!([1, 2])), "[1, 2]");
        assert_eq!(python_str(&json!({"a": 1.5})), "{'a': 1.5}");
        assert_eq!(python_str(&json!(["it's", "x\ny"])), "[\"it's\", 'x\\ny']");
        assert_eq!(python_str(&json!([{"content": "x"}])), "[{'content': 'x'}]");
    }

    #[test]
    fn test_echo_serializes_in_pydantic_field_order() {
        let json = serde_json::to_string(&Echo::new(1, "a")).expect("serializes");
        assert!(json.starts_with(
            "{\"name\":\"Echo\",\"timeout\":12.0,\"total_size\":0,\"header_size\":0,\"dendrite\":{\"status_code\":null"
        ));
        assert!(json.ends_with("\"computed_body_hash\":\"\",\"n\":1,\"text\":\"a\",\"out\":null}"));
    }

    #[test]
    fn test_echo_parses_minimal_and_empty_bodies_with_defaults() {
        let e: Echo = serde_json::from_str("{}").expect("parses");
        assert_eq!(e.base.timeout, DEFAULT_TIMEOUT);
        let e: Echo = serde_json::from_str(r#"{"n": 5, "text": "min"}"#).expect("parses");
        assert_eq!((e.n, e.text.as_str()), (5, "min"));
    }

    #[test]
    fn test_from_headers_rejects_non_numeric_nonce() {
        let err =
            SynapseBase::from_headers([("bt_header_dendrite_nonce", "abc")]).expect_err("rejected");
        assert_eq!(err.field, "nonce");
    }

    /// `parse_synapse` and `serde_json::from_slice` agree: same value or same error text.
    fn assert_parses_like_serde<S: Synapse + PartialEq + std::fmt::Debug>(body: &str) {
        let fast = parse_synapse::<S>(body.as_bytes()).map_err(|e| e.to_string());
        let slow = serde_json::from_slice::<S>(body.as_bytes()).map_err(|e| e.to_string());
        assert_eq!(fast, slow, "body {body}");
    }

    #[test]
    fn test_base_keys_are_exactly_synapse_base_fields() {
        let json = serde_json::to_value(SynapseBase::default()).expect("serializes");
        let fields: Vec<&str> =
            json.as_object().expect("an object").keys().map(String::as_str).collect();
        let mut keys = BASE_KEYS.to_vec();
        keys.sort_unstable();
        assert_eq!(fields, keys);
    }

    #[test]
    fn test_parse_synapse_agrees_with_serde_on_edge_bodies() {
        let full = serde_json::to_string(&Echo {
            base: SynapseBase {
                timeout: 5.5,
                dendrite: TerminalInfo {
                    nonce: Some(17),
                    hotkey: Some("5Grw".into()),
                    ..Default::default()
                },
                ..SynapseBase::named("Echo")
            },
            ..Echo::new(41, "hello \"quoted\" \u{e9}")
        })
        .expect("serializes");
        // The usual body takes the fast path.
        assert!(parse_split::<Echo>(full.as_bytes()).is_ok(), "{full}");
        for body in [
            full.as_str(),
            "{}",
            r#"{"n": 5, "text": "min"}"#,
            r#"{"text": "x", "extra": [1, {"a": null}], "timeout": 3}"#,
            r#"{"n": "five"}"#,
            r#"{"timeout": "slow"}"#,
            r#"{"dendrite": {"nonce": -1}}"#,
            r#"{"dendrite": 7}"#,
            r#"{"n": 1, "n": 2}"#,
            r#"{"timeout": 1.0, "timeout": 2.0}"#,
            r#"{"te\u0078t": "escaped key"}"#,
            r#"{"n": 1} trailing"#,
            r#"[1, 2]"#,
            "",
            "{",
            r#"{"axon": {"status_code": 200, "unknown": true}, "out": null}"#,
        ] {
            assert_parses_like_serde::<Echo>(body);
            assert_parses_like_serde::<EchoHashed>(body);
            assert_parses_like_serde::<SynapseBase>(body);
        }
    }

    proptest::proptest! {
        #[test]
        fn test_python_float_repr_round_trips(f in proptest::num::f64::NORMAL | proptest::num::f64::SUBNORMAL | proptest::num::f64::ZERO) {
            let s = python_float_repr(f);
            proptest::prop_assert_eq!(s.parse::<f64>().ok(), Some(f), "{}", s);
            proptest::prop_assert!(s.contains('.') || s.contains('e'), "{}", s);
        }

        #[test]
        fn test_parse_synapse_agrees_with_serde_on_random_bodies(
            members in proptest::collection::vec((
                proptest::sample::select(vec!["name", "timeout", "total_size", "header_size", "dendrite", "axon", "computed_body_hash", "n", "text", "out", "other"]),
                proptest::sample::select(vec!["null", "1", "-3", "2.5", "\"s\"", "true", "[]", "{}", "{\"nonce\": 5, \"ip\": \"1.2.3.4\"}", "{\"port\": \"x\"}", "[1, \"a\"]"]),
            ), 0..8)
        ) {
            let body = format!("{{{}}}", members.iter().map(|(k, v)| format!("\"{k}\": {v}")).collect::<Vec<_>>().join(", "));
            assert_parses_like_serde::<Echo>(&body);
            assert_parses_like_serde::<SynapseBase>(&body);
        }

        #[test]
        fn test_from_headers_never_panics(pairs in proptest::collection::vec(("[a-z_]{0,30}", "\\PC{0,40}"), 0..20)) {
            let _ = SynapseBase::from_headers(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        }

        #[test]
        fn test_python_str_never_panics(s in "\\PC{0,40}", n in proptest::num::i64::ANY, f in proptest::num::f64::ANY) {
            let v = json!({"s": s, "n": n, "l": [f, null, true], "d": {"k": s}});
            let _ = python_str(&v);
            let _ = body_hash(&v, &["s", "n", "l", "d", "missing"]);
        }
    }
}
