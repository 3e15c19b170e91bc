from __future__ import annotations

import pytest

from projection.data import Sentence, Span
from projection.errors import ProjectionError
from projection.labellers.gold import GoldLabeller
from projection.readers.conll import read_conll
from projection.train_eval import TrainEvalSettings, run_train_eval
from projection.training import MISSING
from projection.training.self_training import SelfTrainingOptions, relabel
from projection.training.silver import SilverOptions

LABELS = ("PER", "ORG", "LOC", "DATE")


@pytest.fixture
def gold_swahili(shared_data) -> list[Sentence]:
    """40 real MasakhaNER 2.0 Swahili dev sentences that have entities: the model's reading in these tests."""
    sentences = read_conll(shared_data / "masakhaner2" / "swa" / "dev.txt", "swa", label_set=LABELS)
    return [s for s in sentences if len(s.spans) >= 2][:40]


def silver_from(gold: list[Sentence]) -> list[Sentence]:
    """Projection's version: the first entity of each sentence missed, a spurious span on the last word."""
    silver = []
    for sentence in gold:
        spans = list(sentence.spans[1:])
        last = len(sentence.tokens) - 1
        if not any(s.start <= last < s.end for s in sentence.spans):
            spans.append(Span(last, last + 1, "ORG"))
        silver.append(Sentence(sentence.id, sentence.lang, sentence.tokens, spans))
    return silver


def test_agree_keeps_agreed_spans_and_makes_disagreements_unknown(gold_swahili):
    silver = silver_from(gold_swahili)
    truth = {s.id: s for s in gold_swahili}
    relabelled, stats = relabel(silver, GoldReading(truth), SelfTrainingOptions(rounds=1, rule="agree"), LABELS)
    for before, after in zip(silver, relabelled, strict=True):
        gold = truth[before.id]
        known = [s for s in after.spans if s.label != MISSING]
        unknown = {s.start for s in after.spans if s.label == MISSING}
        assert {s.key for s in known} == {s.key for s in gold.spans[1:]}
        missed = gold.spans[0]
        assert set(range(missed.start, missed.end)) <= unknown  # missed by projection: unknown, not O
        spurious = [s for s in before.spans if s.key not in {g.key for g in gold.spans}]
        for span in spurious:
            assert span.start in unknown
    assert stats.n_agreed == sum(len(s.spans) - 1 for s in gold_swahili)


def test_add_fills_what_projection_missed(gold_swahili):
    silver = silver_from(gold_swahili)
    truth = {s.id: s for s in gold_swahili}
    relabelled, stats = relabel(silver, GoldReading(truth), SelfTrainingOptions(rule="add"), LABELS)
    for before, after, gold in zip(silver, relabelled, gold_swahili, strict=True):
        assert {s.key for s in before.spans} <= {s.key for s in after.spans}
        assert gold.spans[0].key in {s.key for s in after.spans} or any(gold.spans[0].overlaps(s) for s in before.spans)
    assert stats.n_added > 0


class GoldReading(GoldLabeller):
    """A model that knows the gold entities: labels a sentence with the gold spans of the sentence of its id."""

    def __init__(self, truth: dict[str, Sentence]) -> None:
        super().__init__()
        self.truth = truth

    def label(self, sentences):
        return super().label([self.truth[s.id] for s in sentences])


def test_options_are_checked():
    with pytest.raises(ProjectionError, match="rounds"):
        SelfTrainingOptions(rounds=-1)
    with pytest.raises(ProjectionError, match="self-training rule"):
        SelfTrainingOptions(rule="vote")  # type: ignore[arg-type]


@pytest.mark.slow
def test_train_eval_with_a_self_training_round(tmp_path, shared_data):
    mafand = shared_data / "mafand" / "en-swa"
    bitext = tmp_path / "bitext"
    bitext.mkdir()
    for side in ("en", "swa"):
        lines = (mafand / f"train.{side}").read_text(encoding="utf-8").splitlines()[:80]
        (bitext / f"train.{side}").write_text("\n".join(lines) + "\n", encoding="utf-8")
    blocks = (shared_data / "masakhaner2" / "swa" / "dev.txt").read_text(encoding="utf-8").split("\n\n")[:20]
    (tmp_path / "dev.txt").write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    settings = TrainEvalSettings(
        src_lang="en",
        tgt_lang="swa",
        bitext=(bitext,),
        test=tmp_path / "dev.txt",
        held_out=(shared_data / "masakhaner2" / "swa" / "test.txt",),
        silver=SilverOptions(unprojected="keep"),
        self_training=SelfTrainingOptions(rounds=1, rule="agree"),
        trainer_options={"max_epochs": 2, "width": 32, "depth": 2, "embed_size": 500, "hidden_width": 32},
    )
    from projection.cache import Cache

    run = run_train_eval(settings, cache=Cache(tmp_path / "cache")).run
    [round_one] = run.data["self_training_rounds"]
    assert round_one["round"] == 1 and round_one["n_sentences"] == run.data["n_train"] + run.data["n_dev"]
    assert round_one["n_agreed"] <= round_one["n_projected"]
    assert {"relabel_1", "train_1"} <= set(run.timings)
    assert run.config["self_training"]["rounds"] == 1
