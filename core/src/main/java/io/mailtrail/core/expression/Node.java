package io.mailtrail.core.expression;

import io.mailtrail.core.internal.Accessors;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;

/**
 * A node of a compiled expression: immutable, thread-safe, and free of reflection when
 * evaluated. Property reads resolve their {@code MethodHandle} once per receiver class.
 */
abstract class Node {

    /** The declared type, as far as the compiler knows it; {@code Object.class} when unknown. */
    final Class<?> staticType;

    Node(Class<?> staticType) {
        this.staticType = staticType;
    }

    abstract Object evaluate(EvaluationContext context);

    static final class Literal extends Node {
        private final Object value;

        Literal(Object value) {
            super(value == null ? Object.class : value.getClass());
            this.value = value;
        }

        @Override
        Object evaluate(EvaluationContext context) {
            return value;
        }
    }

    static final class Argument extends Node {
        final int index;

        Argument(int index, Class<?> type) {
            super(type);
            this.index = index;
        }

        @Override
        Object evaluate(EvaluationContext context) {
            // A caller that passes fewer arguments than the method declares is a bug in the
            // caller; report it as an evaluation failure rather than an AIOOBE.
            if (index >= context.args.length) {
                throw new EvaluationException("argument #p" + index + " was not passed");
            }
            return context.args[index];
        }
    }

    enum Root {
        RESULT, EXCEPTION, TARGET, TARGET_CLASS, METHOD_NAME, ARGS, ELEMENT, INDEX
    }

    static final class RootValue extends Node {
        final Root root;

        RootValue(Root root, Class<?> type) {
            super(type);
            this.root = root;
        }

        @Override
        Object evaluate(EvaluationContext context) {
            switch (root) {
                case RESULT:
                    return context.result;
                case EXCEPTION:
                    return context.thrown;
                case TARGET:
                    return context.target;
                case TARGET_CLASS:
                    return context.targetClass;
                case METHOD_NAME:
                    return context.methodName;
                case ARGS:
                    return context.args;
                case ELEMENT:
                    return context.element;
                case INDEX:
                    return context.index;
                default:
                    throw new AssertionError(root);
            }
        }
    }

    /** {@code #entry(expr)}: the value {@code expr} had, as captured, when the method was entered. */
    static final class EntryValue extends Node {
        private final int slot;
        private final String what;

        EntryValue(int slot, String source) {
            super(Object.class); // captured plain data: an object's fields read as a map
            this.slot = slot;
            this.what = "#entry(" + source + ")";
        }

        @Override
        Object evaluate(EvaluationContext context) {
            return EntrySlots.read(context, slot, what);
        }
    }

    /** {@code #changes(expr)}: the fields of {@code expr}'s object that differ from its capture at entry. */
    static final class Changes extends Node {
        private final int slot;
        private final Node now;
        private final String what;

        Changes(int slot, Node now, String source) {
            super(Map.class);
            this.slot = slot;
            this.now = now;
            this.what = "#changes(" + source + ")";
        }

        @Override
        Object evaluate(EvaluationContext context) {
            Object before = EntrySlots.read(context, slot, what);
            if (context.snapshot == null) {
                throw new EvaluationException(what + " has no capture to compare with");
            }
            return FieldChanges.between(before, context.snapshot.apply(now.evaluate(context)));
        }
    }

    static final class PropertyRead extends Node {
        private final Node receiver;
        private final String name;
        private final boolean nullSafe;
        private final ClassValue<Accessors.Property> accessors = new ClassValue<>() {
            @Override
            protected Accessors.Property computeValue(Class<?> type) {
                return Accessors.property(type, name);
            }
        };

        PropertyRead(Node receiver, String name, boolean nullSafe, Class<?> staticType) {
            super(staticType);
            this.receiver = receiver;
            this.name = name;
            this.nullSafe = nullSafe;
        }

        @Override
        Object evaluate(EvaluationContext context) {
            Object value = receiver.evaluate(context);
            if (value == null) {
                if (nullSafe) {
                    return null;
                }
                throw new EvaluationException("can not read '" + name + "' of null (use '?." + name
                        + "' to allow null)");
            }
            if (value instanceof Map) {
                return ((Map<?, ?>) value).get(name);
            }
            Accessors.Property property = accessors.get(value.getClass());
            if (property == null) {
                throw new EvaluationException("no readable property '" + name + "' on "
                        + value.getClass().getName());
            }
            try {
                return (Object) property.handle().invokeExact(value);
            } catch (Error e) {
                if (e instanceof VirtualMachineError && !(e instanceof StackOverflowError)) {
                    throw e;
                }
                throw new EvaluationException("'" + name + "' threw " + e.getClass().getName(), e);
            } catch (Throwable e) {
                throw new EvaluationException("'" + name + "' threw " + e.getClass().getName(), e);
            }
        }
    }

