"""The data contract: feature names, plausible ranges and target classes, in plain Python.

Training builds its pandera schema from it (`schema.py`) and serving builds its request model from
it (`api.py`), so a row the pipeline would reject is a 422 at the API. No third-party imports: the
serving image has no training libraries.
"""

FEATURES = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
TARGET = "species"
CLASS_NAMES = ["setosa", "versicolor", "virginica"]

# Plausible physical bounds in cm; generous on purpose so that only broken data fails.
FEATURE_RANGES: dict[str, tuple[float, float]] = {
    "sepal_length": (0.0, 12.0),
    "sepal_width": (0.0, 8.0),
    "petal_length": (0.0, 10.0),
    "petal_width": (0.0, 5.0),
}
FEATURE_DESCRIPTIONS: dict[str, str] = {
    "sepal_length": "Sepal length in cm",
    "sepal_width": "Sepal width in cm",
    "petal_length": "Petal length in cm",
    "petal_width": "Petal width in cm",
}
# Categorical features (name -> allowed values). Iris has none in its inputs; drift.py treats the
# predicted class as one, and a dataset with categorical inputs lists them here.
CATEGORICAL_FEATURES: dict[str, list[str]] = {}
