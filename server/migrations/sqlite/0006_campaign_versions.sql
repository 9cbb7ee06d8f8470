-- A counter per campaign, raised in the same transaction as any change to
-- its events or rollups: read paths cache per campaign and revalidate with
-- one primary-key lookup, across processes (an import run elsewhere raises it too).
CREATE TABLE campaign_versions (
    campaign_id  INTEGER PRIMARY KEY REFERENCES campaigns(id),
    version      INTEGER NOT NULL DEFAULT 0
);
