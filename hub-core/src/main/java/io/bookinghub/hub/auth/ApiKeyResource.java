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
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** Hub-admins issue and revoke API keys; the token is shown once, only its hash is stored. */
@Path("/admin/api-keys")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.HUB_ADMIN_NAME)
public class ApiKeyResource {
    public record ApiKeyRequest(
            @JsonProperty("name") @NotBlank @Size(max = 100) String name,
            @JsonProperty("role") @NotNull @Pattern(regexp = "hub-admin|business-admin",
                    message = "must be hub-admin or business-admin") String role,
            @JsonProperty("businessId") UUID businessId) {
        @ValidationMethod(message = "businessId is required for business-admin keys and not allowed for hub-admin keys")
        @JsonIgnore
        public boolean isBusinessIdConsistent() {
            return role == null || ("business-admin".equals(role) == (businessId != null));
        }
    }

    public record IssuedKeyView(UUID id, String name, String role, UUID businessId, String token) {
    }

    private final Jdbi jdbi;
    private final ApiKeys apiKeys;
    public ApiKeyResource(Jdbi jdbi, ApiKeys apiKeys) {
        this.jdbi = jdbi;
        this.apiKeys = apiKeys;
    }

    @POST
    public Response issue(@Auth HubPrincipal principal, @NotNull @Valid ApiKeyRequest request) {
        if (request.businessId() != null) {
            jdbi.onDemand(BusinessDao.class).require(request.businessId());
        }
        ApiKeys.IssuedKey issued = apiKeys.issue(request.name().trim(), Role.fromWireName(request.role()),
                request.businessId());
        return Response.status(Response.Status.CREATED).entity(new IssuedKeyView(issued.id(), request.name().trim(),
                request.role(), request.businessId(), issued.token())).build();
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
