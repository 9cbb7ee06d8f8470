-- Potential reach (曝光量): the followers of every account that posted or
-- reposted, summed without deduplication, per rollup row. Filled by a
-- rebuild of every campaign (the counts need the posters' profiles).
ALTER TABLE rollup_daily ADD COLUMN potential_reach BIGINT NOT NULL DEFAULT 0;
ALTER TABLE rollup_hourly ADD COLUMN potential_reach BIGINT NOT NULL DEFAULT 0;
ALTER TABLE rollup_accounts ADD COLUMN potential_reach BIGINT NOT NULL DEFAULT 0;

INSERT INTO rollups_stale (campaign_id) SELECT id FROM campaigns WHERE true ON CONFLICT DO NOTHING;
