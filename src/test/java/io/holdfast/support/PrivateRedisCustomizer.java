package io.holdfast.support;

import java.util.List;

import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Starts the redis-server of a {@link PrivateRedis} test class and wires it into the class's context. As a record,
 * its equality (the test class and the arguments) is part of the context cache key: one context, one Redis, per
 * class.
 */
record PrivateRedisCustomizer(Class<?> testClass, List<String> args) implements ContextCustomizer {

    static final String BEAN_NAME = "privateRedis";

    @Override
    public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
        RedisServer redis = RedisServer.start(args.toArray(String[]::new));
        var beans = context.getBeanFactory();
        beans.registerSingleton(BEAN_NAME, redis);
        // Registered before every other bean, so destroyed after them: the server outlives its clients' shutdown.
        ((DefaultSingletonBeanRegistry) beans).registerDisposableBean(BEAN_NAME, redis::close);
        context.getEnvironment().getPropertySources()
                .addFirst(new MapPropertySource(BEAN_NAME, redis.testProperties(null)));
    }

    static final class Factory implements ContextCustomizerFactory {

        @Override
        public ContextCustomizer createContextCustomizer(Class<?> testClass,
                List<ContextConfigurationAttributes> configAttributes) {
            PrivateRedis privateRedis = TestContextAnnotationUtils.findMergedAnnotation(testClass, PrivateRedis.class);
            return privateRedis == null ? null : new PrivateRedisCustomizer(testClass, List.of(privateRedis.args()));
        }
    }
}
