package com.revops.platform.events;

/** A message that can never be processed, whatever the number of retries: it goes straight to dead letters. */
public class MalformedEventException extends RuntimeException {
    public MalformedEventException(String message, Throwable cause) {
        super(message, cause);
    }

    public MalformedEventException(String message) {
        super(message);
    }
}
