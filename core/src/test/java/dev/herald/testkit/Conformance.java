package dev.herald.testkit;

/**
 * Every guarantee of the architecture, written once; a store implements this in one class and
 * passes it. One group per store operation, named after it as the method, its params record and its
 * SQL are ({@code taskClaimBatch}: {@link TaskClaimBatchConformance}; {@code installSchema}: {@link
 * SchemaConformance}; {@code taskNotify} and {@code wakeups}: {@link WakeupConformance}; {@code
 * receiverRegister}, {@code receiverRetire} and {@code receiverList}: {@link
 * ReceiverRegistryConformance}), then the engine's guarantees over them (delivery, leases,
 * concurrency, breakers, shutdown, holdings, events).
 */
public interface Conformance
    extends SchemaConformance,
        TaskInsertManyConformance,
        TaskClaimBatchConformance,
        TaskCompleteManyConformance,
        TaskRetryLaterConformance,
        TaskDeadLetterConformance,
        TaskReleaseConformance,
        TaskExtendLeaseConformance,
        TaskReleaseOwnedConformance,
        TaskListConformance,
        TaskFindConformance,
        TaskCountReadyConformance,
        TaskStatsConformance,
        TaskRequeueConformance,
        TaskPurgeConformance,
        TaskDeadLetterReadyConformance,
        TaskRotateConformance,
        ReceiverRegistryConformance,
        TaskCancelConformance,
        DedupeConformance,
        OrderingConformance,
        LimitsConformance,
        BatchConformance,
        RetentionConformance,
        DeliveryConformance,
        LeaseConformance,
        ConcurrencyConformance,
        BreakerConformance,
        ShutdownConformance,
        HoldingsConformance,
        EventsConformance,
        WakeupConformance,
        BlockHoundConformance {}
