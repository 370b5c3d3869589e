"""Reference numbers and a speed baseline from Python sentence-transformers.

Builds all-MiniLM-L6-v2 from the three files scripts/fetch-models installs, with the pipeline
the model's modules.json lists (Transformer with max_seq_length 256, mean pooling, Normalize),
so no hub download happens.

    python st_reference.py MODEL_DIR ref              cosines used by tests/it/model.rs
    python st_reference.py MODEL_DIR bench TEXTS SECONDS SIZES...   JSON lines like examples/bench.rs

Needs `pip install sentence-transformers` (torch); not part of the test suite.
"""
import json
import sys
import time

from sentence_transformers import SentenceTransformer, models


def load(model_dir):
    transformer = models.Transformer(model_dir, max_seq_length=256)
    pooling = models.Pooling(transformer.get_word_embedding_dimension(), pooling_mode="mean")
    return SentenceTransformer(modules=[transformer, pooling, models.Normalize()], device="cpu")


# The sentences of tests/it/model.rs::test_embedding_matches_python_on_more_texts.
REF_TEXTS = [
    "The weather is lovely today.",
    "It's so sunny outside!",
    "He drove to the stadium.",
    "A man is playing a guitar on stage.",
    "Someone performs music in front of an audience.",
    "The stock market fell sharply after the announcement.",
    "Der Hund spielt im Garten.",
    "",
    # Longer than the wheel's 128-token padding and the model's 256-token window.
    " ".join(["validators score miners by how well their vectors pair up texts"] * 30),
    " ".join(["validators score miners by how well their vectors pair up texts"] * 30)
    + " and this tail lies past the window",
]


def main():
    model = load(sys.argv[1])
    if sys.argv[2] == "ref":
        emb = model.encode(REF_TEXTS, batch_size=32, convert_to_numpy=True)
        pairs = [(0, 1), (0, 2), (1, 2), (3, 4), (3, 5), (4, 5), (0, 6), (6, 7), (0, 8), (8, 9)]
        for i, j in pairs:
            print(f"({i}, {j}): {float(emb[i] @ emb[j]):.6f}")
        print("first5 of 3:", [round(float(x), 6) for x in emb[3][:5]])
        print("first5 of 8:", [round(float(x), 6) for x in emb[8][:5]])
    else:
        texts = open(sys.argv[3]).read().splitlines()
        secs = float(sys.argv[4])
        for size in [int(s) for s in sys.argv[5:]]:
            requests = [[texts[(s + i) % len(texts)] for i in range(size)] for s in range(64)]
            model.encode(requests[0], batch_size=32)
            times = []
            begin = time.perf_counter()
            while time.perf_counter() - begin < secs or not times:
                t = time.perf_counter()
                model.encode(requests[len(times) % len(requests)], batch_size=32)
                times.append(time.perf_counter() - t)
            total = time.perf_counter() - begin
            times.sort()
            print(json.dumps({
                "impl": "python-sentence-transformers",
                "texts_per_call": size,
                "calls": len(times),
                "embeddings_per_s": round(len(times) * size / total, 1),
                "median_ms": round(times[len(times) // 2] * 1e3, 2),
                "min_ms": round(times[0] * 1e3, 2),
            }))


if __name__ == "__main__":
    main()
