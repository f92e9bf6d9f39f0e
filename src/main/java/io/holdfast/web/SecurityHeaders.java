package io.holdfast.web;

import java.io.IOException;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Headers every answer carries, set before anything else runs so that refusals have them too: no MIME sniffing,
 * no referrer (manage links carry tokens), never inside a frame, and API answers are never cached (they hold
 * personal data and tokens). Requests Tomcat refuses before this filter get the same headers from
 * {@link ProblemErrorReports}.
 *
 * <p>The OpenAPI document is JSON like the API and gets the API's policy; actuator answers are not cached either.
 * Swagger UI gets a policy of its own, written for what it needs: its scripts and styles are files of its own origin, but it styles elements inline and
 * draws its icons from {@code data:} URIs, so {@code style-src 'unsafe-inline'} and {@code img-src data:} are
 * allowed there and nowhere else. Scripts stay {@code 'self'}: its page has no inline script.
 *
 * <p>Holdfast's own web pages ({@code /}, {@code /manage/}, {@code /admin} and their {@code /assets/}) get the
 * strictest policy that still runs them: every script, style, image and connection from this origin, no inline
 * script or style. The booking page with {@code embed=1} is the one page that may be framed, by any site (a salon
 * embeds it in an {@code <iframe>}); it reads nothing of the host page and the host nothing of it.
 *
 * <p>It runs for a request's first dispatch and for error dispatches (an error page's answer needs the headers too),
 * as the {@code OncePerRequestFilter} it was did, but by the dispatch's type instead of a marker attribute set, read
 * and removed on every request (issue #13).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class SecurityHeaders implements Filter {

    static final String API_POLICY = "default-src 'none'; frame-ancestors 'none'";
    static final String PAGE_POLICY = "frame-ancestors 'none'";
    static final String SWAGGER_UI_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    static final String WEB_PAGE_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    static final String EMBEDDED_PAGE_POLICY = WEB_PAGE_POLICY.replace("frame-ancestors 'none'", "frame-ancestors *");

    @Override
    public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
            throws ServletException, IOException {
        DispatcherType dispatch = servletRequest.getDispatcherType();
        if (dispatch != DispatcherType.REQUEST && dispatch != DispatcherType.ERROR
                || !(servletRequest instanceof HttpServletRequest request)
                || !(servletResponse instanceof HttpServletResponse response)) {
            chain.doFilter(servletRequest, servletResponse);
            return;
        }
        String path = request.getRequestURI();
        boolean api = path.startsWith("/api/") || path.startsWith("/v3/api-docs");
        boolean embedded = path.equals("/") && "1".equals(request.getParameter("embed"));
        if (embedded) {
            // Framed by design: every header but X-Frame-Options, and a policy whose frame-ancestors allows it.
            response.setHeader("X-Content-Type-Options", "nosniff");
            response.setHeader("Referrer-Policy", "no-referrer");
        } else {
            apply(response, api);
        }
        if (path.startsWith("/actuator/")) {
            // Metrics show business volume: no cache (browser, proxy) may keep a copy of them either.
            response.setHeader("Cache-Control", "no-store");
        }
        if (path.startsWith("/swagger-ui")) {
            response.setHeader("Content-Security-Policy", SWAGGER_UI_POLICY);
        }
        if (webPage(path)) {
            response.setHeader("Content-Security-Policy", embedded ? EMBEDDED_PAGE_POLICY : WEB_PAGE_POLICY);
        }
        if (request.isSecure()) {
            response.setHeader("Strict-Transport-Security", "max-age=31536000");
        }
        chain.doFilter(request, response);
    }

    private static boolean webPage(String path) {
        return path.equals("/") || path.startsWith("/manage/") || path.equals("/admin") || path.startsWith("/assets/");
    }

    static void apply(HttpServletResponse response, boolean api) {
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Content-Security-Policy", api ? API_POLICY : PAGE_POLICY);
        if (api) {
            response.setHeader("Cache-Control", "no-store");
        }
    }
}
