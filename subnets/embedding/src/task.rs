//! The validator's tasks: sets of texts whose correct pairing only the validator knows.
//!
//! A round's task follows reference/ml.md §3.A. From the shipped corpus
//! (`corpus/pairs.tsv`: 100 question/passage pairs in ten categories, written for rustensor
//! and dedicated to the public domain) the validator draws `pairs` pairs. Each question is
//! **paraphrased** by a few seeded rewrites (prefixes, synonyms, dropped punctuation), so the
//! exact query text is new every round and an answer cached from an earlier round is worth
//! nothing. Then come `distractors` passages that answer none of the queries: passages of
//! other pairs, preferring the categories already drawn (hard negatives), and **generated
//! splices** of two passages (first half of one, second half of another). Finally one text is
//! sent twice: an honest model gives it the same vector both times, a random one does not.
//!
//! Everything is shuffled with the round's seed, so miners see a flat list of texts with no
//! hint of which is a query, which a passage and which pairs belong together.

use std::collections::BTreeSet;

use rand::Rng;
use rand::seq::SliceRandom;

/// The corpus shipped with the crate.
pub const BUILTIN_CORPUS: &str = include_str!("../corpus/pairs.tsv");

/// One known pairing: a question and the passage that answers it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pair {
    /// A topic label; distractors prefer the categories of the drawn pairs.
    pub category: String,
    /// The question (sent paraphrased).
    pub query: String,
    /// The passage that answers it.
    pub passage: String,
}

/// A corpus line that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    /// A line without exactly three tab-separated fields.
    #[error(
        "corpus line {line}: expected `category<TAB>question<TAB>passage`, found {fields} field(s)"
    )]
    BadLine {
        /// 1-based line number.
        line: usize,
        /// Fields found.
        fields: usize,
    },
    /// A field is empty.
    #[error("corpus line {line}: an empty field")]
    EmptyField {
        /// 1-based line number.
        line: usize,
    },
    /// Too few pairs to build a task from.
    #[error(
        "the corpus has {have} pairs, but a task of {pairs} pairs and {distractors} distractors needs at least {need}"
    )]
    TooSmall {
        /// Pairs in the corpus.
        have: usize,
        /// Pairs a task asks for.
        pairs: usize,
        /// Distractors a task asks for.
        distractors: usize,
        /// Pairs needed.
        need: usize,
    },
}

/// Question/passage pairs to build tasks from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Corpus {
    pairs: Vec<Pair>,
}

impl Corpus {
    /// The shipped corpus (100 pairs).
    pub fn builtin() -> Self {
        // The shipped file is checked by a unit test, so this cannot fail at run time.
        Self::parse(BUILTIN_CORPUS).unwrap_or(Self { pairs: Vec::new() })
    }

    /// Parses `category<TAB>question<TAB>passage` lines; blank lines and `#` comments are
    /// skipped.
    ///
    /// # Errors
    ///
    /// [`CorpusError::BadLine`] or [`CorpusError::EmptyField`] with the line number.
    pub fn parse(text: &str) -> Result<Self, CorpusError> {
        let mut pairs = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line_no = i + 1;
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            let [category, query, passage] = fields[..] else {
                return Err(CorpusError::BadLine { line: line_no, fields: fields.len() });
            };
            if [category, query, passage].iter().any(|f| f.trim().is_empty()) {
                return Err(CorpusError::EmptyField { line: line_no });
            }
            pairs.push(Pair {
                category: category.trim().to_owned(),
                query: query.trim().to_owned(),
                passage: passage.trim().to_owned(),
            });
        }
        Ok(Self { pairs })
    }

    /// The first `n` pairs only (a smaller corpus for quick runs and tests).
    #[must_use]
    pub fn truncated(mut self, n: usize) -> Self {
        self.pairs.truncate(n);
        self
    }

    /// The pairs.
    pub fn pairs(&self) -> &[Pair] {
        &self.pairs
    }

    /// Number of pairs.
    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    /// Whether the corpus is empty.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }
}

