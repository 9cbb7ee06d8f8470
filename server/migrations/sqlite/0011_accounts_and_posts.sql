-- Credit by account and by post (db/aggregate.rs): counters per campaign ×
-- day × channel × credited account (an owned or KOL account whose post the
-- event went through, or who was followed; '' for everyone else: earned) ×
-- suspect, per post, and reach sketches split by credited account too, so
-- the browser can union any selection of accounts (an account matrix, owned
-- / paid / earned). Derived data: recreated and rebuilt.
CREATE TABLE rollup_accounts (
    campaign_id    INTEGER NOT NULL REFERENCES campaigns(id),
    day            TEXT NOT NULL,
    channel        TEXT NOT NULL,
    account        TEXT NOT NULL,
    suspect        INTEGER NOT NULL DEFAULT 0 CHECK (suspect IN (0, 1)),
    impressions    INTEGER NOT NULL DEFAULT 0,
    -- Always 0 here: an account's unique reach is the union of its sketches.
    new_reach      INTEGER NOT NULL DEFAULT 0,
    engagements    INTEGER NOT NULL DEFAULT 0,
    posts          INTEGER NOT NULL DEFAULT 0,
    reposts        INTEGER NOT NULL DEFAULT 0,
    new_fans       INTEGER NOT NULL DEFAULT 0,
    unfollows      INTEGER NOT NULL DEFAULT 0,
    conversions    INTEGER NOT NULL DEFAULT 0,
    revenue_cents  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, day, channel, account, suspect)
);

-- What went through each post: exposures, engagements and conversions that
-- name it, and its direct reposts.
CREATE TABLE rollup_posts (
    campaign_id     INTEGER NOT NULL REFERENCES campaigns(id),
    post_client_id  TEXT NOT NULL,
    suspect         INTEGER NOT NULL DEFAULT 0 CHECK (suspect IN (0, 1)),
    impressions     INTEGER NOT NULL DEFAULT 0,
    engagements     INTEGER NOT NULL DEFAULT 0,
    reposts         INTEGER NOT NULL DEFAULT 0,
    conversions     INTEGER NOT NULL DEFAULT 0,
    revenue_cents   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, post_client_id, suspect)
);

DROP TABLE rollup_sketches;
CREATE TABLE rollup_sketches (
    campaign_id  INTEGER NOT NULL REFERENCES campaigns(id),
    day          TEXT NOT NULL,
    channel      TEXT NOT NULL,
    account      TEXT NOT NULL DEFAULT '',
    suspect      INTEGER NOT NULL DEFAULT 0 CHECK (suspect IN (0, 1)),
    sketch       BLOB NOT NULL,
    PRIMARY KEY (campaign_id, day, channel, account, suspect)
);

INSERT INTO rollups_stale (campaign_id) SELECT id FROM campaigns WHERE true ON CONFLICT DO NOTHING;
