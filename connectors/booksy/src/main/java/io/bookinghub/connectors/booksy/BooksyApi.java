package io.bookinghub.connectors.booksy;

import static java.util.Objects.requireNonNull;

import com.github.scribejava.core.builder.api.DefaultApi20;
import com.github.scribejava.core.extractors.OAuth2AccessTokenJsonExtractor;
import com.github.scribejava.core.extractors.TokenExtractor;
import com.github.scribejava.core.model.OAuth2AccessToken;
import com.github.scribejava.core.model.OAuthResponseException;
import com.github.scribejava.core.model.Response;
import com.github.scribejava.core.oauth2.clientauthentication.ClientAuthentication;
import com.github.scribejava.core.oauth2.clientauthentication.HttpBasicAuthenticationScheme;
import com.github.scribejava.core.oauth2.clientauthentication.RequestBodyAuthenticationScheme;
import java.io.IOException;

/**
 * ScribeJava description of Booksy's OAuth 2.0 endpoints, all configurable, and of how the client
 * authenticates at the token endpoint: HTTP Basic ({@code client_secret_basic}, the default) or form
 * parameters ({@code client_secret_post}).
 */
public final class BooksyApi extends DefaultApi20 {
    private final String authorizationUrl;
    private final String tokenUrl;
    private final String revokeUrl;
    private final boolean clientSecretPost;

    public BooksyApi(String authorizationUrl, String tokenUrl, String revokeUrl, boolean clientSecretPost) {
        this.clientSecretPost = clientSecretPost;
        this.authorizationUrl = requireNonNull(authorizationUrl, "authorizationUrl is null");
        this.tokenUrl = requireNonNull(tokenUrl, "tokenUrl is null");
        this.revokeUrl = requireNonNull(revokeUrl, "revokeUrl is null");
    }

    static BooksyApi from(BooksyConfig config) {
        return new BooksyApi(config.endpointUrl(BooksyConfig.AUTHORIZATION_URL),
                config.endpointUrl(BooksyConfig.TOKEN_URL), config.endpointUrl(BooksyConfig.REVOCATION_URL),
                config.clientSecretPost());
    }

    @Override
    public String getAccessTokenEndpoint() {
        return tokenUrl;
    }

    @Override
    protected String getAuthorizationBaseUrl() {
        return authorizationUrl;
    }

    @Override
    public String getRevokeTokenEndpoint() {
        return revokeUrl;
    }

    @Override
    public ClientAuthentication getClientAuthentication() {
        return clientSecretPost ? RequestBodyAuthenticationScheme.instance() : HttpBasicAuthenticationScheme.instance();
    }

    @Override
    public TokenExtractor<OAuth2AccessToken> getAccessTokenExtractor() {
        return StatusAwareExtractor.INSTANCE;
    }

    /**
     * ScribeJava parses every non-200 body as an OAuth error JSON; an HTML 502 page would surface as a
     * JSON parse failure and lose the status. Throttling and server errors are raised with their
     * response instead, so the caller can classify them as transient.
     */
    private static final class StatusAwareExtractor extends OAuth2AccessTokenJsonExtractor {
        static final StatusAwareExtractor INSTANCE = new StatusAwareExtractor();

        @Override
        public OAuth2AccessToken extract(Response response) throws IOException {
            if (response.getCode() == 429 || response.getCode() >= 500) {
                throw new OAuthResponseException(response);
            }
            return super.extract(response);
        }
    }
}
