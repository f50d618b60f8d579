package com.revops.gateway.crm.salesforce;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds the RS256 assertion of Salesforce's OAuth 2.0 JWT bearer flow with nothing but {@code java.security}:
 * header {@code {"alg":"RS256"}}, claims {@code iss} (consumer key), {@code sub} (username), {@code aud} (login URL)
 * and {@code exp}.
 */
final class SalesforceJwt {

    /**
     * Salesforce refuses an {@code exp} more than 3 minutes ahead. Two minutes keeps us inside that even when our clock
     * runs a little ahead of Salesforce's, and is still plenty for one token request.
     */
    static final Duration LIFETIME = Duration.ofMinutes(2);

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private SalesforceJwt() {
    }

    /** Signs a fresh assertion; {@code now} comes from the caller's clock so tests can pin it. */
    static String assertion(ObjectMapper mapper, PrivateKey key, String issuer, String subject, String audience,
            Instant now) {
        ObjectNode header = mapper.createObjectNode().put("alg", "RS256");
        ObjectNode claims = mapper.createObjectNode()
                .put("iss", issuer)
                .put("sub", subject)
                .put("aud", audience)
                .put("exp", now.plus(LIFETIME).getEpochSecond());
        try {
            String signingInput = BASE64URL.encodeToString(mapper.writeValueAsBytes(header)) + "."
                    + BASE64URL.encodeToString(mapper.writeValueAsBytes(claims));
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(key);
            rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + BASE64URL.encodeToString(rs256.sign());
        } catch (JsonProcessingException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the JWT bearer assertion", e);
        }
    }

    /**
     * Reads an unencrypted PKCS#8 RSA key ({@code -----BEGIN PRIVATE KEY-----}). A PKCS#1 key
     * ({@code BEGIN RSA PRIVATE KEY}) is refused with the openssl command that converts it, rather than failing later
     * with an obscure key-spec error.
     */
    static PrivateKey readPrivateKey(String pem) {
        if (pem.contains("BEGIN RSA PRIVATE KEY") || pem.contains("BEGIN ENCRYPTED PRIVATE KEY")) {
            throw new IllegalArgumentException("the JWT key must be an unencrypted PKCS#8 PEM (BEGIN PRIVATE KEY); "
                    + "convert it with: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.pk8.pem");
        }
        String base64 = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        try {
            byte[] der = Base64.getDecoder().decode(base64);
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException("the JWT key is not a readable PKCS#8 PEM RSA private key", e);
        }
    }
}
