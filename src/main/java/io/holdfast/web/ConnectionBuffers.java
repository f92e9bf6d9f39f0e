package io.holdfast.web;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * Smaller socket buffers for every connection: 2 KB to read and 4 KB to write instead of Tomcat's 8 KB each. An event
 * stream keeps its connection's buffers (and the request's, which Tomcat does not let us size) for as long as it is
 * open, and sends a few hundred bytes at a time; at 10,000 streams Tomcat's defaults were 180 MB of buffers for
 * nothing (docs/benchmarks.md, "Memory per idle event stream"). The write buffer holds a whole answer of a day's
 * availability (about 2.2 KB with its headers for 24 starts, 3.9 KB for 50): one larger than it goes out in two
 * writes to the socket, and on 2 KB that was a fifth of a cached availability read's CPU (issue #13).
 * Nothing else changes: a request's line and headers
 * still have their own 8 KB ({@code server.max-http-request-header-size}), a body is read in as many reads as it
 * takes (up to {@code holdfast.web.max-body-size}), and a response larger than the write buffer is written straight
 * from the response's own buffer.
 */
@Component
class ConnectionBuffers implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    static final int READ_BYTES = 2048;
    static final int WRITE_BYTES = 4096;

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addConnectorCustomizers(connector -> {
            // setProperty answers false, and changes nothing, for a name the endpoint does not know
            if (!connector.setProperty("socket.appReadBufSize", Integer.toString(READ_BYTES))
                    || !connector.setProperty("socket.appWriteBufSize", Integer.toString(WRITE_BYTES))) {
                throw new IllegalStateException("Tomcat refused the socket buffer sizes");
            }
        });
    }
}
