package com.revops.feedback.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Plain Java: where a notification goes, its back-off, and the Slack-compatible message. */
class NotificationPolicyAndMessageTest {

    static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");

    @Test
    void teamOverrideWinsOverTheDefaultAndNoUrlMeansSkipped() {
        assertEquals("team", NotificationPolicy.target("https://hooks.example/t", "https://hooks.example/d"));
        assertEquals("default", NotificationPolicy.target(" ", "https://hooks.example/d"));
        assertEquals("none", NotificationPolicy.target(null, ""));
    }

    @Test
    void backOffDoublesUpToTheCapHonoursRetryAfterAndStopsAtTheBudget() {
        Duration base = Duration.ofSeconds(30);
        Duration cap = Duration.ofMinutes(5);
        assertEquals(NOW.plusSeconds(30), NotificationPolicy.afterFailure(1, 8, base, cap, null, NOW).at());
        assertEquals(NOW.plusSeconds(120), NotificationPolicy.afterFailure(3, 8, base, cap, null, NOW).at());
        assertEquals(NOW.plus(cap), NotificationPolicy.afterFailure(7, 8, base, cap, null, NOW).at());
        assertEquals(NOW.plusSeconds(600),
                NotificationPolicy.afterFailure(1, 8, base, cap, Duration.ofSeconds(600), NOW).at());
        assertEquals(NOW.plusSeconds(30),
                NotificationPolicy.afterFailure(1, 8, base, cap, Duration.ofSeconds(5), NOW).at());
        assertFalse(NotificationPolicy.afterFailure(8, 8, base, cap, null, NOW).again());
    }

    @Test
    @SuppressWarnings("unchecked")
    void messageHasAFallbackTextAndBlocksWithEscapedMarkdown() {
        Map<String, Object> m = OverdueMessage.build(new OverdueMessage.Facts("dq-1", "lead-1", "<Evil> & Sons",
                "hubspot", "123", "sam.sdr", "sdr-east", "Mark", "events", "spring", NOW.minus(Duration.ofDays(4)), 3,
                NOW));
        assertEquals("Mark: disqualification reason missing for 4 days on <Evil> & Sons (owner sam.sdr, team "
                + "sdr-east)", m.get("text"));
        List<Map<String, Object>> blocks = (List<Map<String, Object>>) m.get("blocks");
        assertEquals(List.of("header", "section", "section", "context"),
                blocks.stream().map(b -> b.get("type")).toList());
        String summary = (String) ((Map<String, Object>) blocks.get(1).get("text")).get("text");
        assertTrue(summary.startsWith("*&lt;Evil&gt; &amp; Sons* was disqualified by *sam.sdr* on 2026-11-16 10:00"),
                summary);
        assertTrue(summary.contains("3 reminders sent"));
        assertEquals(4, ((List<?>) blocks.get(2).get("fields")).size());
    }

    @Test
    void retryAfterSecondsAreReadAndDatesIgnored() {
        assertEquals(Duration.ofSeconds(30), WebhookNotifier.retryAfter(" 30 "));
        assertEquals(null, WebhookNotifier.retryAfter("Wed, 21 Oct 2026 07:28:00 GMT"));
    }
}
