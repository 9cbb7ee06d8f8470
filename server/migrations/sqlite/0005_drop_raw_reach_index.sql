-- Unique reach is kept in reach_first since rollups (0004); this index only
-- slowed every exposure insert.
DROP INDEX IF EXISTS exposures_campaign_user;
