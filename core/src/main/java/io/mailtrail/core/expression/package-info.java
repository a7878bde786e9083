/**
 * A small, reflection-free-at-run-time subset of Spring Expression Language for
 * {@code @LogsEmailEvent} attributes. See the {@code io.mailtrail.annotations} package for the
 * syntax.
 *
 * <p><b>Entry point: {@link io.mailtrail.core.expression.Expression#compile}</b>, once per method,
 * against the method's {@link io.mailtrail.core.expression.ExpressionScope}
 * ({@code ExpressionScope.of(method, afterCall)}: which parameters, whether {@code #result} and
 * {@code #ex} exist); the compiled {@link io.mailtrail.core.expression.Expression} is then
 * evaluated per call over an {@link io.mailtrail.core.expression.EvaluationContext}. This is what
 * {@code CapturePlanCompiler} and {@code EventAssembler} in {@code io.mailtrail.core.capture} use.
 * A {@link io.mailtrail.core.expression.Template} ({@code Template.compile}, the same arguments)
 * is text with {@code #{expression}} parts, each compiled the same way; it renders instead of
 * evaluating. Compiling fails with an {@link io.mailtrail.core.expression.ExpressionException}
 * that carries the position; evaluating with an
 * {@link io.mailtrail.core.expression.EvaluationException}.
 */
package io.mailtrail.core.expression;
