package com.revops.gateway.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies HubSpot webhook signatures (v3, and v1/v2 for older apps) as HubSpot documents them. Plain Java.
 *
 * <ul>
 * <li>v3: {@code X-HubSpot-Signature-v3} = Base64(HMAC-SHA256(secret, method + uri + body + timestamp)), where the
 * uri is the full URL HubSpot called with only {@code %3A %2F %3F %40 %21 %24 %27 %28 %29 %2A %2C %3B} decoded, and
 * {@code X-HubSpot-Request-Timestamp} (epoch ms) must be at most 5 minutes old;</li>
 * <li>v2: {@code X-HubSpot-Signature} = hex(SHA-256(secret + method + uri + body));</li>
 * <li>v1: {@code X-HubSpot-Signature} = hex(SHA-256(secret + body)).</li>
 * </ul>
 * Every comparison is constant-time.
 */
public final class HubSpotSignatureVerifier {

    /** What a verification concluded. */
    public enum Outcome {
        VALID, MISSING_HEADER, STALE_TIMESTAMP, BAD_SIGNATURE, VERSION_NOT_ACCEPTED, NO_SECRET_CONFIGURED
    }

    /** The headers HubSpot sends; any may be null. */
    public record Headers(String signatureV3, String timestamp, String signature, String signatureVersion) {
    }

    private final byte[] secret;
    /** One initialised Mac per thread: Mac.getInstance and init cost more than the HMAC of a small delivery. */
    private final ThreadLocal<Mac> macs;
    private final Set<String> acceptedVersions;
    private final long maxAgeMillis;

    public HubSpotSignatureVerifier(String clientSecret, Set<String> acceptedVersions, long maxAgeMillis) {
        this.secret = clientSecret == null || clientSecret.isEmpty() ? null
                : clientSecret.getBytes(StandardCharsets.UTF_8);
        this.acceptedVersions = Set.copyOf(acceptedVersions);
        this.maxAgeMillis = maxAgeMillis;
        this.macs = this.secret == null ? null : ThreadLocal.withInitial(this::newMac);
    }

    public Outcome verify(String method, String uri, byte[] body, Headers h, long nowMillis) {
        if (secret == null) {
            return Outcome.NO_SECRET_CONFIGURED;
        }
        if (h.signatureV3() != null) {
            if (!acceptedVersions.contains("v3")) {
                return Outcome.VERSION_NOT_ACCEPTED;
            }
            return verifyV3(method, uri, body, h, nowMillis);
        }
        if (h.signature() == null) {
            return Outcome.MISSING_HEADER;
        }
        String version = h.signatureVersion() == null ? "v1" : h.signatureVersion().toLowerCase();
        if (!acceptedVersions.contains(version)) {
            return Outcome.VERSION_NOT_ACCEPTED;
        }
        byte[] expected = switch (version) {
            case "v1" -> sha256(concat(secret, body));
            case "v2" -> sha256(concat(concat(secret, (method + uri).getBytes(StandardCharsets.UTF_8)), body));
            default -> null;
        };
        if (expected == null) {
            return Outcome.VERSION_NOT_ACCEPTED;
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(h.signature().trim().toLowerCase());
        } catch (IllegalArgumentException e) {
            return Outcome.BAD_SIGNATURE;
        }
        return MessageDigest.isEqual(expected, given) ? Outcome.VALID : Outcome.BAD_SIGNATURE;
    }

    private Outcome verifyV3(String method, String uri, byte[] body, Headers h, long nowMillis) {
        if (h.timestamp() == null) {
            return Outcome.MISSING_HEADER;
        }
        long timestamp;
        try {
            timestamp = Long.parseLong(h.timestamp().trim());
        } catch (NumberFormatException e) {
            return Outcome.STALE_TIMESTAMP;
        }
        // older than the window, or implausibly far in the future (clock skew allowance: the same window)
        if (nowMillis - timestamp > maxAgeMillis || timestamp - nowMillis > maxAgeMillis) {
            return Outcome.STALE_TIMESTAMP;
        }
        byte[] expected = hmacSha256((method + decodeAllowed(uri)).getBytes(StandardCharsets.UTF_8), body,
                h.timestamp().trim().getBytes(StandardCharsets.UTF_8));
        byte[] given;
        try {
            given = Base64.getDecoder().decode(h.signatureV3().trim());
        } catch (IllegalArgumentException e) {
            return Outcome.BAD_SIGNATURE;
        }
        return MessageDigest.isEqual(expected, given) ? Outcome.VALID : Outcome.BAD_SIGNATURE;
    }

    /** Decodes exactly the escapes HubSpot decodes before signing, and no others. */
    static String decodeAllowed(String uri) {
        StringBuilder out = new StringBuilder(uri.length());
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c == '%' && i + 2 < uri.length()) {
                String hex = uri.substring(i + 1, i + 3).toUpperCase();
                char decoded = switch (hex) {
                    case "3A" -> ':';
                    case "2F" -> '/';
                    case "3F" -> '?';
                    case "40" -> '@';
                    case "21" -> '!';
                    case "24" -> '$';
                    case "27" -> '\'';
                    case "28" -> '(';
                    case "29" -> ')';
                    case "2A" -> '*';
                    case "2C" -> ',';
                    case "3B" -> ';';
                    default -> 0;
                };
                if (decoded != 0) {
                    out.append(decoded);
                    i += 2;
                    continue;
                }
            }
            out.append(c);
        }
        return out.toString();
    }

    /** Signs like HubSpot does (used by tests, fakes and the load driver). */
    public static String signV3(String secret, String method, String uri, byte[] body, long timestamp) {
        HubSpotSignatureVerifier v = new HubSpotSignatureVerifier(secret, Set.of("v3"), 0);
        return Base64.getEncoder().encodeToString(v.hmacSha256(
                (method + decodeAllowed(uri)).getBytes(StandardCharsets.UTF_8), body,
                Long.toString(timestamp).getBytes(StandardCharsets.UTF_8)));
    }

    /** HMAC-SHA256 of the parts one after the other (no concatenated copy of the body). */
    private byte[] hmacSha256(byte[] first, byte[] body, byte[] last) {
        Mac mac = macs.get();
        mac.update(first);
        mac.update(body);
        return mac.doFinal(last); // doFinal also resets the Mac for the thread's next request
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
