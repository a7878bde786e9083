package io.mailtrail.core.capture;

/**
 * Counters of one {@link MailtrailCapture}, a snapshot. Every event built is either
 * {@code recorded} or {@code rejected} by the recorder; the other counters are events that were
 * not built, by reason.
 *
 * @param recorded          events the recorder accepted
 * @param rejected          events the recorder dropped (returned {@code false})
 * @param skippedCondition  events whose {@code condition} was false or failed to evaluate
 * @param skippedNoEmailId  events whose email id was {@code null} or not a number
 * @param failed            events lost to a failure inside the capture pipeline (also logged)
 * @param skippedPlans      annotations skipped because they could not compile
 * @param skippedElementCap events not built because a call's {@code forEach} had more elements than
 *                          {@link CaptureLimits#maxForEachElements()} (at least one per cut of an
 *                          {@code Iterable} whose size is unknown)
 */
public record CaptureStats(long recorded, long rejected, long skippedCondition, long skippedNoEmailId,
        long failed, long skippedPlans, long skippedElementCap) {
}
