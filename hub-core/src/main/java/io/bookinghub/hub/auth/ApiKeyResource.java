package io.bookinghub.hub.auth;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.bookinghub.hub.businesses.BusinessDao;
import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import io.dropwizard.auth.Auth;
import io.dropwizard.validation.ValidationMethod;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;

/** Hub-admins issue and revoke API keys; the token is shown once, only its hash is stored. */
@Path("/admin/api-keys")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.HUB_ADMIN_NAME)
public class ApiKeyResource {
    /**
     * A key to issue. A business-admin key names its {@code businessId}; an app key names its {@code businessIds}
     * (one or more) and {@code scopes} ({@code read}, {@code write}); a hub-admin key names neither.
     */
    public record ApiKeyRequest(
            @JsonProperty("name") @NotBlank @Size(max = 100) String name,
            @JsonProperty("role") @NotNull @Pattern(regexp = "hub-admin|business-admin|app",
                    message = "must be hub-admin, business-admin or app") String role,
            @JsonProperty("businessId") UUID businessId,
            @JsonProperty("businessIds") @Size(max = 1000) List<@NotNull UUID> businessIds,
            @JsonProperty("scopes") List<@NotNull @Pattern(regexp = "read|write", message = "must be read or write")
                    String> scopes) {
        @ValidationMethod(message = "businessId is required for business-admin keys and not allowed for other keys")
        @JsonIgnore
        public boolean isBusinessIdConsistent() {
            return role == null || ("business-admin".equals(role) == (businessId != null));
        }

        @ValidationMethod(message = "businessIds is required (one or more) for app keys and not allowed for other keys")
        @JsonIgnore
        public boolean isBusinessIdsConsistent() {
            return role == null || ("app".equals(role) == (businessIds != null && !businessIds.isEmpty()));
        }

        @ValidationMethod(message = "scopes is required (read, write or both) for app keys and not allowed for other keys")
        @JsonIgnore
        public boolean isScopesConsistent() {
            return role == null || ("app".equals(role) == (scopes != null && !scopes.isEmpty()));
        }
    }

    public record IssuedKeyView(UUID id, String name, String role, UUID businessId, List<UUID> businessIds,
            List<String> scopes, String token) {
    }

    private final Jdbi jdbi;
    private final ApiKeys apiKeys;
    public ApiKeyResource(Jdbi jdbi, ApiKeys apiKeys) {
        this.jdbi = jdbi;
        this.apiKeys = apiKeys;
    }

    @POST
    public Response issue(@Auth HubPrincipal principal, @NotNull @Valid ApiKeyRequest request) {
        Role role = Role.fromWireName(request.role());
        BusinessDao businesses = jdbi.onDemand(BusinessDao.class);
        if (request.businessId() != null) {
            businesses.require(request.businessId());
        }
        String name = request.name().trim();
        if (role != Role.APP) {
            ApiKeys.IssuedKey issued = apiKeys.issue(name, role, request.businessId());
            return created(new IssuedKeyView(issued.id(), name, request.role(), request.businessId(), List.of(),
                    List.of(), issued.token()));
        }
        Set<UUID> bound = new TreeSet<>(request.businessIds());
        bound.forEach(businesses::require);
        Set<Scope> scopes = request.scopes().stream().map(Scope::fromWireName).collect(Collectors.toSet());
        ApiKeys.IssuedKey issued = apiKeys.issueApp(name, bound, scopes);
        return created(new IssuedKeyView(issued.id(), name, request.role(), null, List.copyOf(bound),
                scopes.stream().map(Scope::wireName).sorted().toList(), issued.token()));
    }

    private static Response created(IssuedKeyView view) {
        return Response.status(Response.Status.CREATED).entity(view).build();
    }

    @GET
    public List<ApiKeyRow> list(@Auth HubPrincipal principal) {
        return jdbi.onDemand(ApiKeyDao.class).list(null);
    }

    @DELETE
    @Path("/{keyId}")
    public ApiKeyRow revoke(@Auth HubPrincipal principal, @PathParam("keyId") UUID keyId) {
        apiKeys.revoke(keyId);
        return jdbi.onDemand(ApiKeyDao.class).find(keyId).orElseThrow(() -> new ConnectorException(ErrorCode.NOT_FOUND, "No API key " + keyId));
    }
}
