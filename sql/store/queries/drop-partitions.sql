-- $1 parent table  $2 first day kept: partitions of earlier days are dropped (their names returned)
SELECT pgg_drop_daily_partitions($1::regclass, $2::date) AS name
