package io.bookinghub.hub.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.annotation.Priority;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * {@code ETag} and {@code If-None-Match} for the {@link ETagged} routes. The tag is a hash of the JSON the answer
 * carries, so it changes exactly when a client would see something different (a record changed, a page's rows
 * moved) without a version column on every table. The entity is serialized once here and sent as those bytes;
 * a matching {@code If-None-Match} turns the answer into a 304 without a body. The database is still read: the
 * saving is the transfer and the client's parsing, which is what a polling app pays most for.
 */
@ETagged
@Priority(Priorities.ENTITY_CODER)
public final class ETagFilter implements ContainerResponseFilter {
    /** 128 bits of SHA-256: collisions are out of reach, and the header stays short. */
    private static final int TAG_BYTES = 16;

    private final ObjectMapper mapper;

    public ETagFilter(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (!HttpMethod.GET.equals(request.getMethod()) || response.getStatus() != 200 || !response.hasEntity()) {
            return;
        }
        byte[] body;
        try {
            body = mapper.writeValueAsBytes(response.getEntity());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        EntityTag tag = new EntityTag(tag(body));
        // Answers differ per key (what it may see), so shared caches keep none; clients revalidate every time.
        response.getHeaders().putSingle(HttpHeaders.CACHE_CONTROL, "private, no-cache");
        response.getHeaders().putSingle(HttpHeaders.ETAG, tag);
        Response.ResponseBuilder notModified = request.getRequest().evaluatePreconditions(tag);
        if (notModified != null) {
            response.setStatus(Response.Status.NOT_MODIFIED.getStatusCode());
            response.setEntity(null);
            response.getHeaders().remove(HttpHeaders.CONTENT_TYPE);
            return;
        }
        response.setEntity(body, response.getEntityAnnotations(), MediaType.APPLICATION_JSON_TYPE);
    }

    private static String tag(byte[] body) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(body);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(hash, TAG_BYTES));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
