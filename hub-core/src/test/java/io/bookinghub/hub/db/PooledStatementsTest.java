package io.bookinghub.hub.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import io.bookinghub.hub.testing.TestDatabase;
import io.dropwizard.db.ManagedDataSource;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.postgresql.PGStatement;

/** The hub's pool gives out the driver's own statements and result sets, not Tomcat's reflective proxies. */
class PooledStatementsTest {
    @Test
    void statementsAndResultSetsAreTheDriversOwnAndTheConnectionGoesBackToThePool() throws Exception {
        TestDatabase db = TestDatabase.createMigrated();
        ManagedDataSource dataSource = HubDatabase.open(db.config()).dataSourceFactory(db.config())
                .build(new MetricRegistry(), "test");
        try {
            for (int round = 0; round < 3; round++) {
                try (Connection c = dataSource.getConnection();
                        PreparedStatement statement = c.prepareStatement("SELECT ?::int + 1");
                        ResultSet rs = bind(statement, round).executeQuery()) {
                    assertThat(Proxy.isProxyClass(statement.getClass())).isFalse();
                    assertThat(statement).isInstanceOf(PGStatement.class);
                    assertThat(Proxy.isProxyClass(rs.getClass())).isFalse();
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).isEqualTo(round + 1);
                }
            }
        } finally {
            dataSource.stop();
        }
    }

    private static PreparedStatement bind(PreparedStatement statement, int value) throws Exception {
        statement.setInt(1, value);
        return statement;
    }
}
