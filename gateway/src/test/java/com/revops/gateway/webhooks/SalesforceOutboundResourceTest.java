package com.revops.gateway.webhooks;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;

/** Salesforce outbound messages: our org's are stored once and acknowledged, anything else refused. */
@QuarkusTest
class SalesforceOutboundResourceTest {

    static final String ORG_15 = "00D5g000004ABCD";

    @Inject
    Pool pool;

    static String message(String orgId, String notificationId, String leadId) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"
                    xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
                  <soapenv:Body>
                    <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
                      <OrganizationId>%s</OrganizationId>
                      <ActionId>04k5g000000XYZAAA</ActionId>
                      <SessionId xsi:nil="true"/>
                      <EnterpriseUrl>https://acme.my.salesforce.com/services/Soap/c/67.0/00D5g000004ABCD</EnterpriseUrl>
                      <PartnerUrl>https://acme.my.salesforce.com/services/Soap/u/67.0/00D5g000004ABCD</PartnerUrl>
                      <Notification>
                        <Id>%s</Id>
                        <sObject xsi:type="sf:Lead" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">
                          <sf:Id>%s</sf:Id>
                          <sf:Email>zoe@example.fr</sf:Email>
                          <sf:LeadSource>Web</sf:LeadSource>
                          <sf:Status>Open - Not Contacted</sf:Status>
                          <sf:OwnerId xsi:nil="true"/>
                        </sObject>
                      </Notification>
                    </notifications>
                  </soapenv:Body>
                </soapenv:Envelope>
                """.formatted(orgId, notificationId, leadId);
    }

    long count(String sql) {
        return pool.query(sql).execute().map(r -> r.iterator().next().getLong(0)).await()
                .atMost(Duration.ofSeconds(5));
    }

    @Test
    void outboundMessageIsStoredOnceAndAcknowledged() {
        String notification = "04l" + UUID.randomUUID().toString().replace("-", "").substring(0, 15);
        String leadId = "00Q" + UUID.randomUUID().toString().replace("-", "").substring(0, 15);
        for (int i = 0; i < 2; i++) { // Salesforce delivers at least once
            given().contentType("text/xml; charset=utf-8").body(message(ORG_15 + "AA", notification, leadId))
                    .when().post("/webhooks/salesforce/outbound").then()
                    .statusCode(200)
                    .body(containsString("<Ack>true</Ack>"));
        }
        assertEquals(1, count("SELECT count(*) FROM webhook_event WHERE crm = 'salesforce' AND dedupe_key LIKE '%:"
                + notification + "' AND object_type = 'Lead' AND object_id = '" + leadId
                + "' AND payload->'fields'->>'Email' = 'zoe@example.fr' AND payload->'fields'->'OwnerId' = 'null'"));
    }

    @Test
    void anotherOrganizationsMessageIs403AndStoresNothing() {
        long before = count("SELECT count(*) FROM webhook_delivery WHERE crm = 'salesforce'");
        given().contentType("text/xml").body(message("00D000000000001AAA", "04l000000000001", "00Q000000000001"))
                .when().post("/webhooks/salesforce/outbound").then().statusCode(403)
                .contentType("application/problem+json");
        assertEquals(before, count("SELECT count(*) FROM webhook_delivery WHERE crm = 'salesforce'"));
    }

    @Test
    void malformedXmlAndEntityTricksAre400() {
        given().contentType("text/xml").body("<notifications><broken").when().post("/webhooks/salesforce/outbound")
                .then().statusCode(400).contentType("application/problem+json");
        String xxe = """
                <?xml version="1.0"?>
                <!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
                <notifications xmlns="http://soap.sforce.com/2005/09/outbound"><OrganizationId>&xxe;</OrganizationId>
                </notifications>""";
        given().contentType("text/xml").body(xxe).when().post("/webhooks/salesforce/outbound").then().statusCode(400);
    }
}
