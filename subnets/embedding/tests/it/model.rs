//! Tests against the real all-MiniLM-L6-v2 weights: the Rust embedding agrees with the
//! published sentence-transformers output, and the miner answers over a real axon.
//!
//! The weights are installed by `scripts/fetch-models` (run by `scripts/setup`). Without them
//! these tests skip with a message locally, and fail in CI (`CI` set), where setup must have
//! installed them.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use rustensor_embedding::embedder::{Embedder, MAX_SEQ_TOKENS, default_model_dir};
use rustensor_embedding::miner::{self, Miner, RequestError};
use rustensor_embedding::synapse::TextEmbedding;
use rustensor_primitives::crypto::sr25519::Pair;
use rustensor_sdk::axon::{Axon, AxonConfig};
use rustensor_sdk::dendrite::{AxonTarget, Dendrite};

fn model_dir() -> PathBuf {
    default_model_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."))
}

/// The shared embedder, or `None` (after a message) when the weights are not installed.
///
/// # Panics
///
/// When the weights are missing and `CI` is set, or when they are present but do not load.
fn embedder() -> Option<&'static Embedder> {
    static EMBEDDER: OnceLock<Option<Embedder>> = OnceLock::new();
    EMBEDDER
        .get_or_init(|| {
            let dir = model_dir();
            if !dir.join("model.safetensors").is_file() {
                assert!(
                    std::env::var_os("CI").is_none(),
                    "all-MiniLM-L6-v2 is missing from {} in CI: scripts/setup should have run \
                     scripts/fetch-models",
                    dir.display()
                );
                eprintln!(
                    "SKIPPED: all-MiniLM-L6-v2 not found in {} (run scripts/fetch-models)",
                    dir.display()
                );
                return None;
            }
            let t = Instant::now();
            let e = Embedder::load(&dir).unwrap_or_else(|e| panic!("{e}"));
            eprintln!("loaded {e:?} in {:?}", t.elapsed());
            Some(e)
        })
        .as_ref()
}

fn cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn norm(a: &[f32]) -> f32 {
    cosine(a, a).sqrt()
}

fn max_abs_diff(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| (x - y).abs()).fold(0.0, f32::max)
}

const WEATHER: &str = "The weather is lovely today.";
const SUNNY: &str = "It's so sunny outside!";
const STADIUM: &str = "He drove to the stadium.";

/// The sentence-transformers documentation's example for all-MiniLM-L6-v2 prints this cosine
/// matrix for [WEATHER, SUNNY, STADIUM] (reference/ml.md §2.2, which also reproduced it with an
/// independent numpy BERT): (0,1) 0.6660, (0,2) 0.1046, (1,2) 0.1411.
#[test]
fn test_embedding_matches_sentence_transformers_cosines() {
    let Some(e) = embedder() else { return };
    let v = e.embed(&[WEATHER, SUNNY, STADIUM]).expect("embed");
    assert_eq!(v.len(), 3);
    for x in &v {
        assert_eq!(x.len(), 384);
        assert!((norm(x) - 1.0).abs() < 1e-5, "not unit length: {}", norm(x));
    }
    let got = [cosine(&v[0], &v[1]), cosine(&v[0], &v[2]), cosine(&v[1], &v[2])];
    eprintln!("cosines: {got:?}");
    for (g, want) in got.iter().zip([0.6660, 0.1046, 0.1411]) {
        assert!((g - want).abs() < 5e-4, "cosine {g} differs from the reference {want}");
    }
}

/// First five components of each vector as reference/ml.md §2.2 lists them (candle, agreeing
/// to 6 decimals with the numpy reference implementation `ref/bert_np.py`).
#[test]
fn test_embedding_first_components_match_reference() {
    let Some(e) = embedder() else { return };
    let v = e.embed(&[WEATHER, SUNNY, STADIUM]).expect("embed");
    let want: [[f32; 5]; 3] = [
        [0.019195795, 0.12008542, 0.15959837, 0.06706586, 0.050074805],
        [-0.018690363, 0.04151864, 0.07431548, 0.07843272, 0.07556973],
        [0.13650198, 0.08227318, -0.025261557, 0.030451395, 0.053312052],
    ];
    for (got, want) in v.iter().zip(&want) {
        assert!(max_abs_diff(&got[..5], want) < 1e-4, "{:?} vs {want:?}", &got[..5]);
    }
}

fn window_text() -> String {
    vec!["validators score miners by how well their vectors pair up texts"; 30].join(" ")
}

