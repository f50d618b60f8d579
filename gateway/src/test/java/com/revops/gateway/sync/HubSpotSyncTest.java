package com.revops.gateway.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** What a HubSpot sync run reads per object, and with which associations. */
class HubSpotSyncTest {

    @Test
    void everyObjectOfTheIssueIsSyncedWithItsAssociations() {
        assertEquals(List.of("contacts", "companies", "deals", "calls", "emails", "meetings", "tasks"),
                new ArrayList<>(HubSpotSync.OBJECTS.keySet()));
        HubSpotSync.SyncObject deals = HubSpotSync.object("deals", List.of());
        assertEquals("deal", deals.singular());
        assertEquals(List.of("contacts", "companies"), deals.associations());
        assertTrue(deals.properties().containsAll(List.of("dealstage", "amount", "closedate", "hubspot_owner_id")));
        assertEquals("hs_lastmodifieddate", deals.modifiedProperty());
        HubSpotSync.SyncObject meetings = HubSpotSync.object("meetings", List.of());
        assertEquals("meeting", meetings.singular());
        assertEquals(List.of("contacts"), meetings.associations());
        assertTrue(meetings.properties().contains("hs_meeting_outcome"));
        HubSpotSync.SyncObject contacts = HubSpotSync.object("contacts", List.of("email", "hs_lead_status"));
        assertEquals(List.of("email", "hs_lead_status"), contacts.properties());
        assertEquals("lastmodifieddate", contacts.modifiedProperty(), "contacts name it differently");
        assertEquals(List.of(), HubSpotSync.object("companies", List.of()).associations());
        assertNull(HubSpotSync.object("notes", List.of()), "notes are not synced");
    }
}
