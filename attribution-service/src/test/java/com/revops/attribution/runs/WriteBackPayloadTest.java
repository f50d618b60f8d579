package com.revops.attribution.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class WriteBackPayloadTest {

    private static Map<String, String> fields() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("revops_sourced_channel", "paid-search");
        f.put("revops_definition_version", "3");
        return f;
    }

    @Test
    void salesforceGetsAnOpportunityWithCustomFieldNames() {
        Map<String, Object> p = LiveAttributionJob.writeBackPayload("salesforce", "006xx0000001", fields());
        assertEquals("Opportunity", p.get("objectType"));
        assertEquals(Map.of("RevOps_Sourced_Channel__c", "paid-search", "RevOps_Definition_Version__c", "3"),
                p.get("fields"));
    }

    @Test
    void hubspotGetsADealWithThePropertiesInternalNames() {
        Map<String, Object> p = LiveAttributionJob.writeBackPayload("hubspot", "9001", fields());
        assertEquals("deal", p.get("objectType"));
        assertEquals(fields(), p.get("fields"));
    }
}
