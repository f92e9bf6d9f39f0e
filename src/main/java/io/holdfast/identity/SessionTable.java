package io.holdfast.identity;

import static io.holdfast.UtcColumns.fromColumn;
import static io.holdfast.UtcColumns.toColumn;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Sessions in SQL, the durable copy: {@code guest_session}, keyed by the SHA-256 of the token. */
@Repository
class SessionTable {

    private final JdbcClient jdbc;

    SessionTable(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record Revoked(String tokenHash, Instant expiresAt) {
    }

    void insert(String tokenHash, GuestSession session, Instant createdAt) {
        jdbc.sql("INSERT INTO guest_session (token_hash, email, created_at, expires_at) VALUES (?, ?, ?, ?)")
                .params(tokenHash, session.email(), toColumn(createdAt), toColumn(session.expiresAt())).update();
    }

    Optional<GuestSession> find(String tokenHash, Instant now) {
        return jdbc.sql("""
                SELECT email, expires_at FROM guest_session
                WHERE token_hash = ? AND revoked_at IS NULL AND expires_at > ?""")
                .params(tokenHash, toColumn(now))
                .query((rs, n) -> new GuestSession(rs.getString(1), fromColumn(rs.getObject(2, LocalDateTime.class))))
                .optional();
    }

    /** Ends a live session; false when there was none to end. */
    boolean revoke(String tokenHash, Instant now) {
        return jdbc.sql("""
                UPDATE guest_session SET revoked_at = ?
                WHERE token_hash = ? AND revoked_at IS NULL AND expires_at > ?""")
                .params(toColumn(now), tokenHash, toColumn(now)).update() == 1;
    }

    /** Sessions ended before their time that would otherwise still be valid: Redis must know them as revoked. */
    List<Revoked> revokedButUnexpired(Instant now) {
        return jdbc.sql("SELECT token_hash, expires_at FROM guest_session WHERE revoked_at IS NOT NULL AND expires_at > ?")
                .param(toColumn(now))
                .query((rs, n) -> new Revoked(rs.getString(1), fromColumn(rs.getObject(2, LocalDateTime.class))))
                .list();
    }

    int sweep(Instant now) {
        return jdbc.sql("DELETE FROM guest_session WHERE expires_at < ?").param(toColumn(now)).update();
    }
}
