#!/usr/bin/env python3
"""pandas baseline for bench/load-clean.js: load a transactions CSV(.gz) and apply segkit's default cleaning
rules in the same order (missing customer id, cancelled invoice, quantity <= 0, unit price <= 0, exact
duplicates, first kept). Prints one JSON line: timings (ms), rows, removed per rule, peak RSS (kB).
Benchmark only: Debian's python3-pandas (apt-get install -y python3-pandas)."""
import argparse
import json
import resource
import time

t_import = time.perf_counter()
import pandas as pd  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("file")
ap.add_argument("--customer", required=True)
ap.add_argument("--date", required=True)
ap.add_argument("--invoice")
ap.add_argument("--quantity")
ap.add_argument("--price")
ap.add_argument("--amount")
ap.add_argument("--date-format", default="%Y-%m-%d %H:%M:%S")
ap.add_argument("--text", action="append", default=[], help="other text columns (product, description, country)")
a = ap.parse_args()
import_ms = (time.perf_counter() - t_import) * 1000

t0 = time.perf_counter()
text = [c for c in [a.customer, a.invoice, *a.text] if c]
df = pd.read_csv(a.file, dtype={c: str for c in text}, keep_default_na=False, na_values=[""])
df[a.customer] = df[a.customer].str.strip().str.replace(r"^(-?\d+)\.0+$", r"\1", regex=True)
df[a.date] = pd.to_datetime(df[a.date], format=a.date_format)
if a.quantity:
    df[a.quantity] = pd.to_numeric(df[a.quantity], errors="raise").astype("float64")
price = a.price or a.amount
df[price] = pd.to_numeric(df[price], errors="raise").astype("float64")
if a.price and not a.amount:
    df["__amount"] = (df[a.quantity] if a.quantity else 1.0) * df[a.price]
t_read = time.perf_counter()

removed = {}
n0 = len(df)
def rule(name, keep):
    global df
    removed[name] = int((~keep).sum())
    df = df[keep]

rule("missing_customer_id", df[a.customer].notna())
rule("cancelled_invoice", ~df[a.invoice].str.startswith("C", na=False) if a.invoice else pd.Series(True, index=df.index))
rule("nonpositive_quantity", df[a.quantity] > 0 if a.quantity else pd.Series(True, index=df.index))
rule("nonpositive_unit_price", df[price] > 0)
rule("duplicate_row", ~df.duplicated(keep="first"))
t_clean = time.perf_counter()

print(json.dumps({
    "tool": "pandas " + pd.__version__,
    "read_ms": round((t_read - t0) * 1000),
    "clean_ms": round((t_clean - t_read) * 1000),
    "total_ms": round((t_clean - t0) * 1000),
    "import_ms": round(import_ms),
    "rows_read": n0,
    "rows_kept": len(df),
    "removed": removed,
    "max_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
}))
