"""How the names model's decision rule is chosen from out-of-fold answers, on answers the tests make up."""
import pytest
import torch

from rnn_core.names.model import NameClassifier, NameClassifierConfig
from rnn_core.names.recipe import CrossFittedNames, NamesRecipe, choose_decision_rule


def _fitted(labels: list[int], member_answers: list[list[float]], vote_answers: list[list[float]] | None = None
            ) -> CrossFittedNames:
    classes = len(member_answers[0])
    config = NameClassifierConfig(vocab_size=4, num_classes=classes, hidden_size=4, embedding_dim=2,
                                  ngram_buckets=0, naive_bayes_buckets=16 if vote_answers else 0)
    members = torch.tensor(member_answers).log_softmax(-1)
    votes = torch.tensor(vote_answers).log_softmax(-1) if vote_answers else torch.zeros_like(members)
    return CrossFittedNames(NameClassifier(config), torch.tensor(labels), members, votes, folds=5)


def test_the_lightest_vote_that_corrects_the_members_is_chosen():
    # The members lean to language 0 by 0.48 for every name; the vote is right by 5 for every name. So any
    # weight of 0.1 or more makes every answer right, and ties go to the lighter vote.
    labels = [0] * 10 + [1] * 5 + [2] * 5
    members = [[0.48, 0.0, 0.0]] * 20
    votes = [[5.0 if c == label else 0.0 for c in range(3)] for label in labels]
    rule = choose_decision_rule(_fitted(labels, members, votes), NamesRecipe(prior_strengths=[0.0]),
                                balance_weight=0.0)
    assert rule.naive_bayes_weight == 0.1
    assert rule.out_of_fold.accuracy == pytest.approx(1.0)


def test_the_balance_weight_trades_accuracy_for_the_small_languages():
    # 14 clear names of language 0; 6 names of language 0 and 5 of language 1 that read alike (0 leads by
    # 0.2); 5 clear names of language 2. A prior correction above strength 0.144 hands the look-alikes to
    # the smaller language 1: accuracy 25/30 -> 24/30, balanced accuracy 2/3 -> 0.9.
    clear_0, look_alike, clear_2 = [0.5, 0.0, 0.0], [0.5, 0.3, 0.0], [0.0, 0.0, 1.0]
    labels = [0] * 14 + [0] * 6 + [1] * 5 + [2] * 5
    members = [clear_0] * 14 + [look_alike] * 11 + [clear_2] * 5
    fitted = _fitted(labels, members)
    recipe = NamesRecipe(prior_strengths=[i / 20 for i in range(11)])

    most_accurate = choose_decision_rule(fitted, recipe, balance_weight=0.0)
    assert most_accurate.prior_strength == 0.0 and most_accurate.naive_bayes_weight == 0.0
    assert most_accurate.out_of_fold.accuracy == pytest.approx(25 / 30)

    balanced = choose_decision_rule(fitted, recipe, balance_weight=1.0)
    assert balanced.prior_strength == 0.15  # the weakest correction that moves the look-alikes
    assert balanced.out_of_fold.accuracy == pytest.approx(24 / 30)
    assert balanced.out_of_fold.balanced_accuracy == pytest.approx(0.9)
