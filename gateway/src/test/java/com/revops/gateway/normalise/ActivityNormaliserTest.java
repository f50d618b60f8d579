package com.revops.gateway.normalise;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.revops.gateway.crm.hubspot.HubSpotFake;
import com.revops.gateway.crm.hubspot.HubSpotFakeResource;
import com.revops.gateway.crm.salesforce.SalesforceFakeResource;
import com.revops.gateway.webhooks.HubSpotSignatureVerifier;
import com.revops.platform.testing.RabbitTestClient;
import com.revops.platform.testing.RabbitTestClient.Received;

import io.quarkus.test.junit.QuarkusTest;

/**
 * From CRM webhooks to {@code activity.logged} and {@code touchpoint.recorded} on {@code crm.events}, over the real
 * PostgreSQL and RabbitMQ, with HubSpot and Salesforce played by their documented fakes. The test profile declares
 * HubSpot owner 301 an SDR and 302 an AE, Salesforce user 005000000000SDR an SDR, our HubSpot app 4242 and our
 * Salesforce integration user 005FAKE000000001AAA.
 */
@QuarkusTest
class ActivityNormaliserTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HubSpotFake HUBSPOT = HubSpotFakeResource.FAKE;
    static final String ORG = "00D5g000004ABCDEAA";
    static RabbitTestClient rabbit;
    String queue;
    /** Everything received so far in this test; searched by predicate, so unrelated events do not get in the way. */
    final List<JsonNode> received = new ArrayList<>();

    @BeforeAll
    static void connect() {
        rabbit = new RabbitTestClient();
    }

    @AfterAll
    static void disconnect() throws Exception {
        rabbit.close();
    }

    @BeforeEach
    void listen() throws Exception {
        queue = rabbit.bindTemporaryQueue("crm.events", "#");
    }

    // ------------------------------------------------------------------ HubSpot

    @Test
    void anSdrsConnectedCallBecomesActivityLoggedAndAnSdrCallTouchpointOnce() throws Exception {
        long contact = contact(Map.of());
        String leadId = leadOf(contact);
        long call = engagement("calls", Map.of("hs_call_direction", "OUTBOUND",
                "hs_call_disposition", "f240bbac-87c9-4f6e-bf70-924b57d47db7", "hs_call_status", "COMPLETED",
                "hs_call_title", "Intro call", "hs_timestamp", "2026-11-23T10:00:00Z", "hubspot_owner_id", "301"),
                contact);
        hubspotObject("object.creation", "0-48", call, "CRM_UI", null);

        JsonNode logged = await(activity(Long.toString(call)));
        assertEquals("activity/" + logged.path("data").path("activityId").asText(), logged.path("subject").asText());
        JsonNode data = logged.path("data");
        assertEquals(ActivityDeriver.activityId("hubspot", "call", Long.toString(call)).toString(),
                data.path("activityId").asText(), "derived from crm, object and id: stable across replays");
        assertEquals("hubspot", data.path("crm").asText());
        assertEquals("call", data.path("type").asText());
        assertEquals("outbound", data.path("direction").asText());
        assertEquals("connected", data.path("outcome").asText());
        assertEquals("301", data.path("ownerId").asText());
        assertEquals(Long.toString(contact), data.path("crmPersonId").asText());
        assertEquals(leadId, data.path("leadId").asText());
        assertEquals(emailOf(contact), data.path("personEmail").asText());
        assertEquals("Intro call", data.path("subject").asText());
        assertEquals("2026-11-23T10:00:00Z", data.path("occurredAt").asText());
        assertTrue(data.path("isNew").asBoolean());
        // the published payload has exactly the fields of the contract's example
        JsonNode example = JSON.readTree(java.nio.file.Path.of(
                "src/main/resources/asyncapi/examples/activity.logged.json").toFile());
        assertEquals(fieldNames(example.path("data")), fieldNames(data));
        assertEquals("urn:revops:schema:activity.logged:1", logged.path("dataschema").asText());

        JsonNode touch = await(touchpoint(Long.toString(contact), "sdr-call"));
        assertEquals("sdr", touch.path("data").path("team").asText());
        assertEquals(leadId, touch.path("data").path("leadId").asText());
        assertEquals(data.path("activityId").asText(), touch.path("data").path("activityId").asText());
        assertEquals("2026-11-23T10:00:00Z", touch.path("data").path("occurredAt").asText());

        // HubSpot delivers again, and a property change that changes nothing we carry arrives: nothing new
        hubspotObject("object.creation", "0-48", call, "CRM_UI", null);
        hubspotObject("object.propertyChange", "0-48", call, "CRM_UI", "hs_call_body");
        assertEquals(List.of(), none(e -> isAbout(e, Long.toString(call)) || isTouchOf(e, Long.toString(contact)),
                Duration.ofSeconds(4)));
    }

    @Test
    void aCallByAnOwnerInAnSdrTeamIsAnSdrCall() throws Exception {
        String owner = Long.toString(ThreadLocalRandom.current().nextLong(100_000, 900_000));
        HUBSPOT.addOwner(owner, "rep" + owner + "@acme.example", "9001"); // the test profile maps team 9001 to sdr
        long contact = contact(Map.of());
        long call = engagement("calls", Map.of("hs_call_direction", "OUTBOUND",
                "hs_call_disposition", "b2cf5968-551e-4856-9783-52b3da59a7d0", "hs_timestamp",
                "2026-11-23T10:00:00Z", "hubspot_owner_id", owner), contact);
        hubspotObject("object.creation", "0-48", call, "CRM_UI", null);
        assertEquals("left-voicemail", await(activity(Long.toString(call))).path("data").path("outcome").asText());
        assertEquals("sdr", await(touchpoint(Long.toString(contact), "sdr-call")).path("data").path("team").asText());
    }

    @Test
    void everyEngagementTypeIsLoggedWithItsOwnDirectionAndOutcome() throws Exception {
        long contact = contact(Map.of());
        long email = engagement("emails", Map.of("hs_email_direction", "INCOMING_EMAIL",
                "hs_email_subject", "Re: pricing", "hs_timestamp", "2026-11-23T11:00:00Z",
                "hubspot_owner_id", "301"), contact);
        long meeting = engagement("meetings", Map.of("hs_meeting_outcome", "COMPLETED", "hs_meeting_title", "Demo",
                "hs_meeting_start_time", "2026-11-24T15:00:00Z", "hs_timestamp", "2026-11-24T15:00:00Z",
                "hubspot_owner_id", "302"), contact);
        long task = engagement("tasks", Map.of("hs_task_status", "NOT_STARTED", "hs_task_subject", "Follow up",
                "hs_timestamp", "2026-11-25T09:00:00Z", "hubspot_owner_id", "301"), contact);
        long unknownRoleCall = engagement("calls", Map.of("hs_call_direction", "OUTBOUND",
                "hs_call_status", "COMPLETED", "hs_timestamp", "2026-11-23T12:00:00Z", "hubspot_owner_id", "999"),
                contact);
        long emailReads = HUBSPOT.requests("POST /crm/v3/objects/emails/batch/read");
        hubspotObject("object.creation", "0-49", email, "CRM_UI", null);
        hubspotObject("object.creation", "0-47", meeting, "CRM_UI", null);
        hubspotObject("object.creation", "0-27", task, "CRM_UI", null);
        hubspotObject("object.creation", "0-48", unknownRoleCall, "CRM_UI", null);

        JsonNode e = await(activity(Long.toString(email))).path("data");
        assertEquals(1, HUBSPOT.requests("POST /crm/v3/objects/emails/batch/read") - emailReads,
                "one batch read per round and type");
        assertEquals("email", e.path("type").asText());
        assertEquals("inbound", e.path("direction").asText());
        assertEquals("received", e.path("outcome").asText());
        JsonNode m = await(activity(Long.toString(meeting))).path("data");
        assertEquals("meeting", m.path("type").asText());
        assertEquals("completed", m.path("outcome").asText());
        assertEquals("2026-11-24T15:00:00Z", m.path("occurredAt").asText());
        JsonNode t = await(activity(Long.toString(task))).path("data");
        assertEquals("task", t.path("type").asText());
        assertEquals("open", t.path("outcome").asText());
        assertEquals("Follow up", t.path("subject").asText());
        JsonNode c = await(activity(Long.toString(unknownRoleCall))).path("data");
        assertEquals("completed", c.path("outcome").asText());

        String person = Long.toString(contact);
        assertEquals("ae", await(touchpoint(person, "ae-meeting")).path("data").path("team").asText());
        JsonNode plainCall = await(touchpoint(person, "call"));
        assertTrue(plainCall.path("data").path("team").isNull(), "an owner of unknown role has no team");
        // a received email and an open task are not touches by us
        assertEquals(List.of(), none(ev -> isTouchOf(ev, person) && !List.of("ae-meeting", "call")
                .contains(ev.path("data").path("type").asText()), Duration.ofSeconds(3)));

        // the task is done: announced again, with its new outcome
        synchronized (HUBSPOT) {
            Map<String, String> p = HUBSPOT.engagements.get("tasks").get(task);
            p.put("hs_task_status", "COMPLETED");
            p.put("hs_task_completion_date", "2026-11-25T10:30:00Z");
            p.put("hs_lastmodifieddate", Instant.now().toString());
        }
        hubspotObject("object.propertyChange", "0-27", task, "CRM_UI", "hs_task_status");
        JsonNode done = await(activity(Long.toString(task))).path("data");
        assertEquals("completed", done.path("outcome").asText());
        assertEquals("2026-11-25T10:30:00Z", done.path("occurredAt").asText());
        assertFalse(done.path("isNew").asBoolean());
        assertEquals(t.path("activityId").asText(), done.path("activityId").asText());
    }

    @Test
    void webhooksOutOfOrderAndDeletionsPublishOnlyWhatIsNew() throws Exception {
        long contact = contact(Map.of());
        long call = engagement("calls", Map.of("hs_call_direction", "OUTBOUND", "hs_call_status", "COMPLETED",
                "hs_call_disposition", "73a0d17f-1163-4015-bdd5-ec830791da20", "hs_timestamp",
                "2026-11-23T10:00:00Z", "hubspot_owner_id", "301"), contact);
        // the property change arrives before the creation: one read, one event
        hubspotObject("object.propertyChange", "0-48", call, "CRM_UI", "hs_call_disposition");
        hubspotObject("object.creation", "0-48", call, "CRM_UI", null);
        JsonNode first = await(activity(Long.toString(call)));
        assertEquals("no-answer", first.path("data").path("outcome").asText());
        assertEquals(List.of(), none(e -> isAbout(e, Long.toString(call))
                || isTouchOf(e, Long.toString(contact)), Duration.ofSeconds(3)), "no-answer is not a touch");

        hubspotObject("object.deletion", "0-48", call, "CRM_UI", null);
        synchronized (HUBSPOT) {
            HUBSPOT.engagements.get("calls").remove(call);
        }
        assertEquals(List.of(), none(e -> isAbout(e, Long.toString(call)), Duration.ofSeconds(3)));
    }

    @Test
    void aTaskCreatedByOurOwnCommandIsAnEchoUntilTheRepWorksIt() throws Exception {
        long contact = contact(Map.of());
        String commandId = UUID.randomUUID().toString();
        String commands = rabbit.bindTemporaryQueue("crm.events", "command.*");
        rabbit.publish("crm.commands", "task.create", commandId, """
                {"specversion":"1.0","id":"%s","type":"task.create","source":"/lead-routing-service",
                 "subject":"lead/x","data":{"crm":"hubspot","objectId":"%d","subject":"Call within 5 minutes",
                 "dueAt":"2026-11-23T10:05:00Z","ownerId":"301"}}""".formatted(commandId, contact));
        String outcome = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (outcome == null && System.nanoTime() < deadline) {
            for (Received r : rabbit.await(commands, 1, Duration.ofMillis(200))) {
                JsonNode e = JSON.readTree(r.body());
                if (commandId.equals(e.path("data").path("commandId").asText())) {
                    outcome = e.path("data").path("outcome").asText();
                }
            }
        }
        assertNotNull(outcome, "the command was applied");
        long task = Long.parseLong(outcome.replaceAll("^task (\\d+) created.*$", "$1"));

        // HubSpot tells us about the task our app created: an echo, not a new activity
        hubspotObject("object.creation", "0-27", task, "INTEGRATION", null);
        assertEquals(List.of(), none(e -> isAbout(e, Long.toString(task)), Duration.ofSeconds(4)));

        // the SDR completes it in HubSpot: that is news
        synchronized (HUBSPOT) {
            Map<String, String> p = HUBSPOT.engagements.get("tasks").get(task);
            p.put("hs_task_status", "COMPLETED");
            p.put("hs_lastmodifieddate", Instant.now().toString());
        }
        hubspotObject("object.propertyChange", "0-27", task, "CRM_UI", "hs_task_status");
        JsonNode done = await(activity(Long.toString(task))).path("data");
        assertEquals("completed", done.path("outcome").asText());
        assertEquals(Long.toString(contact), done.path("crmPersonId").asText());
        assertFalse(done.path("isNew").asBoolean(), "known (as our echo) before");
    }

    @Test
    void formSubmissionsBecomeTouchpointsOncePerConversion() throws Exception {
        long contact = contact(Map.of("recent_conversion_date", "2026-11-20T15:00:00Z",
                "recent_conversion_event_name", "Demo request", "first_conversion_date", "2026-11-20T15:00:00Z",
                "first_conversion_event_name", "Demo request", "hs_latest_source", "PAID_SEARCH",
                "hs_latest_source_data_1", "google-ads", "hs_analytics_last_touch_converting_campaign",
                "q4-demo-push"));
        String person = Long.toString(contact);
        String leadId = leadOf(contact);
        JsonNode form = await(touchpoint(person, "form-submission"));
        JsonNode data = form.path("data");
        assertEquals("2026-11-20T15:00:00Z", data.path("occurredAt").asText());
        assertEquals("PAID_SEARCH", data.path("source").asText());
        assertEquals("google-ads", data.path("channel").asText());
        assertEquals("q4-demo-push", data.path("campaign").asText());
        assertEquals("Demo request", data.path("detail").asText());
        assertEquals("marketing", data.path("team").asText());
        assertEquals(leadId, data.path("leadId").asText());
        assertEquals("person/" + emailOf(contact), form.path("subject").asText());

        // two more submissions: the record keeps the latest; the earlier one is known from its webhooks only
        long earlier = Instant.parse("2026-11-22T09:00:00Z").toEpochMilli();
        long later = Instant.parse("2026-11-22T09:30:00Z").toEpochMilli();
        modify(contact, Map.of("recent_conversion_date", "2026-11-22T09:30:00Z",
                "recent_conversion_event_name", "Pricing page", "hs_latest_source", "DIRECT_TRAFFIC"));
        // one delivery, as HubSpot batches the events of a moment
        send("[" + contactEvent("contact.propertyChange", contact, "recent_conversion_date", Long.toString(earlier),
                earlier) + "," + contactEvent("contact.propertyChange", contact, "recent_conversion_event_name",
                        "Ebook", earlier) + "," + contactEvent("contact.propertyChange", contact,
                                "recent_conversion_date", Long.toString(later), later) + "]");
        List<JsonNode> forms = awaitAll(e -> isTouchOf(e, person)
                && "form-submission".equals(e.path("data").path("type").asText()), 2, Duration.ofSeconds(20));
        assertEquals(2, forms.size());
        Map<String, String> details = new HashMap<>();
        forms.forEach(f -> details.put(f.path("data").path("occurredAt").asText(),
                f.path("data").path("detail").asText()));
        assertEquals(Map.of("2026-11-22T09:00:00Z", "Ebook", "2026-11-22T09:30:00Z", "Pricing page"), details);

        // everything again (HubSpot retries): no touchpoint twice
        send("[" + contactEvent("contact.propertyChange", contact, "recent_conversion_date", Long.toString(earlier),
                earlier + 1) + "," + contactEvent("contact.propertyChange", contact, "recent_conversion_date",
                        Long.toString(later), later + 1) + "]");
        assertEquals(List.of(), none(e -> isTouchOf(e, person), Duration.ofSeconds(4)));
    }

    // ------------------------------------------------------------------ Salesforce

    @Test
    void salesforceCallsByAnSdrAreLoggedAndOlderMessagesArriveInVain() throws Exception {
        String lead = sfId("00Q");
        String email = "sf" + lead.toLowerCase() + "@globex.example";
        salesforce(notification("Lead", lead, """
                <sf:Email>%s</sf:Email><sf:LastName>Souza</sf:LastName><sf:Status>Open - Not Contacted</sf:Status>
                <sf:LastModifiedDate>2026-11-23T09:00:00.000Z</sf:LastModifiedDate>""".formatted(email)));
        String leadId = await(e -> "lead.created".equals(e.path("type").asText())
                && lead.equals(e.path("data").path("crmId").asText())).path("data").path("leadId").asText();

        String task = sfId("00T");
        String newer = taskFields(lead, "Connected", "Completed", "2026-11-23T10:10:00.000Z");
        String older = taskFields(lead, null, "Not Started", "2026-11-23T10:00:00.000Z");
        salesforce(notification("Task", task, newer));
        JsonNode logged = await(activity(task)).path("data");
        assertEquals("salesforce", logged.path("crm").asText());
        assertEquals("call", logged.path("type").asText());
        assertEquals("outbound", logged.path("direction").asText());
        assertEquals("connected", logged.path("outcome").asText());
        assertEquals(leadId, logged.path("leadId").asText());
        assertEquals(email, logged.path("personEmail").asText());
        assertEquals("005000000000SDRAAA", logged.path("ownerId").asText());
        assertEquals("2026-11-23T10:10:00Z", logged.path("occurredAt").asText());
        JsonNode touch = await(touchpoint(lead, "sdr-call")).path("data");
        assertEquals(leadId, touch.path("leadId").asText());

        // the older version of the task arrives late, and the newest once more under another notification id
        salesforce(notification("Task", task, older));
        salesforce(notification("Task", task, newer));
        assertEquals(List.of(), none(e -> isAbout(e, task) || isTouchOf(e, lead), Duration.ofSeconds(4)));
    }

    @Test
    void aSalesforceTaskLastModifiedByOurIntegrationUserIsAnEcho() throws Exception {
        String lead = sfId("00Q");
        String task = sfId("00T");
        salesforce(notification("Task", task, """
                <sf:WhoId>%s</sf:WhoId><sf:OwnerId>005000000000SDRAAA</sf:OwnerId><sf:Subject>Call now</sf:Subject>
                <sf:TaskSubtype>Task</sf:TaskSubtype><sf:Status>Not Started</sf:Status>
                <sf:CreatedById>005FAKE000000001AAA</sf:CreatedById>
                <sf:LastModifiedById>005FAKE000000001AAA</sf:LastModifiedById>
                <sf:CreatedDate>2026-11-23T10:00:00.000Z</sf:CreatedDate>
                <sf:LastModifiedDate>2026-11-23T10:00:00.000Z</sf:LastModifiedDate>""".formatted(lead)));
        assertEquals(List.of(), none(e -> isAbout(e, task), Duration.ofSeconds(4)));

        salesforce(notification("Task", task, """
                <sf:WhoId>%s</sf:WhoId><sf:OwnerId>005000000000SDRAAA</sf:OwnerId><sf:Subject>Call now</sf:Subject>
                <sf:TaskSubtype>Task</sf:TaskSubtype><sf:Status>Completed</sf:Status><sf:IsClosed>true</sf:IsClosed>
                <sf:CreatedById>005FAKE000000001AAA</sf:CreatedById>
                <sf:LastModifiedById>005000000000SDRAAA</sf:LastModifiedById>
                <sf:CreatedDate>2026-11-23T10:00:00.000Z</sf:CreatedDate>
                <sf:CompletedDateTime>2026-11-23T10:20:00.000Z</sf:CompletedDateTime>
                <sf:LastModifiedDate>2026-11-23T10:20:00.000Z</sf:LastModifiedDate>""".formatted(lead)));
        JsonNode done = await(activity(task)).path("data");
        assertEquals("task", done.path("type").asText());
        assertEquals("completed", done.path("outcome").asText());
        assertEquals("2026-11-23T10:20:00Z", done.path("occurredAt").asText());
    }

    @Test
    void salesforceMeetingsAreLoggedAsScheduledMeetings() throws Exception {
        String lead = sfId("00Q");
        String event = sfId("00U");
        salesforce(notification("Event", event, """
                <sf:WhoId>%s</sf:WhoId><sf:OwnerId>005000000000AEXAAA</sf:OwnerId><sf:Subject>Demo</sf:Subject>
                <sf:EventSubtype>Event</sf:EventSubtype><sf:Type>Meeting</sf:Type>
                <sf:ActivityDateTime>2026-11-26T14:00:00.000Z</sf:ActivityDateTime>
                <sf:LastModifiedDate>2026-11-23T10:00:00.000Z</sf:LastModifiedDate>""".formatted(lead)));
        JsonNode meeting = await(activity(event)).path("data");
        assertEquals("meeting", meeting.path("type").asText());
        assertEquals("scheduled", meeting.path("outcome").asText());
        assertEquals("2026-11-26T14:00:00Z", meeting.path("occurredAt").asText());
        assertTrue(meeting.path("leadId").isNull(), "a lead the gateway has not seen has no lead id yet");
        JsonNode touch = await(touchpoint(lead, "meeting")).path("data");
        assertTrue(touch.path("team").isNull());
    }

    @Test
    void campaignResponsesBecomeTouchpointsWithTheCampaignReadFromSalesforce() throws Exception {
        String campaign = SalesforceFakeResource.insert("Campaign", Map.of("Name", "Q4 product webinar",
                "Type", "Webinar"));
        String lead = sfId("00Q");
        String email = "cm" + lead.toLowerCase() + "@initech.example";
        salesforce(notification("Lead", lead, """
                <sf:Email>%s</sf:Email><sf:LastName>Lumbergh</sf:LastName>
                <sf:LastModifiedDate>2026-11-23T09:00:00.000Z</sf:LastModifiedDate>""".formatted(email)));
        String leadId = await(e -> "lead.created".equals(e.path("type").asText())
                && lead.equals(e.path("data").path("crmId").asText())).path("data").path("leadId").asText();

        String member = sfId("00v");
        salesforce(notification("CampaignMember", member, member(campaign, lead, "Sent", false)));
        assertEquals(List.of(), none(e -> isTouchOf(e, lead), Duration.ofSeconds(3)), "sent is not a response");

        salesforce(notification("CampaignMember", member, member(campaign, lead, "Attended", true)));
        JsonNode touch = await(touchpoint(lead, "webinar"));
        JsonNode data = touch.path("data");
        assertEquals("salesforce", data.path("crm").asText());
        assertEquals("Q4 product webinar", data.path("campaign").asText());
        assertEquals("events", data.path("channel").asText());
        assertEquals("Webinar", data.path("source").asText());
        assertEquals("Attended", data.path("detail").asText());
        assertEquals("marketing", data.path("team").asText());
        assertEquals(leadId, data.path("leadId").asText());
        assertEquals(email, data.path("personEmail").asText());
        assertEquals("initech.example", data.path("accountDomain").asText());
        assertEquals("2026-11-20T16:00:00Z", data.path("occurredAt").asText());

        // Salesforce retries the message, and the member's status moves on: still one touchpoint
        salesforce(notification("CampaignMember", member, member(campaign, lead, "Attended", true)));
        salesforce(notification("CampaignMember", member, member(campaign, lead, "Follow-up booked", true)));
        assertEquals(List.of(), none(e -> isTouchOf(e, lead), Duration.ofSeconds(4)));
    }

    // ------------------------------------------------------------------ helpers

    static java.util.Set<String> fieldNames(JsonNode node) {
        java.util.Set<String> names = new java.util.TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static String member(String campaign, String lead, String status, boolean responded) {
        return """
                <sf:CampaignId>%s</sf:CampaignId><sf:LeadId>%s</sf:LeadId><sf:Status>%s</sf:Status>
                <sf:HasResponded>%s</sf:HasResponded>%s
                <sf:CreatedDate>2026-11-18T10:00:00.000Z</sf:CreatedDate>
                <sf:LastModifiedDate>2026-11-20T16:00:00.000Z</sf:LastModifiedDate>""".formatted(campaign, lead,
                status, responded, responded ? "<sf:FirstRespondedDate>2026-11-20</sf:FirstRespondedDate>" : "");
    }

    static String taskFields(String lead, String disposition, String status, String modified) {
        return """
                <sf:WhoId>%s</sf:WhoId><sf:OwnerId>005000000000SDRAAA</sf:OwnerId><sf:Subject>Call</sf:Subject>
                <sf:TaskSubtype>Call</sf:TaskSubtype><sf:CallType>Outbound</sf:CallType>%s
                <sf:Status>%s</sf:Status><sf:ActivityDate>2026-11-23</sf:ActivityDate>
                <sf:CreatedDate>2026-11-23T10:00:00.000Z</sf:CreatedDate>%s
                <sf:LastModifiedById>005000000000SDRAAA</sf:LastModifiedById>
                <sf:LastModifiedDate>%s</sf:LastModifiedDate>""".formatted(lead,
                disposition == null ? "" : "<sf:CallDisposition>" + disposition + "</sf:CallDisposition>", status,
                "Completed".equals(status) ? "<sf:CompletedDateTime>" + modified + "</sf:CompletedDateTime>" : "",
                modified);
    }

    static String sfId(String prefix) {
        String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        StringBuilder id = new StringBuilder(prefix);
        for (int i = 0; i < 15; i++) {
            id.append(chars.charAt(ThreadLocalRandom.current().nextInt(chars.length())));
        }
        return id.toString();
    }

    static String notification(String type, String id, String fields) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"
                    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
                  <soapenv:Body>
                    <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
                      <OrganizationId>%s</OrganizationId>
                      <ActionId>04k5g000000XYZAAA</ActionId>
                      <Notification>
                        <Id>04l%s</Id>
                        <sObject xsi:type="sf:%s" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">
                          <sf:Id>%s</sf:Id>
                          %s
                        </sObject>
                      </Notification>
                    </notifications>
                  </soapenv:Body>
                </soapenv:Envelope>""".formatted(ORG, sfId("").substring(0, 15), type, id, fields);
    }

    static void salesforce(String soap) {
        given().contentType("text/xml").body(soap).when().post("/webhooks/salesforce/outbound").then()
                .statusCode(200);
    }

    static long contact(Map<String, String> extra) {
        long id = HubSpotFake.nextId();
        Map<String, String> props = new HashMap<>();
        props.put("email", "act" + id + "@acme-" + id + ".example");
        props.put("firstname", "Ana");
        props.put("hs_lead_status", "NEW");
        props.put("lastmodifieddate", Long.toString(System.currentTimeMillis()));
        props.putAll(extra);
        synchronized (HUBSPOT) {
            HUBSPOT.contacts.put(id, props);
        }
        contactWebhook("contact.creation", id, null, null, System.currentTimeMillis());
        return id;
    }

    static String emailOf(long contact) {
        synchronized (HUBSPOT) {
            return HUBSPOT.contacts.get(contact).get("email");
        }
    }

    static void modify(long id, Map<String, String> changes) {
        synchronized (HUBSPOT) {
            Map<String, String> props = HUBSPOT.contacts.get(id);
            props.putAll(changes);
            props.put("lastmodifieddate", Long.toString(System.currentTimeMillis()));
        }
    }

    String leadOf(long contact) throws Exception {
        return await(e -> "lead.created".equals(e.path("type").asText())
                && Long.toString(contact).equals(e.path("data").path("crmId").asText())).path("data")
                .path("leadId").asText();
    }

    static long engagement(String objects, Map<String, String> props, long contact) {
        long id = HubSpotFake.nextId();
        Map<String, String> p = new HashMap<>(props);
        p.put("hs_lastmodifieddate", Instant.now().toString());
        synchronized (HUBSPOT) {
            HUBSPOT.engagements.get(objects).put(id, p);
            HUBSPOT.associations.put(objects + "|contacts|" + id, List.of(Long.toString(contact)));
        }
        return id;
    }

    static void contactWebhook(String type, long objectId, String property, String value, long occurredAt) {
        send("[" + contactEvent(type, objectId, property, value, occurredAt) + "]");
    }

    static String contactEvent(String type, long objectId, String property, String value, long occurredAt) {
        return ("{\"eventId\":" + ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE)
                + ",\"subscriptionId\":77,\"portalId\":62515,\"appId\":4242,\"occurredAt\":" + occurredAt
                + ",\"subscriptionType\":\"" + type + "\",\"attemptNumber\":0,\"objectId\":" + objectId
                + ",\"changeSource\":\"FORM\"" + (property == null ? "" : ",\"propertyName\":\"" + property
                        + "\",\"propertyValue\":\"" + value + "\"")
                + "}");
    }

    /** A generic-subscription event, as HubSpot sends for engagements (objectTypeId 0-48 calls, 0-27 tasks, ...). */
    static void hubspotObject(String type, String objectTypeId, long objectId, String changeSource, String property) {
        send("[{\"eventId\":" + ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE)
                + ",\"subscriptionId\":78,\"portalId\":62515,\"appId\":4242,\"occurredAt\":"
                + System.currentTimeMillis() + ",\"subscriptionType\":\"" + type + "\",\"objectTypeId\":\""
                + objectTypeId + "\",\"attemptNumber\":0,\"objectId\":" + objectId + ",\"changeSource\":\""
                + changeSource + "\"" + ("INTEGRATION".equals(changeSource) ? ",\"sourceId\":\"4242\"" : "")
                + (property == null ? "" : ",\"propertyName\":\"" + property + "\",\"propertyValue\":\"x\"")
                + "}]");
    }

    static void send(String body) {
        long ts = System.currentTimeMillis();
        given().contentType("application/json")
                .header("X-HubSpot-Signature-v3", HubSpotSignatureVerifier.signV3("test-hubspot-secret", "POST",
                        "http://localhost:8080/webhooks/hubspot", body.getBytes(StandardCharsets.UTF_8), ts))
                .header("X-HubSpot-Request-Timestamp", Long.toString(ts))
                .body(body).when().post("/webhooks/hubspot").then().statusCode(200);
    }

    static Predicate<JsonNode> activity(String crmId) {
        return e -> isAbout(e, crmId);
    }

    static boolean isAbout(JsonNode e, String crmId) {
        return "activity.logged".equals(e.path("type").asText()) && crmId.equals(e.path("data").path("crmId").asText());
    }

    static Predicate<JsonNode> touchpoint(String crmPersonId, String type) {
        return e -> isTouchOf(e, crmPersonId) && type.equals(e.path("data").path("type").asText());
    }

    static boolean isTouchOf(JsonNode e, String crmPersonId) {
        return "touchpoint.recorded".equals(e.path("type").asText())
                && crmPersonId.equals(e.path("data").path("crmPersonId").asText());
    }

    /** The first event matching, waiting up to 20 s; it is taken out so that later checks see only newer ones. */
    JsonNode await(Predicate<JsonNode> matching) throws Exception {
        List<JsonNode> found = awaitAll(matching, 1, Duration.ofSeconds(20));
        assertEquals(1, found.size(), "an event arrived in time");
        return found.get(0);
    }

    /** Up to {@code count} matching events (taken out), waiting at most {@code wait}. */
    List<JsonNode> awaitAll(Predicate<JsonNode> matching, int count, Duration wait) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            for (var it = received.iterator(); it.hasNext() && out.size() < count;) {
                JsonNode e = it.next();
                if (matching.test(e)) {
                    assertEquals(e.path("id").asText(), e.path("amqpMessageId").asText());
                    out.add(e);
                    it.remove();
                }
            }
            if (out.size() >= count || System.nanoTime() >= deadline) {
                return out;
            }
            for (Received r : rabbit.await(queue, 1, Duration.ofMillis(200))) {
                JsonNode e;
                try {
                    e = JSON.readTree(r.body());
                } catch (java.io.IOException notJson) {
                    continue; // other modules' tests publish malformed messages on purpose in the same vhost
                }
                if (e.isObject()) {
                    // the AMQP message id is the envelope id (what consumers deduplicate on)
                    ((com.fasterxml.jackson.databind.node.ObjectNode) e).put("amqpMessageId", r.messageId());
                    received.add(e);
                }
            }
        }
    }

    /** Matching events that arrive within {@code wait}: an empty list is what the caller expects. */
    List<JsonNode> none(Predicate<JsonNode> matching, Duration wait) throws Exception {
        return awaitAll(matching, Integer.MAX_VALUE, wait);
    }
}
