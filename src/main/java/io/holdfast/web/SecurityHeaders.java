package io.holdfast.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Headers every answer carries, set before anything else runs so that refusals have them too: no MIME sniffing,
 * no referrer (manage links carry tokens), never inside a frame, and API answers are never cached (they hold
 * personal data and tokens). Requests Tomcat refuses before this filter get the same headers from
 * {@link ProblemErrorReports}.
 *
 * <p>The OpenAPI document is JSON like the API and gets the API's policy. Swagger UI gets a policy of its own,
 * written for what it needs: its scripts and styles are files of its own origin, but it styles elements inline and
 * draws its icons from {@code data:} URIs, so {@code style-src 'unsafe-inline'} and {@code img-src data:} are
 * allowed there and nowhere else. Scripts stay {@code 'self'}: its page has no inline script.
 *
 * <p>Holdfast's own web pages ({@code /}, {@code /manage/}, {@code /admin} and their {@code /assets/}) get the
 * strictest policy that still runs them: every script, style, image and connection from this origin, no inline
 * script or style. The booking page with {@code embed=1} is the one page that may be framed, by any site (a salon
 * embeds it in an {@code <iframe>}); it reads nothing of the host page and the host nothing of it.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class SecurityHeaders extends OncePerRequestFilter {

    static final String API_POLICY = "default-src 'none'; frame-ancestors 'none'";
    static final String PAGE_POLICY = "frame-ancestors 'none'";
    static final String SWAGGER_UI_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    static final String WEB_PAGE_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    static final String EMBEDDED_PAGE_POLICY = WEB_PAGE_POLICY.replace("frame-ancestors 'none'", "frame-ancestors *");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
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

    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return false;
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
