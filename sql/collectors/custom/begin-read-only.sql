-- Custom metrics (user SQL from the configuration): each runs in a read-only transaction of its
-- own, so that it cannot write whatever it says, and lower-statement-timeout.sql applies to it alone.
BEGIN READ ONLY
