package io.holdfast.web;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error leaves as RFC 9457 problem+json with a {@code code}. Spring's own exceptions (bad JSON,
 * wrong types, missing parameters, unknown paths) get the code that matches their status, so a client
 * never has to parse a message. Stack traces and SQL never leave the server.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

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
                .map(violation -> parameter(violation) + ": " + violation.getMessage())
                .sorted()
                .toList();
        return respond(ProblemCode.VALIDATION_FAILED, String.join("; ", errors), Map.of("errors", errors));
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
        log.error("Unexpected failure", failure);
        return respond(ProblemCode.INTERNAL_ERROR, "The server failed; the failure was logged.", Map.of());
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<String> errors = ex.getBindingResult().getFieldErrors().stream()
                .map(error -> error.getField() + ": " + error.getDefaultMessage())
                .sorted()
                .toList();
        return respond(ProblemCode.VALIDATION_FAILED, String.join("; ", errors), Map.of("errors", errors));
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<String> errors = ex.getParameterValidationResults().stream()
                .flatMap(result -> result.getResolvableErrors().stream()
                        .map(error -> result.getMethodParameter().getParameterName() + ": " + error.getDefaultMessage()))
                .sorted()
                .collect(Collectors.toList());
        return respond(ProblemCode.VALIDATION_FAILED, String.join("; ", errors), Map.of("errors", errors));
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
        String detail = body instanceof ProblemDetail problem && problem.getDetail() != null
                ? problem.getDetail()
                : code.status().getReasonPhrase();
        if (ex instanceof org.springframework.http.converter.HttpMessageNotReadableException) {
            detail = "The request body is not valid JSON of the expected shape.";
        }
        ResponseEntity<Object> response = respond(code, detail, Map.of());
        HttpHeaders merged = new HttpHeaders();
        merged.addAll(headers);
        merged.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return new ResponseEntity<>(response.getBody(), merged, statusCode);
    }

    /** The refusal somewhere in a failure's causes, if one is there. */
    private static ApiProblem causeOf(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ApiProblem problem) {
                return problem;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return null;
    }

    /** Writes a problem straight to the servlet response, for refusals made before Spring MVC runs (filters). */
    static void write(jakarta.servlet.http.HttpServletResponse response, ApiProblem problem) throws java.io.IOException {
        ProblemCode code = problem.code();
        response.setStatus(code.status().value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write("{\"type\":\"urn:holdfast:problem:" + code.code() + "\",\"title\":\""
                + code.status().getReasonPhrase() + "\",\"status\":" + code.status().value() + ",\"detail\":\""
                + jsonText(problem.getMessage()) + "\",\"code\":\"" + code.code() + "\"}");
    }

    private static String jsonText(String text) {
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
        return problem;
    }

    static ResponseEntity<Object> respond(ProblemCode code, String detail, Map<String, Object> extra) {
        ProblemDetail problem = problem(code, detail);
        extra.forEach(problem::setProperty);
        return ResponseEntity.status(code.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
