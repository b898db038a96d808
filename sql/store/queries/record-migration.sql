-- $1 version  $2 file name  $3 sha256 of the file
INSERT INTO store_migrations (version, name, checksum) VALUES ($1, $2, $3)
