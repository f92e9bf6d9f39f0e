package io.holdfast.web;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Every error leaves as RFC 9457 problem+json with a {@code code}. Spring's own exceptions (bad JSON,
 * wrong types, missing parameters, unknown paths) get the code that matches their status, so a client
 * never has to parse a message. Stack traces and SQL never leave the server.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);
    /** Constraints whose failure on an absent value is best said as "is required". */
    private static final java.util.Set<String> MEANS_REQUIRED = java.util.Set.of("NotNull", "NotBlank", "NotEmpty");

    @ExceptionHandler(io.holdfast.Refusal.class)
    ResponseEntity<Object> refusal(io.holdfast.Refusal refusal) {
        return apiProblem(ApiProblem.of(refusal));
    }

    @ExceptionHandler(ApiProblem.class)
    ResponseEntity<Object> apiProblem(ApiProblem problem) {
        ResponseEntity<Object> response = respond(problem.code(), problem.getMessage(), problem.properties());
        if (problem.retryAfterSeconds().isEmpty()) {
            return response;
        }
        return ResponseEntity.status(response.getStatusCode()).headers(response.getHeaders())
                .header(HttpHeaders.RETRY_AFTER, String.valueOf(problem.retryAfterSeconds().getAsLong()))
                .body(response.getBody());
    }

    /**
     * Parameter constraints on {@code @Validated} controllers (path variables, query parameters, headers, list
     * bodies) are checked by the method-validation proxy, which throws this rather than Spring MVC's own
     * {@link HandlerMethodValidationException}: it is the client's mistake, so 400, never 500.
     */
    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<Object> constraintViolation(ConstraintViolationException ex) {
        List<String> errors = ex.getConstraintViolations().stream()
                .map(violation -> violated(parameter(violation), violation.getMessage(),
                        violation.getConstraintDescriptor().getAnnotation().annotationType().getSimpleName(),
                        violation.getInvalidValue()))
                .sorted()
                .toList();
        return respond(ProblemCode.VALIDATION_FAILED, String.join("; ", errors), Map.of("errors", errors));
    }

    /**
     * One line per broken constraint: {@code serviceId is required} for a missing value, else the constraint's
     * message with the value that broke it ({@code staffId: must be greater than 0, got -1}).
     */
    private static String violated(String name, String message, String constraint, Object value) {
        if (value == null && constraint != null && MEANS_REQUIRED.contains(constraint)) {
            return name + " is required";
        }
        boolean echoed = value instanceof CharSequence || value instanceof Number || value instanceof Boolean;
        return name + ": " + message + (echoed ? ", got " + BadInputDetails.echo(value) : "");
    }

    /** The constraint's simple name ({@code NotNull}): the most general of a resolvable error's codes. */
    private static String constraint(org.springframework.context.MessageSourceResolvable error) {
        String[] codes = error.getCodes();
        return codes == null || codes.length == 0 ? null : codes[codes.length - 1];
    }

    /** {@code availability.clientId} names the method first; the client only knows the parameter. */
    private static String parameter(ConstraintViolation<?> violation) {
        String path = String.valueOf(violation.getPropertyPath());
        int dot = path.indexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception failure) {
        ApiProblem wrapped = causeOf(failure);
        if (wrapped != null) {
            return apiProblem(wrapped);
        }
        if (DatabaseUnavailable.causes(failure)) {
            // An outage, not a bug: one line per request (the health endpoint and its meters tell the rest).
            log.warn("Database unavailable: {}", rootMessage(failure));
            return apiProblem(DatabaseUnavailable.problem());
        }
        log.error("Unexpected failure", failure);
        return respond(ProblemCode.INTERNAL_ERROR, "The server failed; the failure was logged.", Map.of());
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<String> errors = ex.getBindingResult().getFieldErrors().stream()
                .map(error -> violated(error.getField(), error.getDefaultMessage(), error.getCode(),
                        error.getRejectedValue()))
                .sorted()
                .toList();
        return respond(ProblemCode.VALIDATION_FAILED, String.join("; ", errors), Map.of("errors", errors));
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<String> errors = ex.getParameterValidationResults().stream()
                .flatMap(ProblemHandler::violations)
                .sorted()
                .collect(Collectors.toList());
        return respond(ProblemCode.VALIDATION_FAILED, String.join("; ", errors), Map.of("errors", errors));
    }

    /**
     * A {@code @Valid @RequestBody} checked with the method's other parameters comes as {@link ParameterErrors}: its
     * fields are named as {@link #handleMethodArgumentNotValid} names them ({@code clientId},
     * {@code items[0].staffId}), not by the parameter ({@code body}); any other result by its parameter's name.
     */
    private static Stream<String> violations(ParameterValidationResult result) {
        if (result instanceof ParameterErrors body) {
            return Stream.concat(
                    body.getFieldErrors().stream().map(error -> violated(error.getField(), error.getDefaultMessage(),
                            error.getCode(), error.getRejectedValue())),
                    body.getGlobalErrors().stream().map(error -> violated(result.getMethodParameter().getParameterName(),
                            error.getDefaultMessage(), error.getCode(), result.getArgument())));
        }
        return result.getResolvableErrors().stream().map(error -> violated(result.getMethodParameter().getParameterName(),
                error.getDefaultMessage(), constraint(error), result.getArgument()));
    }

    /** The funnel for all of Spring MVC's standard exceptions: keep their status, add our code. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
            HttpStatusCode statusCode, WebRequest request) {
        ApiProblem wrapped = causeOf(ex);
        if (wrapped != null) {
            // A refusal raised while Spring read the request (the body grew past its limit) keeps its own code.
            return apiProblem(wrapped);
        }
        ProblemCode code = ProblemCode.forStatus(statusCode.value());
        String detail = detail(ex, request);
        if (detail == null) {
            detail = body instanceof ProblemDetail problem && problem.getDetail() != null
                    ? problem.getDetail()
                    : code.status().getReasonPhrase();
        }
        ResponseEntity<Object> response = respond(code, detail, Map.of());
        HttpHeaders merged = new HttpHeaders();
        merged.addAll(headers);
        merged.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return new ResponseEntity<>(response.getBody(), merged, statusCode);
    }

    /**
     * What the client must change, for Spring MVC's standard refusals: the header, parameter or body field by name
     * and what it expects. Null for the rest, which keep Spring's own detail.
     */
    private static String detail(Exception ex, WebRequest request) {
        String path = request instanceof ServletWebRequest servlet ? servlet.getRequest().getRequestURI() : "";
        if (ex instanceof MissingRequestHeaderException missing) {
            return missing.getHeaderName() + " header is required";
        }
        if (ex instanceof MissingServletRequestParameterException missing) {
            return missing.getParameterName() + " is required";
        }
        if (ex instanceof MethodArgumentTypeMismatchException mismatch) {
            return BadInputDetails.mismatch(mismatch.getName(), mismatch.getValue(), mismatch.getRequiredType());
        }
        if (ex instanceof TypeMismatchException mismatch) {
            return BadInputDetails.mismatch(mismatch.getPropertyName(), mismatch.getValue(), mismatch.getRequiredType());
        }
        if (ex instanceof HttpMessageNotReadableException unreadable) {
            return BadInputDetails.unreadable(unreadable);
        }
        if (ex instanceof NoResourceFoundException notFound) {
            return "No endpoint " + notFound.getHttpMethod() + " " + path;
        }
        if (ex instanceof HttpRequestMethodNotSupportedException method) {
            String[] allowed = method.getSupportedMethods();
            return method.getMethod() + " is not allowed on " + path
                    + (allowed == null ? "" : "; allowed: " + String.join(", ", allowed));
        }
        if (ex instanceof HttpMediaTypeNotSupportedException media) {
            return media.getContentType() == null
                    ? "The request body needs Content-Type: application/json"
                    : "Content-Type " + media.getContentType() + " is not supported; send application/json";
        }
        if (ex instanceof HttpMediaTypeNotAcceptableException) {
            return "The Accept header allows no type this endpoint answers; accept application/json";
        }
        return null;
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 32; depth++) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    /** The refusal somewhere in a failure's causes, if one is there. */
    private static ApiProblem causeOf(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ApiProblem problem) {
                return problem;
            }
            if (cause instanceof io.holdfast.Refusal refusal) {
                return ApiProblem.of(refusal);
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return null;
    }

    /** Writes a problem straight to the servlet response, for refusals made before Spring MVC runs (filters). */
    static void write(jakarta.servlet.http.HttpServletRequest request, jakarta.servlet.http.HttpServletResponse response,
            ApiProblem problem) throws java.io.IOException {
        ProblemCode code = problem.code();
        response.setStatus(code.status().value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write("{\"type\":\"urn:holdfast:problem:" + code.code() + "\",\"title\":\""
                + code.status().getReasonPhrase() + "\",\"status\":" + code.status().value() + ",\"detail\":\""
                + jsonText(problem.getMessage()) + "\",\"code\":\"" + code.code() + "\",\"instance\":\""
                + jsonText(request.getRequestURI()) + "\"}");
    }

    static String jsonText(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    static ProblemDetail problem(ProblemCode code, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(code.status(), detail);
        problem.setType(URI.create("urn:holdfast:problem:" + code.code()));
        problem.setTitle(code.status().getReasonPhrase());
        problem.setProperty("code", code.code());
        // Spring fills in the instance of an answer it writes; a problem stored as text (an idempotent replay of a
        // refused booking) must carry it too, so every problem body has the same fields.
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes current) {
            problem.setInstance(URI.create(current.getRequest().getRequestURI()));
        }
        return problem;
    }

    static ResponseEntity<Object> respond(ProblemCode code, String detail, Map<String, Object> extra) {
        ProblemDetail problem = problem(code, detail);
        extra.forEach(problem::setProperty);
        return ResponseEntity.status(code.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
