-- The operators' governor modes (governor_modes), one row per target that has one.
SELECT target, mode, set_by, (extract(epoch FROM set_at) * 1000)::float8 AS set_at_ms FROM governor_modes
