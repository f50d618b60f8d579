package com.revops.gateway.crm.salesforce;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How to reach and authenticate against one Salesforce org. Build it with {@link #builder(String, String)}; the
 * canonical constructor validates everything so a bad setting fails at start-up, not on the first sync.
 *
 * @param loginUrl where the OAuth token endpoint lives, e.g. {@code https://login.salesforce.com} or a My Domain URL
 *     such as {@code https://acme.my.salesforce.com}; also the {@code aud} of JWT bearer assertions
 * @param apiVersion REST version segment, e.g. {@code v67.0} (old versions answer 410)
 * @param grantType which OAuth flow to use
 * @param clientId the connected app's consumer key (the JWT {@code iss})
 * @param clientSecret the consumer secret; required for client credentials, unused for JWT bearer
 * @param username the run-as user (the JWT {@code sub}); JWT bearer only
 * @param privateKeyPem RSA private key, PEM-encoded PKCS#8 ({@code BEGIN PRIVATE KEY}); JWT bearer only
 * @param quotaCeiling share of the org's daily API allocation we allow ourselves, in (0, 1]; at or above it the client
 *     refuses to call so other integrations keep some of the allocation
 * @param connectTimeout TCP/TLS connect timeout
 * @param readTimeout socket read and write timeout
 * @param callTimeout upper bound for one HTTP exchange including redirects and body; zero means none
 * @param maxAttempts attempts per request on 5xx or I/O failures (the first one included)
 * @param retryBaseDelay back-off before the second attempt; doubled for each further attempt, with jitter
 * @param clientName sent as {@code Sforce-Call-Options: client=<name>} on every REST call, so that Change Data Capture
 *     events caused by our writes carry it in {@code changeOrigin} and are recognised as echoes; null sends none
 */
public record SalesforceConfig(
        String loginUrl,
        String apiVersion,
        GrantType grantType,
        String clientId,
        String clientSecret,
        String username,
        String privateKeyPem,
        double quotaCeiling,
        Duration connectTimeout,
        Duration readTimeout,
        Duration callTimeout,
        int maxAttempts,
        Duration retryBaseDelay,
        String clientName) {

    /** The REST version current in 2026. */
    public static final String DEFAULT_API_VERSION = "v67.0";
    public static final double DEFAULT_QUOTA_CEILING = 0.8;
    public static final int DEFAULT_MAX_ATTEMPTS = 3;

    private static final Pattern API_VERSION = Pattern.compile("v\\d+\\.\\d+");
    private static final Pattern CLIENT_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** The OAuth 2.0 flows Salesforce offers for server-to-server integrations. */
    public enum GrantType {
        /** {@code grant_type=client_credentials}: consumer key + secret, runs as the app's configured user. */
        CLIENT_CREDENTIALS,
        /** {@code grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer}: an RS256 assertion signed with our key. */
        JWT_BEARER
    }

    public SalesforceConfig {
        Objects.requireNonNull(grantType, "grantType");
        loginUrl = stripTrailingSlash(required(loginUrl, "loginUrl"));
        if (!loginUrl.startsWith("https://") && !loginUrl.startsWith("http://")) {
            throw new IllegalArgumentException("loginUrl must be an http(s) URL: " + loginUrl);
        }
        apiVersion = apiVersion == null ? DEFAULT_API_VERSION : apiVersion.strip();
        if (!API_VERSION.matcher(apiVersion).matches()) {
            throw new IllegalArgumentException("apiVersion must look like v67.0: " + apiVersion);
        }
        required(clientId, "clientId");
        if (grantType == GrantType.CLIENT_CREDENTIALS) {
            required(clientSecret, "clientSecret (client credentials)");
        } else {
            required(username, "username (JWT bearer)");
            required(privateKeyPem, "privateKeyPem (JWT bearer)");
        }
        if (!(quotaCeiling > 0 && quotaCeiling <= 1)) {
            throw new IllegalArgumentException("quotaCeiling must be in (0, 1]: " + quotaCeiling);
        }
        connectTimeout = positive(connectTimeout, Duration.ofSeconds(10), "connectTimeout");
        readTimeout = positive(readTimeout, Duration.ofSeconds(30), "readTimeout");
        callTimeout = callTimeout == null ? Duration.ZERO : callTimeout;
        if (callTimeout.isNegative()) {
            throw new IllegalArgumentException("callTimeout cannot be negative");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
        }
        retryBaseDelay = retryBaseDelay == null ? Duration.ofMillis(500) : retryBaseDelay;
        if (retryBaseDelay.isNegative()) {
            throw new IllegalArgumentException("retryBaseDelay cannot be negative");
        }
        clientName = clientName == null || clientName.isBlank() ? null : clientName.strip();
        if (clientName != null && !CLIENT_NAME.matcher(clientName).matches()) {
            throw new IllegalArgumentException("clientName may hold letters, digits, '-', '_' and '.': " + clientName);
        }
    }

    /** Starts a configuration with defaults: v67.0, client credentials, ceiling 0.8, 3 attempts. */
    public static Builder builder(String loginUrl, String clientId) {
        return new Builder(loginUrl, clientId);
    }

    /** Keeps the secret and the private key out of logs. */
    @Override
    public String toString() {
        return "SalesforceConfig[loginUrl=" + loginUrl + ", apiVersion=" + apiVersion + ", grantType=" + grantType
                + ", clientId=" + clientId + ", clientSecret=" + (clientSecret == null ? null : "***")
                + ", username=" + username + ", privateKeyPem=" + (privateKeyPem == null ? null : "***")
                + ", quotaCeiling=" + quotaCeiling + ", connectTimeout=" + connectTimeout + ", readTimeout="
                + readTimeout + ", callTimeout=" + callTimeout + ", maxAttempts=" + maxAttempts
                + ", retryBaseDelay=" + retryBaseDelay + "]";
    }

    private static String required(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value.strip();
    }

    private static String stripTrailingSlash(String url) {
        String result = url;
        while (result.endsWith("/")) {
            result = result.substring(0, result.length() - 1);
        }
        return result;
    }

    private static Duration positive(Duration value, Duration fallback, String name) {
        if (value == null) {
            return fallback;
        }
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
        return value;
    }

    /** Fluent construction of a {@link SalesforceConfig}; unset values take the documented defaults. */
    public static final class Builder {

        private final String loginUrl;
        private final String clientId;
        private String apiVersion = DEFAULT_API_VERSION;
        private GrantType grantType = GrantType.CLIENT_CREDENTIALS;
        private String clientSecret;
        private String username;
        private String privateKeyPem;
        private double quotaCeiling = DEFAULT_QUOTA_CEILING;
        private Duration connectTimeout;
        private Duration readTimeout;
        private Duration callTimeout;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration retryBaseDelay;
        private String clientName;

        private Builder(String loginUrl, String clientId) {
            this.loginUrl = loginUrl;
            this.clientId = clientId;
        }

        /** Client credentials flow with the connected app's consumer secret. */
        public Builder clientCredentials(String secret) {
            this.grantType = GrantType.CLIENT_CREDENTIALS;
            this.clientSecret = secret;
            return this;
        }

        /** JWT bearer flow as {@code username}, signing with a PKCS#8 PEM RSA key. */
        public Builder jwtBearer(String username, String privateKeyPem) {
            this.grantType = GrantType.JWT_BEARER;
            this.username = username;
            this.privateKeyPem = privateKeyPem;
            return this;
        }

        public Builder apiVersion(String apiVersion) {
            this.apiVersion = apiVersion;
            return this;
        }

        public Builder quotaCeiling(double quotaCeiling) {
            this.quotaCeiling = quotaCeiling;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder readTimeout(Duration readTimeout) {
            this.readTimeout = readTimeout;
            return this;
        }

        public Builder callTimeout(Duration callTimeout) {
            this.callTimeout = callTimeout;
            return this;
        }

        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        public Builder retryBaseDelay(Duration retryBaseDelay) {
            this.retryBaseDelay = retryBaseDelay;
            return this;
        }

        /** The client name sent in {@code Sforce-Call-Options}, which CDC events of our writes carry back. */
        public Builder clientName(String clientName) {
            this.clientName = clientName;
            return this;
        }

        public SalesforceConfig build() {
            return new SalesforceConfig(loginUrl, apiVersion, grantType, clientId, clientSecret, username,
                    privateKeyPem, quotaCeiling, connectTimeout, readTimeout, callTimeout, maxAttempts,
                    retryBaseDelay, clientName);
        }
    }
}
