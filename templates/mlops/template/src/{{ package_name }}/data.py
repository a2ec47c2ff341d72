"""The dataset: iris as bundled with scikit-learn, with readable column names, and its split.

The data ships inside scikit-learn, so the pipeline never needs the network. Validation lives in
`schema.py` and writing files in `prepare.py`; this module only loads and splits frames.
"""

import pandas as pd
from sklearn.datasets import load_iris
from sklearn.model_selection import train_test_split

FEATURES = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
TARGET = "species"
CLASS_NAMES = ["setosa", "versicolor", "virginica"]


def load_dataset() -> pd.DataFrame:
    """Return the 150 iris flowers: the four FEATURES in cm (float) and TARGET (int 0..2)."""
    iris = load_iris(as_frame=True)
    frame = iris.frame.copy()
    frame.columns = [*FEATURES, TARGET]
    frame[FEATURES] = frame[FEATURES].astype("float64")
    frame[TARGET] = frame[TARGET].astype("int64")
    return frame


def split_dataset(
    dataset: pd.DataFrame, test_size: float, seed: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split into (train, test), stratified by TARGET so every class is in both parts."""
    train, test = train_test_split(
        dataset, test_size=test_size, random_state=seed, stratify=dataset[TARGET]
    )
    return train.reset_index(drop=True), test.reset_index(drop=True)
