-- $1 the new rolled-up point
UPDATE rollup_state SET done_until = $1::timestamptz