/// How big a task is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TaskConfig {
    /// Query/passage pairs per task (at least 2).
    pub pairs: usize,
    /// Passages that answer no query.
    pub distractors: usize,
}

impl Default for TaskConfig {
    fn default() -> Self {
        Self { pairs: 16, distractors: 8 }
    }
}

impl TaskConfig {
    /// Pairs the corpus must hold: the drawn pairs plus one per other-pair distractor (two
    /// thirds of the distractors; the rest are splices of those left over).
    pub fn corpus_pairs_needed(&self) -> usize {
        let plain = self.distractors - self.distractors / 3;
        self.pairs.max(2) + plain.max(usize::from(self.distractors > 0))
    }
}

/// One round's texts and the answer key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Task {
    /// The texts sent to miners, in order.
    pub texts: Vec<String>,
    /// For each query, `(index of the query, index of its passage)` in `texts`.
    pub pairs: Vec<(usize, usize)>,
    /// Indices of every passage in `texts`: the true passages and the distractors. Each query
    /// is ranked against all of them.
    pub candidates: Vec<usize>,
    /// Two indices of `texts` holding the same text.
    pub duplicate: (usize, usize),
}

/// Word-level rewrites for paraphrases: (from, to), matched case-insensitively on whole words.
const SYNONYMS: &[(&str, &str)] = &[
    ("why", "for what reason"),
    ("how", "in what way"),
    ("largest", "biggest"),
    ("highest", "tallest"),
    ("make", "produce"),
    ("makes", "produces"),
    ("cold", "chilly"),
    ("find", "locate"),
    ("people", "folks"),
    ("first", "earliest"),
    ("long", "lengthy"),
    ("good", "beneficial"),
    ("need", "require"),
    ("built", "constructed"),
    ("cook", "prepare"),
    ("stay", "remain"),
    ("work", "function"),
];

/// Prefixes a paraphrase may start with.
const PREFIXES: &[&str] = &[
    "Can you explain",
    "I would like to know",
    "Quick question:",
    "Please tell me",
    "Explain briefly",
    "Here is something I wonder about:",
];

/// A seeded rewrite of `question` that keeps its meaning: one or two of synonym substitution,
/// a polite prefix, and a lower-cased form without the question mark.
pub fn paraphrase<R: Rng + ?Sized>(question: &str, rng: &mut R) -> String {
    let mut text = question.to_owned();
    let mut changed = false;
    // Up to two synonym swaps.
    let words: Vec<String> = text.split(' ').map(str::to_owned).collect();
    let mut swappable: Vec<usize> = words
        .iter()
        .enumerate()
        .filter(|(_, w)| SYNONYMS.iter().any(|(from, _)| bare(w).eq_ignore_ascii_case(from)))
        .map(|(i, _)| i)
        .collect();
    swappable.shuffle(rng);
    let mut words = words;
    for &i in swappable.iter().take(2) {
        if rng.gen_bool(0.7) {
            let word = &words[i];
            if let Some((_, to)) = SYNONYMS.iter().find(|(f, _)| bare(word).eq_ignore_ascii_case(f))
            {
                let tail = &word[bare(word).len()..];
                let capital = word.chars().next().is_some_and(char::is_uppercase);
                let mut rep = if capital { capitalise(to) } else { (*to).to_owned() };
                rep.push_str(tail);
                words[i] = rep;
                changed = true;
            }
        }
    }
    text = words.join(" ");
    if rng.gen_bool(0.5) || !changed {
        let prefix = PREFIXES[rng.gen_range(0..PREFIXES.len())];
        let body = decapitalise(text.trim_end_matches('?'));
        text = format!("{prefix} {body}");
        if rng.gen_bool(0.5) {
            text.push('?');
        }
    } else if rng.gen_bool(0.5) {
        text = decapitalise(text.trim_end_matches('?'));
    }
    text
}

/// `word` without trailing punctuation.
fn bare(word: &str) -> &str {
    word.trim_end_matches(|c: char| !c.is_alphanumeric())
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

fn decapitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| f.to_lowercase().chain(c).collect())
}

