"""Question answering on the real packaged encoder (EN, FR, cross-lingual), decoding, bad input."""

import json

import numpy as np
import pytest

from dl_apps.tasks import qa
from dl_apps.cache import ModelCache
from dl_apps.core import InputError

E5 = "qa-e5-retrieve-select"  # the fast reader; its rules are what most tests here check
PASSAGES = {p["id"]: p["context"] for p in qa.samples()}

CLEAR = [
    ("eiffel", "Who designed the Eiffel Tower?", "Gustave Eiffel"),
    ("eiffel", "How tall is the Eiffel Tower?", "330 metres"),
    ("eiffel", "When was the tower completed?", "March 1889"),
    ("curie", "Where was Marie Curie born?", "Warsaw"),
    ("curie", "In which year did she win the Nobel Prize in Chemistry?", "1911"),
    ("mont_blanc", "Quelle est l'altitude du mont Blanc ?", "4 806 mètres"),
    ("mont_blanc", "Qui a réalisé la première ascension ?", "Jacques Balmat"),
    ("verne", "Quand est mort Jules Verne ?", "24 mars 1905"),
    ("verne", "Qui était l'éditeur de Jules Verne ?", "Pierre-Jules Hetzel"),
    ("bicycle", "Who built the Rover safety bicycle?", "John Kemp Starley"),
]
CROSS_LINGUAL = [
    ("eiffel", "Qui a conçu la tour Eiffel ?", "Gustave Eiffel"),  # FR question, EN passage
    ("mont_blanc", "How high is Mont Blanc?", "4 806"),  # EN question, FR passage
]


@pytest.fixture(scope="module")
def shared() -> ModelCache:
    """One cache for the module: the encoder loads once and passages are embedded once."""
    cache = ModelCache(budget_mb=100_000)
    yield cache
    cache.clear()


def assert_is_span(result: qa.QAResult, context: str) -> None:
    assert 0 <= result.start < result.end <= len(context)
    assert context[result.start : result.end] == result.answer
    for alternative in result.alternatives:
        assert context[alternative.start : alternative.end] == alternative.text
    assert 0.0 <= result.score <= 1.0


@pytest.mark.parametrize("passage,question,expected", CLEAR + CROSS_LINGUAL)
def test_answers_clear_questions_with_a_span_of_the_context(shared, passage, question, expected):
    context = PASSAGES[passage]
    result = qa.run(question, context, model_id=E5, cache=shared)
    assert_is_span(result, context)
    assert expected.lower() in result.answer.lower()
    assert result.model == E5
    assert result.latency_ms > 0


def test_result_has_the_cli_keys_and_runner_ups(shared):
    result = qa.run("Who designed the Eiffel Tower?", PASSAGES["eiffel"], model_id=E5, cache=shared).to_dict()
    for key in ("answer", "start", "end", "score", "model", "latency_ms"):
        assert key in result
    assert len(result["alternatives"]) == 3
    assert result["retrieved"] and result["retrieved"][0]["score"] >= result["retrieved"][-1]["score"]
    json.dumps(result)


def test_question_types():
    assert qa.question_type("Who built it?") == "person"
    assert qa.question_type("Quand est-il mort ?") == "date"
    assert qa.question_type("Combien de romans ?") == "number"
    assert qa.question_type("How tall is it?") == "number"
    assert qa.question_type("Dans quelle ville est-il né ?") == "place"
    assert qa.question_type("Why is the sky blue?") == "reason"
    assert qa.question_type("What did she discover?") == "other"


def test_no_answer_in_the_passage_gives_a_low_score_and_unsure(shared):
    context = PASSAGES["eiffel"]
    missing = qa.run("What is the capital of Japan?", context, model_id=E5, cache=shared)
    found = qa.run("How tall is the Eiffel Tower?", context, model_id=E5, cache=shared)
    assert_is_span(missing, context)
    assert missing.unsure and missing.score < qa.UNSURE_BELOW
    assert found.score > missing.score + 0.3
    assert not found.unsure


