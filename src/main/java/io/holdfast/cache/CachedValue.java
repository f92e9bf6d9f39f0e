package io.holdfast.cache;

import java.lang.reflect.Type;

import tools.jackson.databind.JavaType;
import tools.jackson.databind.type.TypeFactory;

/**
 * Declares one cache and the type of its values (Redis holds them as JSON). Features declare their caches as beans
 * of this type, so the cache module needs to know none of their classes.
 */
public record CachedValue(String cacheName, Type valueType) {

    public static CachedValue of(String cacheName, Class<?> valueType) {
        return new CachedValue(cacheName, valueType);
    }

    public static CachedValue listOf(String cacheName, Class<?> elementType) {
        return new CachedValue(cacheName, TypeFactory.createDefaultInstance().constructCollectionType(
                java.util.List.class, elementType));
    }

    JavaType javaType() {
        return valueType instanceof JavaType type ? type : TypeFactory.createDefaultInstance().constructType(valueType);
    }
}
