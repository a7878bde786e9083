/**
 * Annotations that turn a method call into a row of Mailtrail's email activity log.
 *
 * <p>This package has no dependencies. The annotations are read once per method by the capture
 * pipeline in {@code mailtrail-core}, which compiles every expression into a plan; an attribute
 * that can not compile is reported naming the class, the method and the expression, and that
 * one annotation is skipped. Logging never changes what the annotated method returns or throws.
 *
 * <h2>Expressions</h2>
 * Attributes documented as expressions use the subset of Spring Expression Language that Spring
 * users know from {@code @Cacheable} keys:
 * <ul>
 *   <li>{@code #email}, {@code #p0}, {@code #a0} – an argument, by its name (needs the
 *       {@code -parameters} compiler flag) or by its position (always works);</li>
 *   <li>{@code #result} – the return value (for a {@code CompletionStage}, its completed value),
 *       {@code #ex} – the thrown exception;</li>
 *   <li>{@code #root.methodName}, {@code #root.targetClass}, {@code #root.target},
 *       {@code #root.args};</li>
 *   <li>{@code #entry(expr)} – the value {@code expr} had when the method was entered, e.g.
 *       {@code #entry(#ticket.status)} for the status a method changes in place; captured at entry
 *       like any logged value (an object's fields, read without running its getters), so
 *       {@code #entry(#ticket).status} works too. {@code #result} and {@code #ex} can not be read
 *       inside it;</li>
 *   <li>{@code #changes(expr)} – the fields of {@code expr}'s object that differ between entry and
 *       completion, as {@code {field: [old, new]}}, one level deep;</li>
 *   <li>{@code #it}, {@code #index} – the element and its position, with {@code forEach} only;</li>
 *   <li>property chains {@code #result.sender.address} (getter, {@code isX()}, record accessor,
 *       public field or {@code Map} key) and the null-safe {@code ?.};</li>
 *   <li>literals {@code 'text'}, {@code 42}, {@code 0.5}, {@code true}, {@code null};</li>
 *   <li>in conditions: {@code == != > < >= <=}, {@code and}, {@code or}, {@code !}/{@code not}.</li>
 * </ul>
 * Attributes documented as templates are plain text with {@code #{expression}} parts, e.g.
 * {@code "Classified as #{#result.classification}"}.
 */
package io.mailtrail.annotations;
