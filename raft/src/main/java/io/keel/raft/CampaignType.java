package io.keel.raft;

import java.nio.charset.StandardCharsets;

/** Why a member campaigns; a transfer's vote requests carry a marker that bypasses the lease. */
enum CampaignType {
    /** A pre-vote round that does not touch the term. */
    PRE_ELECTION,
    /** A normal election. */
    ELECTION,
    /** An election ordered by the leader with TIMEOUT_NOW (leadership transfer). */
    TRANSFER;

    private static final byte[] TRANSFER_CONTEXT = "CampaignTransfer".getBytes(StandardCharsets.US_ASCII);

    /** The context carried by vote requests of a transfer campaign. */
    static byte[] transferContext() {
        return TRANSFER_CONTEXT.clone();
    }

    static boolean isTransferContext(byte[] context) {
        return java.util.Arrays.equals(context, TRANSFER_CONTEXT);
    }
}
