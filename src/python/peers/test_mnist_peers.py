"""Checks of the rules the peers share with `train`: python -m unittest discover -s src/python/peers"""

import math
import unittest

import numpy as np

import mnist_peers as mp


class JavaSplitTest(unittest.TestCase):
    def test_matches_mnist_data_split_of_the_java_code(self):
        # MnistData.split(6000, seed) on 60 000 examples, printed by the Java code: first and last held-out
        # index, and a 31-polynomial hash (Java long arithmetic) of each part.
        for seed, first, last, held_hash, train_hash in [
                (42, 7, 59979, -5215906617189307984, -5297868317394904366),
                (7, 26, 59976, -4030117733086495296, -7555774201245390656)]:
            train, held = mp.java_split(60_000, 6_000, seed)
            self.assertEqual((held[0], held[-1], len(held), len(train)), (first, last, 6_000, 54_000))
            self.assertEqual(java_hash(held), held_hash)
            self.assertEqual(java_hash(train), train_hash)

    def test_parts_are_disjoint_and_cover_everything(self):
        train, held = mp.java_split(1_000, 100, 3)
        self.assertEqual(sorted(np.concatenate([train, held]).tolist()), list(range(1_000)))


def java_hash(values):
    h = 0
    for v in values:
        h = (h * 31 + int(v)) & (2**64 - 1)
    return h - 2**64 if h >= 2**63 else h


class EarlyStoppingTest(unittest.TestCase):
    def run_losses(self, losses, patience=2):
        stopping, snapshots = mp.EarlyStopping(patience), []
        for epoch, loss in enumerate(losses, 1):
            if stopping.update(epoch, loss):
                snapshots.append(epoch)
            if stopping.should_stop:
                break
        return epoch, stopping.best_epoch, snapshots

    def test_stops_after_patience_epochs_without_improvement(self):
        self.assertEqual(self.run_losses([0.5, 0.4, 0.41, 0.42, 0.3]), (4, 2, [1, 2]))

    def test_an_equal_loss_is_no_improvement(self):
        self.assertEqual(self.run_losses([0.5, 0.5, 0.5]), (3, 1, [1]))

    def test_improvement_resets_the_wait(self):
        self.assertEqual(self.run_losses([0.5, 0.6, 0.4, 0.45, 0.3]), (5, 5, [1, 3, 5]))

    def test_nan_never_improves_but_the_first_epoch_is_best_until_beaten(self):
        self.assertEqual(self.run_losses([math.nan, 0.4, math.nan, math.nan]), (4, 2, [1, 2]))
        self.assertEqual(self.run_losses([math.nan, math.nan]), (2, 1, [1]))


class SparseCceTest(unittest.TestCase):
    def test_mean_negative_log_of_the_true_class_clipped_as_keras(self):
        p = np.array([[0.5, 0.5], [1.0, 0.0]], np.float32)
        self.assertAlmostEqual(mp.sparse_cce(p, np.array([0, 1])), (math.log(2) - math.log(1e-7)) / 2, places=5)


if __name__ == "__main__":
    unittest.main()
