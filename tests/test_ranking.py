"""emulator.retrieval.ranking: scores on the real service's scale (each fact with its recording),
deterministic, absolute, with rarer words weighing more."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from emulator.retrieval import relevance_scores, tokenize
from emulator.retrieval.ranking import FLOOR, content_terms, term_counts

DOCS = [
    "Shipping takes three to five business days within the country.",
    "Our refund policy: refunds are paid back to the original card within 14 days of the return.",
    "The office is closed on public holidays.",
    "Gift cards cannot be refunded or exchanged for cash.",
]


def test_tokenize():
    assert tokenize("Hello, WORLD! It's file_name 42 — Ünïcode ﬁle ΣΊΣΥΦΟΣ") == [
        "hello",
        "world",
        "it",
        "s",
        "file_name",
        "42",
        "ünïcode",
        "file",
        "σίσυφοσ",
    ]
    assert tokenize("") == tokenize("?! ...") == []


#: pydantic-ai's test_openai_responses_model_file_search_tool_with_results.yaml (recorded
#: 2025-12-10, api.openai.com): this query against a store of this one 65-byte file scored 0.9716.
RECORDED_QUERY = "What is the capital of France?"
RECORDED_CHUNK = "Paris is the capital of France. It is known for the Eiffel Tower."


def test_a_recorded_clear_match_scores_on_the_services_scale():
    (score,) = relevance_scores(RECORDED_QUERY, [RECORDED_CHUNK])
    assert 0.75 <= score < 1  # the service: 0.9716; it passes a 0.5 score_threshold (BM25 normalised gave 0.22)
    # Azure OpenAI's ResponsesTests/FileSearch(gpt-4o-mini).json (2025-08-06): the model's three
    # rewrites of the question, over the 32-byte test_favorite_foods.txt; the file was cited
    (favorite,) = relevance_scores(
        ["What is Travis's favorite food?", "Travis favorite food", "favorite food of Travis"],
        ["Travis's favorite food is pizza."],
    )
    assert favorite >= 0.75


def test_relevant_document_ranks_first():
    scores = relevance_scores("how many days for a refund to my card", DOCS)
    assert max(range(len(DOCS)), key=scores.__getitem__) == 1
    assert scores[2] == 0 < scores[0] < scores[1] and 0 < scores[3] < scores[1]  # "days" or "cards" alone: weak
    assert all(0 <= s < 1 for s in scores)


def test_no_shared_term_scores_exactly_zero():
    scores = relevance_scores("refund", DOCS)
    assert scores[0] == scores[2] == 0.0 and scores[1] > FLOOR
    assert scores[3] == 0.0  # no stemming: "refunded" is another word
    assert relevance_scores("zebra", DOCS) == [0.0] * 4
    assert relevance_scores("", DOCS) == relevance_scores("?!", DOCS) == relevance_scores([], DOCS) == [0.0] * 4


def test_case_and_punctuation_do_not_matter():
    assert relevance_scores("REFUND policy?", DOCS) == relevance_scores("refund, policy", DOCS)


def test_content_terms():
    assert content_terms("What's Travis's favorite food?") == ["travis", "favorite", "food"]
    assert content_terms("How many days do ships sail? Policies!") == ["day", "ship", "sail", "policy"]
    assert content_terms("Is Paris class famous? Does it refund?") == ["paris", "class", "famous", "refund"]
    assert content_terms("Is it 4 or 5?") == ["4", "5"]
    assert content_terms("Who are you?") == ["who", "are", "you"]  # nothing but function words: all of them
    assert content_terms("?!") == []


def test_degenerate_corpora():
    assert relevance_scores("anything", []) == []
    assert relevance_scores("refund", ["", "  ", "..."]) == [0.0, 0.0, 0.0]
    (single,) = relevance_scores("refund", ["refund policy"])  # a term in every chunk still counts
    assert FLOOR < single < 1
    both = relevance_scores("policy", ["refund policy", "privacy policy"])
    assert both[0] == both[1] > FLOOR
    common = relevance_scores("card", ["card one", "card two", "card three", "nothing here"])
    assert min(common[:3]) > FLOOR and common[3] == 0


def test_full_coverage_scores_between_the_floor_and_one():
    corpus = [
        "refund refund refund policy",
        "refund policy",
        "refund",
        "policy about refund and many other long words that dilute the match a lot",
        "unrelated",
    ]
    scores = relevance_scores("refund policy", corpus)
    assert scores[1] > scores[0] > scores[3] > FLOOR  # length counts, repeats saturate: all within [FLOOR, 1)
    assert all(s < 1 for s in scores)
    assert FLOOR > scores[2] > 0 == scores[4]  # half the query is a weak match
    many = relevance_scores("refund", ["refund " * 500])
    assert FLOOR < many[0] < 1


def test_scores_are_absolute_not_shares_of_the_best():
    # adding weaker chunks does not move the best one's score down to make room, nor up to 1
    alone = relevance_scores("shipping days", DOCS[:1])[0]
    among = relevance_scores("shipping days", DOCS)[0]
    assert alone > FLOOR and among > FLOOR and max(alone, among) < 1


def test_rarer_words_weigh_more():
    corpus = ["alpha beta", "alpha gamma", "alpha delta", "omega"]
    common, rare = relevance_scores("alpha omega", corpus)[0], relevance_scores("alpha omega", corpus)[3]
    assert rare > common > 0  # omega (1 of 4 chunks) says more than alpha (3 of 4)
    assert relevance_scores("alpha alpha alpha", corpus) == relevance_scores("alpha", corpus)  # terms are distinct


def test_query_length_does_not_inflate_scores():
    corpus = ["alpha beta gamma delta", "epsilon zeta eta theta", "iota kappa lambda mu", "nu xi omicron pi"]
    one, four = relevance_scores("alpha", corpus)[0], relevance_scores("alpha beta gamma delta", corpus)[0]
    assert one == pytest.approx(four)
    half = relevance_scores("alpha beta epsilon zeta", corpus)
    assert half[0] == half[1] == pytest.approx(four / 2)  # half the (equally rare) terms: half the score


def test_list_query_is_the_best_of_its_queries():
    separate = [relevance_scores(q, DOCS) for q in ("refund card", "shipping days")]
    combined = relevance_scores(["refund card", "shipping days"], DOCS)
    assert combined == [max(a, b) for a, b in zip(*separate, strict=True)]
    assert relevance_scores(["refund card"], DOCS) == relevance_scores("refund card", DOCS)
    assert relevance_scores(["", "refund"], DOCS) == relevance_scores("refund", DOCS)


def test_threshold_keeps_only_strong_matches():
    scores = relevance_scores("refund card days", DOCS)
    strong = [i for i, s in enumerate(scores) if s >= 0.5]
    weak = [i for i, s in enumerate(scores) if 0 < s < 0.5]
    assert strong == [1] and weak == [0, 3]  # "days", "cards" (plural folded)
    assert not [s for s in scores if s >= 0.999]


def test_scores_are_deterministic_across_hash_seeds():
    program = (
        "from emulator.retrieval import relevance_scores\n"
        "docs = [' '.join(f'{w}{i % 7}' for i in range(n)) for n, w in ((5, 'a'), (9, 'b'), (3, 'a'), (12, 'c'))]\n"
        f"print(repr(relevance_scores(['a1 b2 c3 a4', 'b0 b1 zz'], docs + {DOCS!r})))\n"
    )
    outputs = set()
    for seed in ("0", "1", "4242"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        result = subprocess.run([sys.executable, "-c", program], env=env, capture_output=True, text=True, check=True)
        outputs.add(result.stdout)
    assert len(outputs) == 1
    assert relevance_scores("refund card days", DOCS) == relevance_scores("refund card days", list(DOCS))


def test_term_counts_score_as_their_text():
    indexed = [term_counts(d) for d in DOCS]
    assert (
        indexed[1].length == len(tokenize(DOCS[1]))
        and indexed[1].count("refund") == 2
        and indexed[1].count("zebra") == 0
    )
    for query in ("how many days for a refund to my card", ["refund", "gift cash"], "zebra"):
        assert relevance_scores(query, indexed) == relevance_scores(query, DOCS)


@pytest.mark.parametrize("restart", [False, True], ids=["in-memory", "loaded-from-a-data-directory"])
def test_a_search_reads_each_chunk_once_at_ingestion_not_on_every_search(tmp_path, monkeypatch, restart):
    """A chunk's terms are counted when it is made (or loaded); a search tokenises its queries only."""
    from emulator import Emulator, create_app
    from emulator.clients import in_process_client
    from emulator.retrieval import ranking

    text = "\n\n".join(f"Section {i}: " + " ".join(f"word{i}x{j}" for j in range(300)) for i in range(8))
    options = {"data_dir": str(tmp_path)} if restart else {}
    emulator = Emulator(**options)
    client = in_process_client(create_app(emulator), api_key="k")
    uploaded = client.files.create(file=("long.txt", text.encode()), purpose="assistants")
    store = client.vector_stores.create(file_ids=[uploaded.id])
    before = client.vector_stores.search(store.id, query="word3x7 section").data
    if restart:
        emulator.close()
        emulator = Emulator(**options)
        client = in_process_client(create_app(emulator), api_key="k")
    calls: list[str] = []
    real = ranking.tokenize
    monkeypatch.setattr(ranking, "tokenize", lambda text: calls.append(text) or real(text))
    for query in ("word3x7 section", ["word5x1", "word6x2 word6x3"]):
        client.vector_stores.search(store.id, query=query)
    assert len(calls) == 3, f"tokenised {len(calls)} texts for 3 queries (a document has several chunks)"
    assert [r.model_dump() for r in client.vector_stores.search(store.id, query="word3x7 section").data] == [
        r.model_dump() for r in before
    ]
    emulator.close()
