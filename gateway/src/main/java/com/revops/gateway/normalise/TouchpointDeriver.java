package com.revops.gateway.normalise;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.revops.gateway.normalise.ActivityDeriver.Activity;

/**
 * Derives {@code touchpoint.recorded} facts: HubSpot form submissions (a contact's conversion properties),
 * Salesforce campaign responses (CampaignMember with HasResponded) and sales touches (calls, meetings, emails of a
 * rep). Every touchpoint id is a name-based UUID of what it is about (the contact and the conversion time, the
 * campaign member, the activity), so a replay derives the same id and the gateway's ledger publishes it once.
 * Plain Java.
 */
public final class TouchpointDeriver {

    /** One touchpoint, in the shape of TouchpointRecordedV1 (plus the optional detail and activity id). */
    public record Touchpoint(UUID touchpointId, String crm, String personEmail, String crmPersonId, Instant occurredAt,
            String type, String channel, String source, String campaign, String team, String detail,
            UUID activityId) {
    }

    /** A conversion a webhook told us about: HubSpot's recent_conversion_date (and name) at that moment. */
    public record Conversion(Instant at, String name) {
    }

    /** The HubSpot contact properties that describe its first and most recent conversion. */
    public static final List<String> HUBSPOT_CONVERSION_PROPERTIES = List.of("recent_conversion_date",
            "recent_conversion_event_name", "first_conversion_date", "first_conversion_event_name",
            "hs_latest_source", "hs_latest_source_data_1", "hs_analytics_last_touch_converting_campaign",
            "hs_analytics_source", "hs_analytics_source_data_1", "hs_analytics_first_touch_converting_campaign");

    /** Call outcomes in which the person was reached, or at least got our message. */
    static final Set<String> CALL_TOUCHES = Set.of("connected", "left-voicemail", "left-message", "completed");

    /** Meeting outcomes that did not happen. */
    static final Set<String> MEETING_MISSES = Set.of("canceled", "no-show", "rescheduled");

    private TouchpointDeriver() {
    }

    /**
     * Form submissions of a HubSpot contact: the most recent and the first conversion as the contact record holds
     * them, and conversions seen in webhooks (a submission that a later one overwrote before we read the record).
     * A conversion known from a webhook only has no source (the record's latest source belongs to another
     * submission).
     */
    public static List<Touchpoint> fromHubSpotContact(String contactId, String email, Map<String, String> props,
            List<Conversion> seen) {
        Map<Instant, Touchpoint> out = new LinkedHashMap<>();
        Instant recent = ActivityDeriver.instant(props.get("recent_conversion_date"));
        Instant first = ActivityDeriver.instant(props.get("first_conversion_date"));
        if (recent != null) {
            // one conversion so far: the latest is the first, so what the record knows of the first touch (original
            // source, campaign) describes it too when the latest-source properties are not filled in yet
            boolean only = recent.equals(first);
            out.put(recent, form(contactId, email, recent, props.get("recent_conversion_event_name"),
                    either(props, "hs_latest_source", only ? "hs_analytics_source" : null),
                    either(props, "hs_latest_source_data_1", only ? "hs_analytics_source_data_1" : null),
                    either(props, "hs_analytics_last_touch_converting_campaign",
                            only ? "hs_analytics_first_touch_converting_campaign" : null)));
        }
        if (first != null) {
            out.putIfAbsent(first, form(contactId, email, first, props.get("first_conversion_event_name"),
                    props.get("hs_analytics_source"), props.get("hs_analytics_source_data_1"),
                    props.get("hs_analytics_first_touch_converting_campaign")));
        }
        for (Conversion c : seen) {
            if (c.at() != null) {
                out.putIfAbsent(c.at(), form(contactId, email, c.at(), c.name(), null, null, null));
            }
        }
        return new ArrayList<>(out.values());
    }

    private static String either(Map<String, String> props, String key, String fallback) {
        String v = props.get(key);
        return (v == null || v.isBlank()) && fallback != null ? props.get(fallback) : v;
    }

    private static Touchpoint form(String contactId, String email, Instant at, String name, String source,
            String channel, String campaign) {
        UUID id = id("hubspot:form-submission:" + contactId + ":" + at.toEpochMilli());
        return new Touchpoint(id, "hubspot", email, contactId, at, "form-submission", blankToNull(channel),
                blankToNull(source), blankToNull(campaign), "marketing", blankToNull(name), null);
    }

