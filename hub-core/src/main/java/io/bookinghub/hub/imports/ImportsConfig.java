package io.bookinghub.hub.imports;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** File uploads to FILE_IMPORT connectors ({@code POST .../connections/{connectorId}/imports}). */
public class ImportsConfig {
    /** Largest upload accepted, in bytes; a bigger one is refused with 413 (rows before the limit have landed). */
    @Min(1)
    @JsonProperty
    private long maxBytes = 2L * 1024 * 1024 * 1024;

    /** Row errors returned in the upload's response; all of them stay in the run's log. */
    @Min(0)
    @Max(1000)
    @JsonProperty
    private int errorsInResponse = 100;

    public long getMaxBytes() {
        return maxBytes;
    }

    public int getErrorsInResponse() {
        return errorsInResponse;
    }
}
