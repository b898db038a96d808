-- $1 parent table (samples, samples_1m, snapshots, events)  $2 UTC days that need a partition
SELECT pgg_ensure_daily_partitions($1::regclass, $2::date[]) AS created
