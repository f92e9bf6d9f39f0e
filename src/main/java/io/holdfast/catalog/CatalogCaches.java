package io.holdfast.catalog;

import io.holdfast.cache.CacheNames;
import io.holdfast.cache.CachedValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The catalogue's cached reads (see {@link Catalog}) and the types of their values. */
@Configuration(proxyBeanMethods = false)
class CatalogCaches {

    @Bean
    CachedValue locationsCache() {
        return CachedValue.listOf(CacheNames.LOCATIONS, Location.class);
    }

    @Bean
    CachedValue locationCache() {
        return CachedValue.of(CacheNames.LOCATION, Location.class);
    }

    @Bean
    CachedValue servicesCache() {
        return CachedValue.listOf(CacheNames.SERVICES, ServiceOffering.class);
    }

    @Bean
    CachedValue serviceCache() {
        return CachedValue.of(CacheNames.SERVICE, ServiceOffering.class);
    }

    @Bean
    CachedValue staffCache() {
        return CachedValue.listOf(CacheNames.STAFF, StaffMember.class);
    }

    @Bean
    CachedValue staffMemberCache() {
        return CachedValue.of(CacheNames.STAFF_MEMBER, StaffMember.class);
    }
}
