package io.bookinghub.toolkit.http;

import io.bookinghub.spi.ConnectorAudit;
import io.bookinghub.spi.ConnectorConfig;
import io.bookinghub.spi.ConnectorContext;
import io.bookinghub.spi.CredentialStore;
import io.bookinghub.spi.RateBudget;
import io.bookinghub.spi.http.OutboundHttp;
import io.bookinghub.spi.http.OutboundRequest;
import io.bookinghub.spi.http.OutboundResponse;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;

/**
 * A hub stand-in for the toolkit's own tests (the connector test kit is not used here, so the kit may depend on the
 * toolkit): a settable clock, a fixed-fraction random (exact backoffs), a recording audit, a one-bucket rate budget
 * on that clock, a sleeper that advances the clock, and a JDK HTTP transport that follows no redirects.
 */
final class FakeContext implements ConnectorContext {
    static final Instant NOW = Instant.parse("2026-03-20T08:00:00Z");

    final SettableClock clock = new SettableClock(NOW);
    final List<ConnectorAudit.ApiCall> calls = new CopyOnWriteArrayList<>();
    final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    final Map<String, Instant> nextPermit = new HashMap<>();
    final Map<String, String> credentials = new HashMap<>();
    double fraction = 0.5;
    OutboundHttp http = new JdkHttp();

    /** Records the wait and moves the clock on instead of sleeping. */
    final Sleeper sleeper = d -> {
        sleeps.add(d);
        clock.advance(d);
    };

    @Override
    public String businessId() {
        return "hub-business-1";
    }

    @Override
    public ZoneId businessTimeZone() {
        return ZoneId.of("Europe/Warsaw");
    }

    @Override
    public Optional<String> accountId() {
        return Optional.empty();
    }

    @Override
    public ConnectorConfig config() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public RandomGenerator random() {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public double nextDouble() {
                return fraction;
            }
        };
    }

    @Override
    public CredentialStore credentials() {
        return new CredentialStore() {
            @Override
            public Map<String, String> load() {
                return Map.copyOf(credentials);
            }

            @Override
            public void save(Map<String, String> values) {
                credentials.clear();
                credentials.putAll(values);
            }

            @Override
            public void clear() {
                credentials.clear();
            }

            @Override
            public Map<String, String> update(UnaryOperator<Map<String, String>> update) {
                save(update.apply(load()));
                return load();
            }

            @Override
            public void markReauthorizationRequired(String reason) {
            }
        };
    }

    /** A bucket of burst 1 per key: each permit is {@code limit.interval()} after the previous one. */
    @Override
    public RateBudget rateBudget() {
        return (key, limit, permits) -> {
            synchronized (nextPermit) {
                Instant now = clock.instant();
                Instant at = nextPermit.getOrDefault(key, now);
                Instant start = at.isAfter(now) ? at : now;
                nextPermit.put(key, start.plus(limit.interval().multipliedBy(permits)));
                return Duration.between(now, start);
            }
        };
    }

    @Override
    public ConnectorAudit audit() {
        return new ConnectorAudit() {
            @Override
            public void apiCall(ApiCall call) {
                calls.add(call);
            }

            @Override
            public void event(String type, String message) {
            }
        };
    }

    @Override
    public OutboundHttp http() {
        return request -> http.send(request);
    }

    List<Integer> statuses() {
        List<Integer> out = new ArrayList<>();
        calls.forEach(c -> out.add(c.status()));
        return out;
    }

    static final class SettableClock extends Clock {
        private volatile Instant now;

        SettableClock(Instant now) {
            this.now = now;
        }

        synchronized void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** The transport the hub would give, minus its policy: loopback is what WireMock listens on. */
    static final class JdkHttp implements OutboundHttp {
        private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

        @Override
        public OutboundResponse send(OutboundRequest request) throws IOException {
            byte[] body = request.body();
            HttpRequest.Builder b = HttpRequest.newBuilder(request.uri()).timeout(request.timeout())
                    .method(request.method(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            request.headers().forEach((name, values) -> values.forEach(v -> b.header(name, v)));
            try {
                HttpResponse<byte[]> response = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
                return new OutboundResponse(response.statusCode(), response.headers().map(), response.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
    }
}
