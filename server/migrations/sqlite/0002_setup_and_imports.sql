-- API keys: only a SHA-256 of each key is stored; `prefix` (the first 8
-- characters after `wom_`) identifies a key in listings and revocations.
CREATE TABLE api_keys (
    id            INTEGER PRIMARY KEY,
    workspace_id  INTEGER NOT NULL REFERENCES workspaces(id),
    name          TEXT NOT NULL DEFAULT '',
    prefix        TEXT NOT NULL,
    hash          TEXT NOT NULL UNIQUE,
    created_at    INTEGER NOT NULL,
    revoked_at    INTEGER
);
CREATE INDEX api_keys_workspace ON api_keys (workspace_id);

-- Millisecond post times: imported delays (Twitter15 gives minutes with two
-- decimals) must survive storage exactly. NULL means posted_at * 1000.
ALTER TABLE posts ADD COLUMN posted_at_ms INTEGER;

-- Labels that come with imported cascades (Twitter15: rumour veracity).
CREATE TABLE cascade_labels (
    workspace_id    INTEGER NOT NULL REFERENCES workspaces(id),
    root_client_id  TEXT NOT NULL,
    label           TEXT NOT NULL,
    PRIMARY KEY (workspace_id, root_client_id)
);
