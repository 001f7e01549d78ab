package io.bookinghub.hub.db;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.codahale.metrics.MetricRegistry;
import io.bookinghub.hub.testing.TestDatabase;
import io.dropwizard.db.DataSourceFactory;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A failing statement, logged as the hub logs failures, names no bound value (PII) anywhere in the entry. */
class StatementErrorMessagesTest {
    private static final String PII = "Anna Nowak +48 600 700 800";

    @Test
    void aFailingStatementsLoggedMessageCarriesNoBoundValue() {
        TestDatabase db = TestDatabase.createMigrated();
        // The hub's pool settings (the driver leaves PostgreSQL's error detail out) on the test database.
        DataSourceFactory factory = HubDatabase.open(db.config()).dataSourceFactory(db.config());
        Jdbi jdbi = HubDatabase.withoutBoundValuesInErrors(Jdbi.create(factory.build(new MetricRegistry(), "test")));
        jdbi.installPlugin(new PostgresPlugin());
        jdbi.useHandle(h -> h.execute("CREATE TABLE people (name text PRIMARY KEY, age int NOT NULL)"));
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO people VALUES (:name, 1)").bind("name", PII).execute());

        Logger logger = (Logger) LoggerFactory.getLogger(StatementErrorMessagesTest.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            for (Map.Entry<String, Object> statement : Map.<String, Object>of(
                    "INSERT INTO people VALUES (:name, 2)", PII, // unique violation: the detail would quote the key
                    "INSERT INTO people VALUES (:name, 'not a number')", PII + "-2").entrySet()) {
                try {
                    jdbi.useHandle(h -> h.createUpdate(statement.getKey()).bind("name", statement.getValue())
                            .execute());
                } catch (JdbiException e) {
                    logger.warn("statement failed: {}", e.getMessage(), e);
                }
            }
        } finally {
            logger.detachAppender(appender);
        }

        assertThat(appender.list).hasSize(2).allSatisfy(event -> {
            String logged = event.getFormattedMessage() + "\n" + ThrowableProxyUtil.asString(event.getThrowableProxy());
            assertThat(logged).doesNotContain("Anna").doesNotContain("600 700");
        });
    }
}
