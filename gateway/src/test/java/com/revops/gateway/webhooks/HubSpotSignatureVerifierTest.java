package com.revops.gateway.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import com.revops.gateway.webhooks.HubSpotSignatureVerifier.Headers;
import com.revops.gateway.webhooks.HubSpotSignatureVerifier.Outcome;

/**
 * Signatures computed here independently (javax.crypto over the string HubSpot documents) and checked by the
 * verifier.
 */
class HubSpotSignatureVerifierTest {

    static final String SECRET = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy";
    static final String URI = "https://revops.example.com/webhooks/hubspot";
    static final byte[] BODY = "[{\"eventId\":1,\"subscriptionType\":\"contact.creation\"}]"
            .getBytes(StandardCharsets.UTF_8);
    static final long NOW = 1_764_000_000_000L;

    final HubSpotSignatureVerifier verifier = new HubSpotSignatureVerifier(SECRET, Set.of("v1", "v2", "v3"),
            300_000);

    static String hmacBase64(String secret, String signed) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
    }

    static String sha256Hex(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    static Headers v3(String signature, long timestamp) {
        return new Headers(signature, Long.toString(timestamp), null, null);
    }

    @Test
    void validV3SignatureIsAccepted() throws Exception {
        long ts = NOW - 1000;
        // signed string = method + uri + body + timestamp
        String sig = hmacBase64(SECRET, "POST" + URI + new String(BODY, StandardCharsets.UTF_8) + ts);
        assertEquals(Outcome.VALID, verifier.verify("POST", URI, BODY, v3(sig, ts), NOW));
    }

    @Test
    void bodyChangedByOneByteIsRejected() throws Exception {
        long ts = NOW;
        String sig = hmacBase64(SECRET, "POST" + URI + new String(BODY, StandardCharsets.UTF_8) + ts);
        byte[] tampered = BODY.clone();
        tampered[12] = (byte) (tampered[12] + 1);
        assertEquals(Outcome.BAD_SIGNATURE, verifier.verify("POST", URI, tampered, v3(sig, ts), NOW));
    }

    @Test
    void wrongSecretIsRejected() throws Exception {
        long ts = NOW;
        String sig = hmacBase64("another-secret", "POST" + URI + new String(BODY, StandardCharsets.UTF_8) + ts);
        assertEquals(Outcome.BAD_SIGNATURE, verifier.verify("POST", URI, BODY, v3(sig, ts), NOW));
    }

    @Test
    void timestampOlderThanFiveMinutesIsRejectedEvenWithAValidSignature() throws Exception {
        long ts = NOW - 300_001;
        String sig = hmacBase64(SECRET, "POST" + URI + new String(BODY, StandardCharsets.UTF_8) + ts);
        assertEquals(Outcome.STALE_TIMESTAMP, verifier.verify("POST", URI, BODY, v3(sig, ts), NOW));
        long justInside = NOW - 299_000;
        String ok = hmacBase64(SECRET, "POST" + URI + new String(BODY, StandardCharsets.UTF_8) + justInside);
        assertEquals(Outcome.VALID, verifier.verify("POST", URI, BODY, v3(ok, justInside), NOW));
    }

    @Test
    void encodedQueryIsSignedWithOnlyTheDocumentedEscapesDecoded() throws Exception {
        String called = URI + "?portal=42&email=ana%40example.com&path=%2Fa%2Fb&name=Ana%20Souza";
        // HubSpot decodes %40 and %2F before signing, but leaves %20 alone
        String asSigned = URI + "?portal=42&email=ana@example.com&path=/a/b&name=Ana%20Souza";
        long ts = NOW;
        String sig = hmacBase64(SECRET, "POST" + asSigned + new String(BODY, StandardCharsets.UTF_8) + ts);
        assertEquals(Outcome.VALID, verifier.verify("POST", called, BODY, v3(sig, ts), NOW));
        String wronglyFullyDecoded = hmacBase64(SECRET, "POST" + URI
                + "?portal=42&email=ana@example.com&path=/a/b&name=Ana Souza" + new String(BODY, StandardCharsets.UTF_8)
                + ts);
        assertEquals(Outcome.BAD_SIGNATURE, verifier.verify("POST", called, BODY, v3(wronglyFullyDecoded, ts), NOW));
    }

    @Test
    void missingHeadersAreRejected() throws Exception {
        assertEquals(Outcome.MISSING_HEADER, verifier.verify("POST", URI, BODY, new Headers(null, null, null, null),
                NOW));
        String sig = hmacBase64(SECRET, "POST" + URI + new String(BODY, StandardCharsets.UTF_8) + NOW);
        assertEquals(Outcome.MISSING_HEADER, verifier.verify("POST", URI, BODY, new Headers(sig, null, null, null),
                NOW));
    }

    @Test
    void v1AndV2AreVerifiedWhenEnabled() throws Exception {
        String body = new String(BODY, StandardCharsets.UTF_8);
        assertEquals(Outcome.VALID, verifier.verify("POST", URI, BODY,
                new Headers(null, null, sha256Hex(SECRET + body), "v1"), NOW));
        assertEquals(Outcome.VALID, verifier.verify("POST", URI, BODY,
                new Headers(null, null, sha256Hex(SECRET + "POST" + URI + body), "v2"), NOW));
        assertEquals(Outcome.BAD_SIGNATURE, verifier.verify("POST", URI, BODY,
                new Headers(null, null, sha256Hex("wrong" + body), "v1"), NOW));
    }

    @Test
    void olderVersionsAreRefusedUnlessEnabled() throws Exception {
        HubSpotSignatureVerifier v3Only = new HubSpotSignatureVerifier(SECRET, Set.of("v3"), 300_000);
        String body = new String(BODY, StandardCharsets.UTF_8);
        assertEquals(Outcome.VERSION_NOT_ACCEPTED, v3Only.verify("POST", URI, BODY,
                new Headers(null, null, sha256Hex(SECRET + body), "v1"), NOW));
    }

    @Test
    void withoutAConfiguredSecretNothingIsAccepted() {
        HubSpotSignatureVerifier unconfigured = new HubSpotSignatureVerifier(null, Set.of("v3"), 300_000);
        assertEquals(Outcome.NO_SECRET_CONFIGURED, unconfigured.verify("POST", URI, BODY,
                v3(HubSpotSignatureVerifier.signV3("x", "POST", URI, BODY, NOW), NOW), NOW));
    }

    @Test
    void signV3MatchesTheIndependentComputation() throws Exception {
        assertEquals(hmacBase64(SECRET, "POST" + URI + new String(BODY, StandardCharsets.UTF_8) + NOW),
                HubSpotSignatureVerifier.signV3(SECRET, "POST", URI, BODY, NOW));
    }
}
