-- Which numbered files of sql/store have been applied (created under the migration lock).
CREATE TABLE IF NOT EXISTS store_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  checksum text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)
