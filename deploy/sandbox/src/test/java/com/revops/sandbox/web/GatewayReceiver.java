package com.revops.sandbox.web;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A stand-in for the gateway's webhook endpoints: records every delivery (URL, headers, body) and answers 200 (and
 * the SOAP Ack for outbound messages), or 500 for the next {@link #failNext} deliveries. The simulator under test is
 * pointed at it through {@code sim.gateway-url}.
 */
public class GatewayReceiver implements QuarkusTestResourceLifecycleManager {

    /** One received delivery. */
    public record Received(String url, Map<String, String> headers, String body) {
    }

    public static final List<Received> RECEIVED = new CopyOnWriteArrayList<>();
    public static final AtomicInteger FAIL_NEXT = new AtomicInteger();
    static volatile int port;
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", this::handle);
        server.start();
        port = server.getAddress().getPort();
        return Map.of("sim.gateway-url", "http://localhost:" + port);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
        RECEIVED.add(new Received("http://localhost:" + port + exchange.getRequestURI(), headers, body));
        boolean fail = FAIL_NEXT.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
        String answer = exchange.getRequestURI().getPath().contains("salesforce")
                ? "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body>"
                        + "<notificationsResponse xmlns=\"http://soap.sforce.com/2005/09/outbound\"><Ack>true</Ack>"
                        + "</notificationsResponse></soapenv:Body></soapenv:Envelope>"
                : "{}";
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(fail ? 500 : 200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
