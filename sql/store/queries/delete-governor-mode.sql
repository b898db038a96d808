-- $1 target: its configured mode applies again
DELETE FROM governor_modes WHERE target = $1
