/**
 * The capture pipeline shared by the AspectJ aspect and the Byte Buddy agent.
 *
 * <p><b>Entry point: {@link io.mailtrail.core.capture.MailtrailCapture}</b>, the registry. Built
 * once, it hands out one {@link io.mailtrail.core.capture.MethodCapture} per method
 * ({@code capture.method(method)}); an aspect or advice calls
 * {@link io.mailtrail.core.capture.MethodCapture#start} before the call and
 * {@link io.mailtrail.core.capture.InvocationCapture#end} after it, and uses nothing else.
 *
 * <p>Per method, once: {@link io.mailtrail.core.capture.CaptureSpec} (an annotation or an agent
 * rule) → {@link io.mailtrail.core.capture.CapturePlanCompiler} →
 * {@link io.mailtrail.core.capture.MethodCapturePlan}, ready to run (expressions compiled, keys
 * and metadata layout worked out). Per call, forward only: {@code MethodCapture.start} /
 * {@code InvocationCapture.end} → {@code EventAssembler}, which builds the rows, converting values
 * with {@link io.mailtrail.core.capture.ValueCapture} within
 * {@link io.mailtrail.core.capture.CaptureLimits} and {@link io.mailtrail.core.capture.Redaction}
 * and attributing them through an {@link io.mailtrail.core.capture.ActorSource} → the
 * {@link io.mailtrail.core.EventRecorder}. Nothing here throws into the host method: the lookup,
 * {@code start} and {@code end} each end in a catch-all, and each plan's event is guarded on its
 * own so that one failing plan costs only its event.
 */
package io.mailtrail.core.capture;
