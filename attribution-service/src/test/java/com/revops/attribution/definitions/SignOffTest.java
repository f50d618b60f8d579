package com.revops.attribution.definitions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Test;

class SignOffTest {

    @Test
    void oneSideAloneDoesNotActivate() {
        var sales = SignOff.approve("DRAFT", null, null, SignOff.Side.SALES, "mark");
        assertFalse(sales.activates());
        var both = SignOff.approve("DRAFT", sales.salesApprovedBy(), null, SignOff.Side.MARKETING, "molly");
        assertTrue(both.activates());
        assertEquals("mark", both.salesApprovedBy());
        assertEquals("molly", both.marketingApprovedBy());
    }

    @Test
    void samePersonCannotSignBothSides() {
        var e = assertThrows(SignOff.Refused.class,
                () -> SignOff.approve("DRAFT", "pat", null, SignOff.Side.MARKETING, "pat"));
        assertTrue(e.conflict);
    }

    @Test
    void aSideSignsOnceAndOnlyDraftsAreSigned() {
        assertThrows(SignOff.Refused.class, () -> SignOff.approve("DRAFT", "mark", null, SignOff.Side.SALES, "max"));
        assertThrows(SignOff.Refused.class, () -> SignOff.approve("ACTIVE", null, null, SignOff.Side.SALES, "mark"));
        assertThrows(SignOff.Refused.class,
                () -> SignOff.approve("SUPERSEDED", "a", null, SignOff.Side.MARKETING, "b"));
    }

    @Test
    void theSideFollowsTheRole() {
        assertEquals(SignOff.Side.SALES, SignOff.side(null, Set.of("sales-manager")));
        assertEquals(SignOff.Side.MARKETING, SignOff.side(null, Set.of("marketing-ops")));
        assertThrows(SignOff.Refused.class, () -> SignOff.side(null, Set.of("sales-manager", "marketing-ops")));
        assertEquals(SignOff.Side.MARKETING, SignOff.side("marketing", Set.of("sales-manager", "marketing-ops")));
        assertThrows(SignOff.Refused.class, () -> SignOff.side("MARKETING", Set.of("sales-manager")));
        assertThrows(SignOff.Refused.class, () -> SignOff.side(null, Set.of("revops-admin")));
    }
}
