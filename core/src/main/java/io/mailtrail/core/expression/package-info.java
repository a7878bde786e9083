/**
 * A small, reflection-free-at-run-time subset of Spring Expression Language for
 * {@code @LogsEmailEvent} attributes: {@link io.mailtrail.core.expression.Expression} and
 * {@link io.mailtrail.core.expression.Template}, compiled against an
 * {@link io.mailtrail.core.expression.ExpressionScope} and evaluated over an
 * {@link io.mailtrail.core.expression.EvaluationContext}. See the {@code io.mailtrail.annotations}
 * package for the syntax.
 */
package io.mailtrail.core.expression;
