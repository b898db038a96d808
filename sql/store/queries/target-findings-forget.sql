-- Findings of targets nobody has published for a day (removed from the configuration) are dropped.
DELETE FROM target_findings WHERE updated_at < clock_timestamp() - interval '1 day'
