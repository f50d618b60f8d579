package com.revops.gateway.crm;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

import com.revops.gateway.config.GatewayConfig;
import com.revops.gateway.crm.salesforce.SalesforceClient;
import com.revops.gateway.crm.salesforce.SalesforceConfig;

/** Builds the Salesforce client from configuration (client credentials, or JWT bearer with a key). */
@ApplicationScoped
public class SalesforceClientProducer {

    /** The client, or an empty holder when Salesforce is not connected. */
    public record Connection(SalesforceClient client) {
        public boolean connected() {
            return client != null;
        }
    }

    /** Singleton, not application-scoped: a record is final and cannot be proxied. */
    @Produces
    @jakarta.inject.Singleton
    Connection salesforce(GatewayConfig config) {
        GatewayConfig.Salesforce sf = config.salesforce();
        if (!sf.connected()) {
            return new Connection(null);
        }
        SalesforceConfig.Builder builder = SalesforceConfig.builder(sf.loginUrl(), sf.clientId().get())
                .apiVersion(sf.apiVersion())
                .quotaCeiling(sf.quotaCeiling())
                .clientName(sf.clientName());
        if (sf.clientSecret().isPresent()) {
            builder.clientCredentials(sf.clientSecret().get());
        } else {
            builder.jwtBearer(sf.username().get(), sf.privateKey().get());
        }
        return new Connection(new SalesforceClient(builder.build()));
    }

    void close(@Disposes Connection connection) {
        if (connection.connected()) {
            connection.client().close();
        }
    }
}
