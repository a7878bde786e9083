/**
 * The AspectJ aspect that turns calls of {@code @LogsEmailEvent} methods into rows of the email
 * activity log: {@link io.mailtrail.aspect.EmailActivityAspect}, one class for Spring AOP,
 * compile-time and load-time weaving. It depends on AspectJ's runtime, the annotations and the
 * capture pipeline of {@code mailtrail-core} only, never on Spring.
 *
 * <p>Load-time weaving needs a {@code META-INF/aop.xml} of the application, e.g.
 * <pre>{@code
 * <aspectj>
 *   <aspects><aspect name="io.mailtrail.aspect.EmailActivityAspect"/></aspects>
 *   <weaver><include within="com.acme.hub..*"/></weaver>
 * </aspectj>
 * }</pre>
 * and {@code -javaagent:aspectjweaver-<version>.jar}; then, at start-up,
 * {@code EmailActivityAspect.aspectOf().configure(capture)}.
 */
package io.mailtrail.aspect;
