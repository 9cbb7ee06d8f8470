-- Every event ingested over HTTP, by client id, with a fingerprint of its
-- content: the same id again with the same fingerprint is a duplicate
-- (skipped), with another one a conflict (refused, never overwritten).
CREATE TABLE ingested_events (
    workspace_id  INTEGER NOT NULL REFERENCES workspaces(id),
    client_id     TEXT NOT NULL,
    fingerprint   TEXT NOT NULL,
    PRIMARY KEY (workspace_id, client_id)
);
