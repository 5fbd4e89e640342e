"""Word hashing, the "other" entry and the encoders' shared interface."""

from __future__ import annotations

import torch

from model import TaggerConfig, Vocabulary, letter_trigrams, trigram_buckets
from model.encoders import CombinedEncoder, HashEncoder, OneHotEncoder
from model.features import Featurizer


def test_word_hashing_of_apple() -> None:
    assert letter_trigrams("apple") == ["#ap", "app", "ppl", "ple", "le#"]
    buckets = trigram_buckets("apple", 1000)
    assert len(buckets) == 5 and all(1 <= b <= 1000 for b in buckets)


def test_word_hashing_is_stable_and_shares_features_with_misspellings() -> None:
    assert trigram_buckets("taipei", 4096) == trigram_buckets("taipei", 4096)
    shared = set(trigram_buckets("philadelphia", 4096)) & set(trigram_buckets("philadelpia", 4096))
    assert len(shared) >= 8
    assert letter_trigrams("a") == ["#a#"]


def test_unknown_words_map_to_other() -> None:
    vocabulary = Vocabulary.build(["boston", "boston", "denver", "to", "to", "to"], min_count=2)
    assert vocabulary.index("to") >= 2 and vocabulary.index("boston") >= 2
    assert vocabulary.index("denver") == Vocabulary.OTHER  # seen once: below min_count
    assert vocabulary.index("taipei") == Vocabulary.OTHER
    assert len(vocabulary) == 4  # padding, other, to, boston


def test_word_dropout_trains_other_only_in_training() -> None:
    torch.manual_seed(0)
    encoder = OneHotEncoder(10, 4, word_dropout=0.5)
    ids = torch.randint(2, 10, (200,))
    other_row = encoder.embedding.weight[Vocabulary.OTHER]
    encoder.train()
    out = encoder({"words": ids})
    as_other = (out == other_row).all(dim=-1)
    assert 0.3 < as_other.float().mean() < 0.7
    encoder.eval()
    assert not (encoder({"words": ids}) == other_row).all(dim=-1).any()


def test_hash_encoder_is_multi_hot_times_matrix() -> None:
    encoder = HashEncoder(buckets=64, dim=3)
    ids = torch.tensor([list(trigram_buckets("apple", 64))])
    multi_hot = torch.zeros(65)
    multi_hot[ids[0]] = 1
    assert torch.allclose(encoder({"trigrams": ids})[0], multi_hot @ encoder.embedding.weight)


def test_encoders_combine() -> None:
    words, chars = Vocabulary(["to", "boston"]), Vocabulary(list("abcdefghijklmnopqrstuvwxyz"))
    for encoders in [("onehot",), ("hash",), ("char",), ("onehot", "hash"), ("onehot", "hash", "char")]:
        config = TaggerConfig(encoders=encoders, word_dim=8, hash_dim=4, char_filters=6, hash_buckets=128)
        combined = CombinedEncoder(config, len(words), len(chars))
        batch = Featurizer(config, words, chars)([["to", "boston"], ["to"]])
        out = combined(batch.features, batch.words)
        expected = {"onehot": 8, "hash": 4, "char": 6}
        assert out.shape == (2, 2, sum(expected[e] for e in encoders))
        assert torch.equal(out[0, 0], out[1, 0])  # "to" is one row, placed twice
        assert not out[1, 1].any()  # padding is zeros


def test_features_are_computed_once_per_distinct_word() -> None:
    words, chars = Vocabulary(["to", "boston"]), Vocabulary(list("abcdefghijklmnopqrstuvwxyz"))
    config = TaggerConfig(hash_buckets=128)
    batch = Featurizer(config, words, chars)([["to", "boston", "to"], ["Boston", "to"]])
    assert batch.words.tolist() == [[1, 2, 1], [3, 1, 0]]
    assert batch.mask.tolist() == [[True, True, True], [True, True, False]]
    assert batch.features["words"].tolist() == [words.index("to"), words.index("boston"), words.index("boston")]
    assert batch.features["chars"].shape[0] == batch.features["trigrams"].shape[0] == 3
