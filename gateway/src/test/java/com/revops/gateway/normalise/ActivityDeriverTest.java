package com.revops.gateway.normalise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import com.revops.gateway.normalise.ActivityDeriver.Activity;

/** The canonical reading of calls, emails, meetings and tasks of both CRMs, and when they are (re)announced. */
class ActivityDeriverTest {

    static final Map<String, String> DEFAULTS = ActivityDeriver.dispositions(Optional.empty());

    static Map<String, String> props(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @ParameterizedTest(name = "HubSpot call {0} / {1} / {2} -> {3} {4}")
    @CsvSource(nullValues = "-", value = {
        // direction, disposition GUID, status, expected direction, expected outcome
        "OUTBOUND, f240bbac-87c9-4f6e-bf70-924b57d47db7, COMPLETED, outbound, connected",
        "OUTBOUND, 73a0d17f-1163-4015-bdd5-ec830791da20, COMPLETED, outbound, no-answer",
        "OUTBOUND, b2cf5968-551e-4856-9783-52b3da59a7d0, COMPLETED, outbound, left-voicemail",
        "OUTBOUND, a4c4c377-d246-4b32-a13b-75a56a4cd0ff, COMPLETED, outbound, left-message",
        "OUTBOUND, 9d9162e7-6cf3-4944-bf63-4dff82258764, COMPLETED, outbound, busy",
        "OUTBOUND, 17b47fee-58de-441e-a44c-c6300d46f273, COMPLETED, outbound, wrong-number",
        // a portal's own outcome we were not told about: the call status speaks
        "OUTBOUND, 0bf1994a-ba83-456b-9394-0ee1f3fc35fb, COMPLETED, outbound, completed",
        "INBOUND, -, MISSED, inbound, no-answer",
        "-, -, NO_ANSWER, outbound, no-answer",
        "OUTBOUND, -, RINGING, outbound, in-progress",
        "OUTBOUND, -, CANCELED, outbound, canceled",
        "OUTBOUND, -, -, outbound, -",
    })
    void hubspotCallOutcomes(String direction, String disposition, String status, String expectedDirection,
            String expectedOutcome) {
        Map<String, String> p = props("hs_timestamp", "2026-11-23T10:00:00Z", "hubspot_owner_id", "301",
                "hs_lastmodifieddate", "2026-11-23T10:01:00.500Z", "hs_call_title", "Intro call");
        p.put("hs_call_direction", direction);
        p.put("hs_call_disposition", disposition);
        p.put("hs_call_status", status);
        Activity a = ActivityDeriver.fromHubSpot("call", "901", p, "51", DEFAULTS);
        assertEquals("call", a.type());
        assertEquals(expectedDirection, a.direction());
        assertEquals(expectedOutcome, a.outcome());
        assertEquals("301", a.ownerId());
        assertEquals("51", a.crmPersonId());
        assertEquals("Intro call", a.subject());
        assertEquals(Instant.parse("2026-11-23T10:00:00Z"), a.occurredAt());
        assertEquals(Instant.parse("2026-11-23T10:01:00.500Z"), a.modifiedAt());
    }

    @Test
    void aPortalsOwnCallOutcomesOverrideTheDefaults() {
        Map<String, String> outcomes = ActivityDeriver.dispositions(
                Optional.of("0bf1994a-ba83-456b-9394-0ee1f3fc35fb=no-answer"));
        Activity a = ActivityDeriver.fromHubSpot("call", "1", props("hs_call_disposition",
                "0bf1994a-ba83-456b-9394-0ee1f3fc35fb", "hs_call_status", "COMPLETED"), null, outcomes);
        assertEquals("no-answer", a.outcome());
        assertThrows(IllegalArgumentException.class, () -> ActivityDeriver.dispositions(Optional.of("nonsense")));
    }

    @ParameterizedTest(name = "HubSpot email {0} / {1} -> {2} {3}")
    @CsvSource(nullValues = "-", value = {
        "EMAIL, SENT, outbound, sent",
        "EMAIL, -, outbound, sent",
        "EMAIL, BOUNCED, outbound, bounced",
        "EMAIL, SCHEDULED, outbound, scheduled",
        "FORWARDED_EMAIL, SENT, outbound, sent",
        "INCOMING_EMAIL, -, inbound, received",
    })
    void hubspotEmails(String direction, String status, String expectedDirection, String expectedOutcome) {
        Map<String, String> p = props("hs_email_subject", "Re: pricing");
        p.put("hs_email_direction", direction);
        p.put("hs_email_status", status);
        Activity a = ActivityDeriver.fromHubSpot("email", "7", p, "51", DEFAULTS);
        assertEquals(expectedDirection, a.direction());
        assertEquals(expectedOutcome, a.outcome());
        assertEquals("Re: pricing", a.subject());
    }

    @ParameterizedTest(name = "HubSpot meeting {0} from {1} -> {2} {3}")
    @CsvSource(nullValues = "-", value = {
        "SCHEDULED, CRM_UI, outbound, scheduled",
        "-, CRM_UI, outbound, scheduled",
        "COMPLETED, CRM_UI, outbound, completed",
        "NO_SHOW, CRM_UI, outbound, no-show",
        "RESCHEDULED, CRM_UI, outbound, rescheduled",
        "CANCELED, CRM_UI, outbound, canceled",
        "SCHEDULED, MEETINGS_PUBLIC, inbound, scheduled",
    })
    void hubspotMeetings(String outcome, String source, String expectedDirection, String expectedOutcome) {
        Map<String, String> p = props("hs_timestamp", "2026-11-20T09:00:00Z",
                "hs_meeting_start_time", "2026-11-24T15:00:00Z", "hs_meeting_title", "Demo");
        p.put("hs_meeting_outcome", outcome);
        p.put("hs_meeting_source", source);
        Activity a = ActivityDeriver.fromHubSpot("meeting", "8", p, "51", DEFAULTS);
        assertEquals(expectedDirection, a.direction());
        assertEquals(expectedOutcome, a.outcome());
        assertEquals(Instant.parse("2026-11-24T15:00:00Z"), a.occurredAt(), "a meeting happens at its start");
    }

    @ParameterizedTest(name = "HubSpot task {0} -> {1}")
    @CsvSource(nullValues = "-", value = {
        "NOT_STARTED, open, 2026-11-23T10:05:00Z",
        "IN_PROGRESS, open, 2026-11-23T10:05:00Z",
        "WAITING, open, 2026-11-23T10:05:00Z",
        "DEFERRED, deferred, 2026-11-23T10:05:00Z",
        // a completed task happened when it was completed, not when it was due
        "COMPLETED, completed, 2026-11-23T11:30:00Z",
    })
    void hubspotTasks(String status, String expectedOutcome, String expectedAt) {
        // 1795428300000 ms = 2026-11-23T10:05:00Z: 20,780 days x 86,400,000 ms + 10 h 5 min
        Map<String, String> p = props("hs_timestamp", "1795428300000",
                "hs_task_completion_date", "2026-11-23T11:30:00Z", "hs_task_subject", "Call Ana");
        p.put("hs_task_status", status);
        Activity a = ActivityDeriver.fromHubSpot("task", "9", p, "51", DEFAULTS);
        assertEquals("outbound", a.direction());
        assertEquals(expectedOutcome, a.outcome());
        assertEquals(Instant.parse(expectedAt), a.occurredAt());
    }

    @ParameterizedTest(name = "Salesforce {0} subtype {1} type {2} call {3} disposition {4} status {5} -> {6} {7} {8}")
    @CsvSource(nullValues = "-", value = {
        "Task, Call, -, Outbound, Connected - spoke to buyer, Completed, call, outbound, connected",
        "Task, Call, -, Inbound, -, Completed, call, inbound, completed",
        "Task, Call, -, Outbound, Left voicemail, Completed, call, outbound, left-voicemail",
        "Task, Call, -, Outbound, No Answer, Completed, call, outbound, no-answer",
        "Task, Call, -, Outbound, Busy, Completed, call, outbound, busy",
        "Task, Call, -, Outbound, -, Not Started, call, outbound, -",
        "Task, Email, -, -, -, Completed, email, outbound, sent",
        "Task, ListEmail, -, -, -, Completed, email, outbound, sent",
        "Task, Task, Call, -, -, Completed, call, outbound, completed",
        "Task, Task, Meeting, -, -, Not Started, meeting, outbound, scheduled",
        "Task, Task, Other, -, -, Not Started, task, outbound, open",
        "Task, Task, -, -, -, Deferred, task, outbound, deferred",
        "Task, Task, -, -, -, Completed, task, outbound, completed",
        "Event, Event, Meeting, -, -, -, meeting, outbound, scheduled",
    })
    void salesforceActivities(String sobject, String subtype, String type, String callType, String disposition,
            String status, String expectedType, String expectedDirection, String expectedOutcome) {
        Map<String, String> f = props("Id", "00T000000000001AAA", "OwnerId", "005000000000SDRAAA",
                "WhoId", "00Q000000000001AAA", "Subject", "Call", "LastModifiedDate", "2026-11-23T10:00:00.000+0000",
                "CreatedDate", "2026-11-23T09:59:00.000+0000", "ActivityDate", "2026-11-23",
                "ActivityDateTime", "2026-11-24T15:00:00.000+0000");
        f.put("TaskSubtype", subtype);
        f.put("Type", type);
        f.put("CallType", callType);
        f.put("CallDisposition", disposition);
        f.put("Status", status);
        Activity a = ActivityDeriver.fromSalesforce(sobject, f);
        assertEquals(expectedType, a.type());
        assertEquals(expectedDirection, a.direction());
        assertEquals(expectedOutcome, a.outcome());
        assertEquals("00Q000000000001AAA", a.crmPersonId());
        assertEquals(Instant.parse("2026-11-23T10:00:00Z"), a.modifiedAt(), "+0000 offsets are read");
        assertEquals(Instant.parse("Event".equals(sobject) ? "2026-11-24T15:00:00Z" : "2026-11-23T09:59:00Z"),
                a.occurredAt());
    }

    @ParameterizedTest(name = "Salesforce Task time: completed {0}, created {1}, activity date {2} -> {3}")
    @CsvSource(nullValues = "-", value = {
        // completed: the completion time
        "2026-11-23T12:00:00.000+0000, 2026-11-20T08:00:00.000+0000, 2026-11-25, 2026-11-23T12:00:00Z",
        // logged on its activity date (a logged call): the creation time, which has the hour
        "-, 2026-11-23T09:59:00.000+0000, 2026-11-23, 2026-11-23T09:59:00Z",
        // created earlier for a later day (a follow-up): the day it is for, at 00:00 UTC
        "-, 2026-11-20T08:00:00.000+0000, 2026-11-25, 2026-11-25T00:00:00Z",
        "-, 2026-11-20T08:00:00.000+0000, -, 2026-11-20T08:00:00Z",
    })
    void salesforceTaskTime(String completed, String created, String date, String expected) {
        Map<String, String> f = new HashMap<>();
        f.put("CompletedDateTime", completed);
        f.put("CreatedDate", created);
        f.put("ActivityDate", date);
        assertEquals(Instant.parse(expected), ActivityDeriver.taskTime(f));
    }

    @Test
    void activityIdIsStablePerCrmActivityAndDiffersAcrossCrmsAndObjects() {
        assertEquals(ActivityDeriver.activityId("hubspot", "call", "901"),
                ActivityDeriver.activityId("hubspot", "call", "901"));
        assertNotEquals(ActivityDeriver.activityId("hubspot", "call", "901"),
                ActivityDeriver.activityId("hubspot", "task", "901"));
        assertNotEquals(ActivityDeriver.activityId("hubspot", "Task", "901"),
                ActivityDeriver.activityId("salesforce", "Task", "901"));
    }

    @Test
    void onlyAChangeOfWhatTheEventCarriesAnnouncesTheActivityAgain() {
        Map<String, String> p = props("hs_call_direction", "OUTBOUND", "hs_call_status", "COMPLETED",
                "hs_timestamp", "2026-11-23T10:00:00Z", "hubspot_owner_id", "301",
                "hs_lastmodifieddate", "2026-11-23T10:01:00Z");
        Activity first = ActivityDeriver.fromHubSpot("call", "901", p, "51", DEFAULTS);
        Map<String, String> known = ActivityDeriver.snapshot(first);
        assertTrue(ActivityDeriver.changed(null, false, first), "new to us");
        assertTrue(ActivityDeriver.changed(known, true, first), "known as deleted, restored");

        p.put("hs_lastmodifieddate", "2026-11-23T10:05:00Z"); // e.g. the notes were edited
        assertFalse(ActivityDeriver.changed(known, false, ActivityDeriver.fromHubSpot("call", "901", p, "51",
                DEFAULTS)));

        p.put("hs_call_disposition", "f240bbac-87c9-4f6e-bf70-924b57d47db7");
        assertTrue(ActivityDeriver.changed(known, false, ActivityDeriver.fromHubSpot("call", "901", p, "51",
                DEFAULTS)), "completed -> connected");
    }

    @ParameterizedTest(name = "instant({0}) = {1}")
    @CsvSource(nullValues = "-", value = {
        "1795428300000, 2026-11-23T10:05:00Z",
        "2026-11-23T10:05:00Z, 2026-11-23T10:05:00Z",
        "2026-11-23T10:05:00.000+0000, 2026-11-23T10:05:00Z",
        "2026-11-23T11:05:00.000+01:00, 2026-11-23T10:05:00Z",
        "2026-11-23, 2026-11-23T00:00:00Z",
        "not a time, -",
        "-, -",
    })
    void readsEveryTimeFormatTheCrmsUse(String value, String expected) {
        assertEquals(expected == null ? null : Instant.parse(expected), ActivityDeriver.instant(value));
    }
}
