package com.revops.gateway.normalise;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Reads calls, emails, meetings and tasks of both CRMs into one canonical {@link Activity} and decides, by comparing
 * it with the last known state, whether {@code activity.logged} must be published. Comparing states (not replaying
 * webhook deltas) makes repeated and out-of-order deliveries harmless, as for leads and deals. Plain Java.
 *
 * <p>Outcomes are normalised to one vocabulary: {@code connected, no-answer, left-voicemail, left-message, busy,
 * wrong-number, failed, canceled, in-progress, completed} (calls), {@code sent, received, bounced, failed, scheduled}
 * (emails), {@code scheduled, completed, rescheduled, no-show, canceled} (meetings), {@code open, completed,
 * deferred} (tasks). An outcome the CRM does not tell is null.
 */
public final class ActivityDeriver {

    /** HubSpot engagement object types as the webhook names them -> the CRM v3 object path. */
    public static final Map<String, String> HUBSPOT_OBJECTS = Map.of("call", "calls", "email", "emails",
            "meeting", "meetings", "task", "tasks");

    /** HubSpot's objectTypeId of each engagement object (generic webhook subscriptions carry it). */
    public static final Map<String, String> HUBSPOT_TYPE_IDS = Map.of("0-48", "call", "0-49", "email",
            "0-47", "meeting", "0-27", "task");

    /** Salesforce activity sObjects delivered by outbound message. */
    public static final List<String> SALESFORCE_OBJECTS = List.of("Task", "Event");

    /** HubSpot's default call outcomes (hs_call_disposition holds the option's GUID); portals add their own. */
    public static final Map<String, String> HUBSPOT_DEFAULT_DISPOSITIONS = Map.of(
            "f240bbac-87c9-4f6e-bf70-924b57d47db7", "connected",
            "73a0d17f-1163-4015-bdd5-ec830791da20", "no-answer",
            "b2cf5968-551e-4856-9783-52b3da59a7d0", "left-voicemail",
            "a4c4c377-d246-4b32-a13b-75a56a4cd0ff", "left-message",
            "9d9162e7-6cf3-4944-bf63-4dff82258764", "busy",
            "17b47fee-58de-441e-a44c-c6300d46f273", "wrong-number");

    /** Properties read for every HubSpot engagement, plus the type's own. */
    public static List<String> hubspotProperties(String type) {
        List<String> common = List.of("hs_timestamp", "hubspot_owner_id", "hs_lastmodifieddate", "hs_createdate");
        List<String> own = switch (type) {
            case "call" -> List.of("hs_call_direction", "hs_call_disposition", "hs_call_status", "hs_call_title");
            case "email" -> List.of("hs_email_direction", "hs_email_status", "hs_email_subject");
            case "meeting" -> List.of("hs_meeting_outcome", "hs_meeting_title", "hs_meeting_start_time",
                    "hs_meeting_source");
            case "task" -> List.of("hs_task_status", "hs_task_subject", "hs_task_type", "hs_task_completion_date");
            default -> throw new IllegalArgumentException("not a HubSpot engagement type: " + type);
        };
        return java.util.stream.Stream.concat(common.stream(), own.stream()).toList();
    }

    /**
     * One activity in canonical form.
     *
     * @param kind        the CRM object it came from (HubSpot call/email/meeting/task, Salesforce Task/Event)
     * @param type        call, email, meeting or task
     * @param crmPersonId the contact (HubSpot) or WhoId (Salesforce) it is about, if any
     * @param modifiedAt  the CRM's last modification, to keep an older read from overwriting a newer state
     */
    public record Activity(String crm, String kind, String crmId, String type, String direction, String ownerId,
            String crmPersonId, String subject, Instant occurredAt, String outcome, Instant modifiedAt) {

        /** Stable per CRM activity: the same call is the same activityId however often it is delivered. */
        public UUID activityId() {
            return ActivityDeriver.activityId(crm, kind, crmId);
        }
    }

    private ActivityDeriver() {
    }

