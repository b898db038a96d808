-- $1 instance takes the targets $2 (text[]), which it found without a live owner under the
-- ownership lock: nobody else can have taken them since.
INSERT INTO target_owners (target, owner, since)
SELECT t, $1, clock_timestamp() FROM unnest($2::text[]) AS t
ON CONFLICT (target) DO UPDATE SET owner = excluded.owner, since = excluded.since
