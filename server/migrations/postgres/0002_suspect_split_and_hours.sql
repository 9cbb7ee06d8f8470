-- Every aggregate gains a suspect flag (suspected zombie fans, flagged paid
-- posters: analytics::suspect) in its key, so the with/without views need no
-- raw scan; the counters gain an hourly twin. These tables hold derived data
-- only: they are recreated empty and every campaign is marked stale, to be
-- rebuilt from its raw events when the server next opens the database.
-- (SQLite migration 0009.)
DROP TABLE rollup_daily;
CREATE TABLE rollup_daily (
    campaign_id    BIGINT NOT NULL REFERENCES campaigns(id),
    day            TEXT NOT NULL,
    channel        TEXT NOT NULL,
    -- 1: the suspected share (analytics::suspect); totals add both rows.
    suspect        BIGINT NOT NULL DEFAULT 0 CHECK (suspect IN (0, 1)),
    impressions    BIGINT NOT NULL DEFAULT 0,
    new_reach      BIGINT NOT NULL DEFAULT 0,
    engagements    BIGINT NOT NULL DEFAULT 0,
    posts          BIGINT NOT NULL DEFAULT 0,
    reposts        BIGINT NOT NULL DEFAULT 0,
    new_fans       BIGINT NOT NULL DEFAULT 0,
    unfollows      BIGINT NOT NULL DEFAULT 0,
    conversions    BIGINT NOT NULL DEFAULT 0,
    revenue_cents  BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, day, channel, suspect)
);

-- The same counters per UTC hour (the hour's start, Unix seconds); new reach
-- counts users by the hour of their first exposure.
CREATE TABLE rollup_hourly (
    campaign_id    BIGINT NOT NULL REFERENCES campaigns(id),
    hour           BIGINT NOT NULL,
    channel        TEXT NOT NULL,
    suspect        BIGINT NOT NULL DEFAULT 0 CHECK (suspect IN (0, 1)),
    impressions    BIGINT NOT NULL DEFAULT 0,
    new_reach      BIGINT NOT NULL DEFAULT 0,
    engagements    BIGINT NOT NULL DEFAULT 0,
    posts          BIGINT NOT NULL DEFAULT 0,
    reposts        BIGINT NOT NULL DEFAULT 0,
    new_fans       BIGINT NOT NULL DEFAULT 0,
    unfollows      BIGINT NOT NULL DEFAULT 0,
    conversions    BIGINT NOT NULL DEFAULT 0,
    revenue_cents  BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, hour, channel, suspect)
);

-- Each exposed user's first exposure (whole seconds, as milliseconds) and
-- whether the user was suspected then: new reach moves with it.
DROP TABLE reach_first;
CREATE TABLE reach_first (
    campaign_id  BIGINT NOT NULL REFERENCES campaigns(id),
    channel      TEXT NOT NULL,
    user_id      TEXT NOT NULL,
    first_day    TEXT NOT NULL,
    first_ms     BIGINT NOT NULL,
    suspect      BIGINT NOT NULL DEFAULT 0 CHECK (suspect IN (0, 1)),
    PRIMARY KEY (campaign_id, channel, user_id)
);

DROP TABLE rollup_sketches;
CREATE TABLE rollup_sketches (
    campaign_id  BIGINT NOT NULL REFERENCES campaigns(id),
    day          TEXT NOT NULL,
    channel      TEXT NOT NULL,
    suspect      BIGINT NOT NULL DEFAULT 0 CHECK (suspect IN (0, 1)),
    sketch       BYTEA NOT NULL,
    PRIMARY KEY (campaign_id, day, channel, suspect)
);

-- Campaigns whose aggregates must be rebuilt from raw events; the server
-- rebuilds them when it opens the database.
CREATE TABLE rollups_stale (
    campaign_id  BIGINT PRIMARY KEY REFERENCES campaigns(id)
);
INSERT INTO rollups_stale (campaign_id) SELECT id FROM campaigns;
