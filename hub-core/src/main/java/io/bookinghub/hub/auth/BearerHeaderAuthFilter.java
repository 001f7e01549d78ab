package io.bookinghub.hub.auth;

import io.bookinghub.hub.api.ErrorBody;
import io.bookinghub.hub.console.HubApiCalls;
import io.bookinghub.spi.ErrorCode;
import io.dropwizard.auth.AuthFilter;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import java.util.List;

/**
 * API keys in the {@code Authorization: Bearer} header, and only there. Dropwizard's
 * {@code OAuthCredentialAuthFilter} also takes {@code ?access_token=} from the query, which puts keys into
 * URLs, browser histories, proxy and request logs; a request that tries it is refused with 400 naming the
 * header, whether or not it also carries one, so the mistake shows at once instead of working by accident.
 */
@Priority(Priorities.AUTHENTICATION)
public final class BearerHeaderAuthFilter extends AuthFilter<String, HubPrincipal> {
    static final String QUERY_PARAMETER = "access_token";

    private BearerHeaderAuthFilter() {
    }

    @Override
    public void filter(ContainerRequestContext request) {
        // The console's in-process calls carry their signed-in principal as a request property, which only server
        // code can set (it is not a header and no servlet attribute maps to it).
        if (request.getProperty(HubApiCalls.PRINCIPAL_PROPERTY) instanceof HubPrincipal principal) {
            request.setSecurityContext(new SecurityContext() {
                @Override
                public Principal getUserPrincipal() {
                    return principal;
                }

                @Override
                public boolean isUserInRole(String role) {
                    return authorizer.authorize(principal, role, request);
                }

                @Override
                public boolean isSecure() {
                    return request.getUriInfo().getBaseUri().getScheme().equals("https");
                }

                @Override
                public String getAuthenticationScheme() {
                    return "CONSOLE_SESSION";
                }
            });
            return;
        }
        if (request.getUriInfo().getQueryParameters().containsKey(QUERY_PARAMETER)) {
            request.abortWith(Response.status(400).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new ErrorBody(400, ErrorCode.INVALID_INPUT.name(), "API keys are not accepted in the "
                            + "URL: send the key as 'Authorization: Bearer <key>' and remove the access_token "
                            + "query parameter (and revoke the key if the URL was logged or shared)", List.of()))
                    .build());
            return;
        }
        if (!authenticate(request, credentials(request.getHeaderString(HttpHeaders.AUTHORIZATION)), "BEARER")) {
            throw unauthorizedHandler.buildException(prefix, realm);
        }
    }

    /** The key after the configured scheme ("Bearer"), or null when the header is missing or names another. */
    private String credentials(String header) {
        if (header == null) {
            return null;
        }
        int space = header.indexOf(' ');
        if (space <= 0 || !prefix.equalsIgnoreCase(header.substring(0, space))) {
            return null;
        }
        return header.substring(space + 1);
    }

    /** Builds the filter from an authenticator, authorizer, realm, scheme ("Bearer") and unauthorized handler. */
    public static final class Builder extends AuthFilterBuilder<String, HubPrincipal, BearerHeaderAuthFilter> {
        @Override
        protected BearerHeaderAuthFilter newInstance() {
            return new BearerHeaderAuthFilter();
        }
    }
}
