package io.holdfast.availability.web;

import java.time.LocalDate;

import jakarta.servlet.http.HttpServletRequest;

import io.holdfast.availability.Availability;
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
        return writer.writeValueAsBytes(
                AvailabilityController.view(availability.day(staffId, serviceId, date, clientId)));
    }
}
