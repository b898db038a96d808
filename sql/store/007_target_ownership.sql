-- Replicas sharing this store, and which one collects and governs each target (issue 16).
-- Every time here is the store's own clock (clock_timestamp()), never a replica's: a replica whose
-- clock is off cannot make its lease look longer, nor another's look expired.

-- A backend replica: alive while expires_at is ahead, which its heartbeat pushes forward every
-- few seconds. `targets` is what it is configured to watch: a target goes to a replica that has it.
CREATE TABLE replicas (
  instance text PRIMARY KEY,
  host text NOT NULL,
  started_at timestamptz NOT NULL,
  heartbeat_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  targets text[] NOT NULL DEFAULT '{}'
);

-- The replica that collects and governs a target. The ownership lasts as long as the owner's
-- replica row is alive; a replica takes a target only when it has no owner or a dead one, under
-- the ownership lock (sql/store/queries/ownership-lock.sql), so two can never both take it.
CREATE TABLE target_owners (
  target text PRIMARY KEY,
  owner text NOT NULL,
  since timestamptz NOT NULL
);
CREATE INDEX target_owners_owner ON target_owners (owner);

-- What each target's owner last saw of it (the overview's headline numbers), so that any replica
-- can answer for the whole fleet.
CREATE TABLE target_status (
  target text PRIMARY KEY,
  owner text NOT NULL,
  updated_at timestamptz NOT NULL,
  status jsonb NOT NULL
);

-- What each replica's alert evaluation has pending or firing now (its own targets and itself), so
-- that /api/v1/alerts answers for the whole fleet from any replica.
CREATE TABLE replica_alerts (
  instance text PRIMARY KEY,
  updated_at timestamptz NOT NULL,
  evaluated_at timestamptz,
  alerts jsonb NOT NULL
);
