package io.bookinghub.hub.appwebhooks;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.bookinghub.hub.api.BadRequestException;
import io.bookinghub.hub.api.Cursor;
import io.bookinghub.hub.api.Page;
import io.bookinghub.hub.api.Paging;
import io.bookinghub.hub.auth.HubPrincipal;
import io.bookinghub.hub.auth.Role;
import io.bookinghub.hub.auth.Scope;
import io.bookinghub.hub.changes.ChangeFeed;
import io.bookinghub.spi.ConfigValidationException;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * {@code /v1/webhook-endpoints}: an app registers where the hub sends its businesses' events. An endpoint belongs
 * to the key that created it (a hub-admin key sees every endpoint); another key's endpoint answers 404. Every route
 * needs the {@code write} scope on each of the endpoint's businesses.
 */
@Path("/v1/webhook-endpoints")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({Role.APP_NAME, Role.BUSINESS_ADMIN_NAME})
public final class WebhookEndpointsResource {
    private static final int SECRET_BYTES = 32;
    private static final String LISTING = "webhook-endpoints";
    private static final String DELIVERIES = "webhook-deliveries";

    /** A new endpoint: where to send, which event types, for which businesses. */
    public record CreateRequest(
            @JsonProperty("url") @NotBlank @Size(max = 2000) String url,
            @JsonProperty("eventTypes") @NotEmpty @Size(max = 100) List<@NotNull String> eventTypes,
            @JsonProperty("businessIds") @NotEmpty @Size(max = 1000) List<@NotNull UUID> businessIds) {
    }

    /** A rotation; {@code overlap} (ISO-8601, default {@code appWebhooks.rotationOverlap}, at most 7 days). */
    public record RotateRequest(@JsonProperty("overlap") String overlap) {
    }

    private final Clock clock;
    private final SecureRandom random;
    private final EndpointStore endpoints;
    private final DeliveryStore deliveries;
    private final ChangeFeed feed;
    private final Function<URI, Optional<String>> urlRefusal;
    private final Duration defaultOverlap;

    WebhookEndpointsResource(Clock clock, SecureRandom random, EndpointStore endpoints, DeliveryStore deliveries,
            ChangeFeed feed, Function<URI, Optional<String>> urlRefusal, Duration defaultOverlap) {
        this.clock = requireNonNull(clock, "clock is null");
        this.random = requireNonNull(random, "random is null");
        this.endpoints = requireNonNull(endpoints, "endpoints is null");
        this.deliveries = requireNonNull(deliveries, "deliveries is null");
        this.feed = requireNonNull(feed, "feed is null");
        this.urlRefusal = requireNonNull(urlRefusal, "urlRefusal is null");
        this.defaultOverlap = requireNonNull(defaultOverlap, "defaultOverlap is null");
    }

    @POST
    public Response create(@Auth HubPrincipal principal, @NotNull @Valid CreateRequest request) {
        List<ConfigValidationException.FieldError> errors = new ArrayList<>();
        URI url = checkedUrl(request.url(), errors);
        List<String> unknown = EventTypes.unknown(request.eventTypes());
        if (!unknown.isEmpty()) {
            errors.add(new ConfigValidationException.FieldError("eventTypes", "unknown event types " + unknown
                    + "; accepted: " + EventTypes.ALL));
        }
        Set<UUID> businesses = new LinkedHashSet<>(request.businessIds());
        for (UUID business : businesses) {
            // A business the key may not use reads like one that does not exist.
            if (!principal.canAccess(business) || !feed.businessExists(business)) {
                errors.add(new ConfigValidationException.FieldError("businessIds", "no business " + business
                        + " that this key may use"));
            }
        }
        if (!errors.isEmpty()) {
            throw new ConfigValidationException(errors);
        }
        businesses.forEach(business -> principal.requireScope(business, Scope.WRITE));
        UUID id = UUID.randomUUID();
        String secret = newSecret();
        Instant now = clock.instant();
        Endpoint endpoint = new Endpoint(id, principal.keyId(), url, Set.copyOf(request.eventTypes()), businesses,
                endpoints.seal(id, secret), null, null, true, null, null, now);
        endpoints.insert(endpoint, now);
        return Response.status(Response.Status.CREATED)
                .entity(new CreatedEndpoint(require(principal, id).view(), secret)).build();
    }

    @GET
    public Page<EndpointView> list(@Auth HubPrincipal principal, @BeanParam Paging paging) {
        int limit = paging.limit();
        Cursor cursor = paging.cursor(LISTING, 2);
        List<Endpoint> rows = endpoints.list(principal.isHubAdmin() ? null : principal.keyId(),
                cursor == null ? null : cursor.instant(0, "cursor"), cursor == null ? null : cursor.uuid(1, "cursor"),
                limit + 1);
        Page<Endpoint> page = Page.of(rows, limit, e -> Cursor.after(LISTING, e.createdAt(), e.id()));
        return new Page<>(page.items().stream().map(Endpoint::view).toList(), page.limit(), page.next());
    }

    @GET
    @Path("/{endpointId}")
    public EndpointView get(@Auth HubPrincipal principal, @PathParam("endpointId") UUID id) {
        return require(principal, id).view();
    }

