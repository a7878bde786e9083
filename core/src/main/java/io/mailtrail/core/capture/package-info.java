/**
 * The capture pipeline shared by the AspectJ aspect and the Byte Buddy agent.
 *
 * <p>Entry point: {@link io.mailtrail.core.capture.MailtrailCapture}. Per method,
 * {@link io.mailtrail.core.capture.CapturePlanCompiler} compiles each {@code @LogsEmailEvent}
 * once into a {@link io.mailtrail.core.capture.MethodCapturePlan}; per call,
 * {@link io.mailtrail.core.capture.MethodCapture#start} and
 * {@link io.mailtrail.core.capture.InvocationCapture#end} build the events, converting values with
 * {@link io.mailtrail.core.capture.ValueCapture} within
 * {@link io.mailtrail.core.capture.CaptureLimits} and
 * {@link io.mailtrail.core.capture.Redaction}, attributing them through an
 * {@link io.mailtrail.core.capture.ActorSource}. Nothing here throws into the host method.
 */
package io.mailtrail.core.capture;
