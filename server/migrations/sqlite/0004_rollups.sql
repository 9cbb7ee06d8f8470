-- Aggregates kept at ingest, so that no summary read scans raw events.
-- One row per campaign × day (workspace time zone) × channel.
CREATE TABLE rollup_daily (
    campaign_id    INTEGER NOT NULL REFERENCES campaigns(id),
    day            TEXT NOT NULL,
    channel        TEXT NOT NULL,
    impressions    INTEGER NOT NULL DEFAULT 0,
    -- Users whose first exposure in the campaign was on this day.
    new_reach      INTEGER NOT NULL DEFAULT 0,
    engagements    INTEGER NOT NULL DEFAULT 0,
    posts          INTEGER NOT NULL DEFAULT 0,
    reposts        INTEGER NOT NULL DEFAULT 0,
    new_fans       INTEGER NOT NULL DEFAULT 0,
    unfollows      INTEGER NOT NULL DEFAULT 0,
    conversions    INTEGER NOT NULL DEFAULT 0,
    revenue_cents  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, day, channel)
);

-- Each exposed user's first exposure day per campaign and channel: keeps
-- `new_reach` exact when exposures arrive out of order.
CREATE TABLE reach_first (
    campaign_id  INTEGER NOT NULL REFERENCES campaigns(id),
    channel      TEXT NOT NULL,
    user_id      TEXT NOT NULL,
    first_day    TEXT NOT NULL,
    PRIMARY KEY (campaign_id, channel, user_id)
);