    @DELETE
    @Path("/{endpointId}")
    public Response delete(@Auth HubPrincipal principal, @PathParam("endpointId") UUID id) {
        require(principal, id);
        endpoints.delete(id);
        return Response.noContent().build();
    }

    /**
     * A new signing secret, shown once. The previous one keeps signing too (two signatures per delivery) until the
     * overlap ends, so receivers can switch without rejecting anything.
     */
    @POST
    @Path("/{endpointId}/rotate-secret")
    public CreatedEndpoint rotate(@Auth HubPrincipal principal, @PathParam("endpointId") UUID id,
            @Valid RotateRequest request) {
        require(principal, id);
        Duration overlap = defaultOverlap;
        if (request != null && request.overlap() != null) {
            try {
                overlap = Duration.parse(request.overlap());
            } catch (DateTimeParseException e) {
                overlap = null;
            }
            if (overlap == null || overlap.isNegative() || overlap.compareTo(Duration.ofDays(7)) > 0) {
                throw new ConfigValidationException(List.of(new ConfigValidationException.FieldError("overlap",
                        "must be an ISO-8601 duration from PT0S to P7D")));
            }
        }
        String secret = newSecret();
        Instant now = clock.instant();
        endpoints.rotate(id, endpoints.seal(id, secret), now.plus(overlap), now);
        return new CreatedEndpoint(require(principal, id).view(), secret);
    }

    /** Enables a disabled endpoint: its waiting deliveries go out again, oldest first. */
    @POST
    @Path("/{endpointId}/enable")
    public EndpointView enable(@Auth HubPrincipal principal, @PathParam("endpointId") UUID id) {
        require(principal, id);
        endpoints.enable(id, clock.instant());
        return require(principal, id).view();
    }

    /** The delivery log, newest first ({@code status}: pending, delivered or failed). */
    @GET
    @Path("/{endpointId}/deliveries")
    public Page<Delivery> deliveries(@Auth HubPrincipal principal, @PathParam("endpointId") UUID id,
            @QueryParam("status") String status, @BeanParam Paging paging) {
        require(principal, id);
        if (status != null && !Set.of("pending", "delivered", "failed").contains(status)) {
            throw BadRequestException.parameter("status", "must be pending, delivered or failed");
        }
        int limit = paging.limit();
        Cursor cursor = paging.cursor(DELIVERIES, 1);
        return Page.of(deliveries.list(id, cursor == null ? null : cursor.number(0, "cursor"), status, limit + 1),
                limit, d -> Cursor.after(DELIVERIES, d.id()));
    }

    /** One delivery with every attempt. */
    @GET
    @Path("/{endpointId}/deliveries/{deliveryId}")
    public Delivery delivery(@Auth HubPrincipal principal, @PathParam("endpointId") UUID id,
            @PathParam("deliveryId") long deliveryId) {
        require(principal, id);
        return deliveries.find(id, deliveryId).orElseThrow(() -> noDelivery(deliveryId));
    }

    /**
     * Sends a delivery again (whatever its status) as a new delivery with the same message id and body, after the
     * endpoint's pending deliveries of the same record.
     */
    @POST
    @Path("/{endpointId}/deliveries/{deliveryId}/replay")
    public Response replay(@Auth HubPrincipal principal, @PathParam("endpointId") UUID id,
            @PathParam("deliveryId") long deliveryId) {
        require(principal, id);
        Delivery replay = deliveries.replay(id, deliveryId, clock.instant()).orElseThrow(() -> noDelivery(deliveryId));
        return Response.status(Response.Status.ACCEPTED).entity(replay).build();
    }

    /** The endpoint if this key may manage it: its own (any, for a hub-admin), with write on its businesses. */
    private Endpoint require(HubPrincipal principal, UUID id) {
        Endpoint e = endpoints.find(id).filter(found -> principal.isHubAdmin()
                || found.ownerKeyId().equals(principal.keyId())).orElseThrow(() -> new ConnectorException(
                        ErrorCode.NOT_FOUND, "No webhook endpoint " + id));
        e.businessIds().forEach(business -> principal.requireScope(business, Scope.WRITE));
        return e;
    }

    private URI checkedUrl(String text, List<ConfigValidationException.FieldError> errors) {
        try {
            URI url = new URI(text.trim());
            Optional<String> refusal = url.getUserInfo() != null ? Optional.of("must not carry user information")
                    : urlRefusal.apply(url);
            refusal.ifPresent(reason -> errors.add(new ConfigValidationException.FieldError("url", reason)));
            return url;
        } catch (URISyntaxException e) {
            errors.add(new ConfigValidationException.FieldError("url", "is not a URL"));
            return null;
        }
    }

    /** Standard Webhooks' secret format: {@code whsec_} and base64 of 32 random bytes. */
    private String newSecret() {
        byte[] key = new byte[SECRET_BYTES];
        random.nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    private static ConnectorException noDelivery(long id) {
        return new ConnectorException(ErrorCode.NOT_FOUND, "No delivery " + id);
    }
}
