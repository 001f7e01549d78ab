package io.bookinghub.spi.oauth;

import java.net.URI;

/**
 * The provider side of an OAuth 2.0 authorization-code flow with PKCE. The hub owns the browser
 * routes, generates {@code state} and the code verifier from a secure random source, stores them
 * server-side bound to the business and checks them on the callback; the connector only talks to the
 * provider and stores tokens in its {@link io.bookinghub.spi.CredentialStore}.
 */
public interface OAuthFlow {

    /**
     * The provider's authorization URL for the admin's browser.
     *
     * @param state         opaque single-use value the provider must echo back
     * @param codeChallenge S256 challenge of the verifier (RFC 7636), base64url without padding
     */
    URI authorizationUrl(String state, String codeChallenge);

    /**
     * Exchanges the authorization code for tokens (sending the verifier and the exact redirect URI) and
     * stores them. Nothing is stored if the exchange fails.
     *
     * @throws io.bookinghub.spi.ConnectorException AUTH_REQUIRED when the provider refuses the code
     */
    void exchangeCode(String code, String codeVerifier);

    /** Revokes the stored tokens at the provider, best effort; failures are audited, not thrown. */
    void revoke();
}
