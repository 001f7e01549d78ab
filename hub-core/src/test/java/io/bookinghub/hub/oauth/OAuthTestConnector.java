package io.bookinghub.hub.oauth;

/**
 * Source of a connector compiled into a real PF4J plugin at test time. Its "provider" is the test
 * itself: an authorization code {@code ok.<challenge>} means the provider saw that S256 challenge, and
 * the exchange succeeds only if the verifier the hub hands over hashes to it (as a real provider checks).
 */
final class OAuthTestConnector {
    static final String ID = "oauthy";
    static final String ACCESS_TOKEN = "at-SENTINEL-ACCESS-7f3a9c21";
    static final String REFRESH_TOKEN = "rt-SENTINEL-REFRESH-5be0d4a8";

    private OAuthTestConnector() {
    }

    static String source() {
        return """
                package com.example.oauthy;

                import io.bookinghub.spi.*;
                import io.bookinghub.spi.oauth.OAuthFlow;
                import java.net.URI;
                import java.net.URLEncoder;
                import java.nio.charset.StandardCharsets;
                import java.security.MessageDigest;
                import java.util.*;

                @org.pf4j.Extension
                public class TestConnectorFactory implements BookingConnectorFactory {
                    static final ConnectorDescriptor DESCRIPTOR = new ConnectorDescriptor("%1$s", "OAuth test connector",
                            "1.0.0", "Connects through OAuth at test time", EnumSet.of(Capability.OAUTH_CONNECT, Capability.FULL_SYNC),
                            List.of(ConfigProperty.builder("clientId", ConfigType.STRING).perConnection().required().description("Client id").build()));

                    @Override
                    public ConnectorDescriptor descriptor() {
                        return DESCRIPTOR;
                    }

                    static String enc(String s) {
                        return URLEncoder.encode(s, StandardCharsets.UTF_8);
                    }

                    static String s256(String verifier) {
                        try {
                            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }

                    @Override
                    public BookingConnector create(ConnectorContext context) {
                        String clientId = context.config().string("clientId");
                        OAuthFlow flow = new OAuthFlow() {
                            @Override
                            public URI authorizationUrl(String state, String codeChallenge) {
                                return URI.create("https://provider.example/oauth/authorize?response_type=code&client_id="
                                        + enc(clientId) + "&redirect_uri=" + enc("http://hub.example/connectors/%1$s/oauth/callback")
                                        + "&state=" + enc(state) + "&code_challenge=" + enc(codeChallenge)
                                        + "&code_challenge_method=S256");
                            }

                            @Override
                            public void exchangeCode(String code, String codeVerifier) {
                                // Recorded so tests can tell a refused callback never reached the provider.
                                context.audit().event("code-exchange", "exchangeCode called");
                                if (code.startsWith("down.")) {
                                    throw new ConnectorException(ErrorCode.PROVIDER_UNAVAILABLE, "The provider could not be reached");
                                }
                                if (code.startsWith("boom.")) {
                                    throw new IllegalStateException("unexpected failure quoting " + code + " " + codeVerifier);
                                }
                                if (!code.startsWith("ok.")) {
                                    throw new ConnectorException(ErrorCode.AUTH_REQUIRED, "The provider refused the authorization code");
                                }
                                if (!code.substring(3).equals(s256(codeVerifier))) {
                                    throw new ConnectorException(ErrorCode.AUTH_REQUIRED, "The code verifier does not match the challenge");
                                }
                                context.credentials().save(Map.of("access_token", "%2$s", "refresh_token", "%3$s"));
                            }

                            @Override
                            public void revoke() {
                                boolean had = context.credentials().load().containsKey("access_token");
                                context.audit().event("revoked", had ? "revoked the stored tokens" : "nothing to revoke");
                            }
                        };
                        return new BookingConnector() {
                            @Override
                            public ConnectorDescriptor descriptor() {
                                return DESCRIPTOR;
                            }

                            @Override
                            public OAuthFlow oauth() {
                                return flow;
                            }

                            @Override
                            public void disconnect() {
                                flow.revoke();
                            }
                        };
                    }
                }
                """.formatted(ID, ACCESS_TOKEN, REFRESH_TOKEN);
    }
}
