-- Guest identity (see the identity module). Codes and sessions are kept only as hashes.

-- One-time codes while Redis is away or not configured (in Redis: hf:otp:<email key>). One live code per address,
-- keyed by a keyed hash of the address; a new code replaces the old one.
CREATE TABLE otp_code (
    email_key  VARCHAR(64) PRIMARY KEY,
    code_hash  VARCHAR(64) NOT NULL,
    attempts   INT         NOT NULL,
    expires_at DATETIME(6) NOT NULL
);
CREATE INDEX otp_code_expiry ON otp_code (expires_at);

-- Guest sessions: durable here (a Redis outage logs nobody out), cached in Redis. Revoked rows stay until they
-- expire, so that the failback can mark them revoked in Redis too.
CREATE TABLE guest_session (
    token_hash VARCHAR(64)  PRIMARY KEY,
    email      VARCHAR(320) NOT NULL,
    created_at DATETIME(6) NOT NULL,
    expires_at DATETIME(6) NOT NULL,
    revoked_at DATETIME(6)
);
CREATE INDEX guest_session_expiry ON guest_session (expires_at);

-- Rate-limit buckets (Bucket4j state) while Redis is away or not configured (in Redis: hf:rate:<type>:<id>).
CREATE TABLE rate_limit_bucket (
    id         VARCHAR(200) PRIMARY KEY,
    state      VARBINARY(4096),
    expires_at DATETIME(6) NOT NULL
);
CREATE INDEX rate_limit_bucket_expiry ON rate_limit_bucket (expires_at);
