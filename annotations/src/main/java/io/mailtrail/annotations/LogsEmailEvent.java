package io.mailtrail.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Each call of the annotated method writes one row to the email activity log.
 *
 * <pre>{@code
 * @LogsEmailEvent(type = "classified",
 *         description = "Classified as #{#result.classification} (confidence: #{#result.confidence})",
 *         metadata = {
 *             @Metadata(key = "classification", value = "#result.classification"),
 *             @Metadata(key = "confidence", value = "#result.confidence"),
 *             @Metadata(key = "method", value = "'ai'")})
 * Classification classify(@EmailId int emailId, String body) { ... }
 * }</pre>
 *
 * <p>The annotation is repeatable: one method may log several events, e.g.
 * {@code workflow_executed} once at {@link Phase#START} and once at {@link Phase#COMPLETION}.
 * When the method throws, at most one {@code error} event is logged per call (per element with
 * {@link #forEach()}), by the first annotation whose {@link #logErrors()} is on and whose email
 * id can be resolved; the exception then reaches the caller unchanged.
 *
 * <p>Every event's metadata holds the values of {@link #metadata()}, {@code code_function} (the
 * fully qualified {@code Class.method}) and, at completion, {@code execution_time_ms}; a key of
 * {@link #metadata()} wins over these.
 *
 * <p>Attributes described as <em>expressions</em> and <em>templates</em> use the syntax described
 * in the {@linkplain io.mailtrail.annotations package documentation}. They are compiled once per
 * method; one that can not compile is reported naming class, method and expression, and this
 * annotation is skipped without affecting the method.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Repeatable(LogsEmailEvents.class)
public @interface LogsEmailEvent {

    /**
     * The event type, e.g. {@code "classified"} or {@code "workflow_executed"}. Required;
     * non-blank, at most 50 characters ({@code event_type VARCHAR(50)}).
     */
    String type();

    /** The event's category. Default {@link Category#SYSTEM}. */
    Category category() default Category.SYSTEM;

    /**
     * A template for the human-readable description, e.g.
     * {@code "Classified as #{#result.classification}"}. Default {@code ""}: a generated
     * description {@code "<type> by <SimpleClass>.<method>"}.
     */
    String description() default "";

    /**
     * An expression for the email id, e.g. {@code "#email.id"}, {@code "#p0"} or
     * {@code "#result.emailId"}. Default {@code ""}: the argument annotated {@link EmailId};
     * when there is none, the annotation is reported and skipped. A {@code null} id at run time
     * logs no event.
     */
    String emailId() default "";

    /** Named values to store in the event's metadata. Default: none. */
    Metadata[] metadata() default {};

    /**
     * Whether all arguments are stored under the metadata key {@code "arguments"}, by parameter
     * name ({@code p0}, {@code p1} … without {@code -parameters}), honouring {@link Redact} and
     * {@link NotLogged}. Default {@code false}.
     */
    boolean captureArguments() default false;

    /**
     * Whether the return value is stored under the metadata key {@code "result"}. Ignored at
     * {@link Phase#START}. Default {@code false}.
     */
    boolean captureResult() default false;

    /**
     * A boolean expression; the event is logged only when it is {@code true}, e.g.
     * {@code "#result.confidence > 0.5"}. Default {@code ""}: always. A condition that fails to
     * evaluate counts as {@code false} and is warned about once.
     */
    String condition() default "";

    /** When the event is logged. Default {@link Phase#COMPLETION}. */
    Phase phase() default Phase.COMPLETION;

    /**
     * Whether a thrown exception logs an {@code error} event (with {@code error_type},
     * {@code error_message}, {@code code_function} and a truncated {@code stack_trace} in its
     * metadata). The completion event itself is not logged when the method throws. Default
     * {@code true}.
     */
    boolean logErrors() default true;

    /**
     * A template for {@code created_by}, e.g. {@code "ai-classifier"} or
     * {@code "#{#request.user}"}. Default {@code ""}: the current actor (Spring Security's
     * principal or the {@code ActivityContext}), else {@code "system"}.
     */
    String createdBy() default "";

    /**
     * An expression for {@code user_id}, e.g. {@code "#user.id"}. Default {@code ""}: the current
     * actor's id, else none.
     */
    String userId() default "";

    /**
     * An expression for the elements to log one event each, e.g. {@code "#mails"}: an array, an
     * {@code Iterable} or a {@code Map} (its values). The other attributes then read the element as
     * {@code #it} and its position as {@code #index}, e.g. {@code emailId = "#it.id"}; a
     * {@code null} yields no event. One call logs at most {@code capture.maxForEachElements}
     * events per annotation (default 1,000); the elements beyond are counted and reported, not
     * logged. When the method throws, each element gets the {@code error} event. Default
     * {@code ""}: one event per call, and {@code #it} is an error.
     */
    String forEach() default "";
}
