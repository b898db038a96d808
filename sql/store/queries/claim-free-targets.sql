-- $1 instance claims the targets $2 (text[]) that had no owner: those no other replica claimed
-- first are returned. (A target whose owner left or was forgotten has no row.)
INSERT INTO target_owners (target, owner, since)
SELECT t, $1, clock_timestamp() FROM unnest($2::text[]) AS t
ON CONFLICT (target) DO NOTHING
RETURNING target
