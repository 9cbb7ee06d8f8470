-- The fan-conversion funnel (analytics::funnel), kept at ingest without
-- user ids ever leaving the server: each campaign × channel × user's journey
-- (its first exposure and the times of its engagements, follows, unfollows
-- and conversions, as JSON) with the contribution it last made, and the
-- totals per first-exposure day × channel × post × suspect flag × window.
CREATE TABLE funnel_journeys (
    campaign_id   INTEGER NOT NULL REFERENCES campaigns(id),
    channel       TEXT NOT NULL,
    user_id       TEXT NOT NULL,
    journey       TEXT NOT NULL,
    contribution  TEXT,
    PRIMARY KEY (campaign_id, channel, user_id)
);

CREATE TABLE rollup_funnel (
    campaign_id     INTEGER NOT NULL REFERENCES campaigns(id),
    day             TEXT NOT NULL,
    channel         TEXT NOT NULL,
    post_client_id  TEXT NOT NULL,
    suspect         INTEGER NOT NULL DEFAULT 0 CHECK (suspect IN (0, 1)),
    window_s        INTEGER NOT NULL,
    exposed         INTEGER NOT NULL DEFAULT 0,
    engaged         INTEGER NOT NULL DEFAULT 0,
    fans            INTEGER NOT NULL DEFAULT 0,
    converted       INTEGER NOT NULL DEFAULT 0,
    retained_7d     INTEGER NOT NULL DEFAULT 0,
    retained_30d    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, day, channel, post_client_id, suspect, window_s)
);

INSERT INTO rollups_stale (campaign_id) SELECT id FROM campaigns WHERE true ON CONFLICT DO NOTHING;
