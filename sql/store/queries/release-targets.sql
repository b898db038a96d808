-- $1 instance gives up the targets $2 (text[]) it stopped collecting: another replica may take them.
DELETE FROM target_owners WHERE owner = $1 AND target = ANY($2::text[])
