"""Turn schema-valid CSV records into typed pandas DataFrames."""

from __future__ import annotations

from typing import Any

import pandas as pd

from shizhong.rawtable import RawTable

_DTYPES = {"string": "string", "number": "Float64", "integer": "Int64"}


def typed(table: RawTable, schema: dict[str, Any]) -> pd.DataFrame:
    """A DataFrame with the schema's column order and nullable dtypes (empty cells are NA)."""
    frame = pd.DataFrame(table.rows, columns=table.header, dtype="object")
    out = {}
    for f in schema["fields"]:
        col = frame[f["name"]].where(frame[f["name"]] != "", None)
        if f["type"] == "string":
            out[f["name"]] = col.astype("string")
        else:
            out[f["name"]] = pd.to_numeric(col).astype(_DTYPES[f["type"]])
    df = pd.DataFrame(out)
    key = schema.get("primaryKey")
    if key and len(key) == 1:
        df = df.set_index(key[0], drop=False)
        df.index.name = None
    return df
