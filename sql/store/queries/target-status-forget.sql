-- Status of targets nobody has published for a day (removed from the configuration) is dropped.
DELETE FROM target_status WHERE updated_at < clock_timestamp() - interval '1 day'
