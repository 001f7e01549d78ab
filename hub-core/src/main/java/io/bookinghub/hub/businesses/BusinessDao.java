package io.bookinghub.hub.businesses;

import io.bookinghub.spi.ConnectorException;
import io.bookinghub.spi.ErrorCode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(BusinessRow.class)
public interface BusinessDao {
    @SqlUpdate("INSERT INTO businesses (id, name, time_zone, created_at, updated_at) "
            + "VALUES (:id, :name, :timeZone, :createdAt, :updatedAt)")
    void insert(@BindMethods BusinessRow row);

    @SqlQuery("SELECT id, name, time_zone, created_at, updated_at FROM businesses WHERE id = :id")
    Optional<BusinessRow> find(@Bind("id") UUID id);

    /** The business, or 404: every business-scoped route answers the same for an unknown business. */
    default BusinessRow require(UUID id) {
        return find(id).orElseThrow(() -> new ConnectorException(ErrorCode.NOT_FOUND, "No business " + id));
    }

    @SqlQuery("SELECT id, name, time_zone, created_at, updated_at FROM businesses "
            + "WHERE (CAST(:onlyId AS uuid) IS NULL OR id = :onlyId) AND (CAST(:afterAt AS timestamptz) IS NULL"
            + " OR (created_at, id) > (:afterAt, :afterId)) ORDER BY created_at, id LIMIT :limit")
    List<BusinessRow> list(@Bind("onlyId") UUID onlyId, @Bind("afterAt") Instant afterCreatedAt,
            @Bind("afterId") UUID afterId, @Bind("limit") int limit);

    @SqlUpdate("UPDATE businesses SET name = :name, time_zone = :timeZone, updated_at = :at WHERE id = :id")
    int update(@Bind("id") UUID id, @Bind("name") String name, @Bind("timeZone") String timeZone,
            @Bind("at") Instant at);
}
