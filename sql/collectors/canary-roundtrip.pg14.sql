-- Hot loop (PostgreSQL 14+): the synthetic canary's trivial statement. The backend times its round
-- trip (client to server and back, parse and execute included) as a client would feel it; the
-- result itself is not used. No bind parameters, no table, no lock.
SELECT 1 AS one
