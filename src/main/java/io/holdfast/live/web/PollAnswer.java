package io.holdfast.live.web;

import java.time.LocalDate;

import jakarta.servlet.http.HttpServletRequest;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.holdfast.web.EdgeAnswer;
import io.holdfast.web.EdgeQuery;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /api/v1/live/poll} with plainly valid parameters, answered at the edge ({@link EdgeAnswer}): what
 * {@link LiveController#poll} answers, from the same {@link LiveView}, written by the same mapper. The heartbeat
 * polls every second, so this is the server's hottest read (issue #13).
 */
@Component
class PollAnswer implements EdgeAnswer {

    static final String PATH = "/api/v1/live/poll";

    private final LiveView live;
    private final ObjectWriter writer;
    /**
     * The bytes of unchanged answers by the answer (a record of the version, the storage mode and the Redis status):
     * the same answer for everyone who polls that version, so written once (issue #13: the write was a fifth of an
     * unchanged poll's own CPU).
     */
    private final Cache<LiveView.Poll, byte[]> unchanged = Caffeine.newBuilder().maximumSize(1_000).build();

    PollAnswer(LiveView live, JsonMapper json) {
        this.live = live;
        this.writer = json.writerFor(LiveView.Poll.class);
    }

    @Override
    public String path() {
        return PATH;
    }

    @Override
    public byte[] answer(HttpServletRequest request) {
        long staffId = EdgeQuery.positive(request, "staffId");
        LocalDate date = EdgeQuery.date(request, "date");
        String clientId = EdgeQuery.clientId(request, "clientId");
        long since = EdgeQuery.digits(request, "since");
        if (staffId == EdgeQuery.UNCLEAR || date == null || clientId == null || since == EdgeQuery.UNCLEAR) {
            return null;
        }
        LiveView.Poll poll = live.poll(staffId, date, clientId, since == EdgeQuery.ABSENT ? null : since);
        return poll.changed() ? writer.writeValueAsBytes(poll) : unchanged.get(poll, writer::writeValueAsBytes);
    }
}
