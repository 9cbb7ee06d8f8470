-- Saved reports: a workspace's report definitions (JSON, checked by
-- analytics::report before it is stored). The campaign's brand is kept
-- beside it so that a client's list is one indexed query.

CREATE TABLE reports (
    id            INTEGER PRIMARY KEY,
    workspace_id  INTEGER NOT NULL REFERENCES workspaces(id),
    campaign_id   INTEGER NOT NULL REFERENCES campaigns(id),
    brand_id      INTEGER NOT NULL REFERENCES brands(id),
    definition    TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX reports_workspace ON reports (workspace_id, id);
