package io.bookinghub.hub.webhooks;

import java.time.Instant;
import java.util.Map;

/**
 * Hub-wide webhook counters.
 *
 * @param inbox               inbox rows by status
 * @param deliveriesLastDay   audit rows of the last 24 hours by outcome
 * @param byConnectorLastDay  the same per connector
 * @param refusedNotAudited   refused requests since start that exceeded the audit cap (this process only)
 * @param oldestPendingSince  received-at of the oldest PENDING event, or null
 */
public record WebhookStats(Map<String, Long> inbox, Map<String, Long> deliveriesLastDay,
        Map<String, Map<String, Long>> byConnectorLastDay, long refusedNotAudited, Instant oldestPendingSince) {
}
