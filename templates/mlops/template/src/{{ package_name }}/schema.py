"""Pandera schemas: what a valid row of the dataset looks like, built from `contract.py`.

The same contract guards the raw data (prepare), new labelled batches (ingest), the prepared
splits (train, evaluate) and the data tests; serving checks requests against it too. It checks
types, plausible ranges, missing values and labels; it does not fix data.
"""

import pandas as pd
import pandera.pandas as pa

from .contract import CLASS_NAMES, FEATURE_RANGES, FEATURES, TARGET

__all__ = ["DATASET_SCHEMA", "FEATURES_SCHEMA", "FEATURE_RANGES", "validate_dataset"]


def _feature_columns() -> dict[str, pa.Column]:
    return {
        name: pa.Column(float, pa.Check.in_range(*FEATURE_RANGES[name]), nullable=False)
        for name in FEATURES
    }


FEATURES_SCHEMA = pa.DataFrameSchema(_feature_columns(), name="features")
DATASET_SCHEMA = pa.DataFrameSchema(
    {
        **_feature_columns(),
        TARGET: pa.Column(int, pa.Check.isin(list(range(len(CLASS_NAMES)))), nullable=False),
    },
    strict=True,
    ordered=True,
    name="dataset",
)


def validate_dataset(frame: pd.DataFrame) -> pd.DataFrame:
    """Return `frame` unchanged if valid; raise pandera's SchemaErrors listing every failure."""
    return DATASET_SCHEMA.validate(frame, lazy=True)
