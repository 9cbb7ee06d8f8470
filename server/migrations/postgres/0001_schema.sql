-- The PostgreSQL schema: the same tables, keys and indexes as SQLite's
-- migrations 0001-0008 (see their comments for what each holds), written
-- once for a new backend. Integers are BIGINT throughout, so both backends
-- read every count and id as a 64-bit integer; flags are 0/1 integers as in
-- SQLite. A later change adds one migration to each folder.

CREATE TABLE workspaces (
    id          BIGSERIAL PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    timezone    TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);

CREATE TABLE brands (
    id            BIGSERIAL PRIMARY KEY,
    workspace_id  BIGINT NOT NULL REFERENCES workspaces(id),
    name          TEXT NOT NULL,
    is_competitor BIGINT NOT NULL DEFAULT 0 CHECK (is_competitor IN (0, 1)),
    keywords      TEXT NOT NULL DEFAULT '',
    UNIQUE (workspace_id, name)
);

CREATE TABLE campaigns (
    id            BIGSERIAL PRIMARY KEY,
    workspace_id  BIGINT NOT NULL REFERENCES workspaces(id),
    brand_id      BIGINT NOT NULL REFERENCES brands(id),
    name          TEXT NOT NULL,
    start_date    TEXT NOT NULL,
    end_date      TEXT NOT NULL,
    budget_cents  BIGINT,
    currency      TEXT NOT NULL DEFAULT 'CNY',
    channels      TEXT NOT NULL,
    keywords      TEXT NOT NULL DEFAULT '',
    CHECK (end_date >= start_date)
);
CREATE INDEX campaigns_workspace ON campaigns (workspace_id);

CREATE TABLE accounts (
    id            BIGSERIAL PRIMARY KEY,
    workspace_id  BIGINT NOT NULL REFERENCES workspaces(id),
    channel       TEXT NOT NULL,
    platform_id   TEXT NOT NULL,
    handle        TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('owned', 'kol', 'regular')),
    brand_id      BIGINT REFERENCES brands(id),
    followers     BIGINT NOT NULL DEFAULT 0,
    following     BIGINT NOT NULL DEFAULT 0,
    posts         BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT,
    verified      BIGINT NOT NULL DEFAULT 0 CHECK (verified IN (0, 1)),
    UNIQUE (workspace_id, channel, platform_id)
);

CREATE TABLE posts (
    id                BIGSERIAL PRIMARY KEY,
    workspace_id      BIGINT NOT NULL REFERENCES workspaces(id),
    client_id         TEXT NOT NULL,
    campaign_id       BIGINT REFERENCES campaigns(id),
    channel           TEXT NOT NULL,
    account_id        BIGINT NOT NULL REFERENCES accounts(id),
    posted_at         BIGINT NOT NULL,
    local_day         TEXT NOT NULL,
    root_client_id    TEXT,
    parent_client_id  TEXT,
    paid              BIGINT NOT NULL DEFAULT 0 CHECK (paid IN (0, 1)),
    text              TEXT NOT NULL DEFAULT '',
    posted_at_ms      BIGINT,
    UNIQUE (workspace_id, client_id)
);
CREATE INDEX posts_campaign_day ON posts (campaign_id, local_day);
CREATE INDEX posts_root ON posts (workspace_id, root_client_id);

CREATE TABLE exposures (
    id              BIGSERIAL PRIMARY KEY,
    workspace_id    BIGINT NOT NULL REFERENCES workspaces(id),
    client_id       TEXT NOT NULL,
    campaign_id     BIGINT REFERENCES campaigns(id),
    channel         TEXT NOT NULL,
    user_id         TEXT NOT NULL,
    post_client_id  TEXT NOT NULL,
    at              BIGINT NOT NULL,
    local_day       TEXT NOT NULL,
    UNIQUE (workspace_id, client_id)
);
CREATE INDEX exposures_campaign_day ON exposures (campaign_id, local_day);

CREATE TABLE engagements (
    id              BIGSERIAL PRIMARY KEY,
    workspace_id    BIGINT NOT NULL REFERENCES workspaces(id),
    client_id       TEXT NOT NULL,
    campaign_id     BIGINT REFERENCES campaigns(id),
    channel         TEXT NOT NULL,
    user_id         TEXT NOT NULL,
    post_client_id  TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('like', 'comment', 'repost', 'click')),
    at              BIGINT NOT NULL,
    local_day       TEXT NOT NULL,
    UNIQUE (workspace_id, client_id)
);
CREATE INDEX engagements_campaign_day ON engagements (campaign_id, local_day);

