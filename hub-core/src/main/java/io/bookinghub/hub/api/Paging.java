package io.bookinghub.hub.api;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.QueryParam;

/** {@code limit} and {@code offset} of an audit listing; use as {@code @Valid @BeanParam Paging paging}. */
public final class Paging {
    @QueryParam("limit")
    @DefaultValue("100")
    @Min(1)
    @Max(1000)
    int limit;

    @QueryParam("offset")
    @DefaultValue("0")
    @Min(0)
    int offset;

    public int limit() {
        return limit;
    }

    public int offset() {
        return offset;
    }
}
