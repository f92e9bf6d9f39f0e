-- Tries of a one-time code per client network (keyed hash of an IPv4 address or an IPv6 /64), so that a stranger's
-- wrong guesses use up only their own tries; otp_code.attempts still counts the tries from all networks.
CREATE TABLE otp_try (
    email_key   VARCHAR(64) NOT NULL,
    network_key VARCHAR(64) NOT NULL,
    attempts    INT         NOT NULL,
    PRIMARY KEY (email_key, network_key)
);
