package com.revops.gateway.normalise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.revops.gateway.normalise.ActivityDeriver.Activity;
import com.revops.gateway.normalise.TouchpointDeriver.Conversion;
import com.revops.gateway.normalise.TouchpointDeriver.Touchpoint;

/** Touchpoints from HubSpot conversions, Salesforce campaign responses and sales activities. */
class TouchpointDeriverTest {

    static Map<String, String> props(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void aContactsFirstAndRecentConversionsAreTwoFormSubmissionsWithTheirOwnSources() {
        Map<String, String> p = props(
                "first_conversion_date", "2026-10-01T08:00:00Z", "first_conversion_event_name", "Ebook: RevOps",
                "hs_analytics_source", "ORGANIC_SEARCH", "hs_analytics_source_data_1", "google",
                "hs_analytics_first_touch_converting_campaign", "ebook-q3",
                "recent_conversion_date", "2026-11-20T15:00:00Z", "recent_conversion_event_name", "Demo request",
                "hs_latest_source", "PAID_SEARCH", "hs_latest_source_data_1", "google-ads",
                "hs_analytics_last_touch_converting_campaign", "q4-demo-push");
        List<Touchpoint> t = TouchpointDeriver.fromHubSpotContact("51", "ana@example.com", p, List.of());
        assertEquals(2, t.size());
        Touchpoint recent = t.get(0);
        assertEquals("form-submission", recent.type());
        assertEquals("marketing", recent.team());
        assertEquals(Instant.parse("2026-11-20T15:00:00Z"), recent.occurredAt());
        assertEquals("PAID_SEARCH", recent.source());
        assertEquals("google-ads", recent.channel());
        assertEquals("q4-demo-push", recent.campaign());
        assertEquals("Demo request", recent.detail());
        assertEquals("51", recent.crmPersonId());
        Touchpoint first = t.get(1);
        assertEquals("ORGANIC_SEARCH", first.source());
        assertEquals("ebook-q3", first.campaign());
        assertNotEquals(recent.touchpointId(), first.touchpointId());
    }

    @Test
    void oneConversionSeenThreeWaysIsOneTouchpointWithTheSameIdEveryTime() {
        // the contact's only conversion: first = recent, and the webhook told us its date in epoch ms
        Map<String, String> p = props("first_conversion_date", "2026-11-20T15:00:00Z",
                "recent_conversion_date", "2026-11-20T15:00:00Z", "recent_conversion_event_name", "Demo request");
        List<Conversion> seen = List.of(new Conversion(Instant.ofEpochMilli(1795186800000L), "Demo request"));
        List<Touchpoint> once = TouchpointDeriver.fromHubSpotContact("51", null, p, seen);
        List<Touchpoint> again = TouchpointDeriver.fromHubSpotContact("51", null, p, List.of());
        assertEquals(1, once.size()); // 1795186800000 ms = 2026-11-20T15:00:00Z (20,777 days x 86,400,000 ms + 15 h)
        assertEquals(once.get(0).touchpointId(), again.get(0).touchpointId());
    }

    @Test
    void theOnlyConversionTakesTheOriginalSourceWhenTheLatestSourceIsNotFilledIn() {
        // a new contact's single form submission: HubSpot may hold its source only in the original-source properties
        Map<String, String> p = props("first_conversion_date", "2026-11-20T15:00:00Z",
                "recent_conversion_date", "2026-11-20T15:00:00Z", "recent_conversion_event_name", "Demo request",
                "hs_analytics_source", "ORGANIC_SEARCH", "hs_analytics_source_data_1", "organic",
                "hs_analytics_first_touch_converting_campaign", "Organic - Blog");
        List<Touchpoint> t = TouchpointDeriver.fromHubSpotContact("51", null, p, List.of());
        assertEquals(1, t.size());
        assertEquals("ORGANIC_SEARCH", t.get(0).source());
        assertEquals("organic", t.get(0).channel());
        assertEquals("Organic - Blog", t.get(0).campaign());
    }

    @Test
    void aSubmissionOverwrittenBeforeWeReadTheContactComesFromItsWebhookWithoutASource() {
        Map<String, String> p = props("recent_conversion_date", "2026-11-20T15:05:00Z",
                "recent_conversion_event_name", "Pricing", "hs_latest_source", "DIRECT_TRAFFIC");
        List<Touchpoint> t = TouchpointDeriver.fromHubSpotContact("51", null, p,
                List.of(new Conversion(Instant.parse("2026-11-20T15:00:00Z"), "Demo request")));
        assertEquals(2, t.size());
        assertEquals("Demo request", t.get(1).detail());
        assertNull(t.get(1).source(), "the record's latest source belongs to the later submission");
    }

    @Test
    void aContactWithoutConversionsHasNoFormTouchpoints() {
        assertEquals(0, TouchpointDeriver.fromHubSpotContact("51", null, props("email", "a@b.c"), List.of()).size());
    }

    @ParameterizedTest(name = "Campaign type {0} -> {1} / {2}")
    @CsvSource(nullValues = "-", value = {
        "Webinar, webinar, events, marketing",
        "Trade Show, event, events, marketing",
        "Seminar / Conference, event, events, marketing",
        "Email, email-click, email, marketing",
        "Advertisement, ad-click, paid, marketing",
        "Banner Ads, ad-click, paid, marketing",
        "Direct Mail, direct-mail, direct-mail, marketing",
        "Partners, partner-referral, partner, partner",
        "Referral Program, referral, referral, marketing",
        "Podcast Sponsorship, campaign-response, podcast-sponsorship, marketing",
        "-, campaign-response, -, marketing",
    })
    void campaignTypesBecomeTouchpointTypes(String campaignType, String type, String channel, String team) {
        Map<String, String> f = props("Id", "00v000000000001AAA", "CampaignId", "701000000000001AAA",
                "LeadId", "00Q000000000001AAA", "Status", "Attended", "HasResponded", "true",
                "FirstRespondedDate", "2026-11-20", "CreatedDate", "2026-11-18T10:00:00.000+0000",
                "LastModifiedDate", "2026-11-20T16:30:00.000+0000");
        Touchpoint t = TouchpointDeriver.fromCampaignMember(f, "Q4 webinar", campaignType, "ana@example.com");
        assertEquals(type, t.type());
        assertEquals(channel, t.channel());
        assertEquals(team, t.team());
        assertEquals("Q4 webinar", t.campaign());
        assertEquals("Attended", t.detail());
        assertEquals("00Q000000000001AAA", t.crmPersonId());
        // responded on the 20th; created on the 18th, so the response time is the modification on the 20th
        assertEquals(Instant.parse("2026-11-20T16:30:00Z"), t.occurredAt());
    }

    @ParameterizedTest(name = "responded {0}, created {1}, modified {2} -> {3}")
    @CsvSource(nullValues = "-", value = {
        "2026-11-20, 2026-11-20T09:00:00.000+0000, 2026-11-21T10:00:00.000+0000, 2026-11-20T09:00:00Z",
        "2026-11-20, 2026-11-18T09:00:00.000+0000, 2026-11-21T10:00:00.000+0000, 2026-11-20T00:00:00Z",
        "-, 2026-11-18T09:00:00.000+0000, 2026-11-21T10:00:00.000+0000, 2026-11-18T09:00:00Z",
    })
    void responseTime(String responded, String created, String modified, String expected) {
        Map<String, String> f = new HashMap<>();
        f.put("FirstRespondedDate", responded);
        f.put("CreatedDate", created);
        f.put("LastModifiedDate", modified);
        assertEquals(Instant.parse(expected), TouchpointDeriver.responded(f));
    }

    @Test
    void aMemberWhoHasNotRespondedIsNoTouchpointAndTheIdFollowsTheMember() {
        Map<String, String> f = props("Id", "00v000000000001AAA", "CampaignId", "701000000000001AAA",
                "ContactId", "003000000000001AAA", "Status", "Sent", "HasResponded", "false");
        assertNull(TouchpointDeriver.fromCampaignMember(f, "Nurture", "Email", null));
        f.put("HasResponded", "true");
        f.put("Status", "Clicked");
        f.put("CreatedDate", "2026-11-20T10:00:00.000+0000");
        Touchpoint t = TouchpointDeriver.fromCampaignMember(f, null, "Email", null);
        assertEquals("003000000000001AAA", t.crmPersonId(), "a contact when there is no lead");
        assertEquals("701000000000001AAA", t.campaign(), "the campaign id when its name could not be read");
        f.put("Status", "Registered");
        assertEquals(t.touchpointId(), TouchpointDeriver.fromCampaignMember(f, "Nurture", "Email", null)
                .touchpointId(), "one touchpoint per member");
    }

    static Activity activity(String type, String direction, String outcome, String person) {
        return new Activity("hubspot", type, "901", type, direction, "301", person, "Subject",
                Instant.parse("2026-11-23T10:00:00Z"), outcome, Instant.parse("2026-11-23T10:01:00Z"));
    }

    @ParameterizedTest(name = "{0} {1} {2} by a {3} -> {4}")
    @CsvSource(nullValues = "-", value = {
        "call, outbound, connected, sdr, sdr-call, sdr",
        "call, outbound, left-voicemail, sdr, sdr-call, sdr",
        "call, outbound, completed, ae, ae-call, ae",
        "call, outbound, connected, -, call, -",
        "call, outbound, no-answer, sdr, -, -",
        "call, outbound, busy, sdr, -, -",
        "call, inbound, connected, sdr, -, -",
        "meeting, outbound, scheduled, ae, ae-meeting, ae",
        "meeting, inbound, completed, sdr, sdr-meeting, sdr",
        "meeting, outbound, completed, -, meeting, -",
        "meeting, outbound, canceled, ae, -, -",
        "meeting, outbound, no-show, ae, -, -",
        "email, outbound, sent, sdr, sdr-email, sdr",
        "email, outbound, sent, -, sales-email, -",
        "email, outbound, bounced, sdr, -, -",
        "email, inbound, received, sdr, -, -",
        "task, outbound, completed, sdr, -, -",
    })
    void salesTouches(String type, String direction, String outcome, String role, String touch, String team) {
        Touchpoint t = TouchpointDeriver.fromActivity(activity(type, direction, outcome, "51"), role,
                "ana@example.com");
        if (touch == null) {
            assertNull(t);
            return;
        }
        assertEquals(touch, t.type());
        assertEquals(team, t.team());
        assertEquals("sales", t.channel());
        assertEquals(Instant.parse("2026-11-23T10:00:00Z"), t.occurredAt());
        assertEquals(ActivityDeriver.activityId("hubspot", type, "901"), t.activityId());
    }

    @Test
    void aSalesTouchNeedsAPerson() {
        assertNull(TouchpointDeriver.fromActivity(activity("call", "outbound", "connected", null), "sdr", null));
    }

    @Test
    void ownerRolesAreParsedAndSalesforceIdsMatchInBothLengths() {
        OwnerRoles roles = OwnerRoles.parse(Optional.of(
                "hubspot:101=sdr, hubspot:202=AE,salesforce:005000000000SDR=sdr"));
        assertEquals("sdr", roles.role("hubspot", "101"));
        assertEquals("ae", roles.role("hubspot", "202"));
        assertNull(roles.role("hubspot", "303"));
        assertNull(roles.role("salesforce", "101"));
        assertEquals("sdr", roles.role("salesforce", "005000000000SDRAAA"));
        assertEquals("sdr", roles.role("salesforce", "005000000000SDR"));
        assertNull(OwnerRoles.none().role("hubspot", "101"));
        assertThrows(IllegalArgumentException.class, () -> OwnerRoles.parse(Optional.of("hubspot:101=cfo")));
        assertThrows(IllegalArgumentException.class, () -> OwnerRoles.parse(Optional.of("pipedrive:1=sdr")));
        assertThrows(IllegalArgumentException.class, () -> OwnerRoles.parse(Optional.of("101=sdr")));
    }

    @Test
    void hubspotOwnersTakeTheRoleOfTheirTeamUnlessListedThemselves() {
        OwnerRoles roles = OwnerRoles.parse(Optional.of("hubspot:101=ae"), Optional.of("9001=sdr,9002=AE"));
        assertEquals("sdr", roles.role("hubspot", "401", List.of("7", "9001")));
        assertEquals("ae", roles.role("hubspot", "402", List.of("9002", "9001")), "the first team with a role");
        assertEquals("ae", roles.role("hubspot", "101", List.of("9001")), "listed by id wins");
        assertNull(roles.role("hubspot", "403", List.of("7")));
        assertNull(roles.role("salesforce", "005000000000001", List.of("9001")), "teams are HubSpot's");
        assertEquals(true, roles.usesHubSpotTeams());
        assertEquals(false, OwnerRoles.parse(Optional.of("hubspot:101=ae")).usesHubSpotTeams());
        assertThrows(IllegalArgumentException.class, () -> OwnerRoles.parse(Optional.empty(), Optional.of("9001")));
    }
}
