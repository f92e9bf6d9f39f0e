package io.holdfast.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Every path under /api/v1/admin needs the admin bearer token: 401 without one, 403 with a wrong one. */
@Configuration(proxyBeanMethods = false)
class AdminAccess implements WebMvcConfigurer {

    private final AdminToken token;

    AdminAccess(AdminToken token) {
        this.token = token;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new HandlerInterceptor() {
            @Override
            public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
                if (org.springframework.web.cors.CorsUtils.isPreFlightRequest(request)) {
                    // A browser's CORS pre-flight carries no credentials and reaches no endpoint; its answer only
                    // says whether the real request (which is checked here) may be sent.
                    return true;
                }
                String header = request.getHeader(HttpHeaders.AUTHORIZATION);
                if (header == null || header.isBlank()) {
                    throw new ApiProblem(ProblemCode.UNAUTHORIZED, "The admin API needs 'Authorization: Bearer <admin token>'");
                }
                BearerScheme.refusal(header, ProblemCode.FORBIDDEN, "admin token").ifPresent(refusal -> {
                    throw refusal;
                });
                if (!token.authorizes(header)) {
                    throw new ApiProblem(ProblemCode.FORBIDDEN, "The admin token is not valid");
                }
                return true;
            }
        }).addPathPatterns("/api/v1/admin", "/api/v1/admin/**");
    }
}
