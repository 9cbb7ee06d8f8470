-- Saved reports: a workspace's report definitions (JSON, checked by
-- analytics::report before it is stored). The campaign's brand is kept
-- beside it so that a client's list is one indexed query.

CREATE TABLE reports (
    id            BIGSERIAL PRIMARY KEY,
    workspace_id  BIGINT NOT NULL REFERENCES workspaces(id),
    campaign_id   BIGINT NOT NULL REFERENCES campaigns(id),
    brand_id      BIGINT NOT NULL REFERENCES brands(id),
    definition    TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX reports_workspace ON reports (workspace_id, id);
