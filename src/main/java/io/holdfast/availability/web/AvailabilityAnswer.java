package io.holdfast.availability.web;

import java.time.LocalDate;

import jakarta.servlet.http.HttpServletRequest;

import io.holdfast.availability.Availability;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.holdfast.availability.DaySlots;
import io.holdfast.web.EdgeAnswer;
import io.holdfast.web.EdgeQuery;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /api/v1/availability} with plainly valid parameters, answered at the edge ({@link EdgeAnswer}): what
 * {@link AvailabilityController#availability} answers, from the same {@link Availability}, written by the same
 * mapper. A refusal (unknown staff member or service, a service the staff member does not offer) is left to MVC.
 */
@Component
class AvailabilityAnswer implements EdgeAnswer {

    static final String PATH = "/api/v1/availability";

    private final Availability availability;
    private final ObjectWriter writer;
    /**
     * The bytes last written for each day's answer, by the answer's identity (weak keys compare with ==): a day
     * answered again is the same object ({@code Availability.day}), and is written as before (issue #13).
     */
    private final Cache<DaySlots, byte[]> written = Caffeine.newBuilder().weakKeys().maximumSize(2_000).build();

    AvailabilityAnswer(Availability availability, JsonMapper json) {
        this.availability = availability;
        this.writer = json.writerFor(AvailabilityController.DayView.class);
    }

    @Override
    public String path() {
        return PATH;
    }

    @Override
    public byte[] answer(HttpServletRequest request) {
        long staffId = EdgeQuery.positive(request, "staffId");
        long serviceId = EdgeQuery.positive(request, "serviceId");
        LocalDate date = EdgeQuery.date(request, "date");
        String clientId = EdgeQuery.clientId(request, "clientId");
        if (staffId == EdgeQuery.UNCLEAR || serviceId == EdgeQuery.UNCLEAR || date == null || clientId == null) {
            return null;
        }
        return written.get(availability.day(staffId, serviceId, date, clientId),
                day -> writer.writeValueAsBytes(AvailabilityController.view(day)));
    }
}
