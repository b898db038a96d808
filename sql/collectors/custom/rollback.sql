-- Custom metrics: a metric's query failed; its read-only transaction (begin-read-only.sql) ends.
ROLLBACK
