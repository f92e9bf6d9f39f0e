package io.holdfast.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.ReportAsSingleViolation;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Size;

/**
 * An email address a mail can really be sent to (see {@link EmailAddresses#PATTERN}). Bean Validation's plain
 * {@code @Email} takes {@code ann@localhost} and quoted local parts with spaces; this does not. Null passes (pair it
 * with {@code @NotBlank}).
 */
@Email(regexp = EmailAddresses.PATTERN)
@Size(max = EmailAddresses.MAX_LENGTH)
@ReportAsSingleViolation
@Constraint(validatedBy = {})
@Documented
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD,
        ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
public @interface EmailAddress {

    String message() default "must be an email address like ann@example.com";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
