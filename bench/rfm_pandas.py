#!/usr/bin/env python3
"""The pandas equivalent of segkit's computeRfm + scoreRfm (rank method), timed on the same cleaned rows.

    /usr/bin/python3 bench/rfm_pandas.py --input bench/data/rfm-clean-10m.csv --reps 3 [--bins 5] [--ids str|int]

Reading the CSV (and parsing dates) is timed apart from RFM. Prints one JSON line: read seconds,
seconds per repetition (wall and CPU), and check figures (customers, sums, score counts) to compare
with segkit.

--ids str (default) reads customer_id and invoice as strings, as segkit's readTransactions does (ids
such as "C536379" or "A-17" are text in general). --ids int lets read_csv infer them, which gives int64
for all-digit ids (the generated data): what a plain pd.read_csv would do, and faster to group in pandas.
"""
import argparse
import json
import time

import numpy as np
import pandas as pd


def rfm(df: pd.DataFrame, bins: int) -> pd.DataFrame:
    day = df["date"].dt.normalize()
    as_of = day.max() + pd.Timedelta(days=1)
    g = df.assign(day=day).groupby("customer_id", sort=False).agg(
        first=("day", "min"),
        last=("day", "max"),
        frequency=("invoice", "nunique"),
        monetary=("amount", "sum"),
        items=("quantity", "sum"),
    )
    g["recency_days"] = (as_of - g["last"]).dt.days
    g["tenure_days"] = (as_of - g["first"]).dt.days
    g["avg_order_value"] = g["monetary"] / g["frequency"]
    n = len(g)

    def score(values: pd.Series) -> pd.Series:
        # below = customers with a strictly lower value = rank(method='min') - 1
        below = values.rank(method="min") - 1
        return (1 + np.floor(bins * below / n)).astype("int32")

    g["r_score"] = score(-g["recency_days"])
    g["f_score"] = score(g["frequency"])
    g["m_score"] = score(g["monetary"].round(6))
    g["rfm_score"] = 100 * g["r_score"] + 10 * g["f_score"] + g["m_score"]
    g["rfm_code"] = g["r_score"].astype(str) + g["f_score"].astype(str) + g["m_score"].astype(str)
    return g


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--input", required=True)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--bins", type=int, default=5)
    ap.add_argument("--ids", choices=("str", "int"), default="str")
    a = ap.parse_args()
    t0 = time.perf_counter()
    df = pd.read_csv(a.input, dtype={"customer_id": str, "invoice": str} if a.ids == "str" else None)
    df["date"] = pd.to_datetime(df["date"], format="%Y-%m-%dT%H:%M:%S")
    read_s = time.perf_counter() - t0
    g = rfm(df, a.bins)  # warm-up, not counted
    times = []
    cpu = []
    for _ in range(a.reps):
        t = time.perf_counter()
        c = time.process_time()
        g = rfm(df, a.bins)
        cpu.append(time.process_time() - c)
        times.append(time.perf_counter() - t)
    counts = {c: {str(k): int(v) for k, v in g[c].value_counts().sort_index().items()} for c in ("r_score", "f_score", "m_score")}
    print(json.dumps({
        "pandas": pd.__version__,
        "ids": a.ids,
        "id_dtypes": [str(df["customer_id"].dtype), str(df["invoice"].dtype)],
        "rows": int(len(df)),
        "read_seconds": round(read_s, 3),
        "rfm_seconds": [round(x, 3) for x in times],
        "rfm_cpu_seconds": [round(x, 3) for x in cpu],
        "check": {
            "customers": int(len(g)),
            "sum_monetary": round(float(g["monetary"].sum()), 2),
            "mean_recency_days": round(float(g["recency_days"].mean()), 4),
            "sum_frequency": int(g["frequency"].sum()),
            "score_counts": counts,
        },
    }))


if __name__ == "__main__":
    main()
