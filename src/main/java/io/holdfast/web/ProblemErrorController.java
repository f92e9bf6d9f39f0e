package io.holdfast.web;

import java.net.URI;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The servlet container's error page ({@code /error}), in place of Spring Boot's: what reaches it is a status
 * Tomcat or a filter set with {@code sendError} (TRACE, which Tomcat refuses with 405, is one), and it answers with
 * the same problem+json as every other refusal. Asked for directly it is a path like any unknown one, 404: Spring
 * Boot's answered 500 ("status 999"), a 5xx for a request, which API.md never allows.
 */
@Hidden
@RestController
class ProblemErrorController implements ErrorController {

    @RequestMapping("/error")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        if (!(request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer status) || status < 400) {
            return answer(HttpStatus.NOT_FOUND.value(), "No resource at " + request.getRequestURI(),
                    request.getRequestURI());
        }
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String instance = uri instanceof String text ? text : request.getRequestURI();
        if (request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable failure
                && DatabaseUnavailable.causes(failure)) {
            // A filter's database call failed (the controllers' failures reach ProblemHandler instead).
            ApiProblem unavailable = DatabaseUnavailable.problem();
            ResponseEntity<ProblemDetail> answer = answer(unavailable.code().status().value(),
                    unavailable.getMessage(), instance);
            return ResponseEntity.status(answer.getStatusCode()).headers(answer.getHeaders())
                    .header(org.springframework.http.HttpHeaders.RETRY_AFTER,
                            String.valueOf(unavailable.retryAfterSeconds().orElse(1)))
                    .body(answer.getBody());
        }
        HttpStatus known = HttpStatus.resolve(status);
        String detail = status == 405 ? request.getMethod() + " is not allowed on " + instance
                : status >= 500 ? "The server failed; the failure was logged."
                : "The request was refused (" + (known != null ? known.getReasonPhrase() : status) + ").";
        return answer(status, detail, instance);
    }

    private static ResponseEntity<ProblemDetail> answer(int status, String detail, String instance) {
        ProblemCode code = ProblemCode.forStatus(status);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(status), detail);
        problem.setType(URI.create("urn:holdfast:problem:" + code.code()));
        HttpStatus known = HttpStatus.resolve(status);
        problem.setTitle(known != null ? known.getReasonPhrase() : code.status().getReasonPhrase());
        problem.setProperty("code", code.code());
        problem.setInstance(URI.create(instance.replace(" ", "%20")));
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
