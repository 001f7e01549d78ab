package io.bookinghub.hub.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What one executed statement made PostgreSQL touch, read from its {@code EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)}:
 * the behaviour behind a read's cost (rows and pages), which, unlike a time, a test can assert.
 *
 * @param rowsRead      rows the scans of the measured table produced or threw away (filter, recheck), over all loops
 * @param sharedBuffers shared buffers the statement hit or read
 * @param plan          the plan as PostgreSQL printed it
 */
public record PlanCost(long rowsRead, long sharedBuffers, String plan) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The cost in {@code explainJson}, counting rows of scans of {@code table}. */
    public static PlanCost of(String explainJson, String table) {
        try {
            JsonNode root = JSON.readTree(explainJson).get(0).get("Plan");
            return new PlanCost(rowsRead(root, table), root.path("Shared Hit Blocks").asLong()
                    + root.path("Shared Read Blocks").asLong(), explainJson);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not a JSON plan", e);
        }
    }

    private static long rowsRead(JsonNode node, String table) {
        long rows = 0;
        if (table.equals(node.path("Relation Name").asText())) {
            rows += (node.path("Actual Rows").asLong() + node.path("Rows Removed by Filter").asLong()
                    + node.path("Rows Removed by Index Recheck").asLong()) * node.path("Actual Loops").asLong(1);
        }
        for (JsonNode child : node.path("Plans")) {
            rows += rowsRead(child, table);
        }
        return rows;
    }
}
