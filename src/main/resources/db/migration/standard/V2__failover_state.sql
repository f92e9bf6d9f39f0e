-- A secret shared by every instance through the database: it signs hold tokens, so that any instance can
-- recognise a hold it cannot see (its store was unreachable) and adopt it instead of failing the request.
CREATE TABLE server_secret (
    name   VARCHAR(64)  PRIMARY KEY,
    secret VARCHAR(128) NOT NULL
);

-- Holds released while Redis was away; failback removes their Redis copies so they do not come back.
CREATE TABLE released_hold (
    hold_id    VARCHAR(36)   PRIMARY KEY,
    token      VARCHAR(2048) NOT NULL,
    expires_at TIMESTAMP     NOT NULL
);

-- Set once the lapse of a hold has been announced, so that exactly one instance announces it.
ALTER TABLE slot_hold ADD COLUMN lapse_announced BOOLEAN DEFAULT FALSE NOT NULL;

-- Hold tokens are signed and describe their hold (see HoldTokens): longer than the random tokens of V1.
ALTER TABLE slot_hold ALTER COLUMN token SET DATA TYPE VARCHAR(2048);
