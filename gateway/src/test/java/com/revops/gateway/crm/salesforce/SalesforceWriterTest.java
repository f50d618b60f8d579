package com.revops.gateway.crm.salesforce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.revops.gateway.commands.CommandFailure;
import com.revops.gateway.commands.CommandSpec;
import com.revops.gateway.commands.SalesforceWriter;
import com.revops.gateway.crm.SalesforceClientProducer;
import com.revops.gateway.normalise.FieldMapping;

import okhttp3.mockwebserver.RecordedRequest;

/** Commands applied to the documented Salesforce fake through the OkHttp client. */
class SalesforceWriterTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    SalesforceFake fake;
    SalesforceClient client;
    SalesforceWriter writer;
    String lead;

    @BeforeEach
    void start() throws Exception {
        fake = new SalesforceFake(null);
        client = new SalesforceClient(fake.config().build());
        writer = new SalesforceWriter(new SalesforceClientProducer.Connection(client), FieldMapping.salesforce(
                Map.of()));
        lead = fake.insert("Lead", Map.of("LastName", "Souza", "Company", "Acme", "Status", "Open - Not Contacted"));
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        fake.close();
    }

    static CommandSpec spec(String id, String owner, String status, String reason) {
        return new CommandSpec("salesforce", "Lead", id, owner, status, reason, null, null, null, null);
    }

    @Test
    void ownerAssignmentSwitchesOffTheOrgsAssignmentRules() {
        writer.apply("owner.assign", spec(lead, "005000000000001AAA", null, null)).await().atMost(WAIT);
        assertEquals("005000000000001AAA", fake.record("Lead", lead).get("OwnerId"));
        RecordedRequest patch = fake.apiRequests().stream().filter(r -> "PATCH".equals(r.getMethod())).findFirst()
                .orElseThrow();
        assertEquals("FALSE", patch.getHeader("Sforce-Auto-Assign"));
    }

    @Test
    void statusWithAReasonIsWrittenToTheMappedFields() {
        writer.apply("lead.status.set", spec(lead, null, "Closed - Not Converted", "No budget")).await()
                .atMost(WAIT);
        assertEquals("Closed - Not Converted", fake.record("Lead", lead).get("Status"));
        assertEquals("No budget", fake.record("Lead", lead).get("Disqualification_Reason__c"));
    }

    @Test
    void aValueOutsideThePicklistIsAPermanentFailure() {
        assertThrows(CommandFailure.class, () -> writer.apply("lead.status.set", spec(lead, null, "Nope", null))
                .await().atMost(WAIT));
    }

    @Test
    void anExpiredSessionIsRenewedOnceAndTheWriteGoesThrough() {
        writer.apply("owner.assign", spec(lead, "005000000000001AAA", null, null)).await().atMost(WAIT);
        fake.expireSessions();
        writer.apply("owner.assign", spec(lead, "005000000000002AAA", null, null)).await().atMost(WAIT);
        assertEquals("005000000000002AAA", fake.record("Lead", lead).get("OwnerId"));
        assertEquals(2, fake.tokenRequests().size());
    }

    @Test
    void anExhaustedOrgAllocationIsTransientSoTheCommandWaits() {
        fake.failNext(403, "application/json",
                "[{\"message\":\"TotalRequests Limit exceeded.\",\"errorCode\":\"REQUEST_LIMIT_EXCEEDED\"}]");
        Throwable e = assertThrows(RuntimeException.class, () -> writer.apply("owner.assign",
                spec(lead, "005000000000001AAA", null, null)).await().atMost(WAIT));
        assertTrue(e instanceof SalesforceQuotaExceededException, e.toString());
        assertTrue(!(e instanceof CommandFailure));
    }
}
