-- Replicas renew their leases without waiting on one another (issue 16). Until now every heartbeat
-- took one lock for the whole store (sql/store/queries/ownership-lock.sql), so one slow replica or
-- a busy store made every other replica's heartbeat wait, time out and its lease lapse.
--
-- lapsed_at: set by the first replica that takes a target of this one after its lease ran out, in
-- the same transaction as that take (replicas-lapse.sql). A renewal (replica-renew.sql) is one
-- statement on the replica's own row that fails once lapsed_at is set; the row lock orders the two,
-- so a replica can never renew a lease and go on with a target another has just taken: it joins
-- again (replica-join.sql), which clears the mark, and reads what it still owns after that.
--
-- claims_from: the end of the join window of a replica that has just started (store clock). Until
-- then it claims nothing, the others leave it the free targets that are its share and hand it
-- nothing yet: replicas started together each see the others before any claims, and a fleet does
-- not land on whichever replica came first.
ALTER TABLE replicas
  ADD COLUMN lapsed_at timestamptz,
  ADD COLUMN claims_from timestamptz NOT NULL DEFAULT '-infinity';