def test_offsets_are_into_the_given_context_even_with_leading_space_and_markup(shared):
    context = "  \n\n<b>Note</b> <script>alert(1)</script>\n" + PASSAGES["curie"]
    result = qa.run("In which year did she win the Nobel Prize in Chemistry?", context, model_id=E5, cache=shared)
    assert_is_span(result, context)
    assert result.answer == "1911"
    html = qa.highlight_html(context, result.start, result.end)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<mark class="qa-answer">1911</mark>' in html


def test_long_passage_is_cut_with_a_notice_and_offsets_stay_valid(shared):
    sentence = "The bridge was opened in 1932 by the mayor. "
    context = sentence * (5 * 1024 * 1024 // len(sentence))  # ~5 MB
    result = qa.run("When was the bridge opened?", context, model_id=E5, cache=shared)
    assert result.notices[0]["code"] == "context_truncated"
    assert result.context_chars == qa.MAX_CONTEXT_CHARS
    assert result.end <= qa.MAX_CONTEXT_CHARS
    assert_is_span(result, context)
    assert result.answer == "1932"


def long_passage() -> str:
    """~16,000 characters of distinct sentences with the Eiffel passage in the middle."""
    items = ["bolts", "screws", "cables", "lamps", "boards", "pipes", "tiles", "gloves"]
    parts = [f"Box {i} in the warehouse holds {i * 7 % 50 + 3} {items[i % 8]} and was checked on day {i % 28 + 1}." for i in range(230)]
    parts.insert(120, PASSAGES["eiffel"])
    return " ".join(parts)


@pytest.mark.slow
def test_long_passage_is_prefiltered_by_shared_words_then_encoded(shared):
    context = long_passage()
    assert 15_000 < len(context) < qa.MAX_CONTEXT_CHARS
    result = qa.run("How tall is the Eiffel Tower?", context, model_id=E5, cache=shared)
    assert_is_span(result, context)
    assert result.answer == "330 metres"
    prefiltered = next(n for n in result.notices if n["code"] == "qa_prefiltered")
    assert prefiltered["encoded"] == 60 < prefiltered["sentences"]
    assert any(s.start <= result.start and result.end <= s.end for s in result.retrieved[:3])


def test_sentence_split_keeps_offsets():
    context = "First one. Second one!  Third?\n\nFourth para"
    spans = qa.split_sentences(context)
    assert [context[s:e] for s, e in spans] == ["First one.", "Second one!", "Third?", "Fourth para"]


@pytest.mark.parametrize(
    "question,context,code",
    [
        ("", "Some passage.", "empty_question"),
        ("   ?  ", "Some passage.", "empty_question"),
        (None, "Some passage.", "empty_question"),
        ("Who?", "", "empty_context"),
        ("Who?", " \n\t ", "empty_context"),
        ("Who?", None, "empty_context"),
        ("Who?", 42, "empty_context"),
        ("Who?", "... !!! ???", "no_words"),
        ("x" * 501, "Some passage.", "question_too_long"),
        ("Who?", "a" * (qa.MAX_INPUT_CHARS + 1), "context_too_long"),
    ],
)
def test_bad_input_is_a_clear_error(question, context, code):
    with pytest.raises(InputError) as error:
        qa.run(question, context, cache=ModelCache())  # validation fails before any load
    assert error.value.code == code
    assert str(error.value)


def test_uploads():
    assert qa.context_from_upload("Le mont Blanc.\n".encode("utf-8")) == "Le mont Blanc.\n"
    assert qa.context_from_upload("très haut".encode("latin-1")) == "très haut"
    with pytest.raises(InputError) as error:
        qa.context_from_upload(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert error.value.code == "binary_file"
    with pytest.raises(InputError) as error:
        qa.context_from_upload(b"a" * (qa.MAX_UPLOAD_BYTES + 1))
    assert error.value.code == "file_too_large"


def test_cli_run_with_a_context_file(shared, tmp_path):
    path = tmp_path / "passage.txt"
    path.write_text(PASSAGES["verne"], encoding="utf-8")
    result = qa.cli_run({"context_file": str(path), "question": "Dans quelle ville est né Jules Verne ?"}, E5, shared)
    assert result.answer == "Nantes"
    with pytest.raises(InputError) as error:
        qa.cli_run({"context_file": str(tmp_path / "missing.txt"), "question": "Qui ?"}, None, shared)
    assert error.value.code == "unreadable_file"


def test_bench_args_is_a_300_word_passage(shared):
    args = qa.bench_args()
    assert 250 <= len(args["context"].split()) <= 350
    assert "Karl Drais" in qa.cli_run(args, E5, shared).answer


def test_samples_have_three_or_four_questions_in_both_languages():
    languages = {p["lang"] for p in qa.samples()}
    assert languages == {"en", "fr"}
    for passage in qa.samples():
        assert 3 <= len(passage["questions"]) <= 4
        for item in passage["questions"]:
            assert item["answer"] in passage["context"]


def test_card_metrics_were_written_by_the_evaluation():
    from dl_apps.registry import MODELS_DIR

    metrics = json.loads((MODELS_DIR / "qa-e5-retrieve-select" / "metrics.json").read_text())
    assert metrics["heldout"]["questions"] >= 10
    assert metrics["heldout"]["contains"] >= 0.6
    card = (MODELS_DIR / "qa-e5-retrieve-select" / "card.md").read_text()
    from dl_apps.tasks.qa import evaluate as qa_evaluate

    assert qa_evaluate.metrics_markdown(metrics) in card


# ------------------------------------------------------------ span decoding
def test_best_spans_picks_the_best_allowed_span():
    offsets = [None, None, (0, 3), (4, 9), (10, 13), (14, 20), None]
    start = np.array([9.0, 9.0, 0.0, 5.0, 0.0, 1.0, 9.0])  # question/special tokens are ignored
    end = np.array([9.0, 9.0, 0.0, 1.0, 4.0, 0.0, 9.0])
    spans = qa.best_spans(start, end, offsets, max_answer_tokens=30, top_k=3)
    assert spans[0][:2] == (4, 13)  # tokens 3..4
    assert all(s < e for s, e, _ in spans)
    assert spans[0][2] >= spans[-1][2]
    # with at most one token, the answer must start and end on the same token
    assert qa.best_spans(start, end, offsets, max_answer_tokens=1, top_k=1)[0][:2] == (4, 9)


def test_best_spans_null_token_lowers_every_span_but_is_never_returned():
    offsets = [None, (0, 3), (4, 9)]
    start, end = np.array([8.0, 1.0, 0.0]), np.array([8.0, 1.0, 0.0])
    plain = qa.best_spans(start, end, offsets, top_k=1)[0]
    with_null = qa.best_spans(start, end, offsets, top_k=1, null_index=0)[0]
    assert plain[:2] == with_null[:2] == (0, 3)
    assert with_null[2] < 0.01 < plain[2]  # the model says "no answer": the score shows it


def test_best_spans_never_ends_before_it_starts():
    offsets = [(0, 1), (2, 3), (4, 5)]
    spans = qa.best_spans(np.array([0.0, 0.0, 10.0]), np.array([10.0, 0.0, 0.0]), offsets, top_k=5)
    assert all(start < end for start, end, _ in spans)
    assert qa.best_spans(np.zeros(2), np.zeros(2), [None, None]) == []


@pytest.fixture(scope="module")
def tiny_hub_reader():
    """A randomly initialised BERT QA model built here (no download) that 'likes' one word."""
    import torch
    from transformers import BertConfig, BertForQuestionAnswering, BertTokenizer

    words = "the a bicycle was built in by and of to it wheel front rear chain rider zebra who what".split()
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *words, "?", "."]
    tokenizer = BertTokenizer(vocab={w: i for i, w in enumerate(vocab)}, do_lower_case=True)
    config = BertConfig(
        vocab_size=len(vocab), hidden_size=16, num_hidden_layers=0, num_attention_heads=2,
        intermediate_size=32, max_position_embeddings=128,
    )
    torch.manual_seed(0)
    model = BertForQuestionAnswering(config)
    with torch.no_grad():
        # every word has a low first feature except 'zebra'; the QA head reads that feature
        embeddings = model.bert.embeddings
        embeddings.word_embeddings.weight.uniform_(0.0, 1.0)
        embeddings.word_embeddings.weight[:, 0] = -2.0
        embeddings.word_embeddings.weight[vocab.index("zebra")] = torch.zeros(16)
        embeddings.word_embeddings.weight[vocab.index("zebra"), 0] = 5.0
        embeddings.position_embeddings.weight.zero_()
        embeddings.token_type_embeddings.weight.zero_()
        model.qa_outputs.weight.zero_()
        model.qa_outputs.weight[:, 0] = 10.0
        model.qa_outputs.bias.zero_()
    return qa.HubReader(model, tokenizer, max_length=48, stride=16, max_answer_tokens=5)


def test_hub_reader_decodes_across_overlapping_windows(tiny_hub_reader):
    filler = "the rider built a bicycle and the front wheel was built by it . "
    context = filler * 12 + "in the rear chain a zebra was built . " + filler * 2
    result = tiny_hub_reader.answer("who built it ?", context)
    assert len(tiny_hub_reader.tokenizer(context)["input_ids"]) > 48 * 3  # several windows
    assert result.answer == "zebra"
    assert result.start == context.index("zebra") and result.end == result.start + 5
    for alternative in result.alternatives:
        assert context[alternative.start : alternative.end] == alternative.text
        assert not (alternative.start < result.end and result.start < alternative.end)


def test_hub_reader_through_predict_marks_confidence(tiny_hub_reader):
    result = qa.predict(tiny_hub_reader, "what ?", "a zebra was built in the rear .")
    assert result.answer == "zebra"
    assert result.unsure == (result.score < qa.UNSURE_BELOW)


def test_every_string_is_translated_and_every_error_code_has_a_message():
    import re
    from pathlib import Path

    from dl_apps.ui.i18n import catalogue
    from dl_apps.tasks.qa.strings import STRINGS

    for key, pair in STRINGS.items():
        assert isinstance(pair, tuple) and len(pair) == 2 and all(pair), key
    source = Path(qa.__file__).read_text(encoding="utf-8")
    codes = set(re.findall(r'InputError\(\s*"(\w+)"', source)) | set(re.findall(r'notice\(\s*"(\w+)"', source))
    for code in codes:
        assert f"error.{code}" in catalogue() or f"notice.{code}" in catalogue(), code


def test_default_model_needs_no_network(no_network):
    cache = ModelCache(budget_mb=100_000)  # a fresh load, with every non-loopback connection refused
    result = qa.run("Combien d'alpinistes tentent de gravir le sommet chaque année ?", PASSAGES["mont_blanc"], cache=cache)
    assert "20 000" in result.answer
    assert result.model == "qa-gemma3-span-reader"  # the language model and the e5 retrieval, both from the local cache
    cache.clear()


# ------------------------------------------------- span reader on a language model (issue 16)
@pytest.fixture(scope="module")
def tiny_span_reader():
    from dl_apps.tasks.lm.tiny import tiny_language_model
    from dl_apps.tasks.qa.span_reader import LMSpanReader

    # no retriever entry: sentences ranked by shared words (the e5 path is the default reader's, tested above)
    return LMSpanReader(lm=tiny_language_model(seed=1, max_prompt_tokens=512), retriever_id=None, top_sentences=2)


@pytest.mark.parametrize(
    "question,context",
    [
        ("Who designed the tower?", "The Eiffel Tower was finished in March 1889. Gustave Eiffel's company designed and built the tower."),
        ("Où est née Marie Curie ?", "Marie Curie est née à Varsovie en 1867. Elle a découvert le polonium."),
        ("How tall is it?", "The tower   is 330 metres\ntall.\n\nIt was built  by Gustave Eiffel's company.  It opened in 1889."),
    ],
)
def test_span_reader_answers_only_with_spans_of_the_passage(tiny_span_reader, question, context):
    result = tiny_span_reader.answer(question, context)
    assert result.answer and context[result.start:result.end] == result.answer
    assert 0.0 < result.score <= 1.0
    for alternative in result.alternatives:
        assert context[alternative.start:alternative.end] == alternative.text
        assert alternative.score <= result.score or alternative.text != result.answer
    assert result.retrieved and result.retrieved[0].start <= result.start < result.retrieved[0].end
    sentences = qa.split_sentences(context)
    assert any(s <= result.start and result.end <= e for s, e in sentences)  # never across two sentences


def test_span_reader_reads_only_the_best_sentences_of_a_long_passage(tiny_span_reader):
    filler = " ".join(f"Sentence number {i} talks about the weather in town." for i in range(40))
    context = filler + " The treasure was hidden by Captain Flint near the old oak."
    reading = tiny_span_reader.read("Who hid the treasure?", context)
    assert len(reading.read) == 2 and len(reading.sentences) - 1 in reading.read  # the treasure sentence is read
    assert {c.sentence for c in reading.candidates} <= set(reading.read)
    result = tiny_span_reader.answer("Who hid the treasure?", context)
    assert [n["code"] for n in result.notices] == ["qa_lm_windows"]
    assert (result.notices[0]["read"], result.notices[0]["total"]) == (2, 41)
    assert context[result.start:result.end] == result.answer


def test_span_reader_is_deterministic_and_keeps_its_few_shot_cache(tiny_span_reader):
    context = "Marie Curie est née à Varsovie en 1867. Elle a découvert le polonium."
    lm = tiny_span_reader.language_model()
    cache, ids = tiny_span_reader.prefix_state(lm)
    assert ids[0] == lm.tokenizer.bos_token_id and len(ids) > 50  # the worked examples
    before = cache.get_seq_length()
    first = tiny_span_reader.answer("Où est née Marie Curie ?", context)
    second = tiny_span_reader.answer("Où est née Marie Curie ?", context)
    assert tiny_span_reader.prefix_state(lm)[0].get_seq_length() == before  # each question works on a copy
    assert (first.answer, first.start, first.score) == (second.answer, second.start, second.score)
    assert [a.text for a in first.alternatives] == [a.text for a in second.alternatives]


def test_span_reader_tree_pass_equals_reading_each_path_in_turn():
    """The one-pass trie scoring (tree attention mask, positions by depth) gives each node the hidden state
    a plain left-to-right pass over its path gives — also past the tiny model's 16-token sliding window."""
    import copy

    import torch

    from dl_apps.tasks.lm.tiny import tiny_language_model
    from dl_apps.tasks.qa.span_reader import _Node, _tree_masks

    lm = tiny_language_model(seed=3)
    body = lm.model.model
    prompt, _ = lm.encode("The Eiffel Tower, zebra quartz 4821 vivid jumps. Marie Curie was born in Warsaw. Question: Answer:", add_bos=True)
    assert len(prompt) > 24  # longer than the sliding window
    a, b, c, d = (int(t) for t in lm.encode(" Gustave zebra quartz", add_bos=False)[0][:4])
    nodes = [_Node(a, -1, 0, []), _Node(c, -1, 0, []), _Node(b, 0, 1, []), _Node(d, 1, 1, []), _Node(c, 2, 2, [])]
    with torch.inference_mode():
        cache = body(input_ids=torch.tensor([prompt]), use_cache=True).cache
        masks = _tree_masks(nodes, cache.get_seq_length(), lm.model.config.sliding_window)
        positions = torch.tensor([[len(prompt) + n.depth for n in nodes]])
        tree = body(input_ids=torch.tensor([[n.token for n in nodes]]), cache=copy.deepcopy(cache), use_cache=True,
                    attention_mask=masks, position_ids=positions).last_hidden_state[0]
        for index, node in enumerate(nodes):
            path, at = [], index
            while at >= 0:
                path.insert(0, nodes[at].token)
                at = nodes[at].parent
            plain = body(input_ids=torch.tensor([prompt + path])).last_hidden_state[0, -1]
            assert torch.allclose(tree[index], plain, atol=1e-4), index


def test_span_reader_span_helpers():
    from dl_apps.tasks.qa.span_reader import _char_map, _ends_word, _snap_to_date

    context = "It opened on 29 May 1953 in Paris. Le pont a ouvert le 2 mars 1969."
    sentences = qa.split_sentences(context)
    year = context.index("1953")
    assert context[slice(*_snap_to_date(context, sentences[0], year, year + 4))] == "29 May 1953"
    assert _snap_to_date(context, sentences[0], context.index("Paris"), context.index("Paris") + 5) == (context.index("Paris"), context.index("Paris") + 5)
    mois = context.index("mars")
    assert context[slice(*_snap_to_date(context, sentences[1], mois, mois + 4))] == "2 mars 1969"
    # an answer may end after a word or a whole number, not inside one
    raw = [" Hett", "zel", " paid", " ", "8", ",", "8", "4", "8", ".", " Pierre", "-", "Jules"]
    sentence_of = [0] * 10 + [1] * 3
    ends = [_ends_word(raw, sentence_of, k) for k in range(len(raw))]
    assert ends == [False, True, True, False, False, False, False, False, True, True, True, False, True]
    # the prompt's text squeezes spaces: every character maps back into the context
    spaced = "A  b.\n\nC d."
    chosen = [(0, 5), (7, 11)]
    text = " ".join(" ".join(spaced[s:e].split()) for s, e in chosen)
    mapping = _char_map(spaced, chosen, text)
    assert text == "A b. C d." and len(mapping) == len(text)
    assert [spaced[p] for i, (_, p) in enumerate(mapping) if not text[i].isspace()] == list("Ab.Cd.")


def test_span_reader_language_of_questions():
    from dl_apps.tasks.qa.span_reader import language_of

    assert language_of("Quel roi a autorisé les travaux ?") == "fr"
    assert language_of("Où se trouve le péage ?") == "fr"
    assert language_of("Who led the Oxford team?") == "en"


def test_span_reader_entry_shares_the_language_model():
    from dl_apps.registry import load_registry

    spec = load_registry().model("qa-gemma3-span-reader")
    assert spec.options["lm"] == load_registry().default_for("lm").id
    assert spec.size_mb <= 5 and "Gemma Terms of Use" in spec.licence and spec.licence_fr and spec.title_fr


def test_project_evaluation_set_is_apart_from_the_page_samples():
    from dl_apps.tasks.qa import evaluate as qa_evaluate

    data = json.loads(qa_evaluate.EVAL_SET_PATH.read_text(encoding="utf-8"))
    sample_texts = {p["context"] for p in qa.samples()}
    held = data["heldout"]
    assert {p["lang"] for p in held} == {"en", "fr"} and len(held) >= 6
    development = data["development"]  # the second split readers may be tuned on (5 English, 5 French passages)
    assert sorted(p["lang"] for p in development) == ["en"] * 5 + ["fr"] * 5
    assert not {p["context"] for p in development} & {p["context"] for p in held + data["tuning"]}
    fresh = data["heldout2"]  # the second held-out split (2026-12-07): 4 English, 4 French passages, new subjects
    assert sorted(p["lang"] for p in fresh) == ["en"] * 4 + ["fr"] * 4
    earlier = held + data["tuning"] + development
    assert not {p["id"] for p in fresh} & {p["id"] for p in earlier}
    assert not {p["context"] for p in fresh} & {p["context"] for p in earlier}
    assert set(qa_evaluate.HELDOUT_SPLITS) == {"heldout", "heldout2", "heldout3", "heldout4"}
    training = data["training"]  # more questions to fit the span reader's rank weights on (2026-12-07)
    assert sorted(p["lang"] for p in training) == ["en"] * 6 + ["fr"] * 6
    assert not {p["id"] for p in training} & {p["id"] for p in earlier + fresh}
    assert not {p["context"] for p in training} & {p["context"] for p in earlier + fresh}
    # the third and fourth held-out splits (2026-12-07, each written before any reader ran on it)
    third = data["heldout3"] + data["heldout4"]
    assert sorted(p["lang"] for p in data["heldout4"]) == sorted(p["lang"] for p in data["heldout3"]) == ["en"] * 4 + ["fr"] * 4
    assert len({p["id"] for p in third}) == len(third)
    assert not {p["id"] for p in third} & {p["id"] for p in earlier + fresh + training}
    assert not {p["context"] for p in third} & {p["context"] for p in earlier + fresh + training}
    for passage in training + third:
        assert sum(item["answer"] is None for item in passage["questions"]) == 1
    for passage in earlier + fresh + training + third:
        assert passage["context"] not in sample_texts
        assert 120 <= len(passage["context"].split()) <= 190  # ~150-word passages
        for item in passage["questions"]:
            assert item["answer"] is None or item["answer"] in passage["context"]
    assert qa_evaluate.matched("the Analytical Engine", "the Analytical Engine")
    assert qa_evaluate.matched("Howard Florey and Ernst", "Howard Florey and Ernst Chain")
    assert not qa_evaluate.matched("Ernst", "Howard Florey and Ernst Chain")


def test_default_reader_is_the_one_the_held_out_measurements_choose():
    from dl_apps.registry import load_registry
    from dl_apps.tasks.qa import evaluate as qa_evaluate

    readers = {r["model"]: r for r in qa_evaluate.measured_readers()}
    assert set(readers) == {"qa-gemma3-span-reader", E5}
    assert {r["split"] for r in readers.values()} == {"+".join(qa_evaluate.HELDOUT_SPLITS)}  # every held-out split, pooled
    assert load_registry().default_for("qa").id == qa_evaluate.measured_default() == "qa-gemma3-span-reader"
    chosen = readers["qa-gemma3-span-reader"]
    assert chosen["matched"] >= qa_evaluate.ACCURACY_TARGET and chosen["p50_ms"] <= qa_evaluate.LATENCY_TARGET_MS
    assert chosen["matched"] > readers[E5]["matched"]


def test_each_model_reads_its_own_number_of_sentences_by_default():
    assert qa.default_top_sentences() == 3  # the default reader's option
    assert qa.default_top_sentences("qa-gemma3-span-reader") == 3
    assert qa.default_top_sentences("no-such-model") == 3


@pytest.mark.slow
def test_real_span_reader_on_sample_passages():
    """Gemma 3 270M behind the e5 retrieval, on page samples (development data, not the held-out split)."""
    cache = ModelCache(budget_mb=100_000)
    for passage, question, expected in (
        ("eiffel", "How tall is the Eiffel Tower?", "330 metres"),
        ("mont_blanc", "Quelle est l'altitude du mont Blanc ?", "4 806 mètres"),
        ("bicycle", "Who built the Rover safety bicycle?", "John Kemp Starley"),
    ):
        context = PASSAGES[passage]
        result = qa.run(question, context, model_id="qa-gemma3-span-reader", cache=cache)
        assert_is_span(result, context)
        assert result.answer == expected and not result.unsure
        assert result.retrieved[0].start <= result.start < result.retrieved[0].end
        assert result.alternatives and all(a.text != result.answer for a in result.alternatives)
        codes = [n["code"] for n in result.notices]
        assert codes == (["qa_lm_windows"] if len(context) > 1000 else [])
    cache.clear()


def test_span_reader_counts_its_prefix_cache():
    """The cache page shows the reader's own memory: its few-shot key/value cache, measured once computed."""
    from types import SimpleNamespace

    import torch

    from dl_apps.tasks.qa.span_reader import LMSpanReader, _tensor_bytes

    cache = SimpleNamespace(layers=[SimpleNamespace(keys=torch.zeros(1, 1, 10, 4), values=torch.zeros(1, 1, 10, 4))] * 3)
    assert _tensor_bytes(cache) == 3 * 2 * 40 * 4  # three layers of float32 keys and values
    reader = LMSpanReader(lm=object(), retriever_id=None)
    assert reader.approx_bytes() == 16 * 1024 * 1024  # before the prefix is run
    reader._prefix_states = {1: (cache, [2, 3])}
    assert reader.approx_bytes() == 960
