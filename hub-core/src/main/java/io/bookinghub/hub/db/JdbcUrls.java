package io.bookinghub.hub.db;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Accepts both JDBC URLs and the postgres:// URLs that hosting platforms hand out. */
public final class JdbcUrls {
    /** A JDBC URL with the credentials that were embedded in a postgres:// URL, if any. */
    public record Parsed(String jdbcUrl, Optional<String> user, Optional<String> password) {
    }

    private JdbcUrls() {
    }

    public static boolean isSupported(String url) {
        try {
            parse(url);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public static Parsed parse(String url) {
        if (url == null) {
            throw new IllegalArgumentException("url is null");
        }
        String trimmed = url.trim();
        if (trimmed.startsWith("jdbc:postgresql://")) {
            return new Parsed(trimmed, Optional.empty(), Optional.empty());
        }
        if (trimmed.startsWith("postgres://") || trimmed.startsWith("postgresql://")) {
            URI uri = URI.create(trimmed);
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("no host");
            }
            String jdbc = "jdbc:postgresql://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
                    + (uri.getRawPath() == null ? "" : uri.getRawPath())
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            Optional<String> user = Optional.empty();
            Optional<String> password = Optional.empty();
            if (uri.getRawUserInfo() != null) {
                String[] parts = uri.getRawUserInfo().split(":", 2);
                user = Optional.of(URLDecoder.decode(parts[0], StandardCharsets.UTF_8));
                if (parts.length == 2) {
                    password = Optional.of(URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
                }
            }
            return new Parsed(jdbc, user, password);
        }
        throw new IllegalArgumentException("unsupported database url scheme");
    }
}
