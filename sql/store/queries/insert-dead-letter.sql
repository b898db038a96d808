-- $1 kind (samples, snapshots, events)  $2 SQLSTATE (or null)  $3 message  $4 the row as JSON text
INSERT INTO dead_letter (kind, sqlstate, message, row) VALUES ($1, $2, $3, $4)
