package io.bookinghub.spi.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookRouteTest {
    private static final byte[] BODY = "{}".getBytes(StandardCharsets.UTF_8);

    @Test
    void aRequestCarriesItsPathAndQueryAndTheOldConstructorStillWorks() {
        WebhookRequest request = new WebhookRequest(BODY, Map.of("X-A", List.of("1")), "/connectors/acme/webhook",
                Map.of("account", List.of("a1"), "twice", List.of("x", "y")));
        assertThat(request.path()).isEqualTo("/connectors/acme/webhook");
        assertThat(request.singleQueryParameter("account")).contains("a1");
        assertThat(request.singleQueryParameter("twice")).isEmpty();
        assertThat(request.singleQueryParameter("Account")).as("query names are case-sensitive").isEmpty();

        WebhookRequest old = new WebhookRequest(BODY, Map.of());
        assertThat(old.path()).isEmpty();
        assertThat(old.queryParameters()).isEmpty();
    }

    @Test
    void byParameterRoutesReadExactlyOneNonBlankValue() {
        WebhookRequest request = new WebhookRequest(BODY, Map.of("x-account-id", List.of(" a1 ")), "",
                Map.of("account", List.of("q1"), "blank", List.of(" ")));
        assertThat(WebhookRoute.byHeader("X-Account-Id").accountIn(request)).contains("a1");
        assertThat(WebhookRoute.byQueryParameter("account").accountIn(request)).contains("q1");
        assertThat(WebhookRoute.byQueryParameter("blank").accountIn(request)).isEmpty();
        assertThat(WebhookRoute.byHeader("X-Other").accountIn(request)).isEmpty();
        assertThat(WebhookRoute.byAccount().accountIn(request)).as("read by webhookAccountId instead").isEmpty();
        assertThat(WebhookRoute.byUrl().accountIn(request)).isEmpty();
    }

    @Test
    void onlyParameterRoutesNameAParameter() {
        assertThatThrownBy(() -> new WebhookRoute(WebhookRoute.Kind.BY_URL, "x", false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WebhookRoute.byHeader(" ")).isInstanceOf(IllegalArgumentException.class);
    }
}
