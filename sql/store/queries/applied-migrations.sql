SELECT version, name, checksum FROM store_migrations ORDER BY version
