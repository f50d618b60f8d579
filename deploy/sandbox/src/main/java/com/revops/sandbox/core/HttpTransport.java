package com.revops.sandbox.core;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** {@link Deliveries.Transport} over the JDK's HTTP client. */
public final class HttpTransport implements Deliveries.Transport {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();

    @Override
    public CompletableFuture<Deliveries.Answer> post(String url, Map<String, String> headers, String body,
            long timeoutMillis) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofMillis(timeoutMillis))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach((k, v) -> {
            if (!"User-Agent".equalsIgnoreCase(k)) {
                request.header(k, v);
            }
        });
        return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> new Deliveries.Answer(r.statusCode(), r.body()));
    }
}
