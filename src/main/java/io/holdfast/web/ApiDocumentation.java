package io.holdfast.web;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.tags.Tag;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;

/**
 * The OpenAPI document ({@code /v3/api-docs}, shown by Swagger UI at {@code /swagger-ui.html}) is springdoc's
 * reading of the controllers. This adds what the controllers do not say themselves, each from the code that
 * decides it: the admin token on every {@code /api/v1/admin} path (as {@code AdminAccess} checks it), the guest
 * session and manage token where a controller reads {@code Authorization} and {@code Manage-Token}, and the
 * problem+json refusals of {@link ProblemCode}, the common ones by rule and the rest from {@link Refusals}.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocumentation {

    static final String ADMIN_TOKEN = "bearerAuth";
    static final String GUEST_SESSION = "guestSession";
    static final String MANAGE_TOKEN = "manageToken";
    static final String ADMIN_TAG = "Admin";
    /** The codes of a problem response, machine-readable next to its description. */
    static final String CODES_EXTENSION = "x-problem-codes";

    private static final String PROBLEM_JSON = org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE;
    private static final String MANAGE_TOKEN_HEADER = "Manage-Token";

    /** Descriptions of parameters whose names recur across controllers and do not explain themselves. */
    private static final Map<String, String> SHARED_PARAMETERS = Map.of(
            "clientId", "The caller's own opaque id, 8-64 characters [A-Za-z0-9_-] (e.g. a UUID kept in the browser): "
                    + "its holds and selections are shown as 'mine'",
            "date", "A day in the location's time zone, YYYY-MM-DD",
            "Hold-Token", "The token the hold was created with",
            "Idempotency-Key", "Any unique string per booking attempt: a retry with the same key and body gets the "
                    + "same answer; the same key with another body is refused (422)");

    @Bean
    OpenAPI holdfastApi() {
        String version = Optional.ofNullable(ApiDocumentation.class.getPackage().getImplementationVersion())
                .orElse("dev");
        return new OpenAPI()
                .info(new Info().title("Holdfast booking API").version(version).description("""
                        Appointment booking with live slot holds. JSON over HTTP, field names in camelCase; dates \
                        `YYYY-MM-DD` and local times `HH:mm` in the location's time zone, instants ISO-8601 with \
                        offset. Errors are `application/problem+json` (RFC 9457) with a machine `code`; \
                        `429` answers carry `Retry-After`. Admin endpoints need the admin token \
                        (`Authorization: Bearer <HOLDFAST_ADMIN_TOKEN>`)."""))
                .tags(List.of(
                        new Tag().name("Catalog").description("Locations, services and staff"),
                        new Tag().name("Availability").description("Bookable start times of a staff member's day"),
                        new Tag().name("Selections").description("'Someone is looking at this slot' (10 s hints)"),
                        new Tag().name("Holds").description("Leases on slots while the customer fills in the form"),
                        new Tag().name("Bookings").description("Confirming holds, reading, cancelling, moving"),
                        new Tag().name("Live").description("Changes of a staff member's day: poll or stream"),
                        new Tag().name("Identity").description("Email one-time codes and guest sessions"),
                        new Tag().name("Operations").description("Health"),
                        new Tag().name(ADMIN_TAG).description("Everything under /api/v1/admin: needs the admin token")))
                .components(new Components()
                        .addSecuritySchemes(ADMIN_TOKEN, new SecurityScheme().type(SecurityScheme.Type.HTTP)
                                .scheme("bearer").description("The admin token (HOLDFAST_ADMIN_TOKEN, or the one "
                                        + "printed at start when none is set)"))
                        .addSecuritySchemes(GUEST_SESSION, new SecurityScheme().type(SecurityScheme.Type.HTTP)
                                .scheme("bearer").description("A guest session: the sessionToken of POST "
                                        + "/api/v1/auth/otp/verify, proof of the customer's email"))
                        .addSecuritySchemes(MANAGE_TOKEN, new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                                .in(SecurityScheme.In.HEADER).name(MANAGE_TOKEN_HEADER)
                                .description("The manageToken a booking was confirmed with (also in its mail link)"))
                        .addSchemas("Problem", problemSchema()));
    }

    /** The answers an endpoint gives beyond the common ones, from its {@link Refusals}. */
    @Bean
    OperationCustomizer refusalsFromAnnotations() {
        return (operation, handler) -> {
            Refusals refusals = handler.getMethodAnnotation(Refusals.class);
            if (refusals != null) {
                refuse(operation, refusals.value());
            }
            return operation;
        };
    }

    @Bean
    OpenApiCustomizer credentialsAndCommonRefusals() {
        return openApi -> openApi.getPaths().forEach((path, item) -> item.readOperations().forEach(operation -> {
            if (path.startsWith("/api/v1/admin/") || path.equals("/api/v1/admin")) {
                operation.setTags(List.of(ADMIN_TAG));
                operation.setSecurity(List.of(new SecurityRequirement().addList(ADMIN_TOKEN)));
                refuse(operation, ProblemCode.UNAUTHORIZED, ProblemCode.FORBIDDEN);
            } else {
                guestCredentials(operation);
            }
            describeSharedParameters(operation);
            List<Parameter> parameters = Optional.ofNullable(operation.getParameters()).orElse(List.of());
            if (!parameters.isEmpty() || operation.getRequestBody() != null) {
                refuse(operation, ProblemCode.VALIDATION_FAILED);
            }
            if (operation.getRequestBody() != null) {
                refuse(operation, ProblemCode.PAYLOAD_TOO_LARGE);
            }
            if (path.contains("{")) {
                refuse(operation, ProblemCode.NOT_FOUND);
            }
            if (!path.equals("/api/v1/health")) {
                // Any endpoint may find the database unreachable (health answers that in its own body).
                refuse(operation, ProblemCode.SERVICE_UNAVAILABLE);
            }
            if (item.getGet() == operation && answersWithABody(operation)) {
                refuse(operation, ProblemCode.NOT_ACCEPTABLE);
            }
            sortResponses(operation);
        }));
    }

    /**
     * A guest endpoint that reads {@code Authorization} takes a guest session there (the booking endpoints also
     * accept the admin token); with a {@code Manage-Token} header as well, either credential will do. Both become
     * security requirements rather than parameters, so Swagger UI's "Authorize" fills them in.
     */
    private static void guestCredentials(Operation operation) {
        List<Parameter> parameters = operation.getParameters();
        if (parameters == null || parameters.stream().noneMatch(p -> isHeader(p, HttpHeaders.AUTHORIZATION))) {
            // Open to anyone: said explicitly, so a reader (and a linter) knows it was not forgotten.
            operation.setSecurity(new ArrayList<>());
            return;
        }
        boolean manageToken = parameters.stream().anyMatch(p -> isHeader(p, MANAGE_TOKEN_HEADER));
        parameters.removeIf(p -> isHeader(p, HttpHeaders.AUTHORIZATION) || isHeader(p, MANAGE_TOKEN_HEADER));
        List<SecurityRequirement> alternatives = new ArrayList<>();
        alternatives.add(new SecurityRequirement().addList(GUEST_SESSION));
        if (manageToken) {
            alternatives.add(new SecurityRequirement().addList(MANAGE_TOKEN));
            alternatives.add(new SecurityRequirement().addList(ADMIN_TOKEN));
        }
        operation.setSecurity(alternatives);
    }

    /** A read whose success has a body negotiates its type: an Accept header that excludes it gets 406. */
    private static boolean answersWithABody(Operation operation) {
        return operation.getResponses() != null && operation.getResponses().entrySet().stream()
                .anyMatch(entry -> entry.getKey().startsWith("2") && entry.getValue().getContent() != null
                        && !entry.getValue().getContent().isEmpty());
    }

    /** Successes first, then refusals by status, as a reader scans them. */
    private static void sortResponses(Operation operation) {
        ApiResponses sorted = new ApiResponses();
        operation.getResponses().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(entry -> sorted.addApiResponse(entry.getKey(), entry.getValue()));
        sorted.setExtensions(operation.getResponses().getExtensions());
        operation.setResponses(sorted);
    }

    private static boolean isHeader(Parameter parameter, String name) {
        return "header".equals(parameter.getIn()) && name.equalsIgnoreCase(parameter.getName());
    }

    private static void describeSharedParameters(Operation operation) {
        if (operation.getParameters() == null) {
            return;
        }
        for (Parameter parameter : operation.getParameters()) {
            String description = SHARED_PARAMETERS.get(parameter.getName());
            if (parameter.getDescription() == null && description != null) {
                parameter.setDescription(description);
            }
        }
    }

    /**
     * Adds problem+json responses for the codes, one per status; a status already listed gains the new codes. The
     * codes are kept in an extension too, so that merging (and a client) need not parse the description.
     */
    @SuppressWarnings("unchecked")
    private static void refuse(Operation operation, ProblemCode... codes) {
        if (operation.getResponses() == null) {
            operation.setResponses(new ApiResponses());
        }
        Map<String, List<ProblemCode>> byStatus = new LinkedHashMap<>();
        Arrays.stream(codes).forEach(code -> byStatus.computeIfAbsent(String.valueOf(code.status().value()),
                status -> new ArrayList<>()).add(code));
        byStatus.forEach((status, added) -> {
            ApiResponse response = operation.getResponses().computeIfAbsent(status, s -> new ApiResponse()
                    .content(new Content().addMediaType(PROBLEM_JSON,
                            new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem")))));
            Set<String> all = new LinkedHashSet<>();
            Map<String, Object> extensions = Optional.ofNullable(response.getExtensions()).orElse(Map.of());
            if (extensions.get(CODES_EXTENSION) instanceof List<?> known) {
                all.addAll((List<String>) known);
            }
            added.forEach(code -> all.add(code.code()));
            response.addExtension(CODES_EXTENSION, List.copyOf(all));
            response.setDescription(String.join(", ", all.stream().map(code -> "`" + code + "`").toList()));
            if (added.contains(ProblemCode.RATE_LIMITED) || added.contains(ProblemCode.SERVICE_UNAVAILABLE)) {
                response.addHeaderObject(HttpHeaders.RETRY_AFTER, new Header()
                        .description("Seconds until a new try may succeed").schema(new IntegerSchema()));
            }
        });
    }

    /** The body {@link ProblemHandler} writes: RFC 9457 plus the machine {@code code}. */
    private static Schema<?> problemSchema() {
        List<String> codes = Arrays.stream(ProblemCode.values()).map(ProblemCode::code).toList();
        StringSchema code = new StringSchema();
        code.setEnum(codes);
        code.setDescription("The machine code: what a client acts on");
        return new ObjectSchema()
                .description("An RFC 9457 problem (application/problem+json)")
                .addProperty("type", new StringSchema().description("urn:holdfast:problem:<code>"))
                .addProperty("title", new StringSchema().description("The HTTP reason phrase"))
                .addProperty("status", new IntegerSchema().description("The HTTP status"))
                .addProperty("detail", new StringSchema().description("What went wrong, for people"))
                .addProperty("code", code)
                .addProperty("instance", new StringSchema().description("The path of the request that was refused"))
                .addProperty("errors", new ArraySchema().items(new StringSchema())
                        .description("validation_failed only: one line per invalid field or parameter"))
                .addProperty("bookings", new ArraySchema().items(new ObjectSchema()
                                .addProperty("id", new StringSchema()).addProperty("staffId", new IntegerSchema())
                                .addProperty("serviceId", new IntegerSchema()).addProperty("start", new StringSchema())
                                .addProperty("end", new StringSchema()))
                        .description("in_use and bookings_affected only: the confirmed bookings in the way"))
                .required(List.of("type", "title", "status", "detail", "code", "instance"));
    }
}
