package io.holdfast.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The problem codes an endpoint answers beyond the ones every endpoint of its kind may answer (bad input, a body
 * too large, an unknown id in the path, a missing admin token): {@link ApiDocumentation} lists them in the OpenAPI
 * document as problem+json responses, grouped by status. Documentation only; nothing checks it at run time.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Refusals {

    ProblemCode[] value();
}
