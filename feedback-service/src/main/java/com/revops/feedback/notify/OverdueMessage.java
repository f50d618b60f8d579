package com.revops.feedback.notify;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Slack-compatible message telling a manager that a disqualification reason is overdue: {@code text} (the
 * fallback every webhook consumer shows) and {@code blocks} (header, summary, fields, context). Plain Java.
 */
public final class OverdueMessage {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private OverdueMessage() {
    }

    /** What the message is about. */
    public record Facts(String disqualificationId, String leadId, String company, String crm, String crmId,
            String ownerUsername, String teamName, String managerName, String source, String campaign,
            Instant disqualifiedAt, int remindersSent, Instant now) {
    }

    public static Map<String, Object> build(Facts f) {
        long days = Math.max(0, Duration.between(f.disqualifiedAt(), f.now()).toDays());
        String who = f.company() != null ? f.company() : f.crm() + " " + f.crmId();
        String owner = f.ownerUsername() != null ? f.ownerUsername() : "an unknown owner";
        String text = (f.managerName() != null ? f.managerName() + ": " : "")
                + "disqualification reason missing for " + days + " day" + (days == 1 ? "" : "s") + " on " + who
                + " (owner " + owner + (f.teamName() != null ? ", team " + f.teamName() : "") + ")";

        List<Map<String, Object>> blocks = new ArrayList<>();
        blocks.add(Map.of("type", "header", "text", plain("Disqualification reason overdue")));
        blocks.add(Map.of("type", "section", "text", mrkdwn("*" + escape(who) + "* was disqualified by *"
                + escape(owner) + "* on " + DAY.format(f.disqualifiedAt()) + " without a reason marketing can use. "
                + f.remindersSent() + " reminder" + (f.remindersSent() == 1 ? "" : "s")
                + " sent; please follow up.")));
        List<Map<String, Object>> fields = new ArrayList<>();
        fields.add(mrkdwn("*Team*\n" + escape(or(f.teamName(), "-"))));
        fields.add(mrkdwn("*Manager*\n" + escape(or(f.managerName(), "-"))));
        fields.add(mrkdwn("*CRM record*\n" + escape(or(f.crm(), "-") + " " + or(f.crmId(), ""))));
        fields.add(mrkdwn("*Source / campaign*\n" + escape(or(f.source(), "-") + " / " + or(f.campaign(), "-"))));
        blocks.add(Map.of("type", "section", "fields", fields));
        blocks.add(Map.of("type", "context", "elements", List.of(mrkdwn("Feedback disqualification "
                + f.disqualificationId() + ", lead " + f.leadId()))));

        Map<String, Object> message = new LinkedHashMap<>();
        message.put("text", text);
        message.put("blocks", blocks);
        return message;
    }

    /** Slack mrkdwn: {@code &}, {@code <} and {@code >} must be escaped, or a company name becomes a link. */
    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String or(String s, String fallback) {
        return s == null || s.isBlank() ? fallback : s;
    }

    private static Map<String, Object> plain(String text) {
        return Map.of("type", "plain_text", "text", text);
    }

    private static Map<String, Object> mrkdwn(String text) {
        return Map.of("type", "mrkdwn", "text", text);
    }
}
