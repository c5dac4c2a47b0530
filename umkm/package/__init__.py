"""Package: public tables -> Frictionless v2 data packages (CSV, Parquet, XLSX, zip)."""
