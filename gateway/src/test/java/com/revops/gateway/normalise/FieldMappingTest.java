package com.revops.gateway.normalise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class FieldMappingTest {

    @ParameterizedTest(name = "Salesforce LeadSource {0} -> {1}")
    @CsvSource({
        "Web, DIRECT_TRAFFIC",
        "web, DIRECT_TRAFFIC",
        "Phone Inquiry, OFFLINE",
        "Purchased List, OFFLINE",
        "Trade Show, OFFLINE",
        "Partner Referral, REFERRALS",
        "Word of mouth, REFERRALS",
        "Other, OTHER_CAMPAIGNS",
        // ambiguous (paid search or paid social): passes through unchanged for the org to map
        "Advertisement, Advertisement",
        // already a category
        "PAID_SEARCH, PAID_SEARCH"})
    void salesforceLeadSourcesLandInHubSpotsSourceVocabulary(String value, String category) {
        Map<String, String> lead = FieldMapping.salesforce(Map.of()).canonical(Map.of("LeadSource", value));
        assertEquals(category, lead.get("source"));
        assertEquals(value, lead.get("crmSource"), "the CRM's own value travels beside the category");
    }

    @Test
    void hubspotSourcesAreAlreadyTheVocabulary() {
        Map<String, String> lead = FieldMapping.hubspot(Map.of())
                .canonical(Map.of("hs_analytics_source", "ORGANIC_SEARCH", "email", "Ann@Example.COM"));
        assertEquals("ORGANIC_SEARCH", lead.get("source"));
        assertEquals("ann@example.com", lead.get("email"));
    }

    @Test
    void anOrgMapsItsOwnValuesOverTheDefaults() {
        FieldMapping mapping = FieldMapping.of("salesforce", Optional.of("source=Lead_Origin__c"),
                Optional.of("Advertisement=PAID_SOCIAL, Web=ORGANIC_SEARCH"));
        Map<String, String> fields = new HashMap<>();
        fields.put("Lead_Origin__c", "advertisement");
        assertEquals("PAID_SOCIAL", mapping.canonical(fields).get("source"));
        fields.put("Lead_Origin__c", "Web");
        assertEquals("ORGANIC_SEARCH", mapping.canonical(fields).get("source"));
        fields.put("Lead_Origin__c", "Trade Show");
        assertEquals("OFFLINE", mapping.canonical(fields).get("source"), "the defaults still apply");
    }

    @Test
    void aMissingSourceStaysMissing() {
        Map<String, String> lead = FieldMapping.salesforce(Map.of()).canonical(Map.of("Email", "a@b.example"));
        assertNull(lead.get("source"));
        assertNull(lead.get("crmSource"));
    }

    @Test
    void anUnknownCategoryIsRefusedAtStartUp() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FieldMapping.of("salesforce", Optional.empty(), Optional.of("Web=WEBSITE")));
        assertEquals(true, e.getMessage().contains("WEBSITE"), e.getMessage());
    }
}