    /**
     * A Salesforce campaign response. Members who have not responded (e.g. "Sent") are not touchpoints yet; the
     * response time is FirstRespondedDate, made precise by the creation or modification time when those fall on
     * the same day.
     *
     * @param f            CampaignMember fields from the outbound message
     * @param campaignName Campaign.Name, read from Salesforce
     * @param campaignType Campaign.Type (the org's picklist: Webinar, Email, Advertisement, Trade Show, ...)
     */
    public static Touchpoint fromCampaignMember(Map<String, String> f, String campaignName, String campaignType,
            String personEmail) {
        Instant at = responded(f);
        if (!"true".equalsIgnoreCase(f.get("HasResponded")) || at == null) {
            return null; // not a response (yet), or a message without any time to place it
        }
        String person = blankToNull(f.get("LeadId")) != null ? f.get("LeadId").trim() : blankToNull(f.get("ContactId"));
        String[] typeAndChannel = campaignTouch(campaignType);
        String team = "partner-referral".equals(typeAndChannel[0]) ? "partner" : "marketing";
        return new Touchpoint(id("salesforce:campaign-member:" + f.get("Id")), "salesforce", personEmail, person,
                at, typeAndChannel[0], typeAndChannel[1], blankToNull(campaignType),
                blankToNull(campaignName) != null ? campaignName.trim() : blankToNull(f.get("CampaignId")), team,
                blankToNull(f.get("Status")), null);
    }

    static Instant responded(Map<String, String> f) {
        String date = blankToNull(f.get("FirstRespondedDate"));
        for (String precise : List.of("CreatedDate", "LastModifiedDate")) {
            Instant t = ActivityDeriver.instant(f.get(precise));
            if (t != null && (date == null || date.equals(t.atOffset(ZoneOffset.UTC).toLocalDate().toString()))) {
                return t;
            }
        }
        Instant day = ActivityDeriver.startOfDay(date);
        return day != null ? day : ActivityDeriver.instant(f.get("LastModifiedDate"));
    }

    /** Campaign.Type -> touchpoint type and channel. */
    static String[] campaignTouch(String campaignType) {
        String t = campaignType == null ? "" : campaignType.trim().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "webinar" -> new String[] {"webinar", "events"};
            case "conference", "seminar / conference", "trade show", "event" -> new String[] {"event", "events"};
            case "email" -> new String[] {"email-click", "email"};
            case "advertisement", "banner ads" -> new String[] {"ad-click", "paid"};
            case "direct mail" -> new String[] {"direct-mail", "direct-mail"};
            case "partners" -> new String[] {"partner-referral", "partner"};
            case "referral program" -> new String[] {"referral", "referral"};
            case "public relations" -> new String[] {"pr", "pr"};
            case "telemarketing" -> new String[] {"telemarketing", "outbound"};
            default -> new String[] {"campaign-response", t.isEmpty() ? null : t.replace(' ', '-')};
        };
    }

    /**
     * A sales touch from an activity: an outbound call that reached the person (or left a message), a meeting
     * that was not canceled or missed, an email a rep sent. Typed by the owner's role when known ({@code sdr-call},
     * {@code ae-meeting}), else plain ({@code call}, {@code meeting}, {@code sales-email}). Tasks, inbound calls and
     * received emails are not touches by us. Needs a person.
     *
     * @param role sdr, ae, or null when the owner's role is unknown
     */
    public static Touchpoint fromActivity(Activity a, String role, String personEmail) {
        if (a.crmPersonId() == null || a.occurredAt() == null) {
            return null;
        }
        String base = switch (a.type()) {
            case "call" -> "outbound".equals(a.direction()) && CALL_TOUCHES.contains(a.outcome()) ? "call" : null;
            case "meeting" -> MEETING_MISSES.contains(a.outcome()) ? null : "meeting";
            case "email" -> "outbound".equals(a.direction()) && "sent".equals(a.outcome()) ? "email" : null;
            default -> null;
        };
        if (base == null) {
            return null;
        }
        String type = role != null ? role + "-" + base : "email".equals(base) ? "sales-email" : base;
        return new Touchpoint(id(a.crm() + ":activity:" + a.kind() + ":" + a.crmId()), a.crm(), personEmail,
                a.crmPersonId(), a.occurredAt(), type, "sales", "crm-activity", null, role, a.subject(),
                a.activityId());
    }

    static UUID id(String name) {
        return UUID.nameUUIDFromBytes(("touchpoint:" + name).getBytes(StandardCharsets.UTF_8));
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.trim();
    }
}
