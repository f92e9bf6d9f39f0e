package io.holdfast.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.ServletContext;

import io.holdfast.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.actuate.endpoint.web.AbstractWebMvcEndpointHandlerMapping;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.web.context.support.ServletRequestHandledEvent;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * What every request passes through, kept to what it needs (issue #13): the API's handler mapping is asked before
 * the actuator's (which still answers its own paths), no WebSocket filter, and no per-request event for listeners
 * Holdfast does not have.
 */
@ActiveProfiles("h2")
class RequestChainTest extends ServerTest {

    @Autowired
    private ConfigurableApplicationContext context;

    @Autowired
    private DispatcherServlet dispatcher;

    @Autowired
    private ServletContext servletContext;

    @Test
    void theApiMappingIsAskedBeforeTheActuatorsAndBothStillAnswer() {
        assertThat(api.get("/api/v1/health").status()).isEqualTo(200);
        assertThat(api.get("/actuator/health").status()).isEqualTo(200);
        assertThat(api.get("/actuator/metrics").status()).isEqualTo(200);
        assertThat(api.get("/actuator/nothing-here").status()).isEqualTo(404);

        List<HandlerMapping> mappings = dispatcher.getHandlerMappings();
        assertThat(mappings).isNotNull();
        int apiMapping = -1;
        int actuatorMapping = -1;
        for (int i = 0; i < mappings.size(); i++) {
            HandlerMapping mapping = mappings.get(i);
            if (mapping instanceof AbstractWebMvcEndpointHandlerMapping && actuatorMapping < 0) {
                actuatorMapping = i;
            } else if (mapping.getClass() == RequestMappingHandlerMapping.class && apiMapping < 0) {
                apiMapping = i;
            }
        }
        assertThat(apiMapping).as("the API's mapping").isNotNegative();
        assertThat(actuatorMapping).as("the actuator's mapping").isGreaterThan(apiMapping);
    }

    @Test
    void noWebSocketFilterRunsOnRequests() {
        assertThat(servletContext.getFilterRegistrations().values())
                .noneMatch(filter -> String.valueOf(filter.getClassName()).contains("websocket"));
        assertThatThrownBy(() -> Class.forName("org.apache.tomcat.websocket.server.WsFilter"))
                .isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void noEventIsPublishedPerRequest() {
        AtomicInteger handled = new AtomicInteger();
        ApplicationListener<ApplicationEvent> listener = event -> {
            if (event instanceof ServletRequestHandledEvent) {
                handled.incrementAndGet();
            }
        };
        context.addApplicationListener(listener);
        try {
            // Spring MVC would publish each request's event just after its answer: of three, two at least by now.
            for (int i = 0; i < 3; i++) {
                assertThat(api.get("/api/v1/health").status()).isEqualTo(200);
            }
            assertThat(handled).hasValue(0);
        } finally {
            context.removeApplicationListener(listener);
        }
    }
}
