package com.revops.feedback.disputes;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Marketing ops contesting a disqualification; resolved by a sales manager of the lead's team. */
@Entity
@Table(name = "dispute")
public class Dispute {

    public static final String OPEN = "OPEN";
    public static final String ACCEPTED = "ACCEPTED";
    public static final String REJECTED = "REJECTED";

    @Id
    public UUID id;

    @Column(name = "disqualification_id", nullable = false)
    public UUID disqualificationId;

    @Column(name = "lead_id", nullable = false)
    public UUID leadId;

    /** The lead's team when the dispute was opened: whose manager decides. */
    @Column(name = "team_name")
    public String teamName;

    @Column(nullable = false)
    public String state;

    @Column(name = "opened_by", nullable = false)
    public String openedBy;

    @Column(name = "opened_at", nullable = false)
    public Instant openedAt;

    @Column(nullable = false)
    public String comment;

    @Column(name = "resolved_by")
    public String resolvedBy;

    @Column(name = "resolved_at")
    public Instant resolvedAt;

    @Column(name = "resolution_comment")
    public String resolutionComment;
}
