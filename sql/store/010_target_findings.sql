-- What each target's findings engine holds now (its owner's: findings live in the owner's memory),
-- so that /api/v1/findings and the findings table answer for the whole fleet from any replica. One
-- row per target, replaced by its owner when its findings or check states change (at least every
-- minute); read only where the owner is the target's live owner.
CREATE TABLE target_findings (
  target text PRIMARY KEY,
  owner text NOT NULL,
  updated_at timestamptz NOT NULL,
  findings jsonb NOT NULL,
  checks jsonb NOT NULL
);
