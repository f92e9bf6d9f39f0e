package io.holdfast.web;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * {@link RequestIds} and {@link SecurityHeaders} run as one servlet filter. Tomcat builds every request's filter
 * chain anew and looks each filter up under one context-wide lock ({@code StandardContext.findFilterConfig}); under
 * load that lock was the most contended monitor after SecureRandom (issue #13), so each filter fewer is one lookup
 * fewer per request. Both ran first anyway, in this order; each is still a filter of its own, run in sequence here,
 * and each decides by the dispatch's type whether it has anything to do (no marker attributes per request).
 * {@link LivenessAnswer} comes third: a probe gets its request id and headers, and nothing after them; then
 * {@link EdgeAnswers}, the hot reads (the unchanged poll, a cached availability day) answered as MVC answers them.
 */
@Configuration(proxyBeanMethods = false)
class EdgeFilters {

    @Bean
    FilterRegistrationBean<Filter> edgeFilter(RequestIds requestIds, SecurityHeaders securityHeaders,
            Environment environment, ApplicationAvailability availability, ObjectProvider<EdgeAnswer> answers,
            ObjectProvider<MeterRegistry> registry) {
        List<Filter> filters = new ArrayList<>(List.of(requestIds, securityHeaders));
        LivenessAnswer liveness = LivenessAnswer.whenShippedSettings(environment, availability);
        if (liveness != null) {
            filters.add(liveness);
        }
        EdgeAnswers reads = EdgeAnswers.whenShippedSettings(environment, answers.orderedStream().toList(),
                registry.getIfUnique());
        if (reads != null) {
            filters.add(reads);
        }
        FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(new Sequence(List.copyOf(filters)));
        registration.setName("holdfastEdge");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        // As OncePerRequestFilter beans are registered by Spring Boot: every dispatch; they decide themselves.
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR,
                DispatcherType.FORWARD, DispatcherType.INCLUDE);
        return registration;
    }

    @Bean
    FilterRegistrationBean<RequestIds> requestIdsAlone(RequestIds filter) {
        return disabled(filter);
    }

    @Bean
    FilterRegistrationBean<SecurityHeaders> securityHeadersAlone(SecurityHeaders filter) {
        return disabled(filter);
    }

    private static <F extends Filter> FilterRegistrationBean<F> disabled(F filter) {
        FilterRegistrationBean<F> registration = new FilterRegistrationBean<>(filter);
        registration.setEnabled(false);
        return registration;
    }

    /** Runs its filters one after the other, then the container's chain. */
    private record Sequence(List<Filter> filters) implements Filter {

        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            new Step(0, chain).doFilter(request, response);
        }

        private final class Step implements FilterChain {
            private final int index;
            private final FilterChain last;

            Step(int index, FilterChain last) {
                this.index = index;
                this.last = last;
            }

            @Override
            public void doFilter(ServletRequest request, ServletResponse response) throws IOException, ServletException {
                if (index == filters.size()) {
                    last.doFilter(request, response);
                } else {
                    filters.get(index).doFilter(request, response, new Step(index + 1, last));
                }
            }
        }
    }
}
