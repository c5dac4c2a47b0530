"""Reconcile: ODS + OSS tables -> one row per actor, one decision per input row (private)."""