/// More texts, including an empty one and two longer than the 256-token window, against
/// numbers made once with Python sentence-transformers 6.2.0 (torch 2.15.0, transformers
/// 5.23.0, CPU) on the same three files: `python tests/py/st_reference.py MODEL_DIR ref`.
#[test]
fn test_embedding_matches_python_on_more_texts() {
    let Some(e) = embedder() else { return };
    let long = window_text();
    let longer = format!("{long} and this tail lies past the window");
    let texts = [
        WEATHER,
        SUNNY,
        STADIUM,
        "A man is playing a guitar on stage.",
        "Someone performs music in front of an audience.",
        "The stock market fell sharply after the announcement.",
        "Der Hund spielt im Garten.",
        "",
        &long,
        &longer,
    ];
    let v = e.embed(&texts).expect("embed");
    let reference: [((usize, usize), f32); 10] = [
        ((0, 1), 0.665955),
        ((0, 2), 0.104584),
        ((1, 2), 0.141145),
        ((3, 4), 0.494577),
        ((3, 5), -0.089816),
        ((4, 5), -0.053036),
        ((0, 6), 0.047251),
        ((6, 7), 0.189454),
        ((0, 8), 0.019906),
        ((8, 9), 1.000000),
    ];
    for ((i, j), want) in reference {
        let got = cosine(&v[i], &v[j]);
        assert!(
            (got - want).abs() < 5e-4,
            "cosine ({i}, {j}) = {got}, sentence-transformers {want}"
        );
    }
    let first5: [(usize, [f32; 5]); 2] = [
        (3, [0.018591, 0.035837, -0.01521, -0.078206, -0.143276]),
        (8, [-0.004729, -0.017476, -0.010402, 0.015947, -0.054367]),
    ];
    for (i, want) in first5 {
        assert!(max_abs_diff(&v[i][..5], &want) < 1e-4, "{:?} vs {want:?}", &v[i][..5]);
    }
}

/// Padding must not change a vector: a short text embedded alone and in a batch with a long
/// one (padded to the long one's length) gives the same vector. With the wheel's fixed
/// 128-token padding pooled without the mask this fails badly (reference/ml.md §2.2).
#[test]
fn test_embedding_does_not_depend_on_batch_padding_or_order() {
    let Some(e) = embedder() else { return };
    let long = "Validators send texts to miners, miners return vectors, and the validator \
                scores how well the vectors pair up texts whose pairing it knows. "
        .repeat(3);
    let alone = e.embed(&[SUNNY]).expect("embed");
    let batched = e.embed(&[long.as_str(), SUNNY, WEATHER]).expect("embed");
    assert!(max_abs_diff(&alone[0], &batched[1]) < 1e-5);
    // Results come back in input order even though the embedder sorts by length.
    let weather = e.embed(&[WEATHER]).expect("embed");
    assert!(max_abs_diff(&weather[0], &batched[2]) < 1e-5);
    // Batch size 1 gives the same as the default.
    let e1 = Embedder::load(model_dir()).expect("load").with_batch_size(1).expect("batch size");
    let one_by_one = e1.embed(&[long.as_str(), SUNNY, WEATHER]).expect("embed");
    for (a, b) in one_by_one.iter().zip(&batched) {
        assert!(max_abs_diff(a, b) < 1e-5);
    }
}

/// Texts longer than the model's 256-token window are cut there: everything past the window is
/// ignored, so a long text and a longer one with the same start embed identically, while two
/// texts that differ inside the window do not.
#[test]
fn test_embedding_truncates_at_256_tokens() {
    let Some(e) = embedder() else { return };
    // "word " is one token; 300 of them exceed the window of 256 (254 + [CLS] + [SEP]).
    let base = "word ".repeat(300);
    let tail_changed = format!("{base} completely different ending about the stadium");
    let inside_changed = format!("stadium {base}");
    let v = e.embed(&[&base, &tail_changed, &inside_changed]).expect("embed");
    assert!(max_abs_diff(&v[0], &v[1]) < 1e-5, "text past the window changed the vector");
    assert!(max_abs_diff(&v[0], &v[2]) > 1e-3, "text inside the window did not matter");
    assert_eq!(MAX_SEQ_TOKENS, 256);
}

#[test]
fn test_embedding_handles_empty_unicode_and_no_input() {
    let Some(e) = embedder() else { return };
    assert!(e.embed::<&str>(&[]).expect("embed").is_empty());
    let v = e.embed(&["", "日本語のテキスト 🚀", "\u{0}\u{7}\t"]).expect("embed");
    for x in &v {
        assert_eq!(x.len(), 384);
        assert!(x.iter().all(|f| f.is_finite()));
        assert!((norm(x) - 1.0).abs() < 1e-5);
    }
}

