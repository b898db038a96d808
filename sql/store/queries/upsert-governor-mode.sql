-- $1 target  $2 mode  $3 who set it  $4 when (ms since epoch)
INSERT INTO governor_modes (target, mode, set_by, set_at) VALUES ($1, $2, $3, to_timestamp($4::float8 / 1000))
ON CONFLICT (target) DO UPDATE SET mode = excluded.mode, set_by = excluded.set_by, set_at = excluded.set_at
