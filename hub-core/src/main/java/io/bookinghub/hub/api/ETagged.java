package io.bookinghub.hub.api;

import jakarta.ws.rs.NameBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks GET routes whose answers carry an {@code ETag} and answer {@code If-None-Match} with 304
 * ({@link ETagFilter}); the route itself returns its entity as usual.
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface ETagged {
}
