-- Series not written for $1 days: their samples are gone, and template variables should not
-- offer their label values any more. The writer refreshes seen_at daily for series in use.
DELETE FROM series WHERE seen_at < now() - make_interval(days => $1)
