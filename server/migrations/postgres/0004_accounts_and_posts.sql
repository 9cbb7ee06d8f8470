-- Credit by account and by post (db/aggregate.rs): counters per campaign ×
-- day × channel × credited account (an owned or KOL account whose post the
-- event went through, or who was followed; '' for everyone else: earned) ×
-- suspect, per post, and reach sketches split by credited account too, so
-- the browser can union any selection of accounts (an account matrix, owned
-- / paid / earned). Derived data: recreated and rebuilt.
-- (SQLite migration 0011.)
CREATE TABLE rollup_accounts (
    campaign_id    BIGINT NOT NULL REFERENCES campaigns(id),
    day            TEXT NOT NULL,
    channel        TEXT NOT NULL,
    account        TEXT NOT NULL,
    suspect        BIGINT NOT NULL DEFAULT 0 CHECK (suspect IN (0, 1)),
    impressions    BIGINT NOT NULL DEFAULT 0,
    -- Always 0 here: an account's unique reach is the union of its sketches.
    new_reach      BIGINT NOT NULL DEFAULT 0,
    engagements    BIGINT NOT NULL DEFAULT 0,
    posts          BIGINT NOT NULL DEFAULT 0,
    reposts        BIGINT NOT NULL DEFAULT 0,
    new_fans       BIGINT NOT NULL DEFAULT 0,
    unfollows      BIGINT NOT NULL DEFAULT 0,
    conversions    BIGINT NOT NULL DEFAULT 0,
    revenue_cents  BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, day, channel, account, suspect)
);

-- What went through each post: exposures, engagements and conversions that
-- name it, and its direct reposts.
CREATE TABLE rollup_posts (
    campaign_id     BIGINT NOT NULL REFERENCES campaigns(id),
    post_client_id  TEXT NOT NULL,
    suspect         BIGINT NOT NULL DEFAULT 0 CHECK (suspect IN (0, 1)),
    impressions     BIGINT NOT NULL DEFAULT 0,
    engagements     BIGINT NOT NULL DEFAULT 0,
    reposts         BIGINT NOT NULL DEFAULT 0,
    conversions     BIGINT NOT NULL DEFAULT 0,
    revenue_cents   BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, post_client_id, suspect)
);

DROP TABLE rollup_sketches;
CREATE TABLE rollup_sketches (
    campaign_id  BIGINT NOT NULL REFERENCES campaigns(id),
    day          TEXT NOT NULL,
    channel      TEXT NOT NULL,
    account      TEXT NOT NULL DEFAULT '',
    suspect      BIGINT NOT NULL DEFAULT 0 CHECK (suspect IN (0, 1)),
    sketch       BYTEA NOT NULL,
    PRIMARY KEY (campaign_id, day, channel, account, suspect)
);

INSERT INTO rollups_stale (campaign_id) SELECT id FROM campaigns WHERE true ON CONFLICT DO NOTHING;
