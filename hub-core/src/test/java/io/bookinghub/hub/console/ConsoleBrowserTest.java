package io.bookinghub.hub.console;

import static io.bookinghub.hub.testing.HubTestApp.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import io.bookinghub.booksy.sandbox.BooksySandbox;
import io.bookinghub.hub.HubConfiguration;
import io.bookinghub.hub.testing.BuiltPlugins;
import io.bookinghub.hub.testing.HubApi;
import io.bookinghub.hub.testing.HubTestApp;
import io.bookinghub.hub.testing.TestDatabase;
import io.bookinghub.toolkit.webhook.WebhookSigner;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser: Debian's Chromium, headless, driven through Debian's chromedriver (never one
 * Selenium downloads). An operator signs in, creates a business and sets up Booksy against the sandbox; the business
 * connects through OAuth in the browser, syncs and watches the run finish, sees its appointments, previews and
 * confirms a CSV with a bad row, and reprocesses a parked webhook; another business's owner gets 404 pages and a form
 * stripped of its CSRF token is refused.
 *
 * <p>Without /usr/bin/chromium and /usr/bin/chromedriver the test is skipped with a message saying how to install
 * them; {@code .ci/run} installs both, so CI always runs it. With {@code -Dconsole.screenshots=docs/console} it
 * also writes the screenshots the README shows.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ConsoleBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String WEBHOOK_SECRET = "whsec_" + Base64.getEncoder()
            .encodeToString("console-browser-webhook-secret!!".getBytes(StandardCharsets.US_ASCII));
    private static final BooksySandbox SANDBOX = BooksySandbox.builder().port(0).allowLocalhostRedirects(true)
            .build().start();
    private static final TestDatabase DB = TestDatabase.createEmpty();
    private static final DropwizardAppExtension<HubConfiguration> APP;

    static {
        try {
            APP = HubTestApp.extension(DB, BuiltPlugins.copy("booksy-connector", "csv-import-connector"),
                    Files.createTempDirectory("var"), HubTestApp.environment(),
                    ConfigOverride.config("sync.schedulerEnabled", "false"),
                    // One failed apply parks the webhook, so the reprocess button has something to do.
                    ConfigOverride.config("webhooks.maxAttempts", "1"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final HubApi API = new HubApi(APP);
    private static WebDriver browser;

    @BeforeAll
    static void startBrowser() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            String message = "\n*** SKIPPED: the console's browser tests need Debian's Chromium and its driver "
                    + "(/usr/bin/chromium, /usr/bin/chromedriver).\n*** Install them with: "
                    + "sudo apt-get install -y chromium chromium-driver\n";
            System.err.println(message);
            Assumptions.assumeTrue(false, message);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,900", "--lang=en-GB");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        // A loaded machine renders slowly: look for an element for a while before calling it missing.
        browser.manage().timeouts().implicitlyWait(Duration.ofSeconds(10));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        SANDBOX.close();
    }

    private static String url(String path) {
        return "http://localhost:" + APP.getLocalPort() + path;
    }

    private static WebElement field(String id) {
        return browser.findElement(By.id(id));
    }

    private static void type(String id, String text) {
        WebElement element = field(id);
        element.clear();
        element.sendKeys(text);
    }

    /** Presses a form's button and waits for the page it leads to (every button here submits a form). */
    private static void press(String buttonText) {
        WebElement before = browser.findElement(By.tagName("html"));
        browser.findElement(By.xpath("//button[normalize-space()='" + buttonText + "']")).click();
        new WebDriverWait(browser, Duration.ofSeconds(60)).until(d -> gone(before));
        new WebDriverWait(browser, Duration.ofSeconds(60)).until(d -> "complete".equals(
                ((JavascriptExecutor) d).executeScript("return document.readyState")));
    }

    /**
     * Whether the page {@code element} belonged to has been replaced. Selenium's {@code stalenessOf} knows only
     * StaleElementReferenceException, but Chromium, asked in the middle of a navigation, may instead answer "Node
     * with given id does not belong to the document" (a plain WebDriverException): the same fact, worded otherwise.
     */
    private static boolean gone(WebElement element) {
        try {
            element.isEnabled();
            return false;
        } catch (StaleElementReferenceException e) {
            return true;
        } catch (WebDriverException e) {
            if (e.getMessage() != null && e.getMessage().contains("does not belong to the document")) {
                return true;
            }
            throw e;
        }
    }

    /** The page's text; a run page reloads itself every 2 s, so a body that went stale is read again. */
    private static String page() {
        for (int attempt = 1; ; attempt++) {
            try {
                return browser.findElement(By.tagName("body")).getText();
            } catch (StaleElementReferenceException e) {
                if (attempt == 20) {
                    throw e;
                }
            }
        }
    }

    private static void screenshot(String name) throws IOException {
        String dir = System.getProperty("console.screenshots");
        if (dir != null) {
            Files.createDirectories(Path.of(dir));
            Files.write(Path.of(dir, name + ".png"),
                    ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        }
    }

    @Test
    void anOperatorAndASalonDoTheirWorkInTheBrowser() throws Exception {
        // Sign in: the key goes into a form once and is exchanged for an HttpOnly session cookie.
        browser.get(url("/console"));
        assertThat(browser.getCurrentUrl()).contains("/console/login");
        screenshot("sign-in");
        type("apiKey", ADMIN_TOKEN);
        press("Sign in");
        assertThat(browser.getTitle()).startsWith("Businesses");
        assertThat(browser.manage().getCookieNamed(Pages.COOKIE).isHttpOnly()).isTrue();
        Object scriptCookies = ((JavascriptExecutor) browser).executeScript("return document.cookie");
        assertThat(String.valueOf(scriptCookies)).doesNotContain(Pages.COOKIE);

        // Create a business.
        type("name", "Browser Salon");
        type("timeZone", "Europe/Warsaw");
        press("Create");
        assertThat(browser.getTitle()).startsWith("Browser Salon");
        String businessPage = URI.create(browser.getCurrentUrl()).getPath();
        UUID business = UUID.fromString(businessPage.substring(businessPage.lastIndexOf('/') + 1));

        // The operator's Booksy integration, in the form generated from its metadata.
        browser.get(url("/console/connectors"));
        assertThat(page()).contains("Booksy").contains("OAUTH_CONNECT");
        screenshot("connectors");
        browser.get(url("/console/connectors/booksy/settings"));
        type("p.apiBaseUrl", SANDBOX.baseUrl());
        type("p.clientId", BooksySandbox.DEMO_CLIENT_ID);
        type("p.clientSecret", BooksySandbox.DEMO_CLIENT_SECRET);
        type("p.redirectUri", url("/connectors/booksy/oauth/callback"));
        type("p.webhookSecret", WEBHOOK_SECRET);
        type("p.rateLimitPerSecond", "1000");
        type("p.rateLimitBurst", "1000");
        press("Save settings");
        assertThat(page()).contains("Saved.");
        // Secrets are write-only: the page says one is set, never what it is.
        assertThat(browser.getPageSource()).doesNotContain(BooksySandbox.DEMO_CLIENT_SECRET)
                .doesNotContain(WEBHOOK_SECRET);
        screenshot("integration-settings");

        // The salon's Booksy connection: enable, then connect through the sandbox's OAuth pages and come back.
        browser.get(url(businessPage));
        browser.findElement(By.linkText("Booksy")).click();
        type("p.businessId", BooksySandbox.BUSINESS_ID);
        type("p.availabilityDays", "2");
        press("Enable");
        assertThat(page()).contains("not authorized yet");
        screenshot("connection-needs-authorization");
        press("Connect with Booksy");
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> d.getCurrentUrl().contains("/console/businesses/")
                && page().contains("Status: active"));

        // Sync now: the run page refreshes itself until the run is done.
        new Select(field("mode")).selectByVisibleText("FULL");
        press("Sync now");
        assertThat(browser.getCurrentUrl()).contains("/runs/");
        new WebDriverWait(browser, Duration.ofSeconds(120)).until(d -> page().contains("succeeded"));
        assertThat(Long.parseLong(field("count-created").getText())).isPositive();
        screenshot("sync-run");

        // The week's appointments (the sandbox's start around now).
        browser.get(url(businessPage + "/appointments?week=" + LocalDate.now(ZoneId.of("Europe/Warsaw"))));
        List<WebElement> rows = browser.findElements(By.cssSelector("#appointments tbody tr"));
        assertThat(rows).isNotEmpty();
        assertThat(rows.get(0).getText()).doesNotContain("No appointments");
        screenshot("appointments");

        // A CSV export with one bad row: preview, then confirm.
        browser.get(url(businessPage));
        browser.findElement(By.linkText("CSV import")).click();
        press("Enable");
        browser.findElement(By.linkText("Import a file")).click();
        Path csv = Files.createTempFile("export", ".csv");
        Files.writeString(csv, "Date,Start time,End time,Client name,Phone,Service,Status\n"
                + "2026-12-14,10:00,11:00,Anna Nowak,+48 600 100 200,Haircut,confirmed\n"
                + "2026-12-14,not a time,13:00,Jan Kowalski,+48 600 100 300,Beard trim,confirmed\n"
                + "2026-12-15,09:00,11:00,Ola Lis,+48 600 100 400,Colour,confirmed\n");
        field("file").sendKeys(csv.toAbsolutePath().toString());
        press("Preview");
        assertThat(page()).contains("nothing imported yet");
        assertThat(browser.findElements(By.cssSelector("#row-errors tbody tr"))).as(page()).hasSize(1);
        assertThat(field("would-create").getText()).isEqualTo("2");
        screenshot("import-preview");
        press("Confirm import");
        new WebDriverWait(browser, Duration.ofSeconds(60)).until(d -> page().contains("succeeded")
                || page().contains("partial"));
        assertThat(field("count-created").getText()).isNotEqualTo("0");

        // A webhook that cannot be applied (Booksy fails the read it needs) is parked; reprocess it. A 410 is a
        // failure the toolkit's client does not retry (a 5xx is retried, and its second read would succeed).
        SANDBOX.failNext("/api/v1/appointments/", 1, 410);
        String eventId = "evt_console_park";
        String appointment = SANDBOX.appointmentIds().get(0);
        byte[] body = ("{\"id\":\"" + eventId + "\",\"type\":\"appointment.updated\",\"business_id\":\""
                + BooksySandbox.BUSINESS_ID + "\",\"created_at\":\"" + Instant.now() + "\",\"data\":{\"id\":\""
                + appointment + "\"}}").getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder webhook = HttpRequest.newBuilder(URI.create(url("/connectors/booksy/webhook")))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", "application/json");
        WebhookSigner.standardWebhooksHeaders(WEBHOOK_SECRET, eventId, Instant.now(), body).forEach(webhook::header);
        assertThat(HttpClient.newHttpClient().send(webhook.build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(200);
        browser.get(url(businessPage + "/webhooks?status=PARKED"));
        new WebDriverWait(browser, Duration.ofSeconds(90)).until(d -> {
            d.navigate().refresh();
            return !d.findElements(By.xpath("//button[normalize-space()='Reprocess']")).isEmpty();
        });
        screenshot("webhooks");
        press("Reprocess");
        assertThat(page()).contains("queued for processing again");
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> {
            d.navigate().to(url(businessPage + "/webhooks?status=DONE"));
            return page().contains(eventId);
        });

        // The business page with its connections and counts.
        browser.get(url(businessPage));
        assertThat(page()).contains("booksy").contains("csv-import");
        screenshot("business");

        // A form stripped of its CSRF token is refused, and nothing changes.
        browser.get(url("/console/businesses"));
        ((JavascriptExecutor) browser).executeScript(
                "document.querySelectorAll('main input[name=csrf]').forEach(e => e.remove())");
        type("name", "Forged Salon");
        press("Create");
        assertThat(page()).contains("CSRF");
        browser.get(url("/console/businesses"));
        assertThat(page()).doesNotContain("Forged Salon");

        // Another salon's owner: its own business only; this one is "not found".
        UUID other = API.createBusiness("Other Salon");
        String otherOwner = API.businessAdminKey(other);
        press("Sign out");
        assertThat(page()).contains("You are signed out.");
        type("apiKey", otherOwner);
        press("Sign in");
        assertThat(browser.getTitle()).startsWith("Other Salon");
        browser.get(url(businessPage));
        assertThat(browser.getTitle()).startsWith("Not found");
        assertThat(page()).doesNotContain("Browser Salon");

        // Phone width: the page still lays out without horizontal scrolling of the frame.
        browser.manage().window().setSize(new Dimension(390, 844));
        browser.get(url("/console/businesses/" + other));
        Object overflow = ((JavascriptExecutor) browser).executeScript(
                "return document.documentElement.scrollWidth > window.innerWidth");
        assertThat(overflow).isEqualTo(false);
        screenshot("phone-business");
        browser.manage().window().setSize(new Dimension(1280, 900));
    }
}
