-- HyperLogLog sketches (analytics::hll, version 1) of the users exposed per
-- campaign × day × channel, kept at ingest: the browser unions any
-- selection of them without user ids leaving the server.
CREATE TABLE rollup_sketches (
    campaign_id  INTEGER NOT NULL REFERENCES campaigns(id),
    day          TEXT NOT NULL,
    channel      TEXT NOT NULL,
    sketch       BLOB NOT NULL,
    PRIMARY KEY (campaign_id, day, channel)
);
