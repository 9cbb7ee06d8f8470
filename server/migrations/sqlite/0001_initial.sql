-- First cut of the data model of DOMAIN.md. Times are Unix seconds (UTC);
-- `local_day` is the calendar day in the workspace's time zone, fixed when the
-- event is stored, so daily figures need no time zone arithmetic in SQL.
-- Every event carries the client's id, unique within its workspace.

CREATE TABLE workspaces (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    timezone    TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);

CREATE TABLE brands (
    id            INTEGER PRIMARY KEY,
    workspace_id  INTEGER NOT NULL REFERENCES workspaces(id),
    name          TEXT NOT NULL,
    is_competitor INTEGER NOT NULL DEFAULT 0 CHECK (is_competitor IN (0, 1)),
    -- Tracked keywords, one per line.
    keywords      TEXT NOT NULL DEFAULT '',
    UNIQUE (workspace_id, name)
);

CREATE TABLE campaigns (
    id            INTEGER PRIMARY KEY,
    workspace_id  INTEGER NOT NULL REFERENCES workspaces(id),
    brand_id      INTEGER NOT NULL REFERENCES brands(id),
    name          TEXT NOT NULL,
    start_date    TEXT NOT NULL,
    end_date      TEXT NOT NULL,
    budget_cents  INTEGER,
    currency      TEXT NOT NULL DEFAULT 'CNY',
    -- Channel identifiers, comma-separated, in display order.
    channels      TEXT NOT NULL,
    keywords      TEXT NOT NULL DEFAULT '',
    CHECK (end_date >= start_date)
);
CREATE INDEX campaigns_workspace ON campaigns (workspace_id);

CREATE TABLE accounts (
    id            INTEGER PRIMARY KEY,
    workspace_id  INTEGER NOT NULL REFERENCES workspaces(id),
    channel       TEXT NOT NULL,
    platform_id   TEXT NOT NULL,
    handle        TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('owned', 'kol', 'regular')),
    brand_id      INTEGER REFERENCES brands(id),
    followers     INTEGER NOT NULL DEFAULT 0,
    following     INTEGER NOT NULL DEFAULT 0,
    posts         INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER,
    verified      INTEGER NOT NULL DEFAULT 0 CHECK (verified IN (0, 1)),
    UNIQUE (workspace_id, channel, platform_id)
);

-- Repost edges are stored raw, by client id, as they arrive: a parent may come
-- after its child. Trees are built from them when read.
CREATE TABLE posts (
    id                INTEGER PRIMARY KEY,
    workspace_id      INTEGER NOT NULL REFERENCES workspaces(id),
    client_id         TEXT NOT NULL,
    campaign_id       INTEGER REFERENCES campaigns(id),
    channel           TEXT NOT NULL,
    account_id        INTEGER NOT NULL REFERENCES accounts(id),
    posted_at         INTEGER NOT NULL,
    local_day         TEXT NOT NULL,
    root_client_id    TEXT,
    parent_client_id  TEXT,
    paid              INTEGER NOT NULL DEFAULT 0 CHECK (paid IN (0, 1)),
    text              TEXT NOT NULL DEFAULT '',
    UNIQUE (workspace_id, client_id)
);
CREATE INDEX posts_campaign_day ON posts (campaign_id, local_day);
CREATE INDEX posts_root ON posts (workspace_id, root_client_id);

CREATE TABLE exposures (
    id              INTEGER PRIMARY KEY,
    workspace_id    INTEGER NOT NULL REFERENCES workspaces(id),
    client_id       TEXT NOT NULL,
    campaign_id     INTEGER REFERENCES campaigns(id),
    channel         TEXT NOT NULL,
    user_id         TEXT NOT NULL,
    post_client_id  TEXT NOT NULL,
    at              INTEGER NOT NULL,
    local_day       TEXT NOT NULL,
    UNIQUE (workspace_id, client_id)
);
CREATE INDEX exposures_campaign_day ON exposures (campaign_id, local_day);
CREATE INDEX exposures_campaign_user ON exposures (campaign_id, channel, user_id, local_day);

CREATE TABLE engagements (
    id              INTEGER PRIMARY KEY,
    workspace_id    INTEGER NOT NULL REFERENCES workspaces(id),
    client_id       TEXT NOT NULL,
    campaign_id     INTEGER REFERENCES campaigns(id),
    channel         TEXT NOT NULL,
    user_id         TEXT NOT NULL,
    post_client_id  TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('like', 'comment', 'repost', 'click')),
    at              INTEGER NOT NULL,
    local_day       TEXT NOT NULL,
    UNIQUE (workspace_id, client_id)
);
CREATE INDEX engagements_campaign_day ON engagements (campaign_id, local_day);

-- Follows and unfollows of owned accounts.
CREATE TABLE follows (
    id              INTEGER PRIMARY KEY,
    workspace_id    INTEGER NOT NULL REFERENCES workspaces(id),
    client_id       TEXT NOT NULL,
    campaign_id     INTEGER REFERENCES campaigns(id),
    channel         TEXT NOT NULL,
    user_id         TEXT NOT NULL,
    account_id      INTEGER NOT NULL REFERENCES accounts(id),
    action          TEXT NOT NULL CHECK (action IN ('follow', 'unfollow')),
    at              INTEGER NOT NULL,
    local_day       TEXT NOT NULL,
    UNIQUE (workspace_id, client_id)
);
CREATE INDEX follows_campaign_day ON follows (campaign_id, local_day);

CREATE TABLE conversions (
    id              INTEGER PRIMARY KEY,
    workspace_id    INTEGER NOT NULL REFERENCES workspaces(id),
    client_id       TEXT NOT NULL,
    campaign_id     INTEGER REFERENCES campaigns(id),
    channel         TEXT NOT NULL,
    user_id         TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('purchase', 'signup', 'coupon')),
    value_cents     INTEGER NOT NULL DEFAULT 0,
    -- The post the conversion is attributed to, when known.
    post_client_id  TEXT,
    at              INTEGER NOT NULL,
    local_day       TEXT NOT NULL,
    UNIQUE (workspace_id, client_id)
);
CREATE INDEX conversions_campaign_day ON conversions (campaign_id, local_day);

-- Posts by anyone that match a tracked brand's keywords.
CREATE TABLE mentions (
    id              INTEGER PRIMARY KEY,
    workspace_id    INTEGER NOT NULL REFERENCES workspaces(id),
    client_id       TEXT NOT NULL,
    brand_id        INTEGER NOT NULL REFERENCES brands(id),
    channel         TEXT NOT NULL,
    author_id       TEXT NOT NULL,
    text            TEXT NOT NULL DEFAULT '',
    at              INTEGER NOT NULL,
    UNIQUE (workspace_id, client_id)
);
CREATE INDEX mentions_brand_at ON mentions (brand_id, at);
