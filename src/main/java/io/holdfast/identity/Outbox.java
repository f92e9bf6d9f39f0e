package io.holdfast.identity;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.holdfast.web.EmailAddresses;

/**
 * Mails kept instead of sent, when no SMTP server is configured: the newest {@code holdfast.mail.outbox-size}, in
 * this instance's memory only (they hold one-time codes in clear, which should not outlive their use on disk), for
 * the admin API. Meant for demos and tests; production sends mail.
 */
public class Outbox {

    private final int capacity;
    private final Deque<Kept> mails = new ArrayDeque<>();
    private final AtomicLong sequence = new AtomicLong();

    Outbox(int capacity) {
        this.capacity = capacity;
    }

    /** A mail as kept, with its position in the outbox (ids grow). */
    public record Kept(long id, Instant at, MailMessage mail) {
    }

    synchronized void keep(MailMessage mail, Instant at) {
        mails.addFirst(new Kept(sequence.incrementAndGet(), at, mail));
        while (mails.size() > capacity) {
            mails.removeLast();
        }
    }

    /** Newest first; only those to {@code to} when given, and only those after {@code afterId}. */
    public synchronized List<Kept> list(String to, long afterId, int limit) {
        List<Kept> found = new ArrayList<>();
        for (Iterator<Kept> it = mails.iterator(); it.hasNext() && found.size() < limit; ) {
            Kept kept = it.next();
            if (kept.id() <= afterId) {
                break;
            }
            if (to == null || EmailAddresses.same(to, kept.mail().to())) {
                found.add(kept);
            }
        }
        return found;
    }
}
