package io.holdfast.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.holdfast.support.Api;
import io.holdfast.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * No admin endpoint is reachable without the admin token: every handler mapped under {@code /api/v1/admin} (read
 * from Spring MVC itself, so an endpoint added later is covered without touching this test) answers 401 without a
 * token and 403 with a wrong one or a guest session, and no admin controller maps anything outside that prefix.
 */
@ActiveProfiles("h2")
class AdminAccessCoverageTest extends ServerTest {

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    private RequestMappingHandlerMapping mappings;

    private record Endpoint(String method, String path) {
    }

    @Test
    void everyAdminEndpointNeedsTheToken() {
        List<Endpoint> endpoints = adminEndpoints();
        assertThat(endpoints).as("admin endpoints found").hasSizeGreaterThanOrEqualTo(8);
        String guestSession = "Bearer " + fixtures.session("admin-coverage@example.com");

        for (Endpoint endpoint : endpoints) {
            String body = endpoint.method().equals("GET") || endpoint.method().equals("DELETE") ? null : "{}";
            Api.Response anonymous = api.send(endpoint.method(), endpoint.path(), body);
            Api.Response wrong = api.send(endpoint.method(), endpoint.path(), body, "Authorization", "Bearer nope");
            Api.Response guest = api.send(endpoint.method(), endpoint.path(), body, "Authorization", guestSession);

            assertThat(anonymous.status()).as("%s without a token: %s", endpoint, anonymous).isEqualTo(401);
            assertThat(anonymous.code()).isEqualTo("unauthorized");
            assertThat(wrong.status()).as("%s with a wrong token: %s", endpoint, wrong).isEqualTo(403);
            assertThat(wrong.code()).isEqualTo("forbidden");
            assertThat(guest.status()).as("%s with a guest session: %s", endpoint, guest).isEqualTo(403);
        }
    }

    @Test
    void adminControllersMapNothingOutsideTheAdminPrefix() {
        List<String> outside = new ArrayList<>();
        mappings.getHandlerMethods().forEach((info, handler) -> {
            for (String pattern : patterns(info)) {
                boolean adminController = handler.getBeanType().getSimpleName().startsWith("Admin");
                if (adminController && !pattern.startsWith("/api/v1/admin/")) {
                    outside.add(pattern + " -> " + handler);
                }
            }
        });

        assertThat(outside).isEmpty();
    }

    private List<Endpoint> adminEndpoints() {
        List<Endpoint> endpoints = new ArrayList<>();
        mappings.getHandlerMethods().forEach((info, handler) -> {
            Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
            for (String pattern : patterns(info)) {
                if (!pattern.startsWith("/api/v1/admin")) {
                    continue;
                }
                String path = pattern.replaceAll("\\{[^}]+}", "1");
                if (methods.isEmpty()) {
                    endpoints.add(new Endpoint("GET", path));
                }
                methods.forEach(method -> endpoints.add(new Endpoint(method.name(), path)));
            }
        });
        System.out.println("[admin coverage] " + endpoints);
        return endpoints;
    }

    private static Set<String> patterns(RequestMappingInfo info) {
        return info.getPathPatternsCondition() == null ? info.getPatternValues()
                : info.getPathPatternsCondition().getPatternValues();
    }
}
