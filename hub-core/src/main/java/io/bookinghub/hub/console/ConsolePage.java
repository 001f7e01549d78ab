package io.bookinghub.hub.console;

import static java.util.Objects.requireNonNull;

import io.bookinghub.hub.auth.HubPrincipal;
import io.dropwizard.views.common.View;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * One console page: a FreeMarker template (HTML auto-escaped) with the signed-in user and the page's data, which
 * is what the hub API answered, as maps and lists.
 */
public final class ConsolePage extends View {
    /** Who is signed in, as the layout shows it. */
    public record User(String name, String role, boolean hubAdmin, String businessId) {
        static User of(HubPrincipal principal) {
            return new User(principal.keyName(), principal.role().wireName(), principal.isHubAdmin(),
                    principal.businessId().map(Object::toString).orElse(null));
        }
    }

    private final String title;
    private final User user;
    private final String csrf;
    private final Map<String, Object> data;
    private final List<String> errors;
    private final String notice;
    private final boolean refresh;

    ConsolePage(String template, String title, User user, String csrf, Map<String, Object> data, List<String> errors,
            String notice, boolean refresh) {
        super(template, StandardCharsets.UTF_8);
        this.title = requireNonNull(title, "title is null");
        this.user = user;
        this.csrf = csrf;
        this.data = Map.copyOf(requireNonNull(data, "data is null"));
        this.errors = List.copyOf(requireNonNull(errors, "errors is null"));
        this.notice = notice;
        this.refresh = refresh;
    }

    public String getTitle() {
        return title;
    }

    /** Null on the sign-in page. */
    public User getUser() {
        return user;
    }

    /** The session's CSRF token for this page's forms; null on the sign-in page. */
    public String getCsrf() {
        return csrf;
    }

    public Map<String, Object> getData() {
        return data;
    }

    /** What went wrong with the last submission, one line per problem (every bad field). */
    public List<String> getErrors() {
        return errors;
    }

    /** A fixed confirmation after a successful action, or null. */
    public String getNotice() {
        return notice;
    }

    /** Whether the page reloads itself (a running sync), so progress shows without JavaScript. */
    public boolean isRefresh() {
        return refresh;
    }
}
