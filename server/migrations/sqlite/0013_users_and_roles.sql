-- People who sign in, their roles per workspace, their sessions, one-time
-- sign-in links, and failed sign-ins (counted here so every server process
-- sees them). Secrets (session ids, link tokens) are stored only hashed.

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    email          TEXT NOT NULL UNIQUE,          -- lower-cased
    name           TEXT NOT NULL,
    password_hash  TEXT,                          -- argon2id PHC string; NULL until set
    disabled_at    INTEGER,
    created_at     INTEGER NOT NULL
);

CREATE TABLE memberships (
    workspace_id  INTEGER NOT NULL REFERENCES workspaces(id),
    user_id       INTEGER NOT NULL REFERENCES users(id),
    role          TEXT NOT NULL CHECK (role IN ('owner', 'analyst', 'viewer', 'client')),
    brand_id      INTEGER REFERENCES brands(id),  -- the client's brand (role client only)
    created_at    INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, user_id),
    CHECK ((role = 'client') = (brand_id IS NOT NULL))
);
CREATE INDEX memberships_user ON memberships (user_id);

CREATE TABLE sessions (
    id          INTEGER PRIMARY KEY,
    hash        TEXT NOT NULL UNIQUE,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    created_at  INTEGER NOT NULL,
    seen_at     INTEGER NOT NULL,
    revoked_at  INTEGER,
    via_link    INTEGER NOT NULL DEFAULT 0 CHECK (via_link IN (0, 1))
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE sign_in_links (
    hash        TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER
);

CREATE TABLE sign_in_failures (
    subject  TEXT NOT NULL,                       -- 'email:<address>' or 'addr:<ip>'
    at       INTEGER NOT NULL
);
CREATE INDEX sign_in_failures_subject ON sign_in_failures (subject, at);

-- Keys gain scopes (existing keys keep what they could do) and a last use.
ALTER TABLE api_keys ADD COLUMN scopes TEXT NOT NULL DEFAULT 'read,ingest';
ALTER TABLE api_keys ADD COLUMN last_used_at INTEGER;
