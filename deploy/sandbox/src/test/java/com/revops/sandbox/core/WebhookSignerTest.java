package com.revops.sandbox.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

class WebhookSignerTest {

    private static final String SECRET = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy";

    /** HubSpot's recipe computed here independently: Base64(HMAC-SHA256(secret, method + uri + body + ts)). */
    private static String independent(String secret, String signed) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void signsMethodUriBodyAndMillisecondTimestampWithTheClientSecret() throws Exception {
        String body = "[{\"eventId\":1,\"subscriptionType\":\"contact.creation\",\"objectId\":100201}]";
        long ts = 1_795_482_459_556L;
        String uri = "https://gateway.example.com/webhooks/hubspot";
        String signature = new WebhookSigner(SECRET).sign("POST", uri, body, ts);
        assertEquals(independent(SECRET, "POST" + uri + body + ts), signature);
    }

    @Test
    void decodesOnlyTheEscapesHubSpotDecodesBeforeSigning() throws Exception {
        String called = "https://gw.example.com/webhooks/hubspot?x=a%3Ab%2Fc%40d%20e%2A";
        String signature = new WebhookSigner(SECRET).sign("POST", called, "[]", 1L);
        // %3A %2F %40 %2A are decoded, %20 stays as it is
        assertEquals(independent(SECRET, "POSThttps://gw.example.com/webhooks/hubspot?x=a:b/c@d%20e*[]1"), signature);
    }

    @Test
    void anotherSecretOrTimestampGivesAnotherSignature() {
        String a = new WebhookSigner(SECRET).sign("POST", "http://x/w", "[]", 1L);
        assertNotEquals(a, new WebhookSigner("other").sign("POST", "http://x/w", "[]", 1L));
        assertNotEquals(a, new WebhookSigner(SECRET).sign("POST", "http://x/w", "[]", 2L));
    }

    @Test
    void multiByteBodiesAreSignedAsUtf8() throws Exception {
        String body = "[{\"propertyValue\":\"Müller – Zoë\"}]";
        assertEquals(independent(SECRET, "POSThttp://x/w" + body + "5"),
                new WebhookSigner(SECRET).sign("POST", "http://x/w", body, 5L));
    }
}
