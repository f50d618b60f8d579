package com.revops.sandbox.core;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs a HubSpot webhook delivery with signature v3, as HubSpot does: Base64(HMAC-SHA256(client secret, UTF-8 of
 * method + uri + body + timestamp)), with the timestamp in epoch milliseconds sent as
 * {@code X-HubSpot-Request-Timestamp}. The uri is the full URL called, with only the escapes
 * {@code %3A %2F %3F %40 %21 %24 %27 %28 %29 %2A %2C %3B} decoded. Plain Java.
 */
public final class WebhookSigner {

    public static final String SIGNATURE_HEADER = "X-HubSpot-Signature-v3";
    public static final String TIMESTAMP_HEADER = "X-HubSpot-Request-Timestamp";

    private final byte[] secret;

    public WebhookSigner(String clientSecret) {
        if (clientSecret == null || clientSecret.isEmpty()) {
            throw new IllegalArgumentException("the HubSpot client secret is required to sign webhooks");
        }
        this.secret = clientSecret.getBytes(StandardCharsets.UTF_8);
    }

    public String sign(String method, String uri, String body, long timestampMillis) {
        String signed = method + decodeAllowed(uri) + body + timestampMillis;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** Decodes exactly the escapes HubSpot decodes before signing. */
    static String decodeAllowed(String uri) {
        String[][] pairs = {{"%3A", ":"}, {"%2F", "/"}, {"%3F", "?"}, {"%40", "@"}, {"%21", "!"}, {"%24", "$"},
            {"%27", "'"}, {"%28", "("}, {"%29", ")"}, {"%2A", "*"}, {"%2C", ","}, {"%3B", ";"}};
        StringBuilder out = new StringBuilder(uri.length());
        outer:
        for (int i = 0; i < uri.length(); i++) {
            if (uri.charAt(i) == '%' && i + 2 < uri.length()) {
                String esc = uri.substring(i, i + 3).toUpperCase();
                for (String[] p : pairs) {
                    if (p[0].equals(esc)) {
                        out.append(p[1]);
                        i += 2;
                        continue outer;
                    }
                }
            }
            out.append(uri.charAt(i));
        }
        return out.toString();
    }
}
