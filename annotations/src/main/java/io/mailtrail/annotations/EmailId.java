package io.mailtrail.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the argument that holds the email id, so {@link LogsEmailEvent#emailId()} can be left
 * empty. The argument must be a number ({@code int}, {@code long}, {@code Integer} …) or a
 * decimal string; a {@code null} value at run time logs no event (counted, and warned about once).
 * At most one argument of a method may carry it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface EmailId {
}
