package io.bookinghub.hub.console;

import static io.bookinghub.hub.testing.HubTestApp.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import io.bookinghub.hub.HubConfiguration;
import io.bookinghub.hub.testing.BuiltPlugins;
import io.bookinghub.hub.testing.HubApi;
import io.bookinghub.hub.testing.HubTestApp;
import io.bookinghub.hub.testing.TestDatabase;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Entity;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every console route against every kind of caller: no session, a business-admin of this business, one of another
 * business, and a hub-admin; and every form without its CSRF token. Real HTTP, real PostgreSQL, the real csv-import
 * plugin zip.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ConsoleAuthorizationTest {
    private static final TestDatabase DB = TestDatabase.createEmpty();
    private static final DropwizardAppExtension<HubConfiguration> APP;

    static {
        try {
            APP = HubTestApp.extension(DB, BuiltPlugins.copy("csv-import-connector"),
                    Files.createTempDirectory("var"), HubTestApp.environment());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final HubApi API = new HubApi(APP);
    private static UUID mine;
    private static UUID theirs;
    private static String ownerKey;

    @BeforeAll
    static void businesses() {
        mine = API.createBusiness("Mine");
        theirs = API.createBusiness("Theirs");
        ownerKey = API.businessAdminKey(mine);
        for (UUID business : List.of(mine, theirs)) {
            HubApi.json(API.call("/admin/businesses/" + business + "/connections/csv-import", ADMIN_TOKEN)
                    .put(Entity.json(Map.of("config", Map.of()))), 200);
        }
    }

    private static List<String> businessPages(UUID business) {
        String b = "/console/businesses/" + business;
        return List.of(b, b + "/connections/csv-import", b + "/connections/csv-import/import", b + "/appointments",
                b + "/webhooks");
    }

    /** Pages of hub-admin routes; the installed connectors are listed to business-admins too, as in the API. */
    private static final List<String> OPERATOR_PAGES = List.of("/console/api-keys", "/console/webhooks",
            "/console/connectors/csv-import/settings");

    @Test
    void withoutASessionEveryPageSendsTheBrowserToSignInAndBack() {
        ConsoleClient anonymous = new ConsoleClient(APP.getLocalPort());
        for (String page : concat(businessPages(mine), OPERATOR_PAGES, List.of("/console", "/console/businesses"))) {
            HttpResponse<String> answer = anonymous.get(page);
            assertThat(answer.statusCode()).as(page).isEqualTo(303);
            assertThat(answer.headers().firstValue("Location").orElseThrow()).as(page)
                    .endsWith("/console/login?next=" + page.replace("/", "%2F"));
        }
        assertThat(anonymous.get("/console/login").statusCode()).isEqualTo(200);
        // A form posted after the session ended: sign in, then the home page (a form's address is no page).
        HttpResponse<String> form = anonymous.post("/console/businesses", Map.of("name", "Late"));
        assertThat(form.statusCode()).isEqualTo(303);
        assertThat(form.headers().firstValue("Location").orElseThrow()).endsWith("/console/login?next=%2Fconsole");
    }

    @Test
    void aBusinessAdminSeesItsOwnBusinessAndMeetsTheApisAnswersElsewhere() {
        ConsoleClient owner = new ConsoleClient(APP.getLocalPort());
        assertThat(owner.signIn(ownerKey).statusCode()).isEqualTo(303);
        for (String page : businessPages(mine)) {
            HttpResponse<String> answer = owner.get(page);
            assertThat(answer.statusCode()).as(page).isEqualTo(200);
            assertThat(answer.body()).as(page).contains("Mine").doesNotContain("Theirs");
        }
        // Another tenant's business is a 404, like one that does not exist: its name never shows.
        for (String page : businessPages(theirs)) {
            HttpResponse<String> answer = owner.get(page);
            assertThat(answer.statusCode()).as(page).isEqualTo(404);
            assertThat(answer.body()).as(page).doesNotContain("Theirs");
        }
        for (String page : OPERATOR_PAGES) {
            assertThat(owner.get(page).statusCode()).as(page).isEqualTo(403);
        }
        assertThat(owner.get("/console/connectors").body()).contains("csv-import");
        // The business list takes a business-admin to its own business.
        assertThat(owner.get("/console/businesses").headers().firstValue("Location").orElseThrow())
                .endsWith("/console/businesses/" + mine);
    }

    @Test
    void aHubAdminSeesEveryPage() {
        ConsoleClient admin = new ConsoleClient(APP.getLocalPort());
        assertThat(admin.signIn(ADMIN_TOKEN).statusCode()).isEqualTo(303);
        for (String page : concat(businessPages(mine), businessPages(theirs), OPERATOR_PAGES,
                List.of("/console/businesses", "/console/connectors"))) {
            HttpResponse<String> answer = admin.get(page);
            assertThat(answer.statusCode()).as(page).isEqualTo(200);
            assertThat(answer.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("default-src 'none'");
            assertThat(answer.headers().firstValue("Cache-Control").orElseThrow()).isEqualTo("no-store");
        }
        assertThat(admin.get("/console/businesses").body()).contains("Mine").contains("Theirs");
    }

    @Test
    void theSessionCookieIsHttpOnlyLaxScopedToTheConsoleAndHoldsNoKey() {
        ConsoleClient owner = new ConsoleClient(APP.getLocalPort());
        HttpResponse<String> signIn = owner.signIn(ownerKey);
        String cookie = signIn.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith(Pages.COOKIE + "=")).findFirst().orElseThrow();
        assertThat(cookie).contains("HttpOnly").contains("SameSite=Lax").contains("Path=/console")
                .doesNotContain(ownerKey);
        assertThat(owner.get("/console/businesses/" + mine).body()).doesNotContain(ownerKey);
        // Only the token's hash is stored.
        int stored = DB.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM console_sessions WHERE "
                + "encode(token_hash, 'escape') LIKE :t").bind("t", "%" + owner.sessionCookie() + "%")
                .mapTo(Integer.class).one());
        assertThat(stored).isZero();
    }

    @Test
    void appKeysAndUnknownKeysCannotSignIn() {
        ConsoleClient app = new ConsoleClient(APP.getLocalPort());
        HttpResponse<String> refused = app.signIn(API.appKey(List.of(mine), List.of("read", "write")));
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("not a valid admin API key");
        assertThat(app.sessionCookie()).isNull();
        assertThat(new ConsoleClient(APP.getLocalPort()).signIn("bh_not-a-key").statusCode()).isEqualTo(401);
    }

    @Test
    void everyFormRefusesAMissingOrForeignCsrfTokenAndChangesNothing() {
        ConsoleClient admin = new ConsoleClient(APP.getLocalPort());
        admin.signIn(ADMIN_TOKEN);
        ConsoleClient other = new ConsoleClient(APP.getLocalPort());
        other.signIn(ADMIN_TOKEN);
        String foreignToken = ConsoleClient.csrf(other.get("/console/businesses").body());
        String b = "/console/businesses/" + mine + "/connections/csv-import";
        List<String> forms = List.of("/console/businesses", "/console/api-keys", "/console/api-keys/"
                + UUID.randomUUID() + "/revoke", "/console/webhooks/1/reprocess", "/console/connectors/csv-import/settings",
                b + "/settings", b + "/disable", b + "/connect", b + "/sync", b + "/import/" + UUID.randomUUID()
                        + "/confirm", "/console/logout");
        for (String form : forms) {
            for (Map<String, String> fields : List.of(Map.of("name", "Forged"), Map.of("name", "Forged", "csrf",
                    foreignToken))) {
                HttpResponse<String> answer = admin.post(form, fields);
                assertThat(answer.statusCode()).as(form + " " + fields.keySet()).isEqualTo(403);
                assertThat(answer.body()).contains("CSRF");
            }
        }
        assertThat(admin.get("/console/businesses").body()).doesNotContain("Forged");
        assertThat(HubApi.json(API.call("/admin/businesses/" + mine + "/connections/csv-import", ADMIN_TOKEN).get(),
                200).get("enabled").asBoolean()).isTrue();
        // Still signed in: the refused sign-out did nothing.
        assertThat(admin.get("/console/businesses").statusCode()).isEqualTo(200);
    }

    @Test
    void aValidFormAimedAtAnotherBusinessIsTheApisNotFoundAndChangesNothing() {
        ConsoleClient owner = new ConsoleClient(APP.getLocalPort());
        owner.signIn(ownerKey);
        String mineConnection = "/console/businesses/" + mine + "/connections/csv-import";
        String theirsConnection = "/console/businesses/" + theirs + "/connections/csv-import";
        for (String action : List.of("/sync", "/disable", "/settings")) {
            HttpResponse<String> answer = owner.submit(mineConnection, theirsConnection + action, Map.of());
            assertThat(answer.statusCode()).as(action).isEqualTo(404);
            assertThat(answer.body()).as(action).doesNotContain("Theirs");
        }
        assertThat(HubApi.json(API.call("/admin/businesses/" + theirs + "/connections/csv-import/sync-runs",
                ADMIN_TOKEN).get(), 200).get("items")).isEmpty();
        assertThat(HubApi.json(API.call("/admin/businesses/" + theirs + "/connections/csv-import", ADMIN_TOKEN).get(),
                200).get("enabled").asBoolean()).isTrue();
    }

    @Test
    void signingOutOrRevokingTheKeyEndsTheSession() {
        String key = API.businessAdminKey(mine);
        ConsoleClient first = new ConsoleClient(APP.getLocalPort());
        first.signIn(key);
        ConsoleClient second = new ConsoleClient(APP.getLocalPort());
        second.signIn(key);
        String page = "/console/businesses/" + mine;
        assertThat(first.submit(page, "/console/logout", Map.of()).statusCode()).isEqualTo(303);
        assertThat(first.get(page).statusCode()).isEqualTo(303);
        assertThat(second.get(page).statusCode()).isEqualTo(200);

        String keyId = DB.jdbi().withHandle(h -> h.createQuery("SELECT k.id FROM api_keys k JOIN console_sessions s "
                + "ON s.key_id = k.id WHERE k.business_id = :b ORDER BY k.created_at DESC LIMIT 1").bind("b", mine)
                .mapTo(String.class).one());
        API.call("/admin/api-keys/" + keyId, ADMIN_TOKEN).delete();
        assertThat(second.get(page).statusCode()).isEqualTo(303);
    }

    @Test
    void aHubAdminCreatesABusinessThroughTheFormAndSeesEveryBadField() {
        ConsoleClient admin = new ConsoleClient(APP.getLocalPort());
        admin.signIn(ADMIN_TOKEN);
        HttpResponse<String> bad = admin.submit("/console/businesses", "/console/businesses",
                Map.of("name", "", "timeZone", "Mars/Olympus"));
        assertThat(bad.statusCode()).isEqualTo(422);
        assertThat(bad.body()).contains("name").contains("timeZone");
        HttpResponse<String> created = admin.submit("/console/businesses", "/console/businesses",
                Map.of("name", "Form Salon", "timeZone", "Europe/Lisbon"));
        assertThat(created.statusCode()).isEqualTo(303);
        String location = created.headers().firstValue("Location").orElseThrow();
        assertThat(admin.get(location.substring(location.indexOf("/console"))).body()).contains("Form Salon")
                .contains("Europe/Lisbon");
    }

    @Test
    void theOAuthReturnPathCanOnlyBeAConsolePage() {
        for (String target : List.of("https://evil.example/console/x", "//evil.example/console/", "/admin/x",
                "/console/../admin", "/console/a?b=c")) {
            var answer = API.target("/connectors/csv-import/oauth/start").queryParam("business", mine)
                    .queryParam("format", "json").queryParam("returnTo", target).request()
                    .header("Authorization", "Bearer " + ADMIN_TOKEN).get();
            assertThat(answer.getStatus()).as(target).isEqualTo(400);
            assertThat(answer.readEntity(String.class)).as(target).contains("returnTo");
        }
    }

    @Test
    void tenantTextIsEscapedOnEveryPage() {
        UUID business = API.createBusiness("<script>alert(1)</script> & Co");
        ConsoleClient admin = new ConsoleClient(APP.getLocalPort());
        admin.signIn(ADMIN_TOKEN);
        for (String page : List.of("/console/businesses", "/console/businesses/" + business)) {
            String body = admin.get(page).body();
            assertThat(body).as(page).doesNotContain("<script>").contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co");
        }
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        return Arrays.stream(lists).flatMap(List::stream).toList();
    }
}
