"""The dataset: iris as bundled with scikit-learn plus every accepted labelled batch, and its split.

The base data ships inside scikit-learn, so the pipeline never needs the network; `make ingest`
adds validated batches to data/labelled/ (a DVC data version). Validation lives in `schema.py`
and writing files in `prepare.py`; this module only loads and splits frames.
"""

from pathlib import Path

import pandas as pd
from sklearn.datasets import load_iris
from sklearn.model_selection import train_test_split

from .config import LABELLED_DIR
from .contract import CLASS_NAMES, FEATURES, TARGET

__all__ = ["CLASS_NAMES", "FEATURES", "TARGET", "load_dataset", "split_dataset"]


def load_base_dataset() -> pd.DataFrame:
    """The 150 iris flowers: the four FEATURES in cm (float) and TARGET (int 0..2)."""
    iris = load_iris(as_frame=True)
    frame = iris.frame.copy()
    frame.columns = [*FEATURES, TARGET]
    frame[FEATURES] = frame[FEATURES].astype("float64")
    frame[TARGET] = frame[TARGET].astype("int64")
    return frame


def load_labelled_batches(folder: Path = LABELLED_DIR) -> pd.DataFrame:
    """Every accepted batch in `folder` (CSV with FEATURES and TARGET), oldest first."""
    batches = [pd.read_csv(path) for path in sorted(Path(folder).glob("*.csv"))]
    if not batches:
        return pd.DataFrame(columns=[*FEATURES, TARGET])
    frame = pd.concat(batches, ignore_index=True)[[*FEATURES, TARGET]]
    frame[FEATURES] = frame[FEATURES].astype("float64")
    frame[TARGET] = frame[TARGET].astype("int64")
    return frame


def load_dataset(labelled_dir: Path = LABELLED_DIR) -> pd.DataFrame:
    """The base dataset followed by the accepted labelled batches, one frame, fresh index."""
    labelled = load_labelled_batches(labelled_dir)
    if labelled.empty:
        return load_base_dataset()
    return pd.concat([load_base_dataset(), labelled], ignore_index=True)


def split_dataset(
    dataset: pd.DataFrame, test_size: float, seed: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split into (train, test), stratified by TARGET so every class is in both parts."""
    train, test = train_test_split(
        dataset, test_size=test_size, random_state=seed, stratify=dataset[TARGET]
    )
    return train.reset_index(drop=True), test.reset_index(drop=True)
