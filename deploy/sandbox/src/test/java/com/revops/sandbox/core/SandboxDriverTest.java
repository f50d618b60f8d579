package com.revops.sandbox.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class SandboxDriverTest {

    private static final long NOW = 1_795_480_000_000L;
    private final ObjectMapper mapper = new ObjectMapper();
    private final List<String> bodies = new ArrayList<>();
    private final AtomicLong clock = new AtomicLong(NOW);

    private Sandbox sandbox(long seed) {
        HubSpotStore hubspot = new HubSpotStore(Map.of("contacts", List.of("intent_tier", "disqualification_reason")));
        SalesforceStore salesforce = new SalesforceStore(new SalesforceIds("Sb"), "v67.0",
                List.of("Open - Not Contacted", "Working - Contacted", "Unqualified"));
        Seeder.Org org = Seeder.seed(seed, new Seeder.Sizes(6, 8, 20, 10, 5, 4, 30), hubspot, salesforce,
                "int@sandbox.example", NOW);
        Stats stats = new Stats();
        Deliveries deliveries = new Deliveries(new Deliveries.Settings("http://gw/webhooks/hubspot",
                "http://gw/webhooks/salesforce/outbound", 100, 3, 1000, 8000, 5000, 4, 0, seed),
                new WebhookSigner("secret"), "00DSB0000001Sim2AE", "http://sim", "v67.0", (url, h, body, t) -> {
                    bodies.add(body);
                    return CompletableFuture.completedFuture(new Deliveries.Answer(200, "<Ack>true</Ack>"));
                }, clock::get, mapper, stats);
        return new Sandbox(new Sandbox.Identity(7700001, 4242, "00DSB0000001Sim2AE", "v67.0", "http://sim"),
                hubspot, salesforce, new HubSpotRateLimits(190, 650_000, 5, ZoneOffset.UTC),
                new SalesforceAllocation(1000), new WriteJournal(1000), stats, deliveries,
                new QueryCursors("v67.0", 10), org, clock::get);
    }

    private JsonNode delivered() throws Exception {
        return mapper.readTree(bodies.get(bodies.size() - 1));
    }

    @Test
    void theSameSeedGivesTheSameOrganisationAndAnotherSeedAnother() {
        Sandbox a = sandbox(7);
        Sandbox b = sandbox(7);
        Sandbox c = sandbox(8);
        assertEquals(a.org().owners(), b.org().owners());
        for (int i = 1; i <= 20; i++) {
            String id = Long.toString(100_000 + i);
            assertEquals(a.hubspot().find("contacts", id).properties(), b.hubspot().find("contacts", id)
                    .properties());
        }
        assertEquals(a.salesforce().all("Lead").stream().map(r -> r.get("Id") + "|" + r.get("Email")).toList(),
                b.salesforce().all("Lead").stream().map(r -> r.get("Id") + "|" + r.get("Email")).toList());
        assertNotEquals(a.hubspot().find("contacts", "100001").get("email"),
                c.hubspot().find("contacts", "100001").get("email"));
        assertEquals(a.org().integrationUserId(), c.org().integrationUserId());
        assertEquals(8, a.org().campaigns().size());
        assertTrue(a.salesforce().count("OpportunityHistory") >= a.salesforce().count("Opportunity"));
    }

    @Test
    void aHubSpotLeadIsAFormContactAndOneCreationEvent() throws Exception {
        Sandbox s = sandbox(1);
        Map<String, Object> lead = s.createLead(new Sandbox.LeadInput("hubspot", "ada@example.org", "Ada", "L",
                "Acme", "Germany", 120, null, null, "LinkedIn ABM", "high", null));
        String id = (String) lead.get("id");
        HubSpotStore.SimObject c = s.hubspot().find("contacts", id);
        assertEquals("HIGH", c.get("intent_tier"));
        assertEquals("PAID_SOCIAL", c.get("hs_analytics_source"));
        assertEquals("paid-social", c.get("hs_analytics_source_data_1"));
        assertEquals("NEW", c.get("hs_lead_status"));
        s.deliveries().tick();
        JsonNode e = delivered().get(0);
        assertEquals("contact.creation", e.get("subscriptionType").asText());
        assertEquals(Long.parseLong(id), e.get("objectId").asLong());
        assertEquals("FORM", e.get("changeSource").asText());
        assertThrows(IllegalArgumentException.class, () -> s.createLead(new Sandbox.LeadInput("hubspot", "nope",
                null, null, null, null, null, null, null, null, null, null)));
        assertEquals(409, assertThrows(Sandbox.DriverException.class, () -> s.createLead(new Sandbox.LeadInput(
                "hubspot", "ADA@example.org", null, null, null, null, null, null, null, null, null, null))).status());
    }

    @Test
    void aStatusChangeSendsOnePropertyChangePerChangedPropertyAndNothingForNoChange() throws Exception {
        Sandbox s = sandbox(1);
        String id = (String) s.createLead(new Sandbox.LeadInput(null, "b@example.org", null, "B", null, null, null,
                null, null, null, null, null)).get("id");
        s.deliveries().tick();
        s.setLeadStatus("hubspot", id, "UNQUALIFIED", "no-budget", null);
        s.deliveries().tick();
        JsonNode events = delivered();
        assertEquals(2, events.size());
        assertEquals("contact.propertyChange", events.get(0).get("subscriptionType").asText());
        assertEquals("hs_lead_status", events.get(0).get("propertyName").asText());
        assertEquals("UNQUALIFIED", events.get(0).get("propertyValue").asText());
        assertEquals("disqualification_reason", events.get(1).get("propertyName").asText());
        int before = bodies.size();
        s.setLeadStatus("hubspot", id, "UNQUALIFIED", "no-budget", null);
        s.deliveries().tick();
        assertEquals(before, bodies.size(), "setting the same values changes nothing and sends nothing");
        assertEquals(400, assertThrows(Sandbox.DriverException.class,
                () -> s.setLeadStatus("hubspot", id, "MAYBE", null, null)).status());
    }

    @Test
    void activitiesAreEngagementsAssociatedWithThePersonAndAnnouncedByTypeId() throws Exception {
        Sandbox s = sandbox(1);
        String owner = s.org().owners().get(0).hubspotOwnerId();
        Map<String, Object> call = s.logActivity(new Sandbox.ActivityInput("hubspot", "call", "100001", owner,
                "no-answer", null, null, null));
        String id = (String) call.get("id");
        assertEquals(List.of("100001"), s.hubspot().associated("calls", id, "contacts"));
        assertEquals("73a0d17f-1163-4015-bdd5-ec830791da20", s.hubspot().find("calls", id)
                .get("hs_call_disposition"));
        s.deliveries().tick();
        JsonNode e = delivered().get(0);
        assertEquals("object.creation", e.get("subscriptionType").asText());
        assertEquals("0-48", e.get("objectTypeId").asText());
        assertThrows(NoSuchElementException.class, () -> s.logActivity(new Sandbox.ActivityInput("hubspot",
                "call", "1", owner, null, null, null, null)));
        assertThrows(IllegalArgumentException.class, () -> s.logActivity(new Sandbox.ActivityInput("hubspot",
                "fax", "100001", owner, null, null, null, null)));
    }

    @Test
    void salesforceMembersDealsAndTasksBecomeOutboundMessages() {
        Sandbox s = sandbox(1);
        String lead = s.salesforce().all("Lead").get(0).get("Id").toString();
        String sdr = s.org().owners().get(0).salesforceUserId();
        s.addCampaignMember(new Sandbox.MemberInput("salesforce", null, "Newsletter", lead, null, null));
        assertThrows(IllegalArgumentException.class, () -> s.addCampaignMember(new Sandbox.MemberInput("salesforce",
                null, "Newsletter", lead, null, null)));
        s.logActivity(new Sandbox.ActivityInput("salesforce", "email", lead, sdr, null, null, null, null));
        String contact = s.salesforce().all("Contact").get(0).get("Id").toString();
        String opp = (String) s.createDeal(new Sandbox.DealInput("salesforce", "New deal", contact, null, null,
                25_000.0, null, null, null)).get("id");
        s.updateDeal("salesforce", opp, new Sandbox.DealChange("Closed Won", null, null));
        assertEquals(true, s.salesforce().find("Opportunity", opp).get("IsWon"));
        s.deliveries().tick();
        s.deliveries().tick();
        String all = String.join("\n", bodies);
        assertTrue(all.contains("xsi:type=\"sf:CampaignMember\""));
        assertTrue(all.contains("xsi:type=\"sf:Task\""));
        assertTrue(all.contains("<sf:StageName>Closed Won</sf:StageName>"));
        assertEquals(0, s.deliveries().pending());
    }
}
