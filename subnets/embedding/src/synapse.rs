//! The `TextEmbedding` synapse: a list of texts from the validator, one vector per text back
//! from the miner (reference/ml.md §3.A, `embed(texts[]) -> f32[n][384]`).
//!
//! Wire format: the JSON of a Python `bittensor.Synapse` subclass
//!
//! ```python
//! class TextEmbedding(bt.Synapse):
//!     texts: List[str] = []
//!     embeddings: Optional[List[List[float]]] = None
//!     required_hash_fields: ClassVar[Tuple[str, ...]] = ("texts",)
//! ```
//!
//! served at `POST /TextEmbedding`. The body hash covers `texts`, so the texts a miner embeds
//! are the ones the validator signed; the embeddings travel back unsigned, as every synapse
//! response does. Changing a field name breaks Python peers.

use rustensor_sdk::synapse::{Synapse, SynapseBase};
use serde::{Deserialize, Serialize};

/// A request to embed `texts`, and the miner's answer in `embeddings`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TextEmbedding {
    /// The common fields.
    #[serde(flatten)]
    pub base: SynapseBase,
    /// The texts to embed, covered by the body hash.
    pub texts: Vec<String>,
    /// The answer: one vector per text, in the order of `texts`; `None` in a request.
    pub embeddings: Option<Vec<Vec<f32>>>,
}

impl TextEmbedding {
    /// A request for `texts`.
    pub fn new<S: Into<String>>(texts: impl IntoIterator<Item = S>) -> Self {
        Self {
            base: SynapseBase::named(Self::NAME),
            texts: texts.into_iter().map(Into::into).collect(),
            embeddings: None,
        }
    }
}

impl Synapse for TextEmbedding {
    const NAME: &'static str = "TextEmbedding";
    const REQUIRED_HASH_FIELDS: &'static [&'static str] = &["texts"];
    fn base(&self) -> &SynapseBase {
        &self.base
    }
    fn base_mut(&mut self) -> &mut SynapseBase {
        &mut self.base
    }
}

#[cfg(test)]
mod tests {
    use rustensor_sdk::synapse::{body_hash, sha3_hex};
    use serde_json::json;

    use super::*;

    #[test]
    fn test_text_embedding_json_has_python_field_names_and_order() {
        let mut s = TextEmbedding::new(["a b", "c"]);
        s.embeddings = Some(vec![vec![0.5, -1.0], vec![0.25, 2.0]]);
        let v = serde_json::to_value(&s).expect("serializes");
        assert_eq!(v["name"], "TextEmbedding");
        assert_eq!(v["texts"], json!(["a b", "c"]));
        assert_eq!(v["embeddings"], json!([[0.5, -1.0], [0.25, 2.0]]));
        let text = serde_json::to_string(&s).expect("serializes");
        let (texts_at, emb_at) =
            (text.find("\"texts\"").expect("texts"), text.find("\"embeddings\"").expect("emb"));
        assert!(text.find("\"computed_body_hash\"").expect("base") < texts_at);
        assert!(texts_at < emb_at, "{text}");
        let back: TextEmbedding = serde_json::from_str(&text).expect("parses");
        assert_eq!(back, s);
    }

    #[test]
    fn test_text_embedding_parses_a_minimal_request() {
        let s: TextEmbedding = serde_json::from_str(r#"{"texts": ["x"]}"#).expect("parses");
        assert_eq!(s.texts, ["x"]);
        assert_eq!(s.embeddings, None);
    }

    #[test]
    fn test_text_embedding_body_hash_is_over_python_str_of_texts() {
        let s = TextEmbedding::new(["it's", "b"]);
        // Python: sha3_256(sha3_256(str(["it's", "b"])).hexdigest()).hexdigest()
        let expected = sha3_hex(sha3_hex(br#"["it's", 'b']"#).as_bytes());
        assert_eq!(s.body_hash(), expected);
        let v = serde_json::to_value(&s).expect("serializes");
        assert_eq!(body_hash(&v, TextEmbedding::REQUIRED_HASH_FIELDS), expected);
    }
}
