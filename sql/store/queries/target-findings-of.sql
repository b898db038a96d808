-- The findings last published of targets that start on this replica (taken over, or this replica
-- restarted), whoever published them, within the last day (store clock): the new owner carries
-- them on rather than announcing them again.
-- $1 the targets (text[])
SELECT target, findings
  FROM target_findings
 WHERE target = ANY($1::text[])
   AND updated_at > clock_timestamp() - interval '1 day'