/// A generated distractor: the first half of `a`'s words followed by the second half of
/// `b`'s, a fluent-looking passage that answers neither question fully.
pub fn splice(a: &str, b: &str) -> String {
    let wa: Vec<&str> = a.split_whitespace().collect();
    let wb: Vec<&str> = b.split_whitespace().collect();
    let mut out: Vec<&str> = wa[..wa.len() / 2].to_vec();
    out.extend_from_slice(&wb[wb.len() / 2..]);
    out.join(" ")
}

/// Builds one task from `corpus` with `rng`.
///
/// # Errors
///
/// [`CorpusError::TooSmall`] if the corpus cannot supply `config.pairs` pairs and the
/// distractors.
pub fn build_task<R: Rng + ?Sized>(
    corpus: &Corpus,
    config: TaskConfig,
    rng: &mut R,
) -> Result<Task, CorpusError> {
    let pairs_wanted = config.pairs.max(2);
    let need = config.corpus_pairs_needed();
    if corpus.len() < need {
        return Err(CorpusError::TooSmall {
            have: corpus.len(),
            pairs: pairs_wanted,
            distractors: config.distractors,
            need,
        });
    }
    let mut order: Vec<usize> = (0..corpus.len()).collect();
    order.shuffle(rng);
    let (drawn, rest) = order.split_at(pairs_wanted);
    let categories: BTreeSet<&str> =
        drawn.iter().map(|&i| corpus.pairs[i].category.as_str()).collect();
    // Other-pair distractors: same categories first.
    let mut others: Vec<usize> = rest.to_vec();
    others.sort_by_key(|&i| !categories.contains(corpus.pairs[i].category.as_str()));

    // (text, role): role = Some(pair index) for a query, None otherwise.
    enum Role {
        Query(usize),
        Passage(usize),
        Distractor,
    }
    let mut items: Vec<(String, Role)> = Vec::new();
    for (k, &i) in drawn.iter().enumerate() {
        let pair = &corpus.pairs[i];
        items.push((paraphrase(&pair.query, rng), Role::Query(k)));
        items.push((pair.passage.clone(), Role::Passage(k)));
    }
    let splices = config.distractors / 3;
    let plain = config.distractors - splices;
    for &i in others.iter().take(plain) {
        items.push((corpus.pairs[i].passage.clone(), Role::Distractor));
    }
    for _ in 0..splices {
        let a = &corpus.pairs[rest[rng.gen_range(0..rest.len())]].passage;
        let b = &corpus.pairs[rest[rng.gen_range(0..rest.len())]].passage;
        items.push((splice(a, b), Role::Distractor));
    }
    // One text twice: a passage, so it also counts as a candidate.
    let dup_of = rng.gen_range(0..pairs_wanted);
    items.push((corpus.pairs[drawn[dup_of]].passage.clone(), Role::Distractor));
    items.shuffle(rng);

    let mut query_at = vec![0; pairs_wanted];
    let mut passage_at = vec![0; pairs_wanted];
    let mut candidates = Vec::new();
    let mut texts = Vec::with_capacity(items.len());
    for (at, (text, role)) in items.into_iter().enumerate() {
        match role {
            Role::Query(k) => query_at[k] = at,
            Role::Passage(k) => {
                passage_at[k] = at;
                candidates.push(at);
            }
            Role::Distractor => candidates.push(at),
        }
        texts.push(text);
    }
    let dup_text = &corpus.pairs[drawn[dup_of]].passage;
    let copies: Vec<usize> =
        texts.iter().enumerate().filter(|(_, t)| *t == dup_text).map(|(i, _)| i).collect();
    let duplicate = (copies[0], copies[copies.len() - 1]);
    // The copy that is not the true passage must not be ranked as a rival of itself: keep
    // only the true passage among the candidates.
    let true_at = passage_at[dup_of];
    let other_copy = if duplicate.0 == true_at { duplicate.1 } else { duplicate.0 };
    candidates.retain(|&c| c != other_copy);
    let pairs = query_at.into_iter().zip(passage_at).collect();
    Ok(Task { texts, pairs, candidates, duplicate })
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    use super::*;

    #[test]
    fn test_builtin_corpus_parses_to_one_hundred_distinct_pairs() {
        let corpus = Corpus::parse(BUILTIN_CORPUS).expect("shipped corpus parses");
        assert_eq!(corpus.len(), 100);
        let passages: BTreeSet<&str> = corpus.pairs().iter().map(|p| p.passage.as_str()).collect();
        assert_eq!(passages.len(), 100, "passages are distinct");
        let categories: BTreeSet<&str> =
            corpus.pairs().iter().map(|p| p.category.as_str()).collect();
        assert!(categories.len() >= 8, "{categories:?}");
    }

    #[test]
    fn test_corpus_errors_name_the_line() {
        let err = Corpus::parse("# c\na\tb\n").expect_err("two fields");
        assert!(err.to_string().contains("line 2"), "{err}");
        let err = Corpus::parse("a\t \tc\n").expect_err("empty");
        assert!(matches!(err, CorpusError::EmptyField { line: 1 }));
    }

    #[test]
    fn test_task_has_every_text_once_except_the_duplicate() {
        let corpus = Corpus::builtin();
        let config = TaskConfig { pairs: 16, distractors: 8 };
        for seed in 0..50 {
            let mut rng = StdRng::seed_from_u64(seed);
            let task = build_task(&corpus, config, &mut rng).expect("task");
            assert_eq!(task.texts.len(), 2 * 16 + 8 + 1);
            assert_eq!(task.pairs.len(), 16);
            // 16 passages + 8 distractors (the duplicate's second copy is not a candidate).
            assert_eq!(task.candidates.len(), 24);
            let (a, b) = task.duplicate;
            assert_ne!(a, b);
            assert_eq!(task.texts[a], task.texts[b]);
            for &(q, p) in &task.pairs {
                assert!(task.candidates.contains(&p));
                assert!(!task.candidates.contains(&q));
                let pair = corpus.pairs().iter().find(|x| x.passage == task.texts[p]);
                assert!(pair.is_some(), "passage {p} is a corpus passage");
            }
        }
    }

    #[test]
    fn test_same_seed_same_task_other_seed_other_queries() {
        let corpus = Corpus::builtin();
        let t1 = build_task(&corpus, TaskConfig::default(), &mut StdRng::seed_from_u64(7));
        let t2 = build_task(&corpus, TaskConfig::default(), &mut StdRng::seed_from_u64(7));
        let t3 = build_task(&corpus, TaskConfig::default(), &mut StdRng::seed_from_u64(8));
        assert_eq!(t1.as_ref().ok(), t2.as_ref().ok());
        assert_ne!(t1.ok().map(|t| t.texts), t3.ok().map(|t| t.texts));
    }

    #[test]
    fn test_paraphrase_changes_the_text_but_keeps_its_content_words() {
        let mut rng = StdRng::seed_from_u64(1);
        for pair in Corpus::builtin().pairs() {
            let p = paraphrase(&pair.query, &mut rng);
            assert_ne!(p, pair.query);
            // Every content word that has no synonym survives the rewrite.
            let lower = p.to_lowercase();
            for word in pair.query.split_whitespace().map(bare).filter(|w| w.len() >= 4) {
                if SYNONYMS.iter().any(|(from, _)| word.eq_ignore_ascii_case(from)) {
                    continue;
                }
                assert!(lower.contains(&word.to_lowercase()), "{p:?} lost {word}");
            }
        }
    }

    #[test]
    fn test_splice_takes_halves() {
        assert_eq!(splice("a b c d", "w x y z"), "a b y z");
    }

    #[test]
    fn test_too_small_corpus_is_refused() {
        let corpus = Corpus::builtin().truncated(5);
        let err = build_task(&corpus, TaskConfig::default(), &mut StdRng::seed_from_u64(1))
            .expect_err("too small");
        assert!(matches!(err, CorpusError::TooSmall { have: 5, .. }), "{err:?}");
    }
}