CREATE TABLE follows (
    id              BIGSERIAL PRIMARY KEY,
    workspace_id    BIGINT NOT NULL REFERENCES workspaces(id),
    client_id       TEXT NOT NULL,
    campaign_id     BIGINT REFERENCES campaigns(id),
    channel         TEXT NOT NULL,
    user_id         TEXT NOT NULL,
    account_id      BIGINT NOT NULL REFERENCES accounts(id),
    action          TEXT NOT NULL CHECK (action IN ('follow', 'unfollow')),
    at              BIGINT NOT NULL,
    local_day       TEXT NOT NULL,
    UNIQUE (workspace_id, client_id)
);
CREATE INDEX follows_campaign_day ON follows (campaign_id, local_day);

CREATE TABLE conversions (
    id              BIGSERIAL PRIMARY KEY,
    workspace_id    BIGINT NOT NULL REFERENCES workspaces(id),
    client_id       TEXT NOT NULL,
    campaign_id     BIGINT REFERENCES campaigns(id),
    channel         TEXT NOT NULL,
    user_id         TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('purchase', 'signup', 'coupon')),
    value_cents     BIGINT NOT NULL DEFAULT 0,
    post_client_id  TEXT,
    at              BIGINT NOT NULL,
    local_day       TEXT NOT NULL,
    UNIQUE (workspace_id, client_id)
);
CREATE INDEX conversions_campaign_day ON conversions (campaign_id, local_day);

CREATE TABLE mentions (
    id              BIGSERIAL PRIMARY KEY,
    workspace_id    BIGINT NOT NULL REFERENCES workspaces(id),
    client_id       TEXT NOT NULL,
    brand_id        BIGINT NOT NULL REFERENCES brands(id),
    channel         TEXT NOT NULL,
    author_id       TEXT NOT NULL,
    text            TEXT NOT NULL DEFAULT '',
    at              BIGINT NOT NULL,
    UNIQUE (workspace_id, client_id)
);
CREATE INDEX mentions_brand_at ON mentions (brand_id, at);

CREATE TABLE api_keys (
    id            BIGSERIAL PRIMARY KEY,
    workspace_id  BIGINT NOT NULL REFERENCES workspaces(id),
    name          TEXT NOT NULL DEFAULT '',
    prefix        TEXT NOT NULL,
    hash          TEXT NOT NULL UNIQUE,
    created_at    BIGINT NOT NULL,
    revoked_at    BIGINT
);
CREATE INDEX api_keys_workspace ON api_keys (workspace_id);

CREATE TABLE cascade_labels (
    workspace_id    BIGINT NOT NULL REFERENCES workspaces(id),
    root_client_id  TEXT NOT NULL,
    label           TEXT NOT NULL,
    PRIMARY KEY (workspace_id, root_client_id)
);

CREATE TABLE ingested_events (
    workspace_id  BIGINT NOT NULL REFERENCES workspaces(id),
    client_id     TEXT NOT NULL,
    fingerprint   TEXT NOT NULL,
    PRIMARY KEY (workspace_id, client_id)
);

CREATE TABLE rollup_daily (
    campaign_id    BIGINT NOT NULL REFERENCES campaigns(id),
    day            TEXT NOT NULL,
    channel        TEXT NOT NULL,
    impressions    BIGINT NOT NULL DEFAULT 0,
    new_reach      BIGINT NOT NULL DEFAULT 0,
    engagements    BIGINT NOT NULL DEFAULT 0,
    posts          BIGINT NOT NULL DEFAULT 0,
    reposts        BIGINT NOT NULL DEFAULT 0,
    new_fans       BIGINT NOT NULL DEFAULT 0,
    unfollows      BIGINT NOT NULL DEFAULT 0,
    conversions    BIGINT NOT NULL DEFAULT 0,
    revenue_cents  BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, day, channel)
);

CREATE TABLE reach_first (
    campaign_id  BIGINT NOT NULL REFERENCES campaigns(id),
    channel      TEXT NOT NULL,
    user_id      TEXT NOT NULL,
    first_day    TEXT NOT NULL,
    PRIMARY KEY (campaign_id, channel, user_id)
);

CREATE TABLE campaign_versions (
    campaign_id  BIGINT PRIMARY KEY REFERENCES campaigns(id),
    version      BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE rollup_mentions_hourly (
    brand_id  BIGINT NOT NULL REFERENCES brands(id),
    hour      BIGINT NOT NULL,
    mentions  BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (brand_id, hour)
);

CREATE TABLE rollup_sketches (
    campaign_id  BIGINT NOT NULL REFERENCES campaigns(id),
    day          TEXT NOT NULL,
    channel      TEXT NOT NULL,
    sketch       BYTEA NOT NULL,
    PRIMARY KEY (campaign_id, day, channel)
);
