package com.revops.gateway.normalise;

import java.util.List;

/**
 * Decides whether a Salesforce Lead's new owner is the echo of our own {@code owner.assign} (then no
 * {@code lead.owner-changed} is published: the service that asked for the owner already knows it). Two signals:
 * <ol>
 * <li>our recorded writes: the gateway records every owner it writes to a record before writing it; a new owner that
 * one of them set is ours, whoever saved the record last (a person may have edited another field since);</li>
 * <li>{@code LastModifiedById} equal to our integration user, Salesforce's documented signal, when we have no recorded
 * write for the record (e.g. the write is older than the records are kept). When we do have recorded writes and none
 * set this owner, the owner came from someone else using the same user, and is announced.</li>
 * </ol>
 * Plain Java. Ids are compared by their case-sensitive 15-character form (Salesforce accepts both lengths).
 */
public final class OwnerEcho {

    private OwnerEcho() {
    }

    /**
     * @param newOwner the owner the record has now
     * @param lastModifiedById who saved the record last (null when the message or query does not carry it)
     * @param integrationUserId our integration user (null when not configured)
     * @param recordedOwners the owners our recorded writes set on this record recently
     */
    public static boolean isEcho(String newOwner, String lastModifiedById, String integrationUserId,
            List<String> recordedOwners) {
        if (newOwner != null && recordedOwners.stream().anyMatch(o -> sameId(o, newOwner))) {
            return true;
        }
        boolean savedByUs = integrationUserId != null && lastModifiedById != null
                && sameId(lastModifiedById, integrationUserId);
        return savedByUs && recordedOwners.isEmpty();
    }

    /** Salesforce ids of 15 and 18 characters name the same record when their first 15 characters are equal. */
    public static boolean sameId(String a, String b) {
        return a != null && b != null && id15(a.trim()).equals(id15(b.trim()));
    }

    static String id15(String id) {
        return id.length() == 18 ? id.substring(0, 15) : id;
    }
}
