package io.holdfast.ops;

import io.holdfast.web.AdminToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Tells whoever started the server where it listens and, once, the generated admin token. */
@Component
class StartupBanner {

    private static final Logger log = LoggerFactory.getLogger(StartupBanner.class);

    private final AdminToken adminToken;

    StartupBanner(AdminToken adminToken) {
        this.adminToken = adminToken;
    }

    @EventListener
    void ready(ApplicationReadyEvent event) {
        if (event.getApplicationContext() instanceof WebServerApplicationContext web && web.getWebServer() != null) {
            log.info("Holdfast is ready at http://localhost:{}/", web.getWebServer().getPort());
        }
        if (adminToken.generated()) {
            log.info("Admin token (generated for this run; set HOLDFAST_ADMIN_TOKEN to fix it): {}", adminToken.value());
        }
    }
}
