-- Whether the embedded store's history database exists yet.  $1 database name
SELECT 1 FROM pg_database WHERE datname = $1
