"""The Breast Cancer Wisconsin (Diagnostic) table bundled with scikit-learn, and the project's fixed split.

569 patients, 30 numeric features computed from an image of a fine-needle aspirate;
target 0 = malignant, 1 = benign.  Read in place from the installed scikit-learn
(CC BY 4.0 data, BSD-3-Clause package).  The training script and the explanations
task share :func:`split`, so the held-out patients of the page are those of the card.
"""

from __future__ import annotations

import numpy as np

SEED = 0
TEST_FRACTION = 0.25


def load_data() -> tuple[np.ndarray, np.ndarray, list[str], list[str]]:
    """The breast-cancer table: X (569, 30), y (1 = benign), feature names, class names."""
    from sklearn.datasets import load_breast_cancer

    data = load_breast_cancer()
    return data.data.astype(np.float64), data.target.astype(np.int64), list(data.feature_names), list(data.target_names)


def split(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The fixed stratified 75 / 25 train/test split (seed 0) every user of the model shares."""
    from sklearn.model_selection import train_test_split

    return train_test_split(x, y, test_size=TEST_FRACTION, random_state=SEED, stratify=y)
