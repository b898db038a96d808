-- The embedded store's history database (created on its first start).
CREATE DATABASE pgg_history
