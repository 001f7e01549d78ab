/**
 * Fault tests with real processes: the hub runs as a child JVM ({@link io.bookinghub.hubtesting.HubProcess},
 * started by {@link io.bookinghub.hub.faults.FaultKit#startHub}) that is killed with SIGKILL, against a
 * PostgreSQL the test owns and crashes and restarts in place ({@link io.bookinghub.hub.faults.RestartablePostgres}),
 * with WireMock standing in for Booksy's API so record reads can be counted and held up.
 *
 * <p>They need the Booksy plugin zip in {@code plugins/} (system property {@code hub.plugins.dir}), which
 * packaging connectors/booksy produces:
 * <pre>
 * ./mvnw -q -B -o -pl connectors/booksy,hub-core -am package -DskipTests
 * ./mvnw -q -B -o -pl hub-core verify -Dtest='io.bookinghub.hub.faults.*Test' -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
package io.bookinghub.hub.faults;