    public static UUID activityId(String crm, String kind, String crmId) {
        return UUID.nameUUIDFromBytes(("activity:" + crm + ":" + kind + ":" + crmId).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A HubSpot engagement read through the CRM API.
     *
     * @param type         call, email, meeting or task
     * @param person       the associated contact chosen as the activity's person (or null)
     * @param dispositions call outcome GUID -> canonical outcome (defaults plus the portal's own)
     */
    public static Activity fromHubSpot(String type, String id, Map<String, String> p, String person,
            Map<String, String> dispositions) {
        String direction = "outbound";
        String outcome;
        String subject;
        Instant occurred = instant(p.get("hs_timestamp"));
        switch (type) {
            case "call" -> {
                direction = "INBOUND".equalsIgnoreCase(p.get("hs_call_direction")) ? "inbound" : "outbound";
                String disposition = blankToNull(p.get("hs_call_disposition"));
                outcome = disposition == null ? null : dispositions.get(disposition);
                if (outcome == null) {
                    outcome = callStatus(p.get("hs_call_status"));
                }
                subject = p.get("hs_call_title");
            }
            case "email" -> {
                String d = p.get("hs_email_direction");
                direction = "INCOMING_EMAIL".equalsIgnoreCase(d) ? "inbound" : "outbound";
                outcome = "inbound".equals(direction) ? "received" : emailStatus(p.get("hs_email_status"));
                subject = p.get("hs_email_subject");
            }
            case "meeting" -> {
                // booked by the person through a meetings link: they came to us
                direction = "MEETINGS_PUBLIC".equalsIgnoreCase(p.get("hs_meeting_source")) ? "inbound" : "outbound";
                outcome = meetingOutcome(p.get("hs_meeting_outcome"));
                subject = p.get("hs_meeting_title");
                Instant start = instant(p.get("hs_meeting_start_time"));
                occurred = start != null ? start : occurred;
            }
            case "task" -> {
                String status = p.get("hs_task_status");
                outcome = "COMPLETED".equalsIgnoreCase(status) ? "completed"
                        : "DEFERRED".equalsIgnoreCase(status) ? "deferred" : "open";
                subject = p.get("hs_task_subject");
                Instant done = instant(p.get("hs_task_completion_date"));
                if ("completed".equals(outcome) && done != null) {
                    occurred = done;
                }
            }
            default -> throw new IllegalArgumentException("not a HubSpot engagement type: " + type);
        }
        return new Activity("hubspot", type, id, type, direction, blankToNull(p.get("hubspot_owner_id")),
                person, blankToNull(subject), occurred, outcome,
                instant(p.get("hs_lastmodifieddate")));
    }

    /** A Salesforce Task or Event as its outbound message carries it (field API names -> values). */
    public static Activity fromSalesforce(String sobject, Map<String, String> f) {
        String type;
        String direction = "outbound";
        String outcome;
        Instant occurred;
        if ("Event".equals(sobject)) {
            type = "meeting";
            // Salesforce Events have no outcome field: a calendar entry is a scheduled meeting
            outcome = "scheduled";
            occurred = first(instant(f.get("ActivityDateTime")), instant(f.get("StartDateTime")),
                    startOfDay(f.get("ActivityDate")));
        } else {
            type = taskType(f.get("TaskSubtype"), f.get("Type"));
            String status = f.get("Status");
            boolean closed = "true".equalsIgnoreCase(f.get("IsClosed")) || "Completed".equalsIgnoreCase(status);
            switch (type) {
                case "call" -> {
                    direction = "Inbound".equalsIgnoreCase(f.get("CallType")) ? "inbound" : "outbound";
                    outcome = callDisposition(f.get("CallDisposition"));
                    if (outcome == null && closed) {
                        outcome = "completed";
                    }
                }
                case "email" -> outcome = "sent";
                case "meeting" -> outcome = closed ? "completed" : "scheduled";
                default -> outcome = closed ? "completed" : "Deferred".equalsIgnoreCase(status) ? "deferred" : "open";
            }
            occurred = taskTime(f);
        }
        Instant modified = first(instant(f.get("LastModifiedDate")), instant(f.get("SystemModstamp")), null);
        return new Activity("salesforce", sobject, f.get("Id"), type, direction, blankToNull(f.get("OwnerId")),
                blankToNull(f.get("WhoId")), blankToNull(f.get("Subject")), occurred, outcome, modified);
    }

    /**
     * The state kept for comparison: only what {@code activity.logged} carries from the CRM, so a change elsewhere
     * (a description edit, a recording URL) publishes nothing.
     */
    public static Map<String, String> snapshot(Activity a) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("type", a.type());
        s.put("direction", a.direction());
        s.put("ownerId", a.ownerId());
        s.put("crmPersonId", a.crmPersonId());
        s.put("occurredAt", a.occurredAt() == null ? null : a.occurredAt().toString());
        s.put("outcome", a.outcome());
        s.put("subject", a.subject());
        return s;
    }

    /** Whether the activity must be (re)announced: new to us, known as deleted, or one of its fields changed. */
    public static boolean changed(Map<String, String> before, boolean wasDeleted, Activity now) {
        return before == null || wasDeleted || !Objects.equals(before, snapshot(now));
    }

    /** Parses {@code guid=outcome,guid=outcome} (a portal's own call outcomes) over HubSpot's defaults. */
    public static Map<String, String> dispositions(java.util.Optional<String> overrides) {
        Map<String, String> out = new LinkedHashMap<>(HUBSPOT_DEFAULT_DISPOSITIONS);
        overrides.ifPresent(spec -> {
            for (String pair : spec.split(",")) {
                String[] kv = pair.split("=", 2);
                if (kv.length != 2 || kv[0].isBlank() || kv[1].isBlank()) {
                    throw new IllegalArgumentException("call outcomes must be guid=outcome pairs: " + pair);
                }
                out.put(kv[0].trim(), kv[1].trim());
            }
        });
        return Map.copyOf(out);
    }

    static String callStatus(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        return switch (status.toUpperCase(Locale.ROOT)) {
            case "COMPLETED" -> "completed";
            case "NO_ANSWER", "MISSED" -> "no-answer";
            case "BUSY" -> "busy";
            case "FAILED" -> "failed";
            case "CANCELED" -> "canceled";
            case "IN_PROGRESS", "CONNECTING", "RINGING", "QUEUED", "CALLING_CRM_USER" -> "in-progress";
            default -> null;
        };
    }

    static String emailStatus(String status) {
        if (status == null || status.isBlank()) {
            return "sent";
        }
        return switch (status.toUpperCase(Locale.ROOT)) {
            case "BOUNCED" -> "bounced";
            case "FAILED" -> "failed";
            case "SCHEDULED" -> "scheduled";
            default -> "sent"; // SENT, SENDING
        };
    }

    static String meetingOutcome(String outcome) {
        if (outcome == null || outcome.isBlank()) {
            return "scheduled";
        }
        return switch (outcome.toUpperCase(Locale.ROOT)) {
            case "COMPLETED" -> "completed";
            case "RESCHEDULED" -> "rescheduled";
            case "NO_SHOW" -> "no-show";
            case "CANCELED", "CANCELLED" -> "canceled";
            default -> "scheduled";
        };
    }

    /** TaskSubtype (Call, Email, ListEmail, Task, ...) first; the Type picklist when the subtype says "Task". */
    static String taskType(String subtype, String type) {
        if ("Call".equalsIgnoreCase(subtype)) {
            return "call";
        }
        if ("Email".equalsIgnoreCase(subtype) || "ListEmail".equalsIgnoreCase(subtype)) {
            return "email";
        }
        if (type != null) {
            switch (type.trim().toLowerCase(Locale.ROOT)) {
                case "call":
                    return "call";
                case "email":
                    return "email";
                case "meeting":
                    return "meeting";
                default:
                    break;
            }
        }
        return "task";
    }

    /** Salesforce's CallDisposition is free text set by the org or the dialer: read it by its usual words. */
    static String callDisposition(String disposition) {
        if (disposition == null || disposition.isBlank()) {
            return null;
        }
        String d = disposition.toLowerCase(Locale.ROOT);
        if (d.contains("voicemail") || d.contains("voice mail") || d.matches(".*\\bvm\\b.*")) {
            return "left-voicemail";
        }
        if (d.contains("no answer") || d.contains("no-answer") || d.contains("not answered")
                || d.contains("unanswered")) {
            return "no-answer";
        }
        if (d.contains("busy")) {
            return "busy";
        }
        if (d.contains("wrong")) {
            return "wrong-number";
        }
        if (d.contains("left message") || d.contains("left a message")) {
            return "left-message";
        }
        if (d.contains("connect") || d.contains("spoke") || d.contains("reached") || d.contains("answered")
                || d.contains("conversation")) {
            return "connected";
        }
        return null;
    }

    /**
     * When a Task happened: its completion time; else its creation time when it was logged on its activity date
     * (a logged call); else the activity (due) date at the start of the day, UTC.
     */
    static Instant taskTime(Map<String, String> f) {
        Instant completed = instant(f.get("CompletedDateTime"));
        if (completed != null) {
            return completed;
        }
        Instant created = instant(f.get("CreatedDate"));
        String date = blankToNull(f.get("ActivityDate"));
        if (created != null && (date == null || date.equals(created.atOffset(ZoneOffset.UTC).toLocalDate()
                .toString()))) {
            return created;
        }
        Instant day = startOfDay(date);
        return day != null ? day : created;
    }

    static Instant startOfDay(String date) {
        if (date == null || date.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(date.trim()).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (Exception e) {
            return null;
        }
    }

    /** Epoch milliseconds (HubSpot webhooks, some properties) or ISO-8601 (API reads, Salesforce). */
    public static Instant instant(String v) {
        if (v == null || v.isBlank()) {
            return null;
        }
        String s = v.trim();
        try {
            return Instant.ofEpochMilli(Long.parseLong(s));
        } catch (NumberFormatException e) {
            try {
                // Salesforce writes +0000 offsets
                return OffsetDateTime.parse(s.replaceFirst("([+-]\\d\\d)(\\d\\d)$", "$1:$2")).toInstant();
            } catch (Exception notOffset) {
                return startOfDay(s);
            }
        }
    }

    private static Instant first(Instant a, Instant b, Instant c) {
        return a != null ? a : b != null ? b : c;
    }

    static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.trim();
    }
}