/// A 1 MB text is accepted by the miner and costs no more than a window-sized one: the embedder
/// cuts it before tokenizing, and the vector equals that of its first 256 tokens.
#[test]
fn test_miner_embeds_a_one_megabyte_text_quickly() {
    let Some(e) = embedder() else { return };
    let huge = "word ".repeat((1 << 20) / 5);
    assert!(huge.len() >= 1_000_000);
    let short = "word ".repeat(300);
    let miner = Miner::new(Embedder::load(model_dir()).expect("load"));
    let t = Instant::now();
    let v = miner.embed_texts(&[huge]).expect("1 MB text");
    let took = t.elapsed();
    let reference = e.embed(&[short]).expect("embed");
    assert!(max_abs_diff(&v[0], &reference[0]) < 1e-5);
    // Tokenizing the full megabyte (~200 000 tokens) would take far longer in a debug build.
    assert!(took < Duration::from_secs(20), "took {took:?}");
}

#[test]
fn test_miner_refuses_bad_requests_before_running_the_model() {
    let Some(_) = embedder() else { return };
    let miner = Miner::new(Embedder::load(model_dir()).expect("load"));
    let err = miner.embed_texts(&[]).expect_err("empty");
    assert!(matches!(err, miner::Error::Request(RequestError::NoTexts)), "{err:?}");
    let many = vec![String::from("text"); 10_000];
    let t = Instant::now();
    let err = miner.embed_texts(&many).expect_err("10 000 texts");
    assert!(
        matches!(err, miner::Error::Request(RequestError::TooManyTexts { count: 10_000, .. })),
        "{err:?}"
    );
    assert!(t.elapsed() < Duration::from_millis(100), "the model ran: {:?}", t.elapsed());
}

/// End to end: a Rust dendrite sends a signed TextEmbedding to a miner's axon and gets the
/// reference vectors back; a refused request answers an error status and the axon keeps serving.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_miner_answers_over_axon() {
    let Some(e) = embedder() else { return };
    let miner = Arc::new(Miner::new(Embedder::load(model_dir()).expect("load")));
    let bob = Pair::from_uri("//Bob", None).expect("dev key");
    let bob_id = bob.account_id();
    let axon = miner.attach(Axon::new(bob, AxonConfig::default()));
    let handle = axon.serve("127.0.0.1:0".parse().expect("addr")).await.expect("serve");
    let target = AxonTarget::new(handle.local_addr(), bob_id);
    let dendrite = Dendrite::new(Pair::from_uri("//Alice", None).expect("dev key"));

    let request = TextEmbedding::new([WEATHER, SUNNY, STADIUM]);
    let r = dendrite.call(&target, request, Duration::from_secs(60)).await;
    assert_eq!(r.status_code, 200, "{}", r.status_message);
    let got = r.synapse.embeddings.expect("embeddings");
    let want = e.embed(&[WEATHER, SUNNY, STADIUM]).expect("embed");
    assert_eq!(got.len(), 3);
    for (g, w) in got.iter().zip(&want) {
        assert!(max_abs_diff(g, w) < 1e-6);
    }
    assert_eq!(r.synapse.texts, [WEATHER, SUNNY, STADIUM]);

    let empty = TextEmbedding::new(Vec::<String>::new());
    let r = dendrite.call(&target, empty, Duration::from_secs(60)).await;
    assert_eq!(r.status_code, 500, "{}", r.status_message);
    assert!(r.synapse.embeddings.is_none());

    let r = dendrite.call(&target, TextEmbedding::new(["again"]), Duration::from_secs(60)).await;
    assert_eq!(r.status_code, 200, "{}", r.status_message);
    handle.stop();
}

/// The miner's blacklist runs in the axon before the model: a caller that is not in the
/// validator view gets 403 with a message naming it; a validator gets its vectors.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_blacklist_refuses_non_validators_with_403_and_serves_validators() {
    let Some(_) = embedder() else { return };
    let alice = Pair::from_uri("//Alice", None).expect("dev key");
    let charlie = Pair::from_uri("//Charlie", None).expect("dev key");
    let view = miner::ValidatorView::new();
    view.replace([(alice.account_id().to_ss58(), 1_000_000_000_000)].into_iter().collect());
    let miner = Arc::new(
        Miner::new(Embedder::load(model_dir()).expect("load")).with_validators(view.clone()),
    );
    let bob = Pair::from_uri("//Bob", None).expect("dev key");
    let bob_id = bob.account_id();
    let axon = miner.attach(Axon::new(bob, AxonConfig::default()));
    let handle = axon.serve("127.0.0.1:0".parse().expect("addr")).await.expect("serve");
    let target = AxonTarget::new(handle.local_addr(), bob_id);

    let r = Dendrite::new(charlie.clone())
        .call(&target, TextEmbedding::new([WEATHER]), Duration::from_secs(30))
        .await;
    assert_eq!(r.status_code, 403, "{}", r.status_message);
    assert!(r.status_message.contains(&charlie.account_id().to_ss58()), "{}", r.status_message);
    assert!(r.synapse.embeddings.is_none());

    let r = Dendrite::new(alice)
        .call(&target, TextEmbedding::new([WEATHER]), Duration::from_secs(30))
        .await;
    assert_eq!(r.status_code, 200, "{}", r.status_message);
    assert_eq!(r.synapse.embeddings.map(|e| e.len()), Some(1));

    // Once the view changes (a refresher re-read the metagraph), the caller gets in.
    view.replace([(charlie.account_id().to_ss58(), 1)].into_iter().collect());
    let r = Dendrite::new(charlie)
        .call(&target, TextEmbedding::new([WEATHER]), Duration::from_secs(30))
        .await;
    assert_eq!(r.status_code, 200, "{}", r.status_message);
    handle.stop();
}

