-- Mentions per brand and hour (the hour's start, Unix seconds), kept at
-- ingest: the listening views never scan raw mentions.
CREATE TABLE rollup_mentions_hourly (
    brand_id  INTEGER NOT NULL REFERENCES brands(id),
    hour      INTEGER NOT NULL,
    mentions  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (brand_id, hour)
);
