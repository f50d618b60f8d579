package com.revops.gateway.commands;

/** A command that can never succeed as it is (invalid, unknown record, refused by the CRM's validation). */
public class CommandFailure extends RuntimeException {
    public CommandFailure(String message) {
        super(message, null, false, false);
    }
}