    static final class Not extends Node {
        private final Node operand;

        Not(Node operand) {
            super(Boolean.class);
            this.operand = operand;
        }

        @Override
        Object evaluate(EvaluationContext context) {
            return !truth(operand.evaluate(context));
        }
    }

    static final class Logical extends Node {
        private final Node left;
        private final Node right;
        private final boolean and;

        Logical(Node left, Node right, boolean and) {
            super(Boolean.class);
            this.left = left;
            this.right = right;
            this.and = and;
        }

        @Override
        Object evaluate(EvaluationContext context) {
            boolean first = truth(left.evaluate(context));
            if (and ? !first : first) {
                return first;
            }
            return truth(right.evaluate(context));
        }
    }

    enum Operator {
        EQ("=="), NE("!="), GT(">"), LT("<"), GE(">="), LE("<=");

        final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }
    }

    static final class Comparison extends Node {
        private final Node left;
        private final Node right;
        private final Operator operator;

        Comparison(Node left, Node right, Operator operator) {
            super(Boolean.class);
            this.left = left;
            this.right = right;
            this.operator = operator;
        }

        @Override
        Object evaluate(EvaluationContext context) {
            Object a = left.evaluate(context);
            Object b = right.evaluate(context);
            switch (operator) {
                case EQ:
                    return looselyEqual(a, b);
                case NE:
                    return !looselyEqual(a, b);
                default:
                    // SQL-like: an ordering against null is false, not an error, so a missing
                    // optional value simply does not match.
                    if (a == null || b == null) {
                        return false;
                    }
                    int c = compare(a, b);
                    switch (operator) {
                        case GT:
                            return c > 0;
                        case LT:
                            return c < 0;
                        case GE:
                            return c >= 0;
                        default:
                            return c <= 0;
                    }
            }
        }

        private int compare(Object a, Object b) {
            if (a instanceof Number && b instanceof Number) {
                return compareNumbers((Number) a, (Number) b);
            }
            if (a instanceof Comparable && a.getClass() == b.getClass()) {
                @SuppressWarnings("unchecked")
                Comparable<Object> comparable = (Comparable<Object>) a;
                return comparable.compareTo(b);
            }
            throw new EvaluationException("can not compare " + a.getClass().getName() + " "
                    + operator.symbol + " " + b.getClass().getName());
        }
    }

    static boolean truth(Object value) {
        if (value instanceof Boolean) {
            return (Boolean) value;
        }
        if (value == null) {
            return false;
        }
        throw new EvaluationException("expected a boolean but got " + value.getClass().getName());
    }

    static boolean looselyEqual(Object a, Object b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        if (a instanceof Number && b instanceof Number) {
            return compareNumbers((Number) a, (Number) b) == 0;
        }
        // 'COMPLETED' == #result.status, as SpEL users write it for enums.
        if (a instanceof Enum && b instanceof String) {
            return ((Enum<?>) a).name().equals(b);
        }
        if (b instanceof Enum && a instanceof String) {
            return ((Enum<?>) b).name().equals(a);
        }
        if (a instanceof Character && b instanceof String || b instanceof Character && a instanceof String) {
            return a.toString().equals(b.toString());
        }
        return Objects.equals(a, b);
    }

    private static int compareNumbers(Number a, Number b) {
        if (isIntegral(a) && isIntegral(b)) {
            return Long.compare(a.longValue(), b.longValue());
        }
        if (a instanceof Double || a instanceof Float || b instanceof Double || b instanceof Float) {
            return Double.compare(a.doubleValue(), b.doubleValue());
        }
        try {
            return new BigDecimal(a.toString()).compareTo(new BigDecimal(b.toString()));
        } catch (NumberFormatException e) {
            return Double.compare(a.doubleValue(), b.doubleValue());
        }
    }

    private static boolean isIntegral(Number n) {
        return n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte;
    }
}
