package io.holdfast.web;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.webmvc.actuate.endpoint.web.AbstractWebMvcEndpointHandlerMapping;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The API's handler mapping is asked before the actuator's. Spring Boot orders the actuator's mapping first (-100),
 * so every API request was first matched against each actuator endpoint, and a miss there is a full scan: for each
 * endpoint the method, the {@code Accept} header against what it produces (parsed and sorted per endpoint), and the
 * path last. That scan was 6 % of a no-op API request's CPU (issue #13). After the API's mapping (order 0) and
 * before every other (the welcome page 2, resources last), the actuator's answers are the same: no API mapping
 * matches a path under {@code /actuator}, so those requests fall through to it, at the cost of one scan of the
 * API's mappings per probe or scrape instead of one scan of the actuator's per API request.
 */
@Configuration(proxyBeanMethods = false)
class EndpointMappingOrder {

    /** After the API's {@code RequestMappingHandlerMapping} (order 0), before any other mapping. */
    static final int ORDER = 1;

    @Bean
    static BeanPostProcessor actuatorMappingAfterApi() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                if (bean instanceof AbstractWebMvcEndpointHandlerMapping mapping) {
                    mapping.setOrder(ORDER);
                }
                return bean;
            }
        };
    }
}
