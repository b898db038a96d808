-- Custom metrics: end of a metric's read-only transaction (begin-read-only.sql).
COMMIT
