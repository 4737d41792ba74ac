package dev.herald.testkit;

/**
 * Every guarantee of the architecture, written once; a store implements this in one class and
 * passes it.
 */
public interface Conformance
    extends EnqueueConformance,
        DeliveryConformance,
        LeaseConformance,
        ConcurrencyConformance,
        BreakerConformance,
        ShutdownConformance,
        HoldingsConformance,
        EventsConformance,
        WakeupConformance,
        ClaimPositionConformance,
        RotationConformance,
        BlockHoundConformance {}