/// The validator's scoring separates the behaviours on a real task: the honest model ranks the
/// passages, random vectors fail the duplicate check, and a copier replaying another task's
/// answer scores far below honest.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_scoring_separates_honest_random_and_copy_miners() {
    use rand::SeedableRng as _;
    use rustensor_embedding::miner::{AnswerCache, Behaviour};
    use rustensor_embedding::scoring;
    use rustensor_embedding::task::{Corpus, TaskConfig, build_task};

    let Some(_) = embedder() else { return };
    let shared = Arc::new(Embedder::load(model_dir()).expect("load"));
    let cache = AnswerCache::new();
    let honest = Miner::from_shared(Arc::clone(&shared))
        .with_behaviour(Behaviour::Honest, Some(cache.clone()));
    let random = Miner::from_shared(Arc::clone(&shared)).with_behaviour(Behaviour::Random, None);
    let copy = Miner::from_shared(Arc::clone(&shared))
        .with_behaviour(Behaviour::Copy, Some(cache.clone()));

    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let corpus = Corpus::builtin();
    let config = TaskConfig { pairs: 8, distractors: 4 };
    let first = build_task(&corpus, config, &mut rng).expect("task");
    let second = build_task(&corpus, config, &mut rng).expect("task");
    let dim = shared.dim();
    let timeout = Duration::from_secs(12);
    async fn answer(m: &Miner, task: &rustensor_embedding::task::Task) -> Vec<Vec<f32>> {
        let request = TextEmbedding::new(task.texts.clone());
        m.forward(request).await.expect("forward").embeddings.expect("vectors")
    }

    // The honest miner answers the first task (and publishes it to the copier's cache).
    let h1 = answer(&honest, &first).await;
    let s = scoring::score(&first, &h1, dim, Duration::from_millis(50), timeout);
    assert!(s.rejected.is_none(), "{s:?}");
    assert!(s.top1 >= 0.75 && s.score > 0.7, "honest: {s:?}");

    // Random vectors give the duplicated text two different vectors: rejected.
    let r = answer(&random, &second).await;
    let s_random = scoring::score(&second, &r, dim, Duration::from_millis(50), timeout);
    assert_eq!(s_random.score, 0.0, "{s_random:?}");
    assert!(s_random.rejected.as_deref().is_some_and(|m| m.contains("same text")), "{s_random:?}");

    // The copier replays the first task's vectors for the second task's texts.
    let c = answer(&copy, &second).await;
    assert_eq!(c.len(), second.texts.len());
    let replayed = cache.replay(&second.texts).expect("cache holds the honest answer");
    assert_eq!(c, replayed, "a copier answers from the cache, not the model");
    let s_copy = scoring::score(&second, &c, dim, Duration::from_millis(50), timeout);
    let h2 = answer(&honest, &second).await;
    let s_honest = scoring::score(&second, &h2, dim, Duration::from_millis(50), timeout);
    assert!(s_copy.score < 0.5 * s_honest.score, "copy {s_copy:?} vs honest {s_honest:?}");
}

/// Batches of one request run side by side on worker threads give the same vectors, in the
/// same order, as one after another.
#[test]
fn test_batches_on_worker_threads_give_the_same_vectors() {
    let Some(e) = embedder() else { return };
    let texts: Vec<String> = (0..37)
        .map(|i| {
            format!("sentence number {i} about {}", ["rivers", "stars", "bread", "law"][i % 4])
        })
        .collect();
    let one_by_one = e.embed(&texts).expect("embed");
    let spread = Embedder::load(model_dir()).expect("load").with_batch_workers(3);
    assert_eq!(spread.batch_workers(), 3);
    let side_by_side = spread.embed(&texts).expect("embed");
    assert_eq!(side_by_side.len(), texts.len());
    for (a, b) in one_by_one.iter().zip(&side_by_side) {
        assert!(max_abs_diff(a, b) < 1e-6);
    }
}
