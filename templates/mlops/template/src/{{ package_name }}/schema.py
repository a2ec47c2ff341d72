"""Pandera schemas: what a valid row of the dataset looks like.

The same contract guards the raw data (prepare), the prepared splits (train, evaluate) and the
data tests. It checks types, plausible ranges, missing values and labels; it does not fix data.
"""

import pandas as pd
import pandera.pandas as pa

from .data import CLASS_NAMES, FEATURES, TARGET

# Plausible physical bounds in cm; generous on purpose so that only broken data fails.
FEATURE_RANGES: dict[str, tuple[float, float]] = {
    "sepal_length": (0.0, 12.0),
    "sepal_width": (0.0, 8.0),
    "petal_length": (0.0, 10.0),
    "petal_width": (0.0, 5.0),
}


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
