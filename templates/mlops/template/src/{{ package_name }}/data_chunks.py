"""Columnar, chunked reading and writing of tables larger than memory (Parquet through pyarrow).

A source is read as a stream of record batches and a Parquet file is written one row group per
batch, so a step holds one batch in memory however large the data grows. Validating and splitting
the batches is `prepare`'s job; this module only moves rows between files and DataFrames.
"""

import os
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

# Rows per batch: about 3 MB for the five numeric columns of the dataset.
BATCH_ROWS = 65_536


def iter_file(path: Path, batch_rows: int = BATCH_ROWS) -> Iterator[pd.DataFrame]:
    """Stream a .parquet or .csv file as DataFrames of at most `batch_rows` rows."""
    path = Path(path)
    if path.suffix == ".parquet":
        for batch in pq.ParquetFile(path).iter_batches(batch_size=batch_rows):
            yield batch.to_pandas()
    elif path.suffix == ".csv":
        # pyarrow's streaming CSV reader decodes one block at a time; the block size bounds memory.
        options = pa_csv.ReadOptions(block_size=1 << 20)
        with pa_csv.open_csv(path, read_options=options) as reader:
            for batch in reader:
                yield from iter_frame(batch.to_pandas(), batch_rows)
    else:
        raise ValueError(f"{path}: only .parquet and .csv files can be streamed")


def iter_frame(frame: pd.DataFrame, batch_rows: int = BATCH_ROWS) -> Iterator[pd.DataFrame]:
    """Cut an in-memory DataFrame into batches of at most `batch_rows` rows."""
    for start in range(0, len(frame), batch_rows):
        yield frame.iloc[start : start + batch_rows].reset_index(drop=True)


def read_parquet(path: Path) -> pd.DataFrame:
    """Read a whole Parquet file (for the splits, which training holds in memory anyway)."""
    return pq.read_table(Path(path)).to_pandas()


class ParquetSink:
    """Write DataFrames with one schema to a Parquet file, batch by batch.

    The file appears only when the sink closes without an error (it is written beside the target
    and renamed), so a failed run never leaves half a file that a later stage would read.
    """

    def __init__(self, path: Path, schema: pa.Schema) -> None:
        self.path = Path(path)
        self.schema = schema
        self.rows = 0
        self._partial = self.path.with_name(f".{self.path.name}.partial")
        self._writer: pq.ParquetWriter | None = None

    def __enter__(self) -> "ParquetSink":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._writer = pq.ParquetWriter(self._partial, self.schema)
        return self

    def write(self, frame: pd.DataFrame) -> None:
        if self._writer is None:
            raise RuntimeError("ParquetSink.write outside its `with` block")
        table = pa.Table.from_pandas(frame, schema=self.schema, preserve_index=False)
        self._writer.write_table(table)
        self.rows += len(frame)

    def __exit__(
        self,
        error_type: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._writer is not None:
            self._writer.close()
        if error_type is None:
            os.replace(self._partial, self.path)
        else:
            self._partial.unlink(missing_ok=True)
