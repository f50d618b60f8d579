package com.revops.gateway.commands;

import io.smallrye.mutiny.Uni;

/**
 * Applies commands to one CRM. Implementations answer a short description of what the CRM did, fail with
 * {@link CommandFailure} when retrying cannot help, and with anything else when it can.
 */
public interface CrmWriter {

    String crm();

    Uni<String> apply(String commandType, CommandSpec spec);
}
